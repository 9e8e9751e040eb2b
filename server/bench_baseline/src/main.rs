//! `bench-baseline ADDR`: a bare axum 0.8 "Hello, World!" — one route, no middleware, no state,
//! no logging — served on the same tokio runtime (multi-threaded) and with the same listener
//! setting (`TCP_NODELAY`) as `mibio serve`. `scripts/bench` loads it in the same run as the
//! host's routes and prints every route's CPU per request as a multiple of this one's, so the
//! numbers compare across machines and loads.

use std::net::SocketAddr;
use std::process::ExitCode;

use axum::Router;
use axum::routing::get;
use axum::serve::ListenerExt as _;
use tokio::net::TcpListener;

#[tokio::main]
async fn main() -> ExitCode {
    let Some(addr) = std::env::args().nth(1).and_then(|a| a.parse::<SocketAddr>().ok()) else {
        eprintln!("usage: bench-baseline ADDR (e.g. 127.0.0.1:3999)");
        return ExitCode::from(2);
    };
    let listener = match TcpListener::bind(addr).await {
        Ok(listener) => listener.tap_io(|tcp| {
            let _ = tcp.set_nodelay(true);
        }),
        Err(err) => {
            eprintln!("bench-baseline: could not listen on {addr}: {err}");
            return ExitCode::FAILURE;
        }
    };
    let app = Router::new().route("/", get(|| async { "Hello, World!" }));
    match axum::serve(listener, app).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("bench-baseline: {err}");
            ExitCode::FAILURE
        }
    }
}
