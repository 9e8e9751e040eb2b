//! The billing context: plans (in code), the organization's subscription (the local row is the
//! only truth the app reads), the `PaymentProvider` port and webhook ingest.
//!
//! What exists (issue #17, first slice):
//! - `domain::plan`: `free`, `pro`, `business` in code, priced in USD, MXN, BRL and ARS per month
//!   and year, capping pages, leads per month and members; wire types in `contracts::billing`.
//! - `domain::subscription`: the subscription and when it grants access (canceled and past due
//!   keep the paid period).
//! - `domain::provider`: the `PaymentProvider` port and the provider-neutral `ProviderEvent`.
//! - `domain::signatures`: the Stripe (any matching `v1`), Mercado Pago (`x-signature` manifest)
//!   and Standard Webhooks (Polar) verifiers, pure and tested against independent signatures, with
//!   `verify_*` helpers reading a delivery's `HeaderMap`.
//! - `domain::events`: `subscription.activated|updated|canceled`, `payment.failed`.
//! - `application`: `apply_event` (dedupe on the provider's event id, no regression on
//!   out-of-order delivery, outbox in the same transaction), `current_subscription`
//!   (`billing:read`), `require_active_subscription` (402 `subscription_required`), `list_plans`.
//! - the `billing` schema (`migrations/*_billing`) and its repository.
//!
//! What is next: the three adapters (async-stripe for Stripe with only the features used —
//! checkout with `subscription_data.metadata` naming organization and plan, portal, event types;
//! reqwest for Mercado Pago's preapproval and Polar's checkout and portal) tested with wiremock;
//! `PAYMENT_PROVIDER` (and `none`: 503); a `checkout` use case (`billing:manage`); the
//! `/webhooks/{provider}` ingest (200 on `Ignored`/`Duplicate`, 400 on a bad signature) and the
//! `/api/v1/billing/*` routes; the screens; the admin console's subscription counts; the
//! `GetActiveSubscription` port for `usage`.

pub mod application;
pub mod domain;
pub(crate) mod infrastructure;

/// The payment providers' adapters. The host's configuration builds the one `PAYMENT_PROVIDER`
/// names and hands it to [`BillingCtx`].
pub mod providers {
    pub use crate::infrastructure::providers::mercadopago::{
        DEFAULT_API_BASE as MERCADOPAGO_API_BASE, DEFAULT_PORTAL_URL as MERCADOPAGO_PORTAL_URL,
    };
    pub use crate::infrastructure::providers::polar::DEFAULT_API_BASE as POLAR_API_BASE;
    pub use crate::infrastructure::providers::stripe::DEFAULT_API_BASE as STRIPE_API_BASE;
    pub use crate::infrastructure::providers::{
        MercadoPagoConfig, MercadoPagoProvider, PolarConfig, PolarProvider, PriceIds, StripeConfig,
        StripeProvider,
    };
}

pub use application::{Applied, BillingCtx, BillingError, Ingested};
pub use domain::plan::{PLANS, Plan};
pub use domain::provider::{PaymentProvider, ProviderEvent, ProviderEventKind, WebhookError};
pub use domain::subscription::{ProviderKind, Subscription, SubscriptionId};
