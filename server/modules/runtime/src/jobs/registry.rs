//! The registry of job handlers by name, and their cron schedules.

use std::collections::BTreeMap;
use std::str::FromStr as _;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use croner::Cron;

use super::JobHandler;

/// A cron schedule of a registered job.
#[derive(Debug, Clone)]
pub struct Schedule {
    name: &'static str,
    expression: String,
    cron: Cron,
}

impl Schedule {
    /// The job it enqueues.
    #[must_use]
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// The cron expression, as given.
    #[must_use]
    pub fn expression(&self) -> &str {
        &self.expression
    }

    /// The latest occurrence at or before `now`, if any.
    #[must_use]
    pub fn latest_at_or_before(&self, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        self.cron.find_previous_occurrence(&now, true).ok()
    }

    /// The first occurrence after `after`, if any.
    #[must_use]
    pub fn next_after(&self, after: DateTime<Utc>) -> Option<DateTime<Utc>> {
        self.cron.find_next_occurrence(&after, false).ok()
    }
}

/// A schedule that cannot be installed.
#[derive(Debug, thiserror::Error)]
pub enum InvalidSchedule {
    /// The expression does not parse.
    #[error("job {name:?}: {expression:?} is not a cron expression ({reason})")]
    Expression { name: &'static str, expression: String, reason: String },
    /// No handler is registered under the name (register it first).
    #[error("job {0:?} is scheduled but no handler is registered for it")]
    Unregistered(&'static str),
}

/// Handlers by name and the cron schedules; built once at start-up, then shared (`Arc<Jobs>`).
#[derive(Clone, Default)]
pub struct Jobs {
    handlers: BTreeMap<&'static str, Arc<dyn JobHandler>>,
    schedules: Vec<Schedule>,
}

impl std::fmt::Debug for Jobs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Jobs")
            .field("handlers", &self.handlers.keys().collect::<Vec<_>>())
            .field("schedules", &self.schedules)
            .finish()
    }
}

impl Jobs {
    /// An empty registry.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Registers `handler` as the job `name` (lower-case letters, digits, `-`, `_`, `.`); a second
    /// registration of a name replaces the first.
    pub fn register(&mut self, name: &'static str, handler: Arc<dyn JobHandler>) -> &mut Self {
        self.handlers.insert(name, handler);
        self
    }

    /// Enqueues the registered job `name` at every occurrence of the UTC `cron` expression (see
    /// the [module docs](super) for the syntax), with payload `{}`.
    ///
    /// # Panics
    /// When `cron` does not parse or `name` is not registered yet: schedules are constants of
    /// the code, so a mistake stops start-up (and the test that builds the registry). Use
    /// [`Jobs::try_schedule`] for expressions that come from elsewhere.
    pub fn schedule(&mut self, name: &'static str, cron: &str) -> &mut Self {
        match self.try_schedule(name, cron) {
            Ok(this) => this,
            Err(e) => panic!("{e}"),
        }
    }

    /// [`Jobs::schedule`], returning the problem instead of panicking.
    ///
    /// # Errors
    /// [`InvalidSchedule`] when `cron` does not parse or `name` is not registered.
    pub fn try_schedule(&mut self, name: &'static str, cron: &str) -> Result<&mut Self, InvalidSchedule> {
        if !self.handlers.contains_key(name) {
            return Err(InvalidSchedule::Unregistered(name));
        }
        let parsed = Cron::from_str(cron).map_err(|e| InvalidSchedule::Expression {
            name,
            expression: cron.to_owned(),
            reason: e.to_string(),
        })?;
        self.schedules.push(Schedule { name, expression: cron.to_owned(), cron: parsed });
        Ok(self)
    }

    /// The handler of `name`.
    #[must_use]
    pub fn handler(&self, name: &str) -> Option<&Arc<dyn JobHandler>> {
        self.handlers.get(name)
    }

    /// The registered names, sorted.
    #[must_use]
    pub fn names(&self) -> Vec<&'static str> {
        self.handlers.keys().copied().collect()
    }

    /// The schedules, in the order they were added.
    #[must_use]
    pub fn schedules(&self) -> &[Schedule] {
        &self.schedules
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone as _;

    use super::*;
    use crate::jobs::JobContext;

    struct Nothing;

    #[async_trait::async_trait]
    impl JobHandler for Nothing {
        async fn run(&self, _job: &JobContext) -> anyhow::Result<()> {
            Ok(())
        }
    }

    fn at(d: u32, h: u32, m: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, d, h, m, 0).unwrap()
    }

    #[test]
    fn five_and_six_field_expressions_are_utc() {
        let mut jobs = Jobs::new();
        jobs.register("rollup", Arc::new(Nothing)).schedule("rollup", "15 3 * * *");
        jobs.register("prune", Arc::new(Nothing)).schedule("prune", "0 4 * * SUN");
        jobs.register("hourly", Arc::new(Nothing)).schedule("hourly", "0 0 * * * *");
        let [rollup, prune, hourly] = jobs.schedules() else { panic!("three schedules") };
        // 2026-11-25 is a Wednesday.
        assert_eq!(rollup.latest_at_or_before(at(25, 10, 0)), Some(at(25, 3, 15)));
        assert_eq!(rollup.latest_at_or_before(at(25, 3, 15)), Some(at(25, 3, 15)));
        assert_eq!(rollup.latest_at_or_before(at(25, 3, 14)), Some(at(24, 3, 15)));
        assert_eq!(rollup.next_after(at(25, 3, 15)), Some(at(26, 3, 15)));
        assert_eq!(prune.latest_at_or_before(at(25, 10, 0)), Some(at(22, 4, 0)));
        assert_eq!(hourly.latest_at_or_before(at(25, 10, 59)), Some(at(25, 10, 0)));
        assert_eq!(jobs.names(), ["hourly", "prune", "rollup"]);
    }

    #[test]
    fn bad_schedules_are_refused() {
        let mut jobs = Jobs::new();
        assert!(matches!(jobs.try_schedule("x", "* * * * *"), Err(InvalidSchedule::Unregistered("x"))));
        jobs.register("x", Arc::new(Nothing));
        let err = jobs.try_schedule("x", "every day").unwrap_err().to_string();
        assert!(err.starts_with("job \"x\": \"every day\" is not a cron expression"), "{err}");
        assert!(jobs.schedules().is_empty());
    }
}
