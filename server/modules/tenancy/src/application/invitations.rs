//! Inviting people by email, and accepting an invitation.

use chrono::Duration;
use contracts::permissions::Permission;
use contracts::{ConflictReason, Locale, Problem};
use diesel_async::AsyncConnection as _;
use kernel::token::SecretToken;
use kernel::{Actor, UserId};
use uuid::Uuid;

use crate::application::actor::{definitions, grants_of};
use crate::application::members::{guard, role_exists};
use crate::application::{TenancyCtx, TenancyError};
use crate::domain::events::MembershipAdded;
use crate::domain::organization::{Invitation, Organization, OrganizationId};
use crate::domain::role_guard::RoleChange;
use crate::infrastructure::invitations::{self, InvitationRow};
use crate::infrastructure::organizations::{self, MembershipRow};
use crate::infrastructure::roles;

/// How long an invitation link works.
pub const INVITATION_TTL: Duration = Duration::days(7);

/// Who is inviting, for the email.
#[derive(Debug, Clone)]
pub struct Inviter {
    pub name: String,
    pub locale: Locale,
}

/// Invites `email` to the actor's organization with `role` (`members:invite`), and emails them a
/// link. The actor may only invite with a role whose grants they hold.
///
/// # Errors
/// `Forbidden`, `Validation` (`email`, `role`), `Conflict` (already a member).
#[tracing::instrument(skip(ctx, actor, inviter, email), fields(org = %actor.organization_id.into_uuid()))]
pub async fn invite(
    ctx: &TenancyCtx,
    actor: &Actor,
    inviter: &Inviter,
    organization: &Organization,
    email: &str,
    role: &str,
) -> Result<Invitation, TenancyError> {
    actor.require(&Permission::MEMBERS_INVITE)?;
    // An invitation is a mail to someone else in our name: not from an unproven address.
    actor.require_verified_email()?;
    let email = email.trim();
    if !looks_like_email(email) {
        return Err(TenancyError::field("email", Problem::NotEmail));
    }
    let org = OrganizationId::from(actor.organization_id.into_uuid());
    let now = ctx.clock.now();
    let token = SecretToken::generate();
    let row = {
        let mut conn = ctx.db.get().await?;
        let defs = definitions(&roles::of_org(&mut conn, org).await?);
        if !role_exists(&defs, role) {
            return Err(TenancyError::field("role", Problem::NotARole));
        }
        guard(&defs, actor, RoleChange::Invite { role: &grants_of(&defs, role) })?;
        let existing = organizations::members(&mut conn, org).await?;
        let ids: Vec<Uuid> = existing.iter().map(|m| m.user_id).collect();
        let members = ctx.users.users(&ids).await.map_err(TenancyError::Internal)?;
        if members.iter().any(|u| u.email.eq_ignore_ascii_case(email)) {
            return Err(TenancyError::Conflict(ConflictReason::AlreadyMember));
        }
        let row = InvitationRow {
            id: Uuid::now_v7(),
            organization_id: org.into_uuid(),
            email: email.to_owned(),
            email_normalized: email.to_lowercase(),
            role: role.to_owned(),
            token_hash: token.digest.clone(),
            invited_by: actor.user_id.into_uuid(),
            expires_at: now + INVITATION_TTL,
            accepted_at: None,
            accepted_by: None,
            created_at: now,
        };
        invitations::insert(&mut conn, &row).await?;
        row
    };
    let link = ctx.link(&format!("/invitations/{}", token.plain));
    let mail = invitation_mail(inviter, &organization.name, role, &link);
    match notifications::Mailbox::new(email) {
        Ok(to) => {
            let message = notifications::EmailMessage { to, subject: mail.0, text: mail.1, html: mail.2 };
            if let Err(err) = ctx.mail.send(message).await {
                tracing::error!(%err, "invitation email could not be sent");
            }
        }
        Err(err) => tracing::warn!(%err, "invitation address refused by the mailer"),
    }
    Ok(row.to_invitation())
}

