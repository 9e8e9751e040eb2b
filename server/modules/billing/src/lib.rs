//! The billing context: plans (in code), the organization's subscription (the local row is the
//! only truth the app reads), the `PaymentProvider` port and webhook ingest.
//!
//! What exists:
//! - `domain::plan`: `free`, `pro`, `business`, prices per currency and interval, usage caps.
//! - `domain::subscription`: the subscription and when it grants access.
//! - `domain::provider`: the `PaymentProvider` port and the provider-neutral `ProviderEvent`.
//! - `domain::signatures`: Stripe, Mercado Pago and Standard Webhooks (Polar) verifiers.
//! - `domain::events`: `subscription.activated|updated|canceled`, `payment.failed`.
//! - the `billing` schema (`migrations/*_billing`) and its diesel view.
//!
//! What is next: the adapters (async-stripe; reqwest for Mercado Pago's preapproval and Polar),
//! the `/webhooks/{provider}` ingest and `/api/v1/billing/*` routes, the screens.

pub mod application;
pub mod domain;
pub(crate) mod infrastructure;

pub use application::{Applied, BillingCtx, BillingError};
pub use domain::plan::{PLANS, Plan};
pub use domain::provider::{PaymentProvider, ProviderEvent, ProviderEventKind, WebhookError};
pub use domain::subscription::{ProviderKind, Subscription, SubscriptionId};
