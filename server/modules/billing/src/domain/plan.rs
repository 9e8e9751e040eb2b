//! The plans, defined in code: what each costs per currency and interval and what it caps. The
//! pricing screen, checkout and the usage context read them from here.

pub use contracts::billing::{BillingInterval, Currency, Meter, PlanId};
use contracts::billing::{CapView, PlanView, PriceView};

/// A price: an amount in the currency's minor unit, charged every `interval`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Price {
    pub currency: Currency,
    pub interval: BillingInterval,
    pub amount_minor: i64,
}

/// A cap on a usage meter; `None` is unlimited.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cap {
    pub meter: Meter,
    pub limit: Option<u32>,
}

/// A plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Plan {
    pub id: PlanId,
    pub name: &'static str,
    pub prices: &'static [Price],
    pub caps: &'static [Cap],
}

/// A price of whole units (every currency here has 100 minor units to the major).
const fn price(currency: Currency, interval: BillingInterval, major: i64) -> Price {
    Price { currency, interval, amount_minor: major * 100 }
}

const fn cap(meter: Meter, limit: Option<u32>) -> Cap {
    Cap { meter, limit }
}

use BillingInterval::{Month, Year};
use Currency::{Ars, Brl, Mxn, Usd};

/// Every plan, cheapest first. Yearly prices are ten months' worth.
pub const PLANS: [Plan; 3] = [
    Plan {
        id: PlanId::Free,
        name: "Free",
        prices: &[],
        caps: &[
            cap(Meter::Pages, Some(1)),
            cap(Meter::LeadsPerMonth, Some(50)),
            cap(Meter::Members, Some(1)),
        ],
    },
    Plan {
        id: PlanId::Pro,
        name: "Pro",
        prices: &[
            price(Usd, Month, 9),
            price(Usd, Year, 90),
            price(Mxn, Month, 179),
            price(Mxn, Year, 1_790),
            price(Brl, Month, 49),
            price(Brl, Year, 490),
            price(Ars, Month, 9_900),
            price(Ars, Year, 99_000),
        ],
        caps: &[
            cap(Meter::Pages, Some(10)),
            cap(Meter::LeadsPerMonth, Some(2_000)),
            cap(Meter::Members, Some(3)),
        ],
    },
    Plan {
        id: PlanId::Business,
        name: "Business",
        prices: &[
            price(Usd, Month, 29),
            price(Usd, Year, 290),
            price(Mxn, Month, 579),
            price(Mxn, Year, 5_790),
            price(Brl, Month, 159),
            price(Brl, Year, 1_590),
            price(Ars, Month, 31_900),
            price(Ars, Year, 319_000),
        ],
        caps: &[cap(Meter::Pages, None), cap(Meter::LeadsPerMonth, None), cap(Meter::Members, Some(25))],
    },
];

impl Plan {
    /// The plan with this id.
    #[must_use]
    pub fn get(id: PlanId) -> &'static Self {
        match id {
            PlanId::Free => &PLANS[0],
            PlanId::Pro => &PLANS[1],
            PlanId::Business => &PLANS[2],
        }
    }

    /// The price in `currency` every `interval`, when the plan has one.
    #[must_use]
    pub fn price(&self, currency: Currency, interval: BillingInterval) -> Option<Price> {
        self.prices.iter().copied().find(|p| p.currency == currency && p.interval == interval)
    }

    /// The cap on `meter`: `None` when unlimited (or not capped).
    #[must_use]
    pub fn limit(&self, meter: Meter) -> Option<u32> {
        self.caps.iter().find(|c| c.meter == meter).and_then(|c| c.limit)
    }

    /// Whether it costs money (and so goes through a payment provider).
    #[must_use]
    pub fn is_paid(&self) -> bool {
        !self.prices.is_empty()
    }

    /// The wire form.
    #[must_use]
    pub fn view(&self) -> PlanView {
        PlanView {
            id: self.id,
            name: self.name.to_owned(),
            prices: self
                .prices
                .iter()
                .map(|p| PriceView {
                    currency: p.currency,
                    interval: p.interval,
                    amount_minor: p.amount_minor,
                })
                .collect(),
            caps: self.caps.iter().map(|c| CapView { meter: c.meter, limit: c.limit }).collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn get_finds_each_plan_by_its_id() {
        for id in PlanId::ALL {
            assert_eq!(Plan::get(*id).id, *id);
        }
    }

    #[test]
    fn free_is_free_and_paid_plans_are_priced_in_every_currency_and_interval() {
        assert!(!Plan::get(PlanId::Free).is_paid());
        for id in [PlanId::Pro, PlanId::Business] {
            let plan = Plan::get(id);
            for currency in [Usd, Mxn, Brl, Ars] {
                let month = plan.price(currency, Month).map(|p| p.amount_minor);
                let year = plan.price(currency, Year).map(|p| p.amount_minor);
                assert_eq!(year, month.map(|m| m * 10), "{id} {currency}");
            }
        }
    }

    #[test]
    fn higher_plans_never_cap_lower() {
        for meter in Meter::ALL {
            let limits: Vec<_> = PLANS.iter().map(|p| p.limit(*meter).map_or(u64::MAX, u64::from)).collect();
            assert!(limits.windows(2).all(|w| w[0] <= w[1]), "{meter}: {limits:?}");
        }
    }

    #[test]
    fn business_leads_are_unlimited() {
        assert_eq!(Plan::get(PlanId::Business).limit(Meter::LeadsPerMonth), None);
        assert_eq!(Plan::get(PlanId::Free).limit(Meter::Pages), Some(1));
    }
}
