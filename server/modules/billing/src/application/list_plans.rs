//! The plans, for the pricing screen (`GET /api/v1/billing/plans`; public, no permission).

use contracts::billing::PlansView;

use crate::domain::plan::PLANS;

/// Every plan with its prices and caps, cheapest first.
#[must_use]
pub fn list_plans() -> PlansView {
    PlansView { plans: PLANS.iter().map(|p| p.view()).collect() }
}

#[cfg(test)]
mod tests {
    use contracts::billing::PlanId;

    use super::*;

    #[test]
    fn lists_free_pro_business_in_order() {
        let ids: Vec<PlanId> = list_plans().plans.iter().map(|p| p.id).collect();
        assert_eq!(ids, [PlanId::Free, PlanId::Pro, PlanId::Business]);
    }
}
