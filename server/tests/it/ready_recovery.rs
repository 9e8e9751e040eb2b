//! `/ready` turns 503 while Postgres is unreachable and 200 again once it is back, without
//! restarting the app. The database "goes away" behind a TCP proxy this test controls, so the
//! shared test server itself keeps running.

use crate::common;

use std::net::SocketAddr;

use axum::http::StatusCode;
use common::app::TestApp;
use common::{get, json};
use test_db::TestDb;
use tokio::net::{TcpSocket, TcpStream};
use tokio::task::JoinSet;

/// A TCP forwarder to the real Postgres that can be cut and restored on the same port.
struct Proxy {
    addr: SocketAddr,
    upstream: SocketAddr,
    tasks: Option<JoinSet<()>>,
}

impl Proxy {
    async fn start(upstream: SocketAddr) -> Self {
        let mut proxy = Self { addr: "127.0.0.1:0".parse().unwrap(), upstream, tasks: None };
        proxy.up().await;
        proxy
    }

    async fn up(&mut self) {
        let socket = TcpSocket::new_v4().unwrap();
        socket.set_reuseaddr(true).unwrap();
        socket.bind(self.addr).unwrap();
        let listener = socket.listen(64).unwrap();
        self.addr = listener.local_addr().unwrap();
        let upstream = self.upstream;
        let mut tasks = JoinSet::new();
        tasks.spawn(async move {
            let mut connections = JoinSet::new();
            while let Ok((mut client, _)) = listener.accept().await {
                connections.spawn(async move {
                    if let Ok(mut server) = TcpStream::connect(upstream).await {
                        let _ = tokio::io::copy_bidirectional(&mut client, &mut server).await;
                    }
                });
            }
        });
        self.tasks = Some(tasks);
    }

    /// Closes the listener and every forwarded connection (dropping the set aborts them all).
    fn down(&mut self) {
        self.tasks = None;
    }
}

/// The test server's `host[:port]` as written in the admin URL, and its socket address.
fn upstream() -> (String, SocketAddr) {
    let url = test_db::admin_url();
    let authority = url.split("://").nth(1).unwrap().split('/').next().unwrap();
    let written = authority.rsplit('@').next().unwrap().to_owned();
    let with_port = if written.contains(':') { written.clone() } else { format!("{written}:5432") };
    let addr = with_port
        .replace("localhost", "127.0.0.1")
        .parse()
        .unwrap_or_else(|_| panic!("cannot proxy to {written}"));
    (written, addr)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ready_follows_the_database_down_and_back_up() {
    let db = TestDb::new().await;
    let (written, addr) = upstream();
    let mut proxy = Proxy::start(addr).await;
    let through_proxy = db.url().replacen(&format!("@{written}/"), &format!("@{}/", proxy.addr), 1);
    assert_ne!(through_proxy, db.url(), "the pool must go through the proxy");
    let router =
        mibio_server::http::router(mibio_server::serve::build_state(common::config(&through_proxy)).unwrap());

    assert_eq!(get(&router, "/ready").await.status(), StatusCode::OK);

    proxy.down();
    let res = get(&router, "/ready").await;
    assert_eq!(res.status(), StatusCode::SERVICE_UNAVAILABLE);
    let body = json(res).await;
    assert_eq!(body["failing"], "database", "{body}");
    assert_eq!(body["error"]["code"], "unavailable");
    assert!(body["error"]["message"].as_str().unwrap().starts_with("database"), "{body}");
    // Liveness does not depend on the database.
    assert_eq!(get(&router, "/health").await.status(), StatusCode::OK);

    proxy.up().await;
    assert_eq!(get(&router, "/ready").await.status(), StatusCode::OK);
}

/// A request carrying a session while the database is down answers `503 unavailable`, like the
/// rest, not the session layer's bare `500` (found by scripts/reliability/db-faults), and works
/// again once the database is back.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_signed_in_request_answers_503_while_the_database_is_down() {
    let (written, addr) = upstream();
    let mut proxy = Proxy::start(addr).await;
    let through = format!("@{}/", proxy.addr);
    let app = TestApp::routed(&[], |url| url.replacen(&format!("@{written}/"), &through, 1)).await;
    let (client, _) = app.user("ana@example.com").await;
    client.get("/api/v1/me").await.expect(StatusCode::OK);

    proxy.down();
    client.get("/api/v1/me").await.expect_error(StatusCode::SERVICE_UNAVAILABLE, "unavailable");
    client.get("/api/v1/links/pages").await.expect_error(StatusCode::SERVICE_UNAVAILABLE, "unavailable");

    proxy.up().await;
    client.get("/api/v1/me").await.expect(StatusCode::OK);
}
