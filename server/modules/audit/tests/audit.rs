//! The audit log against a real Postgres: the subscriber writes each event once and maps every
//! event family, the query filters and pages, and the table refuses to change.

use std::sync::Arc;

use audit::application::query;
use audit::{AuditCtx, AuditQuery, AuditSubscriber, AuditUsers, DirectoryUser};
use chrono::{DateTime, TimeDelta, TimeZone as _, Utc};
use diesel_async::RunQueryDsl as _;
use kernel::{FixedClock, SystemClock};
use pretty_assertions::assert_eq;
use runtime::outbox::{EventEnvelope, Subscriber, dispatch_batch, record};
use serde_json::{Value, json};
use test_db::{TestDb, count};
use uuid::Uuid;

/// A directory that knows the users it was given.
struct Directory(Vec<DirectoryUser>);

#[async_trait::async_trait]
impl AuditUsers for Directory {
    async fn users(&self, ids: &[Uuid]) -> anyhow::Result<Vec<DirectoryUser>> {
        Ok(self.0.iter().filter(|u| ids.contains(&u.id)).cloned().collect())
    }
}

fn ctx(db: &TestDb, people: Vec<DirectoryUser>) -> AuditCtx {
    AuditCtx {
        db: db.pool().clone(),
        clock: Arc::new(FixedClock::at(Utc.with_ymd_and_hms(2026, 11, 25, 12, 0, 0).unwrap())),
        users: Arc::new(Directory(people)),
    }
}

fn person(email: &str) -> DirectoryUser {
    DirectoryUser {
        id: Uuid::now_v7(),
        email: email.to_owned(),
        name: email.split('@').next().unwrap().to_owned(),
    }
}

fn envelope(
    event_type: &str,
    payload: Value,
    at: DateTime<Utc>,
    impersonator: Option<Uuid>,
) -> EventEnvelope {
    EventEnvelope {
        event_id: Uuid::now_v7(),
        event_type: event_type.to_owned(),
        occurred_at: at,
        producer: "tests".to_owned(),
        schema_version: 1,
        trace_id: Some("req-1".to_owned()),
        impersonator_id: impersonator,
        payload,
    }
}

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 20, 9, 0, 0).unwrap()
}

async fn all(ctx: &AuditCtx) -> Vec<contracts::audit::AuditEntryView> {
    query(ctx, &AuditQuery { limit: 100, ..AuditQuery::default() }).await.unwrap().items
}

#[tokio::test]
async fn the_same_event_delivered_twice_is_written_once() {
    let db = TestDb::new().await;
    let subscriber = AuditSubscriber(ctx(&db, vec![]));
    let event = envelope("membership.removed", json!({"userId": Uuid::now_v7()}), t0(), None);
    subscriber.handle(&event).await.unwrap();
    subscriber.handle(&event).await.unwrap();
    assert_eq!(count(db.pool(), "SELECT count(*) AS n FROM audit.entries").await, 1);
    assert!(!audit::application::record(&subscriber.0, &event).await.unwrap(), "nothing new written");
}

#[tokio::test]
async fn the_subscriber_wants_the_sensitive_events_and_everything_done_while_impersonating() {
    let db = TestDb::new().await;
    let subscriber = AuditSubscriber(ctx(&db, vec![]));
    assert_eq!(subscriber.name(), "audit");
    for wanted in [
        "membership.added",
        "membership.role_changed",
        "membership.removed",
        "role.created",
        "role.updated",
        "role.deleted",
        "leads.exported",
        "organization.created",
        "user.deactivated",
        "user.reactivated",
        "platform_admin.granted",
        "impersonation.started",
        "impersonation.stopped",
        "impersonation.action",
        "feature_flag.changed",
        "billing.invoice_paid",
        "subscription.canceled",
    ] {
        assert!(subscriber.wants(wanted), "{wanted}");
    }
    for unwanted in ["page.created", "lead.captured", "user.created", "block.added"] {
        assert!(!subscriber.wants_event(&envelope(unwanted, json!({}), t0(), None)), "{unwanted}");
        assert!(
            subscriber.wants_event(&envelope(unwanted, json!({}), t0(), Some(Uuid::now_v7()))),
            "{unwanted}"
        );
    }
}

