//! Meter definitions: what is counted, when its count starts again, and each plan's cap. The
//! contexts that own a meter register it at start-up; the caps come from the plans (billing's
//! `PLANS`), so the pricing screen and the enforcer read the same numbers.

use std::collections::BTreeMap;

use contracts::billing::PlanId;
use contracts::usage::{Cadence, UsageMeter};

/// One meter: its cadence and its plan → cap map (`None`: unlimited).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeterDefinition {
    pub meter: UsageMeter,
    pub cadence: Cadence,
    caps: BTreeMap<PlanId, Option<u64>>,
}

impl MeterDefinition {
    /// A meter whose cap under each plan is `cap(plan)`.
    #[must_use]
    pub fn new(meter: UsageMeter, cadence: Cadence, cap: impl Fn(PlanId) -> Option<u64>) -> Self {
        Self { meter, cadence, caps: PlanId::ALL.iter().map(|p| (*p, cap(*p))).collect() }
    }

    /// The cap under `plan`; `None` is unlimited.
    #[must_use]
    pub fn cap(&self, plan: PlanId) -> Option<u64> {
        self.caps.get(&plan).copied().flatten()
    }
}

/// A meter registered twice.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("usage meter {0} is registered twice")]
pub struct AlreadyRegistered(pub UsageMeter);

/// The registered meters.
#[derive(Debug, Clone, Default)]
pub struct Meters(BTreeMap<UsageMeter, MeterDefinition>);

impl Meters {
    /// No meters yet.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a meter.
    ///
    /// # Errors
    /// [`AlreadyRegistered`] when the meter has a definition already.
    pub fn register(&mut self, definition: MeterDefinition) -> Result<&mut Self, AlreadyRegistered> {
        if self.0.contains_key(&definition.meter) {
            return Err(AlreadyRegistered(definition.meter));
        }
        self.0.insert(definition.meter, definition);
        Ok(self)
    }

    /// The definition of `meter`, when registered.
    #[must_use]
    pub fn get(&self, meter: UsageMeter) -> Option<&MeterDefinition> {
        self.0.get(&meter)
    }

    /// Every definition, in display order.
    pub fn iter(&self) -> impl Iterator<Item = &MeterDefinition> {
        self.0.values()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn caps_follow_the_map_and_a_meter_registers_once() {
        let pages = MeterDefinition::new(UsageMeter::PagesCreated, Cadence::Lifetime, |p| match p {
            PlanId::Free => Some(1),
            PlanId::Pro => Some(10),
            PlanId::Business => None,
        });
        assert_eq!(pages.cap(PlanId::Free), Some(1));
        assert_eq!(pages.cap(PlanId::Business), None);
        let mut meters = Meters::new();
        meters.register(pages.clone()).unwrap();
        assert_eq!(meters.register(pages).unwrap_err(), AlreadyRegistered(UsageMeter::PagesCreated));
        assert!(meters.get(UsageMeter::LeadsCaptured).is_none());
    }
}
