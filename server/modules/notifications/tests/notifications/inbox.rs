//! A user's notifications and preferences: list, count, mark read (only their own), email
//! preferences, unsubscribe links, and leaving an organization.

use std::time::Duration;

use chrono::TimeDelta;
use contracts::Locale;
use kernel::{DomainError, PageRequest};
use notifications::application::{
    list, mark_all_read, mark_read, preferences, set_preference, unread_count, unsubscribe,
    unsubscribe_preview,
};
use notifications::views::{PreferenceView, UnsubscribedView};
use notifications::{NotificationId, NotificationKind, NotificationsError};
use pretty_assertions::assert_eq;
use serde_json::json;

use crate::support::{Directory, Harness};

fn page(cursor: Option<&str>, limit: &str) -> PageRequest {
    PageRequest::parse(cursor, Some(limit)).unwrap()
}

#[tokio::test]
async fn a_user_lists_counts_and_reads_their_notifications() {
    let mut directory = Directory::default();
    let org = directory.organization("Ana Coaching");
    let ana = directory.member(org, "Ana", Locale::Es, &["*"]);
    let pages = [
        directory.page(org, "uno", "Uno"),
        directory.page(org, "dos", "Dos"),
        directory.page(org, "tres", "Tres"),
    ];
    let h = Harness::new(directory).await;
    for p in &pages {
        h.lead(p).await;
        h.clock.advance(TimeDelta::seconds(1));
    }

    let first = list(&h.ctx, ana.user_id, Locale::Es, false, &page(None, "2")).await.unwrap();
    let titles: Vec<_> = first.items.iter().map(|n| n.title.as_str()).collect();
    assert_eq!(titles, ["Nuevo contacto en «Tres»", "Nuevo contacto en «Dos»"], "newest first");
    assert_eq!(first.items[0].body, "Alguien dejó su correo en tu página /tres.");
    assert!(first.items.iter().all(|n| !n.read));
    let rest =
        list(&h.ctx, ana.user_id, Locale::En, false, &page(first.next_cursor.as_deref(), "2")).await.unwrap();
    assert_eq!(rest.items.len(), 1);
    assert_eq!((rest.items[0].title.as_str(), rest.next_cursor), ("New lead on “Uno”", None));
    assert_eq!(unread_count(&h.ctx, ana.user_id).await.unwrap(), 3);

    let newest: NotificationId = first.items[0].id.parse().unwrap();
    mark_read(&h.ctx, ana.user_id, newest).await.unwrap();
    mark_read(&h.ctx, ana.user_id, newest).await.unwrap();
    assert_eq!(unread_count(&h.ctx, ana.user_id).await.unwrap(), 2);
    let unread = list(&h.ctx, ana.user_id, Locale::Es, true, &page(None, "10")).await.unwrap().items;
    assert_eq!(
        unread.iter().map(|n| n.title.as_str()).collect::<Vec<_>>(),
        ["Nuevo contacto en «Dos»", "Nuevo contacto en «Uno»"]
    );
    let all = list(&h.ctx, ana.user_id, Locale::Es, false, &page(None, "10")).await.unwrap().items;
    assert!(all[0].read && !all[1].read);

    assert_eq!(mark_all_read(&h.ctx, ana.user_id).await.unwrap(), 2);
    assert_eq!(unread_count(&h.ctx, ana.user_id).await.unwrap(), 0);
    assert_eq!(mark_all_read(&h.ctx, ana.user_id).await.unwrap(), 0);
}

#[tokio::test]
async fn marking_another_users_notification_read_is_not_found() {
    let mut directory = Directory::default();
    let org = directory.organization("Ana Coaching");
    let ana = directory.member(org, "Ana", Locale::En, &["*"]);
    let eva = directory.member(org, "Eva", Locale::En, &["links:leads:read"]);
    let p = directory.page(org, "ana", "Coaching");
    let h = Harness::new(directory).await;
    h.lead(&p).await;

    let anas = list(&h.ctx, ana.user_id, Locale::En, false, &page(None, "10")).await.unwrap().items;
    let id: NotificationId = anas[0].id.parse().unwrap();
    let error = mark_read(&h.ctx, eva.user_id, id).await.unwrap_err();
    assert!(matches!(error, NotificationsError::NotFound), "{error}");
    assert!(matches!(DomainError::from(error), DomainError::NotFound));
    assert!(matches!(
        mark_read(&h.ctx, ana.user_id, NotificationId::new()).await,
        Err(NotificationsError::NotFound)
    ));
    assert_eq!(unread_count(&h.ctx, ana.user_id).await.unwrap(), 1, "still unread");
    assert_eq!(mark_all_read(&h.ctx, eva.user_id).await.unwrap(), 1, "only her own");
    assert_eq!(unread_count(&h.ctx, ana.user_id).await.unwrap(), 1);
}

