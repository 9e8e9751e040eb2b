//! A whole app for black-box HTTP tests: the real router over a fresh test database, a capture
//! SMTP server receiving every mail, a clock that only moves when told, and [`Client`]s — each
//! with its own IP address and cookie jar — that talk to the router the way a browser would
//! (cookies sent back, `Origin` set on mutating requests).

use std::collections::BTreeMap;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::ConnectInfo;
use axum::http::header::{CONTENT_TYPE, COOKIE, ORIGIN, SET_COOKIE};
use axum::http::{HeaderMap, Method, Request, StatusCode};
use chrono::{DateTime, SubsecRound as _, Utc};
use diesel::sql_types::{BigInt, Text};
use diesel_async::RunQueryDsl as _;
use http_body_util::BodyExt as _;
use kernel::FixedClock;
use mibio_server::Config;
use serde_json::{Value, json};
use test_db::TestDb;
use test_smtp::{CapturedMail, SmtpCapture};
use tower::ServiceExt as _;

/// The origin of the default `PUBLIC_URL`: what a same-site browser request carries.
pub const ORIGIN_URL: &str = "http://127.0.0.1:3000";
/// A password that passes every rule.
pub const PASSWORD: &str = "tangerine ladder whispers";
/// Another one, for password changes.
pub const NEW_PASSWORD: &str = "orbit kettle marmalade 42";
/// argon2id of [`PASSWORD`] with tiny costs (m=256 KiB, t=1): verifies in about a millisecond.
const CHEAP_PASSWORD_HASH: &str =
    "$argon2id$v=19$m=256,t=1,p=1$YzJGc2RITmhiSFJ6WVd4MGMyRnNkQQ$pb0b9LwkJS0qS2DcP0THeepm02LvTrDYk/EaXUMEC48";
/// How long to wait for a mail that should arrive.
pub const MAIL_TIMEOUT: Duration = Duration::from_secs(10);

/// The app under test. Keep it alive for the whole test (it owns the database and the SMTP
/// server).
pub struct TestApp {
    pub db: TestDb,
    pub router: Router,
    pub clock: FixedClock,
    pub smtp: SmtpCapture,
    /// The router's state (its mail sender is the capture server's, its clock [`TestApp::clock`]).
    pub state: mibio_server::AppState,
    next_ip: AtomicU32,
}

impl TestApp {
    /// An app with the default configuration.
    pub async fn start() -> Self {
        Self::with_env(&[]).await
    }

    /// An app whose configuration also reads `vars` (e.g. small `RATE_LIMIT_*` values).
    pub async fn with_env(vars: &[(&str, &str)]) -> Self {
        Self::routed(vars, str::to_owned).await
    }

    /// An app whose pool reaches its database at `route(url)` (e.g. through a proxy the test
    /// cuts); the test's own queries (`db`) go straight to it.
    pub async fn routed(vars: &[(&str, &str)], route: impl FnOnce(&str) -> String) -> Self {
        let db = TestDb::new().await;
        let mut map: BTreeMap<String, String> =
            vars.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
        map.insert("DATABASE_URL".to_owned(), route(db.url()));
        // Uploaded files of this app go to a directory of its own.
        map.entry("STORAGE_LOCAL_DIR".to_owned()).or_insert_with(|| {
            std::env::temp_dir().join(format!("mibio-media-{}", uuid::Uuid::now_v7())).display().to_string()
        });
        let config = Config::from_lookup(move |name| map.get(name).cloned()).expect("test config is valid");
        let smtp = SmtpCapture::start().await;
        let mail = notifications::sender_from(
            notifications::Transport::Smtp {
                host: "127.0.0.1".into(),
                port: smtp.addr().port(),
                credentials: None,
            },
            "mibio <no-reply@mibio.test>".parse().expect("a mailbox"),
        )
        .expect("the SMTP sender builds");
        // Whole seconds: timestamps survive a round trip through Postgres and RFC 3339 unchanged.
        let clock = FixedClock::at(Utc::now().trunc_subsecs(0));
        let state = mibio_server::serve::build_state_with(config, mail, Arc::new(clock.clone()))
            .expect("state builds");
        let router = mibio_server::http::router(state.clone());
        Self { db, router, clock, smtp, state, next_ip: AtomicU32::new(1) }
    }

