//! Emails by job: the welcome email from a `user.created` in the outbox, retries against a relay
//! that refuses, the dead end, and the payment and quota events.

use std::sync::Arc;
use std::time::Duration;

use contracts::Locale;
use kernel::UserId;
use notifications::NotificationKind;
use notifications::application::list;
use pretty_assertions::assert_eq;
use runtime::outbox::{DispatcherConfig, DomainEvent, Subscriber, dispatch_batch};
use serde_json::json;

use crate::support::{Directory, Harness, email_jobs};

/// `user.created` as iam records it.
#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct UserCreated {
    user_id: UserId,
    locale: Locale,
}

impl DomainEvent for UserCreated {
    const TYPE: &'static str = "user.created";
    const PRODUCER: &'static str = "iam";
}

#[tokio::test]
async fn a_new_user_gets_the_welcome_email_through_the_outbox_and_the_job() {
    let mut directory = Directory::default();
    let ana = directory.person("Ana <Coach>", Locale::En);
    let h = Harness::new(directory).await;
    {
        let mut conn = h.db.pool().get().await.unwrap();
        let created = UserCreated { user_id: ana.user_id, locale: Locale::En };
        runtime::outbox::record(&mut conn, &created, h.now()).await.unwrap();
    }
    let subscribers: [Arc<dyn Subscriber>; 1] = [Arc::new(h.subscriber())];
    let dispatched =
        dispatch_batch(h.db.pool(), &subscribers, &h.clock, &DispatcherConfig::default()).await.unwrap();
    assert_eq!(dispatched, 1);

    // The job carries who, the language and which email: no rendered text.
    let jobs = email_jobs(&h).await;
    assert_eq!(jobs.len(), 1);
    assert_eq!(
        jobs[0].0,
        json!({"userId": ana.user_id, "to": {"name": "Ana <Coach>", "address": "ana@example.com"},
            "locale": "en", "kind": "welcome"})
    );
    assert!(h.smtp.messages().is_empty(), "nothing is sent before the job runs");

    h.run_jobs(5).await;
    let mail = h.smtp.wait_for(1, Duration::from_secs(10)).await.remove(0);
    assert_eq!(mail.to, ["ana@example.com"]);
    assert_eq!(mail.subject().as_deref(), Some("Welcome to mibio"));
    let html = mail.html_body().unwrap();
    assert!(html.contains("<html lang=\"en\">") && html.contains("Hi Ana &lt;Coach&gt;,"), "{html}");
    assert!(!html.contains("<Coach>"), "the name is escaped: {html}");
    assert!(mail.text_body().unwrap().starts_with("Hi Ana <Coach>,\n\nYour account is ready."));
    assert_eq!(mail.links(), ["https://mibio.test/dashboard/pages"]);
    assert!(!html.contains("unsubscribe"), "the welcome email is essential");
    assert_eq!(h.jobs_in(&["done"]).await, 1);
    h.no_more_mail(1).await;
}

#[tokio::test]
async fn a_refused_email_is_retried_and_sent_exactly_once() {
    let mut directory = Directory::default();
    let ana = directory.person("Ana", Locale::Es);
    let h = Harness::new(directory).await;
    h.smtp.refuse_next(2);
    h.deliver(&h.event("user.created", json!({"userId": ana.user_id, "locale": "es"}))).await;

    h.run_jobs(5).await;
    let mails = h.smtp.wait_for(1, Duration::from_secs(10)).await;
    assert_eq!((mails.len(), h.smtp.refused()), (1, 2));
    assert_eq!(mails[0].subject().as_deref(), Some("Te damos la bienvenida a mibio"));
    assert!(mails[0].html_body().unwrap().contains("<html lang=\"es\">"));
    let attempts = h
        .count("SELECT attempts::bigint AS n FROM kernel.jobs WHERE name = 'emails.send' AND state = 'done'")
        .await;
    assert_eq!(attempts, 3, "two refusals, then accepted");
    h.no_more_mail(1).await;
}