/// Accepts an invitation for the signed-in `user` whose email is `user_email`. Only the invited
/// address can accept; anyone else, and unknown, used or expired links, get `NotFound`.
///
/// # Errors
/// `NotFound`.
#[tracing::instrument(skip_all)]
pub async fn accept(
    ctx: &TenancyCtx,
    user: UserId,
    user_email: &str,
    token: &str,
) -> Result<OrganizationId, TenancyError> {
    let user = user.into_uuid();
    let digest = kernel::token::digest(token);
    let now = ctx.clock.now();
    let mut conn = ctx.db.get().await?;
    conn.transaction::<_, TenancyError, _>(async |tx| {
        let invitation =
            invitations::open_by_token_for_update(tx, &digest, now).await?.ok_or(TenancyError::NotFound)?;
        if invitation.email_normalized != user_email.trim().to_lowercase() {
            return Err(TenancyError::NotFound);
        }
        let org = OrganizationId::from(invitation.organization_id);
        // The role may have been removed since (roles named by open invitations cannot be, but
        // the invitation may predate that rule): joining with a role that grants nothing, or that
        // a later role of the same name would silently redefine, is refused.
        if !role_exists(&definitions(&roles::of_org(tx, org).await?), &invitation.role) {
            return Err(TenancyError::NotFound);
        }
        let membership = MembershipRow {
            organization_id: invitation.organization_id,
            user_id: user,
            role: invitation.role.clone(),
            created_at: now,
            updated_at: now,
        };
        if organizations::add_member(tx, &membership).await? {
            let event = MembershipAdded {
                organization_id: org,
                user_id: user,
                role: invitation.role.clone(),
                actor_id: invitation.invited_by,
            };
            runtime::outbox::record(tx, &event, now).await?;
        }
        invitations::mark_accepted(tx, invitation.id, user, now).await?;
        Ok(org)
    })
    .await
}

/// The open invitations of the actor's organization (`members:read`).
///
/// # Errors
/// `Forbidden`.
pub async fn open_invitations(ctx: &TenancyCtx, actor: &Actor) -> Result<Vec<Invitation>, TenancyError> {
    actor.require(&Permission::MEMBERS_READ)?;
    let mut conn = ctx.db.get().await?;
    let rows = invitations::open_for_org(&mut conn, actor.organization_id, ctx.clock.now()).await?;
    Ok(rows.iter().map(InvitationRow::to_invitation).collect())
}

fn looks_like_email(email: &str) -> bool {
    let Some((local, domain)) = email.rsplit_once('@') else { return false };
    !local.is_empty()
        && email.len() <= 254
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !email
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '<' | '>' | '"' | ',' | ';'))
}

/// Subject, text and HTML of the invitation, in the inviter's language.
fn invitation_mail(
    inviter: &Inviter,
    organization: &str,
    role: &str,
    link: &str,
) -> (String, String, String) {
    use notifications::template::{escape_html, layout};
    let (subject, body, action, footer) = match inviter.locale {
        Locale::Es => (
            format!("{} te invitó a {organization} en mibio", inviter.name),
            format!("{} te invitó a unirte a «{organization}» en mibio con el rol {role}.", inviter.name),
            "Aceptar la invitación",
            "La invitación vence en 7 días. Si no esperabas este mensaje, ignóralo.",
        ),
        Locale::En => (
            format!("{} invited you to {organization} on mibio", inviter.name),
            format!("{} invited you to join “{organization}” on mibio as {role}.", inviter.name),
            "Accept the invitation",
            "The invitation expires in 7 days. If you weren't expecting it, ignore this message.",
        ),
    };
    let text = format!("{body}\n\n{action}: {link}\n\n{footer}\n");
    let html = layout(inviter.locale, &[escape_html(&body)], (action, link), footer);
    (subject, text, html)
}
