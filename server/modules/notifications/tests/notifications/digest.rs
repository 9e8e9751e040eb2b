//! Lead notifications: one in-app notification per lead for each member who may see leads, one
//! digest email per page and minute, preferences respected, and redeliveries that change nothing.

use std::time::Duration;

use contracts::Locale;
use notifications::application::{handle_event, list, set_preference, unread_count};
use notifications::{LEAD_DIGEST_WINDOW, NotificationKind};
use pretty_assertions::assert_eq;
use serde_json::json;

use crate::support::{Directory, Harness, email_jobs};

#[tokio::test]
async fn leads_within_a_minute_make_one_digest_email() {
    let mut directory = Directory::default();
    let org = directory.organization("Ana Coaching");
    let owner = directory.member(org, "Ana", Locale::En, &["*"]);
    let viewer = directory.member(org, "Vera", Locale::En, &["links:read"]);
    let page = directory.page(org, "ana", "Coaching <1:1>");
    let h = Harness::new(directory).await;
    for _ in 0..3 {
        h.lead(&page).await;
    }

    // One email job, due a minute after the first lead; its count is read when it runs.
    let jobs = email_jobs(&h).await;
    assert_eq!(jobs.len(), 1);
    assert_eq!(jobs[0].0["kind"], "lead_digest");
    assert_eq!(jobs[0].1, h.now() + LEAD_DIGEST_WINDOW);
    h.run_jobs(5).await;

    let mail = h.smtp.wait_for(1, Duration::from_secs(10)).await.remove(0);
    assert_eq!(mail.to, ["ana@example.com"]);
    assert_eq!(mail.subject().as_deref(), Some("3 new leads on “Coaching <1:1>”"));
    let text = mail.text_body().unwrap();
    assert!(
        text.contains("3 people left their email on your page “Coaching <1:1>” (https://mibio.test/ana)."),
        "{text}"
    );
    let html = mail.html_body().unwrap();
    assert!(html.contains("“Coaching &lt;1:1&gt;”") && !html.contains("<1:1>"), "{html}");
    let links = mail.links();
    assert!(links.contains(&format!("https://mibio.test/dashboard/pages/{}/leads", page.id)), "{links:?}");
    assert!(
        links.iter().any(|l| l.starts_with("https://mibio.test/notifications/unsubscribe?token=")),
        "{links:?}"
    );
    h.no_more_mail(1).await;

    // In-app: one notification per lead, for those who may see leads.
    let first = kernel::PageRequest::parse(None, None).unwrap();
    let theirs = list(&h.ctx, owner.user_id, Locale::En, false, &first).await.unwrap().items;
    assert_eq!(theirs.len(), 3);
    assert!(
        theirs
            .iter()
            .all(|n| n.kind == NotificationKind::LeadCaptured && n.title == "New lead on “Coaching <1:1>”")
    );
    assert_eq!(unread_count(&h.ctx, viewer.user_id).await.unwrap(), 0);

    // A lead after the email went out opens the next digest.
    h.lead(&page).await;
    h.run_jobs(5).await;
    let mails = h.smtp.wait_for(2, Duration::from_secs(10)).await;
    assert_eq!(mails[1].subject().as_deref(), Some("New lead on “Coaching <1:1>”"));
    assert_eq!(h.count("SELECT count(*) AS n FROM notifications.lead_digests").await, 2);
}

#[tokio::test]
async fn each_member_gets_their_own_digest_in_their_language() {
    let mut directory = Directory::default();
    let org = directory.organization("Ana Coaching");
    directory.member(org, "Ana", Locale::Es, &["*"]);
    directory.member(org, "Eva", Locale::En, &["links:read", "links:leads:read"]);
    let page = directory.page(org, "ana", "Coaching");
    let h = Harness::new(directory).await;
    h.lead(&page).await;
    h.lead(&page).await;
    h.run_jobs(5).await;

    let mut mails = h.smtp.wait_for(2, Duration::from_secs(10)).await;
    mails.sort_by(|a, b| a.to.cmp(&b.to));
    assert_eq!(mails[0].to, ["ana@example.com"]);
    assert_eq!(mails[0].subject().as_deref(), Some("2 contactos nuevos en «Coaching»"));
    assert_eq!(mails[1].to, ["eva@example.com"]);
    assert_eq!(mails[1].subject().as_deref(), Some("2 new leads on “Coaching”"));
    h.no_more_mail(2).await;
}

