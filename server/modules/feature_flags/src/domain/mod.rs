//! Flag rules: how a setting is validated, how a flag is evaluated for a subject, and the event
//! a change records.

pub mod config;
pub mod events;
pub mod rollout;
