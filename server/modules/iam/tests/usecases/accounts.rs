//! Accounts: signing up, signing in, and deactivation by a platform admin.

use chrono::TimeDelta;
use contracts::Locale;
use iam::IamError;
use iam::UserId;
use iam::application::admin::{deactivate, reactivate, session_user};
use iam::application::sign_in::sign_in;
use iam::application::sign_up::{browser_proof, sign_up};
use iam::application::users::{find_by_email, get_active};
use pretty_assertions::assert_eq;

use crate::{NEW_PASSWORD, PASSWORD, World, assert_invalid_credentials, invalid_fields, names, signing_up};

#[tokio::test]
async fn sign_up_names_every_bad_field_and_creates_nothing() {
    let w = World::new().await;
    let all_bad = sign_up(&w.ctx, signing_up("ana at example.com", "short", "  ")).await;
    assert_eq!(invalid_fields(all_bad), names(&["email", "name", "password"]));
    for (email, password, name, field) in [
        ("", PASSWORD, "Ana", "email"),
        ("ana@example.com", "password123", "Ana", "password"),
        ("ana@example.com", &"p".repeat(257), "Ana", "password"),
        ("ana@example.com", PASSWORD, &"a".repeat(101), "name"),
        ("ana@example.com", PASSWORD, "Ana\u{0}", "name"),
    ] {
        assert_eq!(invalid_fields(sign_up(&w.ctx, signing_up(email, password, name)).await), names(&[field]));
    }
    assert_eq!(w.count("SELECT count(*) AS n FROM iam.users").await, 0);
    assert_eq!(w.count("SELECT count(*) AS n FROM kernel.outbox").await, 0);
    assert!(w.mail.messages().is_empty());
}

#[tokio::test]
async fn sign_up_creates_an_unverified_account_and_mails_the_link_its_browser_proof_matches() {
    let w = World::new().await;
    let signed = sign_up(&w.ctx, signing_up(" Ana@Example.com ", PASSWORD, "  Ana Pérez ")).await.unwrap();
    let user = &signed.user;
    assert_eq!(
        (user.email.as_str(), user.name.as_str(), user.locale, user.active, user.email_verified_at),
        ("Ana@Example.com", "Ana Pérez", Locale::En, true, None)
    );
    assert_eq!(&w.user(user.id).await, user);
    let created = w.events("user.created").await;
    assert_eq!(created.len(), 1);
    assert_eq!(created[0]["userId"], user.id.to_string());

    let mails = w.mails_to("Ana@Example.com");
    assert_eq!(mails.len(), 1);
    assert!(mails[0].1.contains("https://mibio.test/verify-email?token="), "{}", mails[0].1);
    let token = w.token_sent_to("Ana@Example.com", "/verify-email");
    assert_eq!(signed.browser_proof, browser_proof(&token), "the proof is bound to the mailed link");
    assert_ne!(signed.browser_proof, token, "the proof alone is not the link");
}

#[tokio::test]
async fn signing_up_with_a_taken_email_changes_nothing_and_tells_the_owner() {
    let w = World::new().await;
    let ana = w.sign_up("ana@example.com").await;
    let again = sign_up(&w.ctx, signing_up("ANA@example.com", NEW_PASSWORD, "Impostor")).await.unwrap();
    // The answer has the same shape: the submitted identity, unverified.
    assert_eq!((again.user.email.as_str(), again.user.email_verified_at), ("ANA@example.com", None));
    assert_ne!(again.user.id, ana.user.id);

    assert_eq!(w.count("SELECT count(*) AS n FROM iam.users").await, 1);
    assert_eq!(w.events("user.created").await.len(), 1);
    assert_eq!(w.user(ana.user.id).await.name, "ana");
    let mails = w.mails_to("ana@example.com");
    assert_eq!(mails.len(), 2);
    assert!(
        mails[1].1.contains("https://mibio.test/signin") && !mails[1].1.contains("token="),
        "{}",
        mails[1].1
    );
    assert_eq!(sign_in(&w.ctx, "ana@example.com", PASSWORD).await.unwrap().id, ana.user.id);
    assert_invalid_credentials(sign_in(&w.ctx, "ana@example.com", NEW_PASSWORD).await);
}

