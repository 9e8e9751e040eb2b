//! Cross-process signals over Postgres `LISTEN`/`NOTIFY`: with several replicas of the host, a
//! write in one process must reach the in-process caches of all the others. A writer sends
//! `pg_notify(channel, payload)` inside its transaction (delivered only on commit); every process
//! runs one [`spawn_listener`] task.
//!
//! Notices can be lost while the listening connection is down, so after every (re)connection
//! the handler gets [`Signal::Connected`] and must assume anything may have changed (drop its
//! caches).

use std::future::poll_fn;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::mpsc;
use tokio::task::JoinHandle;
use tokio_postgres::{AsyncMessage, NoTls};

/// What the listener tells its handler.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Signal {
    /// The listener (re)connected: notices sent while it was away are lost.
    Connected,
    /// A notice on one of the channels.
    Notice { channel: String, payload: String },
}

/// The handler of signals; called on the listener's task, so it must be quick.
pub type Handler = Arc<dyn Fn(Signal) + Send + Sync>;

/// Listens on `channels` of the database at `url` for as long as the returned task runs,
/// reconnecting with backoff (up to 10 s) when the connection drops.
#[must_use]
pub fn spawn_listener(url: String, channels: &[&'static str], handler: Handler) -> JoinHandle<()> {
    let listen = channels.iter().map(|c| format!("LISTEN \"{c}\";")).collect::<String>();
    tokio::spawn(async move {
        let mut delay = Duration::from_millis(250);
        loop {
            match listen_once(&url, &listen, &handler).await {
                Ok(()) => tracing::warn!("notification listener disconnected; reconnecting"),
                Err(e) => {
                    tracing::warn!(error = %e, retry_in_ms = delay.as_millis(), "notification listener failed")
                }
            }
            tokio::time::sleep(delay).await;
            delay = (delay * 2).min(Duration::from_secs(10));
        }
    })
}

async fn listen_once(url: &str, listen: &str, handler: &Handler) -> Result<(), tokio_postgres::Error> {
    let (client, mut connection) = tokio_postgres::connect(url, NoTls).await?;
    let (tx, mut rx) = mpsc::unbounded_channel();
    // The connection must be polled for the LISTEN to complete and for notices to arrive.
    let pump = tokio::spawn(async move {
        while let Some(message) = poll_fn(|cx| connection.poll_message(cx)).await {
            match message {
                Ok(AsyncMessage::Notification(n)) => {
                    if tx.send(n).is_err() {
                        break;
                    }
                }
                Ok(_) => {}
                Err(e) => {
                    tracing::warn!(error = %e, "notification connection error");
                    break;
                }
            }
        }
    });
    let result = async {
        client.batch_execute(listen).await?;
        tracing::debug!("listening for cross-process notices");
        handler(Signal::Connected);
        while let Some(n) = rx.recv().await {
            handler(Signal::Notice { channel: n.channel().to_owned(), payload: n.payload().to_owned() });
        }
        Ok(())
    }
    .await;
    pump.abort();
    drop(client);
    result
}