#[tokio::test]
async fn preferences_default_to_on_and_only_optional_kinds_change() {
    let mut directory = Directory::default();
    let ana = directory.person("Ana", Locale::En);
    let h = Harness::new(directory).await;
    let on = PreferenceView { kind: NotificationKind::LeadCaptured, email: true };
    assert_eq!(preferences(&h.ctx, ana.user_id).await.unwrap(), [on]);

    let off = set_preference(&h.ctx, ana.user_id, NotificationKind::LeadCaptured, false).await.unwrap();
    assert_eq!(preferences(&h.ctx, ana.user_id).await.unwrap(), [off]);
    set_preference(&h.ctx, ana.user_id, NotificationKind::LeadCaptured, true).await.unwrap();
    assert_eq!(preferences(&h.ctx, ana.user_id).await.unwrap(), [on]);

    let error =
        set_preference(&h.ctx, ana.user_id, NotificationKind::PaymentFailed, false).await.unwrap_err();
    assert!(matches!(error, NotificationsError::NotOptional(NotificationKind::PaymentFailed)), "{error}");
    let DomainError::Validation(problems) = DomainError::from(error) else { panic!("a validation error") };
    assert!(problems.contains_key("kind"), "{problems:?}");
}

#[tokio::test]
async fn an_unsubscribe_link_works_once_and_a_forged_one_is_refused() {
    let mut directory = Directory::default();
    let org = directory.organization("Ana Coaching");
    let ana = directory.member(org, "Ana", Locale::En, &["*"]);
    let p = directory.page(org, "ana", "Coaching");
    let h = Harness::new(directory).await;
    h.lead(&p).await;
    h.run_jobs(5).await;
    let mail = h.smtp.wait_for(1, Duration::from_secs(10)).await.remove(0);
    let link = mail.links().into_iter().find(|l| l.contains("/notifications/unsubscribe?token=")).unwrap();
    let token = link.split_once("?token=").unwrap().1.to_owned();
    assert_eq!(token.len(), 43, "32 random bytes");

    let stops = UnsubscribedView { kind: NotificationKind::LeadCaptured };
    assert_eq!(unsubscribe_preview(&h.ctx, &token).await.unwrap(), stops, "looking does not use it");
    assert_eq!(unsubscribe(&h.ctx, &token).await.unwrap(), stops);
    assert_eq!(
        preferences(&h.ctx, ana.user_id).await.unwrap(),
        [PreferenceView { kind: NotificationKind::LeadCaptured, email: false }]
    );
    assert!(matches!(unsubscribe(&h.ctx, &token).await, Err(NotificationsError::InvalidToken)), "only once");
    assert!(matches!(unsubscribe_preview(&h.ctx, &token).await, Err(NotificationsError::InvalidToken)));
    let mut forged = token.clone();
    forged.replace_range(..1, if token.starts_with('A') { "B" } else { "A" });
    for bad in [forged.as_str(), "", "not-a-token"] {
        assert!(matches!(unsubscribe(&h.ctx, bad).await, Err(NotificationsError::InvalidToken)), "{bad:?}");
    }
    let DomainError::Rejected { code, .. } = DomainError::from(NotificationsError::InvalidToken) else {
        panic!()
    };
    assert_eq!(code, contracts::ErrorCode::InvalidToken);

    // The next lead is in the bell, not in the mailbox.
    h.lead(&p).await;
    h.run_jobs(5).await;
    h.no_more_mail(1).await;
    assert_eq!(unread_count(&h.ctx, ana.user_id).await.unwrap(), 2);
}

#[tokio::test]
async fn a_member_who_leaves_loses_their_notifications_about_the_organization() {
    let mut directory = Directory::default();
    let (left, kept) = (directory.organization("Left"), directory.organization("Kept"));
    let eva = directory.member(left, "Eva", Locale::En, &["*"]);
    directory.grant(kept, eva.user_id, "*");
    let (p_left, p_kept) = (directory.page(left, "left", "Left"), directory.page(kept, "kept", "Kept"));
    let h = Harness::new(directory).await;
    h.lead(&p_left).await;
    h.lead(&p_kept).await;
    assert_eq!(unread_count(&h.ctx, eva.user_id).await.unwrap(), 2);

    h.deliver(&h.event(
        "membership.removed",
        json!({"organizationId": left, "userId": eva.user_id, "actorId": eva.user_id}),
    ))
    .await;
    let items = list(&h.ctx, eva.user_id, Locale::En, false, &page(None, "10")).await.unwrap().items;
    assert_eq!(items.iter().map(|n| n.title.as_str()).collect::<Vec<_>>(), ["New lead on “Kept”"]);
    h.run_jobs(5).await;
    let mails = h.smtp.wait_for(1, Duration::from_secs(10)).await;
    assert_eq!(
        mails[0].subject().as_deref(),
        Some("New lead on “Kept”"),
        "the open digest of the left one is gone"
    );
    h.no_more_mail(1).await;
}
