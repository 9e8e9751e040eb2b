//! Email verification: the link works once and for a day, signs in only the browser that signed
//! up, and can be sent again until the address is verified.

use chrono::TimeDelta;
use iam::IamError;
use iam::application::admin::deactivate;
use iam::application::resend_verification::resend_verification;
use iam::application::verify_email::verify_email;
use pretty_assertions::assert_eq;

use crate::{World, assert_invalid_token};

const VERIFY: &str = "/verify-email";

#[tokio::test]
async fn a_verification_link_verifies_once_and_signs_in_only_the_browser_that_signed_up() {
    let w = World::new().await;
    let ana = w.sign_up("ana@example.com").await;
    let token = w.token_sent_to("ana@example.com", VERIFY);

    // Opened elsewhere (a mail scanner, another device): verified, nobody signed in.
    w.clock.advance(TimeDelta::minutes(10));
    let verified = verify_email(&w.ctx, &token, None).await.unwrap();
    assert_eq!((verified.user, verified.sign_in.is_none()), (ana.user.id, true));
    let stored = w.user(ana.user.id).await;
    assert_eq!(
        (stored.email_verified_at, stored.last_login_at),
        (Some(crate::t0() + TimeDelta::minutes(10)), None)
    );
    assert_eq!(w.events("user.email_verified").await.len(), 1);
    // Once used, the link is spent — with the proof too.
    assert_invalid_token(verify_email(&w.ctx, &token, Some(&ana.browser_proof)).await);
    assert_invalid_token(verify_email(&w.ctx, "made-up-token", None).await);

    // Another browser's proof does not sign in.
    w.sign_up("bea@example.com").await;
    let beas = w.token_sent_to("bea@example.com", VERIFY);
    assert!(verify_email(&w.ctx, &beas, Some(&ana.browser_proof)).await.unwrap().sign_in.is_none());

    // The browser that signed up, showing its proof, is signed in.
    let carl = w.sign_up("carl@example.com").await;
    let carls = w.token_sent_to("carl@example.com", VERIFY);
    let verified = verify_email(&w.ctx, &carls, Some(&carl.browser_proof)).await.unwrap();
    let session = verified.sign_in.expect("signed in");
    assert_eq!(session.id, carl.user.id);
    assert!(session.user().email_verified_at.is_some());
    assert_eq!(w.user(carl.user.id).await.last_login_at, Some(crate::t0() + TimeDelta::minutes(10)));

    // …unless the account was deactivated meanwhile: then it is only verified.
    let dora = w.sign_up("dora@example.com").await;
    deactivate(&w.ctx, dora.user.id, carl.user.id).await.unwrap();
    let doras = w.token_sent_to("dora@example.com", VERIFY);
    let verified = verify_email(&w.ctx, &doras, Some(&dora.browser_proof)).await.unwrap();
    assert!(verified.sign_in.is_none());
    assert!(w.user(dora.user.id).await.email_verified_at.is_some());
}

#[tokio::test]
async fn a_verification_link_works_for_24_hours() {
    let w = World::new().await;
    let ana = w.sign_up("ana@example.com").await.user;
    let bea = w.sign_up("bea@example.com").await.user;

    w.clock.advance(TimeDelta::hours(24) - TimeDelta::seconds(1));
    verify_email(&w.ctx, &w.token_sent_to("ana@example.com", VERIFY), None).await.unwrap();
    w.clock.advance(TimeDelta::seconds(1));
    assert_invalid_token(verify_email(&w.ctx, &w.token_sent_to("bea@example.com", VERIFY), None).await);
    assert!(w.user(ana.id).await.email_verified_at.is_some());
    assert_eq!(w.user(bea.id).await.email_verified_at, None);
}

#[tokio::test]
async fn a_new_link_can_be_sent_until_the_address_is_verified_and_earlier_links_keep_working() {
    let w = World::new().await;
    let ana = w.sign_up("ana@example.com").await.user;
    let first = w.token_sent_to("ana@example.com", VERIFY);
    w.clock.advance(TimeDelta::hours(1));

    resend_verification(&w.ctx, &ana).await.unwrap();
    let second = w.token_sent_to("ana@example.com", VERIFY);
    assert_eq!(w.mails_to("ana@example.com").len(), 2);
    assert_ne!(first, second);

    // A late first mail is not wasted; the second link then verifies nothing new.
    verify_email(&w.ctx, &first, None).await.unwrap();
    verify_email(&w.ctx, &second, None).await.unwrap();
    assert_eq!(w.events("user.email_verified").await.len(), 1);
    let verified = w.user(ana.id).await;
    assert_eq!(verified.email_verified_at, Some(crate::t0() + TimeDelta::hours(1)));

    let again = resend_verification(&w.ctx, &verified).await;
    assert!(matches!(again, Err(IamError::AlreadyVerified)), "{again:?}");
    assert_eq!(w.mails_to("ana@example.com").len(), 2);

    // The resent link has its own 24 hours.
    let bea = w.sign_up("bea@example.com").await.user;
    w.clock.advance(TimeDelta::hours(20));
    resend_verification(&w.ctx, &bea).await.unwrap();
    let resent = w.token_sent_to("bea@example.com", VERIFY);
    w.clock.advance(TimeDelta::hours(20));
    verify_email(&w.ctx, &resent, None).await.unwrap();
}
