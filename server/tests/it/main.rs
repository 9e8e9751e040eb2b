//! The host's integration tests, as one test binary: each module below was once its own binary,
//! and linking ~30 copies of the whole server (about 1 GB each in a debug build) cost minutes of
//! link time and tens of GB of disk. nextest still runs every test in its own process.

// Building the route list (reserved slugs, the admin route walk) instantiates deep view types.
#![recursion_limit = "256"]

mod common;

mod admin_console;
mod analytics;
mod api_bodies;
mod auth_passwords;
mod auth_signin;
mod auth_signup;
mod auth_verify_email;
mod billing;
mod binary;
mod compression;
mod csrf;
mod dashboard_home;
mod deadline;
mod front_door;
mod hostile_strings;
mod hot_path;
mod http_conventions;
mod idempotency;
mod isolation;
mod jobs;
mod links_blocks;
mod links_cache_replicas;
mod links_leads;
mod links_pages;
mod links_public;
mod me;
mod media;
mod members_invitations;
mod notifications;
mod openapi;
mod opengraph;
mod ops;
mod organizations;
mod pages;
mod platform;
mod platform_audit_flags;
mod rate_limit;
mod ready_recovery;
mod reserved_slugs;
mod roles;
mod schemathesis_found;
mod shutdown;
mod signin_timing;
mod telemetry;
mod unverified;
mod uploads;
mod usage;
