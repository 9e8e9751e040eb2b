//! The outbox subscriber that feeds the log.

use runtime::outbox::{EventEnvelope, Subscriber};

use crate::application::{AuditCtx, record};
use crate::domain::actions::is_audited;

/// Writes an entry for every audited event ([`crate::AUDITED`]) and for every event recorded
/// during an impersonation, whatever its type. Idempotent on the event id.
#[derive(Debug, Clone)]
pub struct AuditSubscriber(pub AuditCtx);

/// The subscriber's name: its delivery progress is tracked under it.
pub const NAME: &str = "audit";

#[async_trait::async_trait]
impl Subscriber for AuditSubscriber {
    fn name(&self) -> &'static str {
        NAME
    }

    fn wants(&self, event_type: &str) -> bool {
        is_audited(event_type)
    }

    fn wants_event(&self, event: &EventEnvelope) -> bool {
        self.wants(&event.event_type) || event.impersonator_id.is_some()
    }

    async fn handle(&self, event: &EventEnvelope) -> anyhow::Result<()> {
        record(&self.0, event).await?;
        Ok(())
    }
}
