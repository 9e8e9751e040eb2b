//! The usage context's domain: meters and their periods, the plan port, the events.

pub mod events;
pub mod meter;
pub mod period;
pub mod plans;