#[tokio::test]
async fn sign_in_answers_the_same_for_an_unknown_email_a_wrong_password_and_a_deactivated_account() {
    let w = World::new().await;
    let ana = w.sign_up("ana@example.com").await.user;
    let bea = w.sign_up("bea@example.com").await.user;
    deactivate(&w.ctx, bea.id, ana.id).await.unwrap();

    assert_invalid_credentials(sign_in(&w.ctx, "nobody@example.com", PASSWORD).await);
    assert_invalid_credentials(sign_in(&w.ctx, "ana@example.com", NEW_PASSWORD).await);
    assert_invalid_credentials(sign_in(&w.ctx, "ana@example.com", "").await);
    assert_invalid_credentials(sign_in(&w.ctx, "ana@example.com", &"p".repeat(10_000)).await);
    assert_invalid_credentials(sign_in(&w.ctx, "bea@example.com", PASSWORD).await);
    assert_eq!(w.user(ana.id).await.last_login_at, None, "failed attempts are no sign-in");

    // Email in any case and with spaces; an unverified account may sign in (and build in private).
    w.clock.advance(TimeDelta::minutes(5));
    let signed_in = sign_in(&w.ctx, "  ANA@example.com ", PASSWORD).await.unwrap();
    assert_eq!((signed_in.id, signed_in.user().email_verified_at), (ana.id, None));
    assert_eq!(w.user(ana.id).await.last_login_at, Some(crate::t0() + TimeDelta::minutes(5)));
}

#[tokio::test]
async fn an_admin_deactivates_others_not_themselves_which_ends_their_sessions_until_reactivated() {
    let w = World::new().await;
    let admin = w.sign_up("admin@example.com").await.user;
    let bea = w.sign_up("bea@example.com").await.user;
    let (beas_phone, beas_laptop) = (w.session_of(bea.id).await, w.session_of(bea.id).await);
    let admins = w.session_of(admin.id).await;

    assert_eq!(invalid_fields(deactivate(&w.ctx, admin.id, admin.id).await), names(&["userId"]));
    assert!(w.user(admin.id).await.active);
    assert!(matches!(deactivate(&w.ctx, UserId::new(), admin.id).await, Err(IamError::NotFound)));

    let deactivated = deactivate(&w.ctx, bea.id, admin.id).await.unwrap();
    assert!(!deactivated.active);
    assert!(!w.session_exists(beas_phone).await && !w.session_exists(beas_laptop).await);
    assert!(w.session_exists(admins).await, "only the deactivated user's sessions end");
    assert_invalid_credentials(sign_in(&w.ctx, "bea@example.com", PASSWORD).await);
    assert_eq!(get_active(&w.ctx, bea.id).await.unwrap(), None);
    assert_eq!(find_by_email(&w.ctx, "bea@example.com").await.unwrap(), None);
    assert!(
        matches!(session_user(&w.ctx, bea.id).await, Err(IamError::NotFound)),
        "nobody can impersonate them"
    );
    deactivate(&w.ctx, bea.id, admin.id).await.unwrap();
    let events = w.events("user.deactivated").await;
    assert_eq!(events.len(), 1, "deactivating twice changes nothing the second time");
    assert_eq!(
        (events[0]["userId"].clone(), events[0]["actorId"].clone()),
        (bea.id.to_string().into(), admin.id.to_string().into())
    );

    let back = reactivate(&w.ctx, bea.id, admin.id).await.unwrap();
    assert!(back.active);
    assert_eq!(sign_in(&w.ctx, "bea@example.com", PASSWORD).await.unwrap().id, bea.id);
    assert_eq!(w.events("user.reactivated").await.len(), 1);
    assert!(matches!(reactivate(&w.ctx, UserId::new(), admin.id).await, Err(IamError::NotFound)));
}
