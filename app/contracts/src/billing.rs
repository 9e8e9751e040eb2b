//! Billing's wire types: the plans (`GET /api/v1/billing/plans`) and the organization's
//! subscription (`GET /api/v1/billing/subscription`). Plan ids, currencies, intervals and statuses
//! are closed sets, so each is an enum with a stable lowercase wire form.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A plan of the product.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PlanId {
    Free,
    Pro,
    Business,
}

/// A currency a plan may be priced in (ISO 4217).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "UPPERCASE")]
pub enum Currency {
    Usd,
    Mxn,
    Brl,
    Ars,
    Cop,
    Clp,
}

/// How often a price is charged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum BillingInterval {
    Month,
    Year,
}

/// Where a subscription stands, as the payment provider last told us.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SubscriptionStatus {
    Trialing,
    Active,
    PastDue,
    Canceled,
    Incomplete,
}

/// A usage meter a plan caps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Meter {
    /// Pages an organization may have.
    Pages,
    /// Leads captured per calendar month.
    LeadsPerMonth,
    /// Members of the organization.
    Members,
}

/// One price of a plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct PriceView {
    pub currency: Currency,
    pub interval: BillingInterval,
    /// In the currency's minor unit (cents, centavos).
    pub amount_minor: i64,
}

/// A cap of a plan: `limit` is `None` when unlimited.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct CapView {
    pub meter: Meter,
    pub limit: Option<u32>,
}

/// A plan as the pricing screen shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct PlanView {
    pub id: PlanId,
    pub name: String,
    pub prices: Vec<PriceView>,
    pub caps: Vec<CapView>,
}

/// `GET /api/v1/billing/plans`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct PlansView {
    pub plans: Vec<PlanView>,
}

/// `GET /api/v1/billing/subscription`: the organization's plan; `free` with no provider when it
/// never subscribed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct SubscriptionView {
    pub plan_id: PlanId,
    pub status: SubscriptionStatus,
    /// `stripe`, `mercadopago`, `polar`; `None` on the free plan.
    pub provider: Option<String>,
    /// RFC 3339.
    pub current_period_end: Option<String>,
    pub cancel_at_period_end: bool,
}

/// `POST /api/v1/billing/checkout`: the plan to pay for. The interval defaults to monthly and
/// the currency to the plan's first (USD).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CheckoutBody {
    pub plan_id: PlanId,
    #[serde(default)]
    pub interval: Option<BillingInterval>,
    #[serde(default)]
    pub currency: Option<Currency>,
}

/// `POST /api/v1/billing/checkout` and `POST /api/v1/billing/portal`: where to send the browser
/// (the provider's hosted checkout or customer portal).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct RedirectView {
    pub url: String,
}

/// What the dashboard's billing screen shows, in one call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BillingOverview {
    pub plans: Vec<PlanView>,
    pub subscription: SubscriptionView,
    /// The configured provider's key (`stripe`, `mercadopago`, `polar`); `None` when billing is
    /// not set up (`PAYMENT_PROVIDER=none`): checkout and portal answer 503 then.
    pub provider: Option<String>,
    /// Whether the caller holds `billing:manage` (may upgrade and open the portal).
    pub can_manage: bool,
}

/// A stable lowercase key that is not one of an enum's values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownKey(pub String);

impl fmt::Display for UnknownKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown value `{}`", self.0)
    }
}

impl std::error::Error for UnknownKey {}

macro_rules! keyed {
    ($ty:ident { $($variant:ident => $key:literal),+ $(,)? }) => {
        impl $ty {
            /// Every value, in display order.
            pub const ALL: &'static [Self] = &[$(Self::$variant),+];

            /// The stable key (storage, URLs, the wire).
            #[must_use]
            pub const fn key(self) -> &'static str {
                match self { $(Self::$variant => $key),+ }
            }
        }

        impl fmt::Display for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.key())
            }
        }

        impl FromStr for $ty {
            type Err = UnknownKey;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $($key => Ok(Self::$variant),)+
                    other => Err(UnknownKey(other.to_owned())),
                }
            }
        }
    };
}

keyed!(PlanId { Free => "free", Pro => "pro", Business => "business" });
keyed!(Currency { Usd => "USD", Mxn => "MXN", Brl => "BRL", Ars => "ARS", Cop => "COP", Clp => "CLP" });
keyed!(BillingInterval { Month => "month", Year => "year" });
keyed!(SubscriptionStatus {
    Trialing => "trialing",
    Active => "active",
    PastDue => "past_due",
    Canceled => "canceled",
    Incomplete => "incomplete",
});
keyed!(Meter { Pages => "pages", LeadsPerMonth => "leads_per_month", Members => "members" });

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_round_trip_and_match_serde() {
        for s in SubscriptionStatus::ALL {
            assert_eq!(s.key().parse::<SubscriptionStatus>(), Ok(*s));
            assert_eq!(serde_json::to_value(s).unwrap(), serde_json::json!(s.key()));
        }
        for c in Currency::ALL {
            assert_eq!(serde_json::to_value(c).unwrap(), serde_json::json!(c.key()));
        }
        for p in PlanId::ALL {
            assert_eq!(p.key().parse::<PlanId>(), Ok(*p));
        }
        assert!("gold".parse::<PlanId>().is_err());
    }

    #[test]
    fn views_are_camel_case_as_in_http_api_md() {
        let view = SubscriptionView {
            plan_id: PlanId::Pro,
            status: SubscriptionStatus::PastDue,
            provider: Some("stripe".to_owned()),
            current_period_end: Some("2026-12-31T00:00:00+00:00".to_owned()),
            cancel_at_period_end: true,
        };
        assert_eq!(
            serde_json::to_value(&view).unwrap(),
            serde_json::json!({
                "planId": "pro",
                "status": "past_due",
                "provider": "stripe",
                "currentPeriodEnd": "2026-12-31T00:00:00+00:00",
                "cancelAtPeriodEnd": true,
            })
        );
        let price =
            PriceView { currency: Currency::Mxn, interval: BillingInterval::Year, amount_minor: 179_000 };
        assert_eq!(
            serde_json::to_value(&price).unwrap(),
            serde_json::json!({"currency": "MXN", "interval": "year", "amountMinor": 179_000})
        );
        let cap = CapView { meter: Meter::LeadsPerMonth, limit: None };
        assert_eq!(
            serde_json::to_value(&cap).unwrap(),
            serde_json::json!({"meter": "leads_per_month", "limit": null})
        );
    }
}
