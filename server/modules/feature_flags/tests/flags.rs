//! Feature flags against a real Postgres: stable percentage rollouts, override precedence,
//! environments, validation of writes, the audit event, and the snapshot of another "replica"
//! following a write through NOTIFY.

use std::sync::Arc;
use std::time::{Duration, Instant};

use contracts::flags::{Flag, FlagOverride, PutFlagInput, SubjectKind};
use feature_flags::application::admin::{get_flag, list_flags, put_flag};
use feature_flags::{FeatureFlags, FlagsError, Subject};
use kernel::SystemClock;
use pretty_assertions::assert_eq;
use serde_json::json;
use test_db::{TestDb, count};
use uuid::Uuid;

fn flags(db: &TestDb, environment: &str) -> FeatureFlags {
    FeatureFlags::new(db.pool().clone(), Arc::new(SystemClock), environment)
}

fn setting(enabled: bool, rollout: i64) -> PutFlagInput {
    PutFlagInput { enabled, rollout_percentage: rollout, environments: vec![], overrides: vec![] }
}

fn over(kind: SubjectKind, id: Uuid, enabled: bool) -> FlagOverride {
    FlagOverride { subject_kind: kind, subject_id: id.to_string(), enabled }
}

#[tokio::test]
async fn percentage_rollouts_are_stable_per_subject_and_close_to_the_percentage() {
    let db = TestDb::new().await;
    let here = flags(&db, "production");
    let admin = Uuid::now_v7();
    let subjects: Vec<Uuid> = (0..10_000).map(|_| Uuid::now_v7()).collect();
    for percentage in [1, 10, 25, 50, 75, 90, 99] {
        put_flag(&here, admin, Flag::LeadCsvExport.key(), setting(true, percentage)).await.unwrap();
        // Another process reading the same setting must give every subject the same answer.
        let elsewhere = flags(&db, "production");
        elsewhere.reload().await.unwrap();
        let mut on = 0_i64;
        for id in &subjects {
            let subject = Subject::user(*id);
            let answer = here.is_enabled(Flag::LeadCsvExport, &subject);
            assert_eq!(here.is_enabled(Flag::LeadCsvExport, &subject), answer, "same answer every time");
            assert_eq!(
                elsewhere.is_enabled(Flag::LeadCsvExport, &subject),
                answer,
                "same answer in every process"
            );
            on += i64::from(answer);
        }
        let share = on as f64 / 100.0;
        assert!((share - percentage as f64).abs() <= 5.0, "{percentage}%: {share}% of 10 000 subjects");
    }
    // Raising the percentage only adds subjects: who had it at 25 % still has it at 50 %.
    put_flag(&here, admin, Flag::LeadCsvExport.key(), setting(true, 25)).await.unwrap();
    let at_25: Vec<bool> =
        subjects.iter().map(|id| here.is_enabled(Flag::LeadCsvExport, &Subject::user(*id))).collect();
    put_flag(&here, admin, Flag::LeadCsvExport.key(), setting(true, 50)).await.unwrap();
    for (id, before) in subjects.iter().zip(at_25) {
        assert!(!before || here.is_enabled(Flag::LeadCsvExport, &Subject::user(*id)));
    }
    for percentage in [0, 100] {
        put_flag(&here, admin, Flag::LeadCsvExport.key(), setting(true, percentage)).await.unwrap();
        assert!(
            subjects
                .iter()
                .all(|id| here.is_enabled(Flag::LeadCsvExport, &Subject::user(*id)) == (percentage == 100))
        );
        assert_eq!(here.is_enabled(Flag::LeadCsvExport, &Subject::ANONYMOUS), percentage == 100);
    }
}

#[tokio::test]
async fn overrides_take_precedence_user_first_then_organization_then_the_global_switch() {
    let db = TestDb::new().await;
    let f = flags(&db, "production");
    let (org, insider, outsider, vetoed) = (Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7());
    let flag = Flag::InAppBrowserHint;
    let mut input = setting(false, 100);
    input.overrides =
        vec![over(SubjectKind::Organization, org, true), over(SubjectKind::User, vetoed, false)];
    put_flag(&f, Uuid::now_v7(), flag.key(), input).await.unwrap();
    assert!(!f.is_enabled(flag, &Subject::user(outsider)), "globally off");
    assert!(!f.is_enabled(flag, &Subject::ANONYMOUS));
    assert!(f.is_enabled(flag, &Subject::organization(org)), "the organization's override");
    assert!(f.is_enabled(flag, &Subject::member(insider, org)), "members of the organization get it");
    assert!(
        !f.is_enabled(flag, &Subject::member(vetoed, org)),
        "the user's override beats the organization's"
    );

    let mut input = setting(true, 0);
    input.overrides =
        vec![over(SubjectKind::User, insider, true), over(SubjectKind::Organization, org, false)];
    put_flag(&f, Uuid::now_v7(), flag.key(), input).await.unwrap();
    assert!(
        f.is_enabled(flag, &Subject::member(insider, org)),
        "a user forced on in an organization forced off"
    );
    assert!(!f.is_enabled(flag, &Subject::member(outsider, org)));
    assert!(!f.is_enabled(flag, &Subject::user(outsider)), "0 %: nobody else");
}