#[tokio::test]
async fn a_member_who_opted_out_gets_the_notification_but_no_email() {
    let mut directory = Directory::default();
    let org = directory.organization("Ana Coaching");
    let ana = directory.member(org, "Ana", Locale::En, &["*"]);
    let eva = directory.member(org, "Eva", Locale::En, &["links:leads:read"]);
    let page = directory.page(org, "ana", "Coaching");
    let h = Harness::new(directory).await;
    set_preference(&h.ctx, eva.user_id, NotificationKind::LeadCaptured, false).await.unwrap();
    h.lead(&page).await;
    h.run_jobs(5).await;

    let mails = h.smtp.wait_for(1, Duration::from_secs(10)).await;
    assert_eq!(mails[0].to, ["ana@example.com"]);
    h.no_more_mail(1).await;
    assert_eq!(unread_count(&h.ctx, eva.user_id).await.unwrap(), 1, "the bell still tells her");
    assert_eq!(unread_count(&h.ctx, ana.user_id).await.unwrap(), 1);
}

#[tokio::test]
async fn opting_out_while_a_digest_waits_stops_its_email() {
    let mut directory = Directory::default();
    let org = directory.organization("Ana Coaching");
    let ana = directory.member(org, "Ana", Locale::En, &["*"]);
    let page = directory.page(org, "ana", "Coaching");
    let h = Harness::new(directory).await;
    h.lead(&page).await;
    set_preference(&h.ctx, ana.user_id, NotificationKind::LeadCaptured, false).await.unwrap();
    h.run_jobs(5).await;

    assert_eq!(h.jobs_in(&["done"]).await, 1, "the job ends without sending");
    h.no_more_mail(0).await;
}

#[tokio::test]
async fn a_redelivered_event_changes_nothing() {
    let mut directory = Directory::default();
    let org = directory.organization("Ana Coaching");
    let ana = directory.member(org, "Ana", Locale::En, &["*"]);
    let page = directory.page(org, "ana", "Coaching");
    let h = Harness::new(directory).await;
    let events = [
        h.event(
            "lead.captured",
            json!({"leadId": uuid::Uuid::now_v7(), "pageId": page.id, "blockId": uuid::Uuid::now_v7(),
                "organizationId": org, "overQuota": true}),
        ),
        h.event("user.created", json!({"userId": ana.user_id, "locale": "en"})),
        h.event(
            "payment.failed",
            json!({"organizationId": org, "provider": "polar", "providerEventId": "e"}),
        ),
    ];
    for event in &events {
        assert!(handle_event(&h.ctx, event).await.unwrap(), "{}", event.event_type);
    }
    for event in &events {
        assert!(!handle_event(&h.ctx, event).await.unwrap(), "{} again", event.event_type);
        h.deliver(event).await;
    }

    assert_eq!(h.count("SELECT count(*) AS n FROM notifications.notifications").await, 2);
    assert_eq!(h.jobs_in(&["queued"]).await, 3, "digest, welcome, payment: once each");
    assert_eq!(h.count("SELECT sum(lead_count)::bigint AS n FROM notifications.lead_digests").await, 1);
    h.run_jobs(5).await;
    let mails = h.smtp.wait_for(3, Duration::from_secs(10)).await;
    let digest = mails.iter().find(|m| m.subject().is_some_and(|s| s.contains("lead"))).unwrap();
    assert!(digest.text_body().unwrap().contains("It came in over your plan's monthly lead limit."));
    h.no_more_mail(3).await;
}

#[tokio::test]
async fn a_lead_of_a_deleted_page_tells_nobody() {
    let mut directory = Directory::default();
    let org = directory.organization("Ana Coaching");
    directory.member(org, "Ana", Locale::En, &["*"]);
    let h = Harness::new(directory).await;
    let event = h.event(
        "lead.captured",
        json!({"leadId": uuid::Uuid::now_v7(), "pageId": uuid::Uuid::now_v7(), "blockId": uuid::Uuid::now_v7(),
            "organizationId": org, "overQuota": false}),
    );
    h.deliver(&event).await;
    assert_eq!(h.count("SELECT count(*) AS n FROM notifications.notifications").await, 0);
    assert_eq!(h.jobs_in(&["queued"]).await, 0);
}
