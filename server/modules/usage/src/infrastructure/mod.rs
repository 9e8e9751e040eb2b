//! The usage context's Postgres side (schema `usage`): counters, events, meter definitions.
//! Crate-private: rows never leave it.

pub(crate) mod counters;
pub(crate) mod definitions;
pub(crate) mod events;