    /// The fixed clock's current time.
    pub fn now(&self) -> DateTime<Utc> {
        kernel::Clock::now(&self.clock)
    }

    /// A new client (no cookies) with an IP address no other client of this app has.
    pub fn client(&self) -> Client {
        let n = self.next_ip.fetch_add(1, Ordering::SeqCst);
        let [_, a, b, c] = n.to_be_bytes();
        self.client_from(IpAddr::V4(Ipv4Addr::new(10, a, b, c)))
    }

    /// A new client (no cookies) connecting from `ip`.
    pub fn client_from(&self, ip: IpAddr) -> Client {
        Client { router: self.router.clone(), ip, jar: Arc::new(Mutex::new(BTreeMap::new())) }
    }

    /// Signs up `email` (as `name`, with [`PASSWORD`]) from a fresh client; the answer.
    pub async fn sign_up(&self, email: &str, name: &str) -> Reply {
        self.client()
            .post(
                "/api/auth/sign-up/email",
                json!({"email": email, "password": PASSWORD, "name": name, "locale": "en"}),
            )
            .await
    }

    /// A signed-in client of a new, verified account `email` (password [`PASSWORD`]), and the
    /// account's id. The account is written straight into `iam.users` with a cheap argon2id hash
    /// of [`PASSWORD`] (sign-in verifies with the parameters stored in the hash): the tests that
    /// are about sign-up use [`TestApp::sign_up`]; the others need users, not 300 ms debug-build
    /// hashes. The sign-in itself goes through the API.
    pub async fn user(&self, email: &str) -> (Client, String) {
        let id = uuid::Uuid::now_v7().to_string();
        let name = email.split('@').next().unwrap_or(email);
        let mut conn = self.db.pool().get().await.expect("a connection");
        diesel::sql_query(
            "INSERT INTO iam.users (id, email, email_normalized, name, locale, password_hash, email_verified_at, \
             created_at, updated_at) VALUES ($1::uuid, $2, lower($2), $3, 'en', $4, now(), now(), now())",
        )
        .bind::<Text, _>(&id)
        .bind::<Text, _>(email)
        .bind::<Text, _>(name)
        .bind::<Text, _>(CHEAP_PASSWORD_HASH)
        .execute(&mut conn)
        .await
        .expect("the user row is written");
        let client = self.client();
        let reply = client.sign_in(email, PASSWORD).await.expect(StatusCode::OK);
        assert_eq!(reply.json()["user"]["id"], id.as_str());
        (client, id)
    }

    /// Creates an organization as `client` (which makes it `client`'s active one); its id.
    pub async fn organization(&self, client: &Client, name: &str, slug: &str) -> String {
        let reply = client.post("/api/v1/organizations", json!({"name": name, "slug": slug})).await;
        reply.expect(StatusCode::CREATED).json()["id"].as_str().expect("an id").to_owned()
    }

    /// Has `owner` (acting in their active organization) invite `email` as `role`, and the
    /// signed-in `invitee` accept the mailed link (which makes it the invitee's active
    /// organization).
    pub async fn join(&self, owner: &Client, invitee: &Client, email: &str, role: &str) {
        let before = self.mails_to(email).len();
        owner
            .post("/api/v1/organizations/current/invitations", json!({"email": email, "role": role}))
            .await
            .expect(StatusCode::CREATED);
        let mail = self.mail_to(email, before).await;
        let token = invitation_token(&mail);
        invitee
            .post_empty(&format!("/api/v1/invitations/{token}/accept"))
            .await
            .expect(StatusCode::NO_CONTENT);
    }

    /// The mails received so far whose envelope names `address` (any case).
    pub fn mails_to(&self, address: &str) -> Vec<CapturedMail> {
        let address = address.to_lowercase();
        self.smtp
            .messages()
            .into_iter()
            .filter(|m| m.to.iter().any(|to| to.to_lowercase().contains(&address)))
            .collect()
    }