#[tokio::test]
async fn an_email_that_keeps_failing_ends_dead() {
    let mut directory = Directory::default();
    let ana = directory.person("Ana", Locale::En);
    let h = Harness::new(directory).await;
    h.smtp.refuse_next(100);
    h.deliver(&h.event("user.created", json!({"userId": ana.user_id, "locale": "en"}))).await;

    h.run_jobs(3).await;
    let dead = {
        let mut conn = h.db.pool().get().await.unwrap();
        runtime::jobs::dead_jobs(&mut conn, 10).await.unwrap()
    };
    assert_eq!(dead.len(), 1);
    assert_eq!((dead[0].name.as_str(), dead[0].attempts), ("emails.send", 3));
    let error = dead[0].last_error.as_deref().unwrap();
    assert!(error.starts_with("send the welcome email: mail transport failed"), "{error}");
    assert!(error.contains("451"), "{error}");
    assert_eq!((h.smtp.refused(), h.smtp.messages().len()), (3, 0));
}

#[tokio::test]
async fn a_user_the_directory_does_not_know_gets_nothing() {
    let h = Harness::new(Directory::default()).await;
    h.deliver(&h.event("user.created", json!({"userId": UserId::new(), "locale": "es"}))).await;
    assert_eq!(h.jobs_in(&["queued"]).await, 0);
}

#[tokio::test]
async fn a_failed_payment_tells_who_manages_billing_in_app_and_by_email() {
    let mut directory = Directory::default();
    let org = directory.organization("Ana & Co");
    let owner = directory.member(org, "Ana", Locale::Es, &["*"]);
    let editor = directory.member(org, "Eva", Locale::En, &["links:read", "links:write", "links:leads:read"]);
    let h = Harness::new(directory).await;
    let event = h.event(
        "payment.failed",
        json!({"organizationId": org, "provider": "stripe", "providerSubscriptionId": "sub_1",
            "providerEventId": "evt_1"}),
    );
    h.deliver(&event).await;
    h.run_jobs(5).await;

    let mail = h.smtp.wait_for(1, Duration::from_secs(10)).await.remove(0);
    assert_eq!(mail.to, ["ana@example.com"]);
    assert_eq!(mail.subject().as_deref(), Some("No pudimos cobrar la suscripción de Ana & Co"));
    assert!(mail.html_body().unwrap().contains("«Ana &amp; Co»"));
    assert_eq!(mail.links(), ["https://mibio.test/dashboard/billing"]);

    let page = kernel::PageRequest::parse(None, None).unwrap();
    let theirs = list(&h.ctx, owner.user_id, Locale::Es, false, &page).await.unwrap().items;
    assert_eq!(theirs.len(), 1);
    assert_eq!(
        (theirs[0].kind, theirs[0].title.as_str()),
        (NotificationKind::PaymentFailed, "No pudimos cobrar tu suscripción")
    );
    assert_eq!(theirs[0].link.as_deref(), Some("/dashboard/billing"));
    assert_eq!(theirs[0].organization_id, Some(org.to_string()));
    assert!(list(&h.ctx, editor.user_id, Locale::En, false, &page).await.unwrap().items.is_empty());
    h.no_more_mail(1).await;
}

#[tokio::test]
async fn a_reached_quota_is_told_in_app_only() {
    let mut directory = Directory::default();
    let org = directory.organization("Ana Coaching");
    let owner = directory.member(org, "Ana", Locale::En, &["*"]);
    let h = Harness::new(directory).await;
    let event = h.event(
        "usage.quota_exceeded",
        json!({"organizationId": org, "meter": "leads_captured", "limit": 100,
            "periodStart": "2026-12-01T00:00:00Z", "periodEnd": "2027-01-01T00:00:00Z"}),
    );
    h.deliver(&event).await;

    assert_eq!(h.jobs_in(&["queued"]).await, 0, "no email");
    let page = kernel::PageRequest::parse(None, None).unwrap();
    let theirs = list(&h.ctx, owner.user_id, Locale::En, false, &page).await.unwrap().items;
    assert_eq!(theirs.len(), 1);
    assert_eq!(theirs[0].title, "You reached your plan's lead limit");
    assert_eq!(
        theirs[0].body,
        "Your plan includes 100 leads a month, and this month you reached it. Upgrade for a higher limit."
    );
}