/// (action, actor's email, impersonator's email, organization, target type, target id)
type Summary = (String, Option<String>, Option<String>, Option<String>, Option<String>, Option<String>);

#[tokio::test]
async fn each_event_family_maps_to_actor_organization_and_target() {
    let db = TestDb::new().await;
    let (admin, coach) = (person("admin@mibio.test"), person("ana@example.com"));
    let ctx = ctx(&db, vec![admin.clone(), coach.clone()]);
    let subscriber = AuditSubscriber(ctx.clone());
    let (org, member, role, page) = (Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7());
    let (a, c) = (admin.id, coach.id);
    let events = [
        (
            "membership.role_changed",
            json!({"organizationId": org, "userId": member, "from": "viewer", "to": "editor", "actorId": c}),
            None,
        ),
        ("role.updated", json!({"roleId": role, "organizationId": org, "actorId": c}), None),
        ("leads.exported", json!({"pageId": page, "organizationId": org, "actorId": c}), None),
        ("organization.created", json!({"organizationId": org, "createdBy": c}), None),
        ("user.deactivated", json!({"userId": c, "actorId": a}), None),
        ("platform_admin.granted", json!({"userId": a, "actorId": null, "via": "setup"}), None),
        ("impersonation.started", json!({"adminId": a, "userId": c, "actorId": a}), None),
        ("page.updated", json!({"pageId": page, "organizationId": org, "actorId": c}), Some(a)),
        ("feature_flag.changed", json!({"flagKey": "lead-csv-export", "before": null, "actorId": a}), None),
        ("billing.invoice_paid", json!({"subscriptionId": "sub_1", "organizationId": org}), None),
    ];
    for (i, (kind, payload, impersonator)) in events.into_iter().enumerate() {
        let at = t0() + TimeDelta::minutes(i64::try_from(i).unwrap());
        subscriber.handle(&envelope(kind, payload, at, impersonator)).await.unwrap();
    }
    let rows = all(&ctx).await;
    let summary: Vec<Summary> = rows
        .iter()
        .rev()
        .map(|e| {
            (
                e.action.clone(),
                e.actor.as_ref().map(|u| u.email.clone().unwrap_or_default()),
                e.impersonator.as_ref().map(|u| u.email.clone().unwrap_or_default()),
                e.organization_id.clone(),
                e.target_type.clone(),
                e.target_id.clone(),
            )
        })
        .collect();
    let s = |v: &str| Some(v.to_owned());
    let (org, member, role, page) = (org.to_string(), member.to_string(), role.to_string(), page.to_string());
    let (ana, adm) = (s("ana@example.com"), s("admin@mibio.test"));
    assert_eq!(
        summary,
        vec![
            (s("membership.role_changed").unwrap(), ana.clone(), None, s(&org), s("user"), s(&member)),
            ("role.updated".into(), ana.clone(), None, s(&org), s("role"), s(&role)),
            ("leads.exported".into(), ana.clone(), None, s(&org), s("page"), s(&page)),
            ("organization.created".into(), ana.clone(), None, s(&org), s("organization"), s(&org)),
            ("user.deactivated".into(), adm.clone(), None, None, s("user"), s(&c.to_string())),
            ("platform_admin.granted".into(), None, None, None, s("user"), s(&a.to_string())),
            ("impersonation.started".into(), adm.clone(), None, None, s("user"), s(&c.to_string())),
            ("page.updated".into(), ana.clone(), adm.clone(), s(&org), s("page"), s(&page)),
            ("feature_flag.changed".into(), adm.clone(), None, None, s("feature_flag"), s("lead-csv-export")),
            ("billing.invoice_paid".into(), None, None, s(&org), s("subscription"), s("sub_1")),
        ]
    );
    let impersonated = rows.iter().find(|e| e.action == "page.updated").unwrap();
    let actor = impersonated.actor.as_ref().unwrap();
    assert_eq!((actor.id.as_str(), actor.name.as_deref()), (c.to_string().as_str(), Some("ana")));
    assert_eq!(impersonated.metadata["pageId"], page.as_str(), "the payload is kept");
    assert_eq!(impersonated.occurred_at, "2026-11-20T09:07:00Z");
    assert_eq!(impersonated.recorded_at, "2026-11-25T12:00:00Z");
}