    /// The `index`-th mail (from 0) to `address`, waiting for it to arrive.
    pub async fn mail_to(&self, address: &str, index: usize) -> CapturedMail {
        let deadline = Instant::now() + MAIL_TIMEOUT;
        loop {
            if let Some(mail) = self.mails_to(address).into_iter().nth(index) {
                return mail;
            }
            assert!(
                Instant::now() < deadline,
                "no mail #{index} to {address} within {MAIL_TIMEOUT:?}; got: {:?}",
                self.smtp.messages().iter().map(|m| (m.to.clone(), m.subject())).collect::<Vec<_>>()
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// Asserts that, after a moment for stragglers, exactly `count` mails were received in all.
    pub async fn assert_mail_count(&self, count: usize) {
        tokio::time::sleep(Duration::from_millis(300)).await;
        let got = self.smtp.messages();
        assert_eq!(
            got.len(),
            count,
            "mails received: {:?}",
            got.iter().map(|m| (m.to.clone(), m.subject())).collect::<Vec<_>>()
        );
    }

    /// `SELECT count(*) …` (or any query whose one row has a bigint column `n`).
    pub async fn count(&self, sql: &str) -> i64 {
        test_db::count(self.db.pool(), sql).await
    }

    /// Like [`TestApp::count`], with one text parameter `$1`.
    pub async fn count_with(&self, sql: &str, param: &str) -> i64 {
        let mut conn = self.db.pool().get().await.expect("a connection");
        diesel::sql_query(sql)
            .bind::<Text, _>(param)
            .get_result::<Count>(&mut conn)
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e}"))
            .n
    }

    /// Runs a statement.
    pub async fn execute(&self, sql: &str) {
        test_db::execute(self.db.pool(), sql).await;
    }

    /// Delivers every recorded event to the host's subscribers (the audit log among them), as the
    /// dispatcher of `mibio serve` would.
    pub async fn dispatch_events(&self) {
        let state = crate::common::state(&self.db);
        let subscribers = mibio_server::jobs::subscribers(&state);
        let config = runtime::outbox::DispatcherConfig::default();
        while runtime::outbox::dispatch_batch(self.db.pool(), &subscribers, &kernel::SystemClock, &config)
            .await
            .unwrap()
            > 0
        {}
    }

    /// Runs every job that is due by `at` (queued with `run_at <= at`) with the host's job
    /// registry over this app's state — so mail goes to the capture server — once each, as the
    /// workers of `mibio serve` would, and waits until none is left queued or running. Events
    /// are not dispatched here: call [`TestApp::dispatch_events`] first.
    pub async fn run_jobs_due_by(&self, at: DateTime<Utc>) {
        let jobs = Arc::new(mibio_server::jobs::registry(&self.state));
        let config = runtime::jobs::WorkerConfig {
            workers: 1,
            poll_interval: Duration::from_millis(20),
            ..runtime::jobs::WorkerConfig::default()
        };
        let workers = runtime::jobs::WorkerPool::spawn(
            self.db.pool().clone(),
            jobs,
            Arc::new(FixedClock::at(at)),
            config,
        );
        let pending = format!(
            "SELECT count(*) AS n FROM kernel.jobs WHERE state IN ('queued', 'running') \
             AND run_at <= '{}'::timestamptz",
            at.to_rfc3339()
        );
        let deadline = Instant::now() + Duration::from_secs(20);
        while self.count(&pending).await > 0 {
            assert!(Instant::now() < deadline, "jobs still pending after 20 s");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        workers.shutdown(Duration::from_secs(5)).await;
    }

    /// Runs the jobs due now (by the wall clock: [`TestApp::dispatch_events`] records with it).
    pub async fn run_due_jobs(&self) {
        self.run_jobs_due_by(Utc::now()).await;
    }

    /// A dead `analytics-rollup` job (5 attempts, last error "connection refused", payload
    /// `{"date": "2026-11-24"}`), as the workers leave one; its id.
    pub async fn dead_job(&self) -> uuid::Uuid {
        let id = uuid::Uuid::now_v7();
        self.execute(&format!(
            "INSERT INTO kernel.jobs (id, name, payload, state, attempts, run_at, last_error, created_at, \
             updated_at, finished_at) VALUES ('{id}', 'analytics-rollup', '{{\"date\":\"2026-11-24\"}}', 'dead', \
             5, now(), 'connection refused', now(), now(), now())"
        ))
        .await;
        id
    }

    /// Leaves the oldest undispatched `event_type` event as the dispatcher does once the audit
    /// subscriber failed its every attempt: dead after 20 attempts, last error
    /// "audit: connection refused"; its id.
    pub async fn dead_event(&self, event_type: &str) -> uuid::Uuid {
        let mut conn = self.db.pool().get().await.expect("a connection");
        diesel::sql_query(
            "UPDATE kernel.outbox SET dead_at = now(), attempts = 20, next_attempt_at = NULL, \
               last_error = 'audit: connection refused' \
             WHERE event_id = (SELECT event_id FROM kernel.outbox WHERE event_type = $1 \
               AND dispatched_at IS NULL ORDER BY occurred_at LIMIT 1) \
             RETURNING event_id",
        )
        .bind::<Text, _>(event_type)
        .get_result::<EventId>(&mut conn)
        .await
        .unwrap_or_else(|e| panic!("no undispatched {event_type} event: {e}"))
        .event_id
    }
}

#[derive(diesel::QueryableByName)]
struct EventId {
    #[diesel(sql_type = diesel::sql_types::Uuid)]
    event_id: uuid::Uuid,
}

#[derive(diesel::QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// The link in a mail that goes to `path` (e.g. `/verify-email`) on the public site.
pub fn link_to(mail: &CapturedMail, path: &str) -> String {
    let prefix = format!("{ORIGIN_URL}{path}");
    mail.links()
        .into_iter()
        .find(|l| l.starts_with(&prefix))
        .unwrap_or_else(|| panic!("no {prefix} link in {:?}: {:?}", mail.subject(), mail.text_body()))
}

/// The `token` query parameter of a link.
pub fn token_of(link: &str) -> String {
    let url = url::Url::parse(link).expect("an absolute link");
    url.query_pairs().find(|(k, _)| k == "token").map(|(_, v)| v.into_owned()).expect("a token parameter")
}

/// The token of the invitation link (`/invitations/{token}`) in a mail.
pub fn invitation_token(mail: &CapturedMail) -> String {
    let link = link_to(mail, "/invitations/");
    link.rsplit('/').next().expect("a token").to_owned()
}

/// Asserts a rate-limited answer: `429 rate_limited` with `Retry-After` (whole seconds until the
/// window of `window_secs` resets, counted from `now`) and the `X-RateLimit-*` headers (the
/// budget `limit`, none remaining, the reset time agreeing with `Retry-After`).
#[track_caller]
pub fn assert_rate_limited(reply: &Reply, limit: u64, now: DateTime<Utc>, window_secs: i64) {
    assert_eq!(reply.status, StatusCode::TOO_MANY_REQUESTS, "body: {}", reply.text());
    assert_eq!(reply.json()["error"]["code"], "rate_limited");
    let retry_after: i64 =
        reply.header("retry-after").expect("a Retry-After header").parse().expect("seconds");
    assert!((1..=window_secs).contains(&retry_after), "Retry-After: {retry_after}");
    let (got_limit, remaining, reset) = reply.rate_limit().expect("X-RateLimit-* headers on a 429");
    assert_eq!((got_limit, remaining), (limit, 0));
    assert_eq!(reset - now.timestamp(), retry_after, "X-RateLimit-Reset and Retry-After disagree");
}

/// One request to send; by default a same-site browser request (mutating ones carry
/// `Origin: PUBLIC_URL`).
#[derive(Debug, Clone)]
pub struct Call {
    method: Method,
    path: String,
    headers: Vec<(String, String)>,
    body: Option<(String, Vec<u8>)>,
    origin: bool,
}

impl Call {
    pub fn new(method: Method, path: &str) -> Self {
        Self { method, path: path.to_owned(), headers: Vec::new(), body: None, origin: true }
    }

    pub fn get(path: &str) -> Self {
        Self::new(Method::GET, path)
    }

    pub fn post(path: &str) -> Self {
        Self::new(Method::POST, path)
    }

    pub fn patch(path: &str) -> Self {
        Self::new(Method::PATCH, path)
    }

    pub fn delete(path: &str) -> Self {
        Self::new(Method::DELETE, path)
    }

    /// A JSON body.
    pub fn json(self, value: &Value) -> Self {
        self.body("application/json", value.to_string())
    }

    /// A body of any type.
    pub fn body(mut self, content_type: &str, body: impl Into<Vec<u8>>) -> Self {
        self.body = Some((content_type.to_owned(), body.into()));
        self
    }

    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    /// Leaves out the automatic `Origin` header (send your own, a `Referer`, or nothing).
    pub fn without_origin(mut self) -> Self {
        self.origin = false;
        self
    }
}

/// A browser: an IP address and a cookie jar. Clones share the jar; [`Client::fork`] copies it.
#[derive(Debug, Clone)]
pub struct Client {
    router: Router,
    ip: IpAddr,
    jar: Arc<Mutex<BTreeMap<String, String>>>,
}

impl Client {
    /// Sends `call` with this client's cookies and address; keeps the cookies it sets.
    pub async fn send(&self, call: Call) -> Reply {
        let mutating = matches!(call.method, Method::POST | Method::PUT | Method::PATCH | Method::DELETE);
        let mut builder = Request::builder().method(call.method.clone()).uri(&call.path);
        let cookies = self.cookie_header();
        if !cookies.is_empty() {
            builder = builder.header(COOKIE, cookies);
        }
        if call.origin && mutating {
            builder = builder.header(ORIGIN, ORIGIN_URL);
        }
        for (name, value) in &call.headers {
            builder = builder.header(name.as_str(), value.as_str());
        }
        let body = match call.body {
            Some((content_type, bytes)) => {
                builder = builder.header(CONTENT_TYPE, content_type);
                Body::from(bytes)
            }
            None => Body::empty(),
        };
        let mut request = builder.body(body).expect("a valid request");
        request.extensions_mut().insert(ConnectInfo(SocketAddr::new(self.ip, 40_000)));
        let response = self.router.clone().oneshot(request).await.expect("the router is infallible");
        let (parts, body) = response.into_parts();
        let body = body.collect().await.expect("a readable body").to_bytes();
        let reply = Reply { status: parts.status, headers: parts.headers, body };
        self.keep_cookies(&reply.headers);
        reply
    }

    pub async fn get(&self, path: &str) -> Reply {
        self.send(Call::get(path)).await
    }

    pub async fn post(&self, path: &str, body: Value) -> Reply {
        self.send(Call::post(path).json(&body)).await
    }

    /// A POST without a body.
    pub async fn post_empty(&self, path: &str) -> Reply {
        self.send(Call::post(path)).await
    }

    pub async fn patch(&self, path: &str, body: Value) -> Reply {
        self.send(Call::patch(path).json(&body)).await
    }

    pub async fn delete(&self, path: &str) -> Reply {
        self.send(Call::delete(path)).await
    }

    /// `POST /api/auth/sign-in/email`.
    pub async fn sign_in(&self, email: &str, password: &str) -> Reply {
        self.post("/api/auth/sign-in/email", json!({"email": email, "password": password})).await
    }

    /// `GET /api/auth/session`.
    pub async fn session(&self) -> Reply {
        self.get("/api/auth/session").await
    }

    /// Makes `organization` active (expects 204).
    pub async fn activate(&self, organization: &str) {
        self.post("/api/v1/organizations/active", json!({"organizationId": organization}))
            .await
            .expect(StatusCode::NO_CONTENT);
    }

    /// A second browser holding a copy of this one's cookies (a stolen or copied cookie), with
    /// the same address.
    pub fn fork(&self) -> Self {
        let jar = self.jar.lock().unwrap_or_else(PoisonError::into_inner).clone();
        Self { router: self.router.clone(), ip: self.ip, jar: Arc::new(Mutex::new(jar)) }
    }

    /// The value of a cookie in the jar.
    pub fn cookie(&self, name: &str) -> Option<String> {
        self.jar.lock().unwrap_or_else(PoisonError::into_inner).get(name).cloned()
    }

    /// Puts a cookie in the jar (or removes it with `None`).
    pub fn set_cookie(&self, name: &str, value: Option<&str>) {
        let mut jar = self.jar.lock().unwrap_or_else(PoisonError::into_inner);
        match value {
            Some(value) => jar.insert(name.to_owned(), value.to_owned()),
            None => jar.remove(name),
        };
    }

    fn cookie_header(&self) -> String {
        let jar = self.jar.lock().unwrap_or_else(PoisonError::into_inner);
        jar.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("; ")
    }

    fn keep_cookies(&self, headers: &HeaderMap) {
        let mut jar = self.jar.lock().unwrap_or_else(PoisonError::into_inner);
        for line in headers.get_all(SET_COOKIE).iter().filter_map(|v| v.to_str().ok()) {
            let cookie = SetCookie::parse(line);
            if cookie.deletes() {
                jar.remove(&cookie.name);
            } else {
                jar.insert(cookie.name, cookie.value);
            }
        }
    }
}

/// One `Set-Cookie` line, parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetCookie {
    pub name: String,
    pub value: String,
    /// Attribute names (lower-case) and values (`""` for flags such as `httponly`).
    pub attributes: BTreeMap<String, String>,
}

impl SetCookie {
    pub fn parse(line: &str) -> Self {
        let mut parts = line.split(';');
        let (name, value) = parts.next().unwrap_or_default().split_once('=').unwrap_or_default();
        let attributes = parts
            .map(|attr| {
                let (k, v) = attr.split_once('=').unwrap_or((attr, ""));
                (k.trim().to_ascii_lowercase(), v.trim().to_owned())
            })
            .collect();
        Self { name: name.trim().to_owned(), value: value.trim().to_owned(), attributes }
    }

    pub fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes.get(&name.to_ascii_lowercase()).map(String::as_str)
    }

    /// Whether the cookie tells the browser to forget it (`Max-Age=0` or less, or an `Expires`
    /// in the past).
    pub fn deletes(&self) -> bool {
        let max_age = self.attribute("max-age").and_then(|v| v.parse::<i64>().ok());
        let expired = self
            .attribute("expires")
            .and_then(|v| DateTime::parse_from_rfc2822(&v.replace('-', " ")).ok())
            .is_some_and(|at| at < Utc::now());
        max_age.is_some_and(|age| age <= 0) || (max_age.is_none() && expired)
    }
}

/// A response, read whole.
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl Reply {
    /// Asserts the status (showing the body when it differs); the reply, for chaining.
    #[track_caller]
    pub fn expect(self, status: StatusCode) -> Self {
        assert_eq!(self.status, status, "unexpected status; body: {}", self.text());
        self
    }

    /// Asserts an error answer: the status and the `error.code`; the reply, for chaining.
    #[track_caller]
    pub fn expect_error(self, status: StatusCode, code: &str) -> Self {
        let reply = self.expect(status);
        assert_eq!(reply.json()["error"]["code"], code, "body: {}", reply.text());
        reply
    }

    /// Asserts a `409 conflict` answer that names its `reason` (snake_case, as on the wire).
    #[track_caller]
    pub fn expect_conflict(self, reason: &str) -> Self {
        let reply = self.expect_error(StatusCode::CONFLICT, "conflict");
        assert_eq!(reply.json()["error"]["reason"], reason, "body: {}", reply.text());
        reply
    }

    /// Asserts a `400 validation` answer whose `fields` names `field` with a problem, and whose
    /// `problems` names it with a code.
    #[track_caller]
    pub fn expect_invalid(self, field: &str) -> Self {
        let reply = self.expect_error(StatusCode::BAD_REQUEST, "validation");
        let error = &reply.json()["error"];
        assert!(
            error["fields"].get(field).and_then(Value::as_str).is_some_and(|p| !p.is_empty()),
            "{field} not named: {}",
            reply.text()
        );
        assert!(
            error["problems"][field]["code"].as_str().is_some_and(|c| !c.is_empty()),
            "{field} has no problem code: {}",
            reply.text()
        );
        reply
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    #[track_caller]
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("body is not JSON ({e}): {}", self.text()))
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// `X-RateLimit-Limit`, `X-RateLimit-Remaining` and `X-RateLimit-Reset` (unix seconds), if
    /// all three are there.
    pub fn rate_limit(&self) -> Option<(u64, u64, i64)> {
        let number = |name: &str| self.header(name).and_then(|v| v.parse::<i64>().ok());
        let limit = u64::try_from(number("x-ratelimit-limit")?).ok()?;
        let remaining = u64::try_from(number("x-ratelimit-remaining")?).ok()?;
        Some((limit, remaining, number("x-ratelimit-reset")?))
    }

    /// Every `Set-Cookie` of the response, parsed.
    pub fn set_cookies(&self) -> Vec<SetCookie> {
        self.headers
            .get_all(SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .map(SetCookie::parse)
            .collect()
    }

    /// The `Set-Cookie` for `name`, if the response sets it.
    pub fn set_cookie(&self, name: &str) -> Option<SetCookie> {
        self.set_cookies().into_iter().find(|c| c.name == name)
    }
}
