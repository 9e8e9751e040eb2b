//! Keeping the snapshot fresh in a running server: a reload whenever another replica announces
//! a write (`NOTIFY` on [`CHANGE_CHANNEL`]), after every (re)connection of the listener (notices
//! may have been lost meanwhile), and every [`REFRESH_EVERY`] regardless, as a safety net.
//! Wake-ups that arrive during a reload are coalesced into one more reload.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Notify;
use tokio::task::JoinHandle;

use crate::application::FeatureFlags;
use crate::infrastructure::store::CHANGE_CHANNEL;

/// The safety refresh interval.
pub const REFRESH_EVERY: Duration = Duration::from_secs(60);

/// The running refresher; dropping it stops it.
#[derive(Debug)]
pub struct Refresher {
    listener: JoinHandle<()>,
    task: JoinHandle<()>,
}

impl Drop for Refresher {
    fn drop(&mut self) {
        self.listener.abort();
        self.task.abort();
    }
}

impl FeatureFlags {
    /// Starts refreshing this snapshot (must be called in a Tokio runtime): listens on
    /// `database_url` for change notices and reloads on each, and every `every`.
    #[must_use]
    pub fn spawn_refresher(&self, database_url: String, every: Duration) -> Refresher {
        let wake = Arc::new(Notify::new());
        let listener = {
            let wake = Arc::clone(&wake);
            runtime::notify::spawn_listener(
                database_url,
                &[CHANGE_CHANNEL],
                Arc::new(move |_| wake.notify_one()),
            )
        };
        let flags = self.clone();
        let task = tokio::spawn(async move {
            loop {
                tokio::select! {
                    () = tokio::time::sleep(every) => {}
                    () = wake.notified() => {}
                }
                match flags.reload().await {
                    Ok(()) => tracing::debug!("feature flags reloaded"),
                    Err(e) => {
                        tracing::warn!(error = %e, "feature flags could not be reloaded; keeping the last snapshot")
                    }
                }
            }
        });
        Refresher { listener, task }
    }
}