#[tokio::test]
async fn people_the_directory_does_not_know_are_shown_by_id() {
    let db = TestDb::new().await;
    let ctx = ctx(&db, vec![]);
    let ghost = Uuid::now_v7();
    AuditSubscriber(ctx.clone())
        .handle(&envelope("user.reactivated", json!({"userId": ghost, "actorId": ghost}), t0(), None))
        .await
        .unwrap();
    let actor = all(&ctx).await[0].actor.clone().unwrap();
    assert_eq!((actor.id, actor.email, actor.name), (ghost.to_string(), None, None));
}

#[tokio::test]
async fn events_reach_the_log_through_the_dispatcher_with_both_identities() {
    #[derive(serde::Serialize)]
    #[serde(rename_all = "camelCase")]
    struct PageUpdated {
        page_id: Uuid,
        actor_id: Uuid,
    }
    impl runtime::outbox::DomainEvent for PageUpdated {
        const TYPE: &'static str = "page.updated";
        const PRODUCER: &'static str = "tests";
    }
    let db = TestDb::new().await;
    let ctx = ctx(&db, vec![]);
    let (admin, coach, page) = (Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7());
    let mut conn = db.pool().get().await.unwrap();
    let event = PageUpdated { page_id: page, actor_id: coach };
    runtime::outbox::IMPERSONATOR.scope(admin, record(&mut conn, &event, t0())).await.unwrap();
    record(&mut conn, &event, t0()).await.unwrap(); // not impersonated, not audited
    drop(conn);
    let subscribers: Vec<Arc<dyn Subscriber>> = vec![Arc::new(AuditSubscriber(ctx.clone()))];
    let config = runtime::outbox::DispatcherConfig::default();
    assert_eq!(dispatch_batch(db.pool(), &subscribers, &SystemClock, &config).await.unwrap(), 2);
    let entries = all(&ctx).await;
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].actor.as_ref().unwrap().id, coach.to_string());
    assert_eq!(entries[0].impersonator.as_ref().unwrap().id, admin.to_string());
    assert_eq!(
        count(db.pool(), "SELECT count(*) AS n FROM kernel.outbox_deliveries WHERE subscriber = 'audit'")
            .await,
        1
    );
}

/// 30 entries (`n` 0–29), one a minute from t0: actions cycle through three types,
/// organizations alternate x/y, actors alternate a/b — except every fifth, done by `c` while `a`
/// impersonated them.
async fn fill(ctx: &AuditCtx, a: Uuid, b: Uuid, c: Uuid, x: Uuid, y: Uuid) {
    let subscriber = AuditSubscriber(ctx.clone());
    let actions = ["membership.added", "membership.removed", "role.created"];
    for i in 0..30_usize {
        let at = t0() + TimeDelta::minutes(i64::try_from(i).unwrap());
        let (actor, impersonator) = if i % 5 == 4 {
            (c, Some(a))
        } else if i % 2 == 0 {
            (a, None)
        } else {
            (b, None)
        };
        let org = if i % 2 == 0 { x } else { y };
        let payload = json!({"actorId": actor, "organizationId": org, "userId": Uuid::now_v7(), "n": i});
        subscriber.handle(&envelope(actions[i % 3], payload, at, impersonator)).await.unwrap();
    }
}

fn ns(items: &[contracts::audit::AuditEntryView]) -> Vec<u64> {
    items.iter().map(|e| e.metadata["n"].as_u64().unwrap()).collect()
}

async fn run(ctx: &AuditCtx, pairs: &[(&str, &str)]) -> Vec<u64> {
    let q = AuditQuery::parse(pairs.iter().copied()).unwrap();
    let q = AuditQuery { limit: 100, ..q };
    ns(&query(ctx, &q).await.unwrap().items)
}

