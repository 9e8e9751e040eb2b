//! The test harness: a fresh database, a capture SMTP server, a fake [`Recipients`] directory, a
//! clock two minutes in the past (so a digest enqueued "60 s from now" is already due for the
//! workers, which read the real clock), and helpers to deliver events and run the job workers.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, SubsecRound as _, TimeDelta, Utc};
use contracts::Locale;
use contracts::permissions::Permission;
use kernel::{FixedClock, OrganizationId, SystemClock, UserId};
use notifications::{
    Mailbox, NotificationsCtx, NotificationsSubscriber, PageSummary, Recipient, Recipients, Transport,
    register_jobs, sender_from,
};
use runtime::jobs::{Backoff, Jobs, WorkerConfig, WorkerPool};
use runtime::outbox::{EventEnvelope, Subscriber as _};
use serde_json::{Value, json};
use test_db::{TestDb, count};
use test_smtp::SmtpCapture;
use uuid::Uuid;

pub const PUBLIC_URL: &str = "https://mibio.test";

/// Who is who: users, what each may do in which organization, pages, organization names.
#[derive(Debug, Clone, Default)]
pub struct Directory {
    users: Vec<Recipient>,
    /// (organization, user, granted pattern: a permission or `*`).
    grants: Vec<(OrganizationId, UserId, String)>,
    pages: Vec<PageSummary>,
    organizations: Vec<(OrganizationId, String)>,
}

impl Directory {
    /// A user who is a member of `org` with these grants (`*` for an owner).
    pub fn member(&mut self, org: OrganizationId, name: &str, locale: Locale, grants: &[&str]) -> Recipient {
        let user = self.person(name, locale);
        self.grants.extend(grants.iter().map(|g| (org, user.user_id, (*g).to_owned())));
        user
    }

    /// Grants `pattern` to `user` in `org` (they become a member of it).
    pub fn grant(&mut self, org: OrganizationId, user: UserId, pattern: &str) {
        self.grants.push((org, user, pattern.to_owned()));
    }

    /// A user of no organization.
    pub fn person(&mut self, name: &str, locale: Locale) -> Recipient {
        let first = name.split_whitespace().next().unwrap_or(name).to_lowercase();
        let user = Recipient {
            user_id: UserId::new(),
            email: format!("{first}@example.com"),
            name: name.to_owned(),
            locale,
        };
        self.users.push(user.clone());
        user
    }

    pub fn organization(&mut self, name: &str) -> OrganizationId {
        let id = OrganizationId::new();
        self.organizations.push((id, name.to_owned()));
        id
    }

    pub fn page(&mut self, org: OrganizationId, slug: &str, title: &str) -> PageSummary {
        let page = PageSummary {
            id: Uuid::now_v7(),
            organization_id: org,
            slug: slug.to_owned(),
            title: title.to_owned(),
        };
        self.pages.push(page.clone());
        page
    }
}

#[async_trait::async_trait]
impl Recipients for Directory {
    async fn user(&self, id: UserId) -> anyhow::Result<Option<Recipient>> {
        Ok(self.users.iter().find(|u| u.user_id == id).cloned())
    }

    async fn organization_members_with(
        &self,
        organization: OrganizationId,
        permission: &Permission,
    ) -> anyhow::Result<Vec<Recipient>> {
        let mut ids: Vec<UserId> = self
            .grants
            .iter()
            .filter(|(org, _, grant)| *org == organization && (grant == "*" || grant == permission.as_str()))
            .map(|(_, user, _)| *user)
            .collect();
        ids.sort();
        ids.dedup();
        Ok(self.users.iter().filter(|u| ids.contains(&u.user_id)).cloned().collect())
    }

    async fn page(&self, id: Uuid) -> anyhow::Result<Option<PageSummary>> {
        Ok(self.pages.iter().find(|p| p.id == id).cloned())
    }

    async fn organization_name(&self, id: OrganizationId) -> anyhow::Result<Option<String>> {
        Ok(self.organizations.iter().find(|(o, _)| *o == id).map(|(_, name)| name.clone()))
    }
}

/// A database, an SMTP capture server and a context wired to both.
pub struct Harness {
    pub db: TestDb,
    pub smtp: SmtpCapture,
    pub ctx: NotificationsCtx,
    pub clock: FixedClock,
}

