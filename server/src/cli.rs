//! The command line: `mibio serve` (default), `mibio migrate`, `mibio jobs run NAME`,
//! `mibio admin create EMAIL`, `mibio --help`.

use chrono::NaiveDate;
use clap::{Parser, Subcommand};

use crate::config::Config;

/// mibio — link-in-bio and client capture for coaches and consultants.
///
/// Configuration comes from the environment (DATABASE_URL, PUBLIC_URL, LEPTOS_SITE_ADDR, …, listed
/// below with their defaults); see the README.
#[derive(Debug, Parser)]
#[command(name = "mibio", version, about, long_about)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub config: Config,
}

/// What to do.
#[derive(Debug, Clone, PartialEq, Eq, Subcommand)]
pub enum Command {
    /// Apply pending migrations, then serve HTTP until SIGTERM/SIGINT (the default).
    Serve,
    /// Apply pending migrations and exit.
    Migrate,
    /// Work with background jobs.
    #[command(subcommand)]
    Jobs(JobsCommand),
    /// Work with platform admins.
    #[command(subcommand)]
    Admin(AdminCommand),
}

/// `mibio admin …`.
#[derive(Debug, Clone, PartialEq, Eq, Subcommand)]
pub enum AdminCommand {
    /// Make the (already signed-up) user with this email a platform admin.
    Create {
        /// Their email address.
        email: String,
    },
}

/// `mibio jobs …`.
#[derive(Debug, Clone, PartialEq, Eq, Subcommand)]
pub enum JobsCommand {
    /// Run one job now, in this process, and print the outcome (exit 2 for an unknown name).
    Run {
        /// The job's name, e.g. kernel-cleanup or analytics-rollup.
        name: String,
        /// The day the job works on, as payload {"date": "YYYY-MM-DD"} (e.g. the day to roll up).
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
        date: Option<NaiveDate>,
    },
}

fn parse_date(raw: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(raw, "%Y-%m-%d")
        .map_err(|_| format!("{raw:?} is not a date such as 2026-11-24"))
}