#[tokio::test]
async fn filters_combine_and_pages_walk_newest_first_without_gaps() {
    let db = TestDb::new().await;
    let ctx = ctx(&db, vec![]);
    let (a, b, c, x, y) = (Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7());
    fill(&ctx, a, b, c, x, y).await;

    assert_eq!(run(&ctx, &[]).await, (0..30).rev().collect::<Vec<_>>());
    let expected = |f: &dyn Fn(u64) -> bool| (0..30).rev().filter(|n| f(*n)).collect::<Vec<u64>>();
    // As actor, or as the impersonator behind the actor.
    assert_eq!(run(&ctx, &[("actor", &a.to_string())]).await, expected(&|n| n % 2 == 0 || n % 5 == 4));
    assert_eq!(run(&ctx, &[("actor", &c.to_string())]).await, expected(&|n| n % 5 == 4));
    assert_eq!(run(&ctx, &[("action", "role.created")]).await, expected(&|n| n % 3 == 2));
    assert_eq!(run(&ctx, &[("action", "membership.*")]).await, expected(&|n| n % 3 != 2));
    assert_eq!(run(&ctx, &[("action", "membership")]).await, Vec::<u64>::new(), "a family needs .*");
    assert_eq!(run(&ctx, &[("organization", &y.to_string())]).await, expected(&|n| n % 2 == 1));
    let (from, to) =
        ((t0() + TimeDelta::minutes(10)).to_rfc3339(), (t0() + TimeDelta::minutes(20)).to_rfc3339());
    assert_eq!(run(&ctx, &[("from", &from), ("to", &to)]).await, expected(&|n| (10..20).contains(&n)));
    assert_eq!(
        run(
            &ctx,
            &[("from", &from), ("to", &to), ("organization", &x.to_string()), ("action", "membership.*")]
        )
        .await,
        expected(&|n| (10..20).contains(&n) && n % 2 == 0 && n % 3 != 2)
    );
    assert_eq!(run(&ctx, &[("from", "2026-11-21")]).await, Vec::<u64>::new());
    assert_eq!(run(&ctx, &[("to", "2026-11-20")]).await.len(), 30, "a date as `to` covers its whole day");

    // Pages of 7, following the cursors, with a filter.
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    let mut pages = 0;
    loop {
        let mut pairs = vec![("limit", "7".to_owned()), ("organization", x.to_string())];
        if let Some(c) = &cursor {
            pairs.push(("cursor", c.clone()));
        }
        let page = query(&ctx, &AuditQuery::parse(pairs).unwrap()).await.unwrap();
        seen.extend(ns(&page.items));
        pages += 1;
        match page.next_cursor {
            Some(next) => cursor = Some(next),
            None => break,
        }
    }
    assert_eq!((pages, seen), (3, expected(&|n| n % 2 == 0)));
}

#[tokio::test]
async fn the_table_refuses_update_delete_and_truncate() {
    let db = TestDb::new().await;
    let ctx = ctx(&db, vec![]);
    AuditSubscriber(ctx.clone())
        .handle(&envelope("role.deleted", json!({"roleId": "r"}), t0(), None))
        .await
        .unwrap();
    let mut conn = db.pool().get().await.unwrap();
    for sql in [
        "UPDATE audit.entries SET action = 'nothing.happened'",
        "UPDATE audit.entries SET action = 'x' WHERE false",
        "DELETE FROM audit.entries",
        "DELETE FROM audit.entries WHERE false",
        "TRUNCATE audit.entries",
        "INSERT INTO audit.entries SELECT * FROM audit.entries ON CONFLICT (event_id) DO UPDATE SET action = 'x'",
    ] {
        let err = diesel::sql_query(sql).execute(&mut conn).await.expect_err(sql).to_string();
        assert!(err.contains("audit.entries is append-only"), "{sql}: {err}");
    }
    drop(conn);
    let sql = "SELECT count(*) AS n FROM audit.entries WHERE action = 'role.deleted' AND target_id = 'r'";
    assert_eq!(count(db.pool(), sql).await, 1, "the entry is untouched");
}
