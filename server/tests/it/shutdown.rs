//! Graceful shutdown: once the signal comes, no new connections are taken, and requests already
//! in flight finish and get their response.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use axum::Router;
use axum::routing::get;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::oneshot;

async fn slow() -> &'static str {
    tokio::time::sleep(Duration::from_millis(400)).await;
    "finished"
}

#[tokio::test]
async fn in_flight_requests_finish_after_the_signal() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = oneshot::channel::<()>();
    let server = tokio::spawn(mibio_server::serve::run(
        listener,
        Router::new().route("/slow", get(slow)),
        async move {
            let _ = stopped.await;
        },
        Duration::from_secs(10),
    ));

    let mut client = TcpStream::connect(addr).await.unwrap();
    client.write_all(b"GET /slow HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n").await.unwrap();
    tokio::time::sleep(Duration::from_millis(100)).await;
    stop.send(()).unwrap();

    let mut response = String::new();
    client.read_to_string(&mut response).await.unwrap();
    assert!(response.starts_with("HTTP/1.1 200 OK"), "{response}");
    assert!(response.ends_with("finished"), "{response}");
    tokio::time::timeout(Duration::from_secs(5), server)
        .await
        .expect("server stops after draining")
        .unwrap()
        .unwrap();
    assert!(TcpStream::connect(addr).await.is_err(), "no new connections after shutdown");
}

#[tokio::test]
async fn a_request_that_outlives_the_grace_period_is_abandoned() {
    static FINISHED: AtomicBool = AtomicBool::new(false);
    async fn stuck() -> &'static str {
        tokio::time::sleep(Duration::from_secs(3)).await;
        FINISHED.store(true, Ordering::SeqCst);
        "finished"
    }
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = oneshot::channel::<()>();
    let server = tokio::spawn(mibio_server::serve::run(
        listener,
        Router::new().route("/stuck", get(stuck)),
        async move {
            let _ = stopped.await;
        },
        Duration::from_millis(50),
    ));
    let mut client = TcpStream::connect(addr).await.unwrap();
    client.write_all(b"GET /stuck HTTP/1.1\r\nHost: test\r\n\r\n").await.unwrap();
    tokio::time::sleep(Duration::from_millis(50)).await;
    stop.send(()).unwrap();
    tokio::time::timeout(Duration::from_secs(5), server).await.unwrap().unwrap().unwrap();
    // `run` returned (and `main` would exit) while the stuck handler was still running.
    assert!(!FINISHED.load(Ordering::SeqCst), "run waited for the stuck request");
}
