//! Passwords: resetting through a mailed link, and changing one's own.

use chrono::TimeDelta;
use iam::application::admin::deactivate;
use iam::application::change_password::change_password;
use iam::application::request_password_reset::request_password_reset;
use iam::application::reset_password::reset_password;
use iam::application::sign_in::sign_in;
use iam::{IamError, UserId};
use pretty_assertions::assert_eq;

use crate::{
    NEW_PASSWORD, PASSWORD, World, assert_invalid_credentials, assert_invalid_token, invalid_fields, names,
};

const RESET: &str = "/reset-password";

/// Asks for a reset link for `email` and answers its token.
async fn reset_link(w: &World, email: &str) -> String {
    let sent = w.mail.messages().len();
    request_password_reset(&w.ctx, email).await.unwrap();
    w.mail_count_reaches(sent + 1).await;
    w.token_sent_to(email, RESET)
}

async fn reset_tokens(w: &World) -> i64 {
    w.count("SELECT count(*) AS n FROM iam.tokens WHERE purpose = 'reset_password'").await
}

#[tokio::test]
async fn a_reset_link_sets_the_password_proves_the_address_and_signs_out_everywhere() {
    let w = World::new().await;
    let ana = w.sign_up("ana@example.com").await.user;
    let sessions = [w.session_of(ana.id).await, w.session_of(ana.id).await];
    // Asked for as typed; mailed to the account's address.
    request_password_reset(&w.ctx, " ANA@example.com ").await.unwrap();
    w.mail_count_reaches(2).await;
    let token = w.token_sent_to("ana@example.com", RESET);

    // A rejected password leaves the link usable.
    assert_eq!(invalid_fields(reset_password(&w.ctx, &token, "short").await), names(&["newPassword"]));
    assert_eq!(sign_in(&w.ctx, "ana@example.com", PASSWORD).await.unwrap().id, ana.id);

    w.clock.advance(TimeDelta::minutes(3));
    assert_eq!(reset_password(&w.ctx, &token, NEW_PASSWORD).await.unwrap(), ana.id);
    assert_eq!(sign_in(&w.ctx, "ana@example.com", NEW_PASSWORD).await.unwrap().id, ana.id);
    assert_invalid_credentials(sign_in(&w.ctx, "ana@example.com", PASSWORD).await);
    assert_eq!(w.user(ana.id).await.email_verified_at, Some(crate::t0() + TimeDelta::minutes(3)));
    for session in sessions {
        assert!(!w.session_exists(session).await, "every session ended");
    }
    assert_invalid_token(reset_password(&w.ctx, &token, "yet another passphrase").await);
    // A verification link is no reset link.
    let verify = w.token_sent_to("ana@example.com", "/verify-email");
    assert_invalid_token(reset_password(&w.ctx, &verify, "yet another passphrase").await);
}

#[tokio::test]
async fn a_reset_link_works_for_an_hour_and_a_reset_spends_the_others() {
    let w = World::new().await;
    w.sign_up("ana@example.com").await;
    let first = reset_link(&w, "ana@example.com").await;
    let second = reset_link(&w, "ana@example.com").await;
    assert_ne!(first, second);
    w.clock.advance(TimeDelta::minutes(59));
    reset_password(&w.ctx, &second, NEW_PASSWORD).await.unwrap();
    assert_invalid_token(reset_password(&w.ctx, &first, "yet another passphrase").await);

    let late = reset_link(&w, "ana@example.com").await;
    w.clock.advance(TimeDelta::hours(1));
    assert_invalid_token(reset_password(&w.ctx, &late, "yet another passphrase").await);
    assert_eq!(
        sign_in(&w.ctx, "ana@example.com", NEW_PASSWORD).await.unwrap().user().email,
        "ana@example.com"
    );
}

#[tokio::test]
async fn no_reset_link_exists_for_an_unknown_or_deactivated_address() {
    let w = World::new().await;
    let admin = w.sign_up("admin@example.com").await.user;
    let bea = w.sign_up("bea@example.com").await.user;
    deactivate(&w.ctx, bea.id, admin.id).await.unwrap();

    // Both answer like a success; no link is made (the mail would be sent from its token).
    request_password_reset(&w.ctx, "nobody@example.com").await.unwrap();
    request_password_reset(&w.ctx, "bea@example.com").await.unwrap();
    assert_eq!(reset_tokens(&w).await, 0);
    reset_link(&w, "admin@example.com").await;
    assert_eq!(reset_tokens(&w).await, 1);
}

#[tokio::test]
async fn changing_the_password_needs_the_current_one_and_keeps_only_the_callers_session() {
    let w = World::new().await;
    let ana = w.sign_up("ana@example.com").await.user;
    let (mine, other) = (w.session_of(ana.id).await, w.session_of(ana.id).await);
    let pending_reset = reset_link(&w, "ana@example.com").await;
    let keep = mine.to_string();

    let change =
        async |current: &str, new: &str| change_password(&w.ctx, ana.id, current, new, Some(&keep)).await;
    assert_eq!(invalid_fields(change("not my password", NEW_PASSWORD).await), names(&["currentPassword"]));
    assert_eq!(invalid_fields(change(PASSWORD, "12345678").await), names(&["newPassword"]));
    assert!(w.session_exists(other).await, "a refused change ends nothing");
    assert_eq!(sign_in(&w.ctx, "ana@example.com", PASSWORD).await.unwrap().id, ana.id);

    let hash = change(PASSWORD, NEW_PASSWORD).await.unwrap();
    assert!(hash.starts_with("$argon2id$"), "the new hash, for the caller's session to re-bind to");
    assert!(w.session_exists(mine).await, "the caller stays signed in");
    assert!(!w.session_exists(other).await, "every other session ends");
    assert_eq!(sign_in(&w.ctx, "ana@example.com", NEW_PASSWORD).await.unwrap().id, ana.id);
    assert_invalid_credentials(sign_in(&w.ctx, "ana@example.com", PASSWORD).await);
    assert_invalid_token(reset_password(&w.ctx, &pending_reset, "yet another passphrase").await);

    let nobody = change_password(&w.ctx, UserId::new(), PASSWORD, NEW_PASSWORD, None).await;
    assert!(matches!(nobody, Err(IamError::NotFound)), "{nobody:?}");
}
