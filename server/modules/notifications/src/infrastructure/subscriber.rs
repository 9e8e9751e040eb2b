//! The outbox subscriber that turns domain events into notifications and email jobs.

use runtime::outbox::{EventEnvelope, Subscriber};

use crate::application::events::CONSUMED;
use crate::application::{NotificationsCtx, handle_event};

/// The subscriber's name: its delivery progress is tracked under it.
pub const NAME: &str = "notifications";

/// Hands `user.created`, `lead.captured`, `payment.failed`, `usage.quota_exceeded` and
/// `membership.removed` to [`handle_event`] (who is told what: see there). Idempotent on the
/// event id. Register it in the host's `server/src/jobs.rs::subscribers`.
#[derive(Debug, Clone)]
pub struct NotificationsSubscriber(pub NotificationsCtx);

#[async_trait::async_trait]
impl Subscriber for NotificationsSubscriber {
    fn name(&self) -> &'static str {
        NAME
    }

    fn wants(&self, event_type: &str) -> bool {
        CONSUMED.contains(&event_type)
    }

    async fn handle(&self, event: &EventEnvelope) -> anyhow::Result<()> {
        handle_event(&self.0, event).await?;
        Ok(())
    }
}