#[tokio::test]
async fn a_flag_listing_environments_is_off_everywhere_else_even_for_overrides() {
    let db = TestDb::new().await;
    let (production, staging) = (flags(&db, "production"), flags(&db, "staging"));
    let user = Uuid::now_v7();
    let mut input = setting(true, 100);
    input.environments = vec!["staging".into(), "development".into()];
    input.overrides = vec![over(SubjectKind::User, user, true)];
    put_flag(&staging, Uuid::now_v7(), Flag::LeadCsvExport.key(), input).await.unwrap();
    production.reload().await.unwrap();
    assert!(staging.is_enabled(Flag::LeadCsvExport, &Subject::user(user)));
    assert!(staging.is_enabled(Flag::LeadCsvExport, &Subject::ANONYMOUS));
    assert!(!production.is_enabled(Flag::LeadCsvExport, &Subject::user(user)));
    assert!(!production.is_enabled(Flag::LeadCsvExport, &Subject::ANONYMOUS));
    assert!(
        production.is_enabled(Flag::InAppBrowserHint, &Subject::ANONYMOUS),
        "other flags keep their default"
    );
}

#[tokio::test]
async fn unwritten_flags_answer_their_code_default_and_unknown_keys_are_not_found() {
    let db = TestDb::new().await;
    let f = flags(&db, "development");
    f.reload().await.unwrap();
    for flag in Flag::ALL {
        assert_eq!(f.is_enabled(flag, &Subject::ANONYMOUS), flag.default_enabled());
        let view = get_flag(&f, flag.key()).await.unwrap();
        assert_eq!(
            (view.enabled, view.rollout_percentage, view.updated_at),
            (flag.default_enabled(), 100, None)
        );
    }
    assert!(matches!(get_flag(&f, "new-editor").await, Err(FlagsError::NotFound)));
    assert!(matches!(
        put_flag(&f, Uuid::now_v7(), "new-editor", setting(true, 1)).await,
        Err(FlagsError::NotFound)
    ));
    let list = list_flags(&f).await.unwrap();
    assert_eq!(list.environment, "development");
    assert_eq!(list.items.iter().map(|v| v.key).collect::<Vec<_>>(), Flag::ALL);
}

#[tokio::test]
async fn a_write_is_validated_field_by_field_and_stores_nothing_when_refused() {
    let db = TestDb::new().await;
    let f = flags(&db, "production");
    let user = Uuid::now_v7();
    let input = PutFlagInput {
        enabled: true,
        rollout_percentage: 120,
        environments: vec!["production".into(), "Production!".into()],
        overrides: vec![
            over(SubjectKind::User, user, true),
            FlagOverride {
                subject_kind: SubjectKind::Organization,
                subject_id: "acme".into(),
                enabled: true,
            },
            over(SubjectKind::User, user, false),
        ],
    };
    let Err(FlagsError::Validation(fields)) =
        put_flag(&f, Uuid::now_v7(), Flag::LeadCsvExport.key(), input).await
    else {
        panic!("accepted")
    };
    assert_eq!(
        fields.keys().map(String::as_str).collect::<Vec<_>>(),
        ["environments[1]", "overrides[1].subjectId", "overrides[2]", "rolloutPercentage"]
    );
    assert_eq!(count(db.pool(), "SELECT count(*) AS n FROM feature_flags.settings").await, 0);
    assert_eq!(count(db.pool(), "SELECT count(*) AS n FROM kernel.outbox").await, 0);

    // The wire type is strict: unknown and missing fields are refused by serde (the host names them).
    let unknown = json!({"enabled": true, "rolloutPercentage": 5, "environments": [], "overrides": [], "everyone": true});
    assert!(
        serde_json::from_value::<PutFlagInput>(unknown)
            .unwrap_err()
            .to_string()
            .contains("unknown field `everyone`")
    );
    let missing = json!({"enabled": true, "rolloutPercentage": 5, "environments": []});
    assert!(
        serde_json::from_value::<PutFlagInput>(missing)
            .unwrap_err()
            .to_string()
            .contains("missing field `overrides`")
    );
    let kind = json!({"enabled": true, "rolloutPercentage": 5, "environments": [], "overrides": [{"subjectKind": "team", "subjectId": user, "enabled": true}]});
    assert!(serde_json::from_value::<PutFlagInput>(kind).is_err());
}

