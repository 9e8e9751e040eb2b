//! The analytics context: page views and block clicks counted without cookies and without
//! storing IP addresses, ingested in batches off the request path, rolled up per day, and read as
//! a per-page report.
//!
//! - [`visitor`]: who counts as a visitor (bots don't), device classes, referrers, UTM tags, and
//!   the daily-salted visitor hash.
//! - [`ingest`]: the bounded channel and the batch writer behind the two beacon endpoints.
//! - [`report`]: totals, clicks per block, a dense daily series and top referrers.
//! - [`summary`]: views per page for several pages at once (the dashboard's page cards).
//! - [`application`]: what members read (the report, the page cards' counts), checked against
//!   their [`Actor`](kernel::Actor).
//! - [`rollup`]: the daily rollup and the 90-day prune (run as jobs).

pub mod application;
pub mod ingest;
pub mod jobs;
pub mod report;
pub mod rollup;
mod schema;
pub mod summary;
pub mod visitor;

pub use ingest::{Ingest, IngestConfig, PageLookup, PageRef};
