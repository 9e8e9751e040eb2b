//! A payment provider's webhook delivery, verified and applied.

use crate::application::{Applied, BillingCtx, BillingError, apply_event};
use crate::domain::provider::{WebhookError, WebhookRequest};
use crate::domain::subscription::ProviderKind;

/// What a delivery did. The HTTP door answers 200 to both: the provider must stop retrying.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ingested {
    /// A billing event: applied, or a duplicate or stale one (see [`Applied`]).
    Applied(Applied),
    /// Signed, but nothing billing acts on (another event type, another integration's object).
    Ignored,
}

/// Verifies a delivery to `/webhooks/{provider}` with the configured provider's secret and
/// applies its event. No actor: the provider calls, and the signature is its credential.
///
/// # Errors
/// `UnknownProvider` when `provider` is not the configured one (or none is); `BadWebhook` when
/// the signature does not verify (nothing is stored) or a signed body does not parse;
/// `Provider(Unavailable)` when the provider had to be asked and could not be;
/// `UnknownOrganization`, `Unavailable`, `Internal` from [`apply_event`].
#[tracing::instrument(skip(ctx, request), fields(provider = provider.key()))]
pub async fn ingest_webhook(
    ctx: &BillingCtx,
    provider: ProviderKind,
    request: WebhookRequest<'_>,
) -> Result<Ingested, BillingError> {
    let configured =
        ctx.provider.as_deref().filter(|p| p.kind() == provider).ok_or(BillingError::UnknownProvider)?;
    let event = match configured.verify_and_parse_webhook(request, ctx.clock.now()).await {
        Ok(event) => event,
        Err(WebhookError::Ignored(what)) => {
            tracing::info!(%what, "webhook ignored");
            return Ok(Ingested::Ignored);
        }
        Err(e @ (WebhookError::Signature(_) | WebhookError::Malformed(_))) => {
            tracing::warn!(error = %e, "webhook refused");
            return Err(BillingError::BadWebhook(e.to_string()));
        }
        Err(WebhookError::Provider(e)) => return Err(e.into()),
    };
    Ok(Ingested::Applied(apply_event(ctx, &event).await?))
}