impl Harness {
    pub async fn new(directory: Directory) -> Self {
        let db = TestDb::new().await;
        let smtp = SmtpCapture::start().await;
        let transport =
            Transport::Smtp { host: "127.0.0.1".into(), port: smtp.addr().port(), credentials: None };
        let from: Mailbox = "mibio <no-reply@mibio.test>".parse().unwrap();
        let clock = FixedClock::at((Utc::now() - TimeDelta::minutes(2)).trunc_subsecs(0));
        let ctx = NotificationsCtx {
            db: db.pool().clone(),
            clock: Arc::new(clock.clone()),
            mail: sender_from(transport, from).unwrap(),
            recipients: Arc::new(directory),
            public_url: format!("{PUBLIC_URL}/"),
        };
        Self { db, smtp, ctx, clock }
    }

    pub fn now(&self) -> DateTime<Utc> {
        kernel::Clock::now(&self.clock)
    }

    pub fn subscriber(&self) -> NotificationsSubscriber {
        NotificationsSubscriber(self.ctx.clone())
    }

    /// An event of `event_type` with `payload`, occurring now (by the harness's clock).
    pub fn event(&self, event_type: &str, payload: Value) -> EventEnvelope {
        EventEnvelope {
            event_id: Uuid::now_v7(),
            event_type: event_type.to_owned(),
            occurred_at: self.now(),
            producer: "tests".to_owned(),
            schema_version: 1,
            trace_id: None,
            impersonator_id: None,
            payload,
        }
    }

    /// Hands `event` to the subscriber, as the dispatcher would.
    pub async fn deliver(&self, event: &EventEnvelope) {
        let subscriber = self.subscriber();
        assert!(subscriber.wants_event(event), "{}", event.event_type);
        subscriber.handle(event).await.unwrap();
    }

    /// Delivers a `lead.captured` of `page` and returns it.
    pub async fn lead(&self, page: &PageSummary) -> EventEnvelope {
        let event = self.event(
            "lead.captured",
            json!({"leadId": Uuid::now_v7(), "pageId": page.id, "blockId": Uuid::now_v7(),
                "organizationId": page.organization_id, "overQuota": false}),
        );
        self.deliver(&event).await;
        event
    }

    /// Job workers running this context's jobs (fast polling and backoff), at most
    /// `max_attempts` per job.
    pub fn workers(&self, max_attempts: i32) -> WorkerPool {
        let mut jobs = Jobs::new();
        register_jobs(&mut jobs, self.ctx.clone());
        let config = WorkerConfig {
            workers: 2,
            poll_interval: Duration::from_millis(20),
            backoff: Backoff { base: Duration::from_millis(10), cap: Duration::from_millis(40) },
            max_attempts,
            ..WorkerConfig::default()
        };
        WorkerPool::spawn(self.db.pool().clone(), Arc::new(jobs), Arc::new(SystemClock), config)
    }

    /// Runs the workers until no job is queued or running, then stops them.
    pub async fn run_jobs(&self, max_attempts: i32) {
        let workers = self.workers(max_attempts);
        for _ in 0..400 {
            if self.jobs_in(&["queued", "running"]).await == 0 {
                workers.shutdown(Duration::from_secs(5)).await;
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("jobs still pending after 20 s");
    }

    /// How many `emails.send` jobs are in one of `states`.
    pub async fn jobs_in(&self, states: &[&str]) -> i64 {
        let states = states.iter().map(|s| format!("'{s}'")).collect::<Vec<_>>().join(", ");
        let sql = format!(
            "SELECT count(*) AS n FROM kernel.jobs WHERE name = 'emails.send' AND state IN ({states})"
        );
        count(self.db.pool(), &sql).await
    }

    /// `SELECT count(*) AS n …` on the harness's database.
    pub async fn count(&self, sql: &str) -> i64 {
        count(self.db.pool(), sql).await
    }

    /// No more mail arrives within a moment (after the expected ones were waited for).
    pub async fn no_more_mail(&self, expected: usize) {
        tokio::time::sleep(Duration::from_millis(200)).await;
        assert_eq!(self.smtp.messages().len(), expected, "unexpected extra mail");
    }
}

/// The payloads of the queued `emails.send` jobs, with their `run_at`, oldest first.
pub async fn email_jobs(h: &Harness) -> Vec<(Value, DateTime<Utc>)> {
    #[derive(diesel::QueryableByName)]
    struct Job {
        #[diesel(sql_type = diesel::sql_types::Jsonb)]
        payload: Value,
        #[diesel(sql_type = diesel::sql_types::Timestamptz)]
        run_at: DateTime<Utc>,
    }
    let mut conn = h.db.pool().get().await.unwrap();
    let jobs: Vec<Job> = diesel_async::RunQueryDsl::load(
        diesel::sql_query(
            "SELECT payload, run_at FROM kernel.jobs WHERE name = 'emails.send' ORDER BY created_at, id",
        ),
        &mut conn,
    )
    .await
    .unwrap();
    jobs.into_iter().map(|j| (j.payload, j.run_at)).collect()
}
