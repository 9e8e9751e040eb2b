//! The billing context: plans (in code), the organization's subscription (the local row is the
//! only truth the app reads), the `PaymentProvider` port and webhook ingest.
//!
//! What exists (issue #17):
//! - `domain::plan`: `free`, `pro`, `business` in code, priced in USD, MXN, BRL and ARS per month
//!   and year, capping pages, leads per month and members; wire types in `contracts::billing`.
//! - `domain::subscription`: the subscription and when it grants access (canceled and past due
//!   keep the paid period).
//! - `domain::provider`: the `PaymentProvider` port (with `offers(plan, currency, interval)`) and
//!   the provider-neutral `ProviderEvent`.
//! - `domain::signatures`: the Stripe (any matching `v1`), Mercado Pago (`x-signature` manifest)
//!   and Standard Webhooks (Polar) verifiers, pure and tested against independent signatures, with
//!   `verify_*` helpers reading a delivery's `HeaderMap`.
//! - `domain::events`: `subscription.activated|updated|canceled`, `payment.failed`.
//! - [`providers`]: the Stripe (Checkout Sessions, Billing Portal, `checkout.session.completed`,
//!   `customer.subscription.*`, `invoice.payment_failed`), Mercado Pago (`preapproval`,
//!   `subscription_preapproval` notifications read back from the API; its "portal" is the
//!   subscriber's Mercado Pago subscriptions page) and Polar (checkouts, customer sessions,
//!   `subscription.*`) adapters over reqwest, tested against wiremock.
//! - `application`: `apply_event` (dedupe on the provider's event id, no regression on
//!   out-of-order delivery, a known period kept when an event omits it, `subscription.activated`
//!   only when access starts, outbox in the same transaction), `current_subscription`
//!   (`billing:read`), `require_active_subscription` (402 `subscription_required`), `list_plans`,
//!   `active_plan`, `start_checkout` and `open_portal` (`billing:manage`), `billing_overview`
//!   (`billing:read`), `ingest_webhook` (no actor: the signature), `subscriptions_by_status` and
//!   `subscription_of` (the platform console).
//! - the `billing` schema (`migrations/*_billing`) and its repository.
//!
//! What is next (the host's half): `PAYMENT_PROVIDER` and the adapters' settings in the host's
//! config (`none`: checkout and portal 503, webhooks 404); the `/webhooks/{provider}` route (200
//! on `Ignored`/`Duplicate`/`Stale`, 400 on `BadWebhook`); the `/api/v1/billing/*` routes and
//! server functions; the screens; the admin console's subscription counts; the
//! `GetActiveSubscription` port for `usage`. In billing: refusing a checkout while a paid
//! subscription is running (today a second checkout starts a second subscription at the
//! provider; plan changes belong to the portal).

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