#[tokio::test]
async fn each_write_records_the_change_with_before_and_after_in_the_same_transaction() {
    let db = TestDb::new().await;
    let f = flags(&db, "production");
    let (admin, org) = (Uuid::now_v7(), Uuid::now_v7());
    let key = Flag::LeadCsvExport.key();
    put_flag(&f, admin, key, setting(false, 100)).await.unwrap();
    let mut second = setting(true, 30);
    second.overrides = vec![over(SubjectKind::Organization, org, true)];
    let view = put_flag(&f, admin, key, second).await.unwrap();
    assert_eq!(
        (view.enabled, view.rollout_percentage, view.updated_by.clone()),
        (true, 30, Some(admin.to_string()))
    );
    assert_eq!(get_flag(&f, key).await.unwrap(), view, "what the write answered is what is stored");

    let events = |cond: &str| {
        format!(
            "SELECT count(*) AS n FROM kernel.outbox WHERE event_type = 'feature_flag.changed' \
             AND producer = 'feature_flags' AND payload->>'flagKey' = '{key}' AND payload->>'actorId' = '{admin}' AND {cond}"
        )
    };
    assert_eq!(
        count(db.pool(), &events("payload->'before' = 'null' AND payload->'after'->>'enabled' = 'false'"))
            .await,
        1
    );
    let second = format!(
        "payload->'before'->>'enabled' = 'false' AND payload->'after'->>'rolloutPercentage' = '30' \
         AND payload->'after'->'overrides' = '[{{\"subjectKind\": \"organization\", \"subjectId\": \"{org}\", \"enabled\": true}}]'"
    );
    assert_eq!(count(db.pool(), &events(&second)).await, 1);
}

async fn eventually(what: &str, check: impl Fn() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while !check() {
        assert!(Instant::now() < deadline, "{what}: not within 10 s");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn another_replica_follows_a_write_through_notify() {
    let db = TestDb::new().await;
    let (a, b) = (flags(&db, "production"), flags(&db, "production"));
    // A safety refresh far away: only the notices can make `b` see the writes in time.
    let _refresh_a = a.spawn_refresher(db.url().to_owned(), Duration::from_secs(3600));
    let _refresh_b = b.spawn_refresher(db.url().to_owned(), Duration::from_secs(3600));
    b.reload().await.unwrap();
    let flag = Flag::InAppBrowserHint;
    assert!(b.is_enabled(flag, &Subject::ANONYMOUS));
    // The listener must be up before the notice is sent, or it is lost (and only the reload on
    // connecting would catch the change): wait for it by writing until `b` sees a write.
    let user = Uuid::now_v7();
    let mut input = setting(true, 100);
    input.overrides = vec![over(SubjectKind::User, user, false)];
    put_flag(&a, Uuid::now_v7(), flag.key(), input).await.unwrap();
    eventually("b sees the first write", || !b.is_enabled(flag, &Subject::user(user))).await;

    put_flag(&a, Uuid::now_v7(), flag.key(), setting(false, 100)).await.unwrap();
    assert!(!a.is_enabled(flag, &Subject::ANONYMOUS), "the writer's own snapshot changes at once");
    eventually("b sees the flag turned off", || !b.is_enabled(flag, &Subject::ANONYMOUS)).await;
    put_flag(&b, Uuid::now_v7(), flag.key(), setting(true, 100)).await.unwrap();
    eventually("a sees b's write", || a.is_enabled(flag, &Subject::ANONYMOUS)).await;
}

#[tokio::test]
async fn a_reload_picks_up_what_others_wrote_and_ignores_retired_flags() {
    let db = TestDb::new().await;
    let f = flags(&db, "production");
    put_flag(&f, Uuid::now_v7(), Flag::LeadCsvExport.key(), setting(false, 100)).await.unwrap();
    // Someone else (another replica whose notice was lost) turned it back on.
    test_db::execute(db.pool(), "UPDATE feature_flags.settings SET enabled = true").await;
    assert!(!f.is_enabled(Flag::LeadCsvExport, &Subject::ANONYMOUS));
    f.reload().await.unwrap();
    assert!(f.is_enabled(Flag::LeadCsvExport, &Subject::ANONYMOUS));
    // A row of a flag the code no longer has is ignored.
    test_db::execute(
        db.pool(),
        "INSERT INTO feature_flags.settings (key, enabled, rollout_percentage, updated_at) VALUES ('retired-flag', false, 0, now())",
    )
    .await;
    f.reload().await.unwrap();
    assert!(f.is_enabled(Flag::LeadCsvExport, &Subject::ANONYMOUS));
}
