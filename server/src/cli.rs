//! The command line: `mibio serve` (default), `mibio migrate`, `mibio --help`.

use clap::{Parser, Subcommand};

/// mibio — link-in-bio and client capture for coaches and consultants.
///
/// Configuration comes from the environment (DATABASE_URL, PUBLIC_URL, LEPTOS_SITE_ADDR, …);
/// see the README.
#[derive(Debug, Parser)]
#[command(name = "mibio", version, about, long_about)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// What to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Subcommand)]
pub enum Command {
    /// Apply pending migrations, then serve HTTP until SIGTERM/SIGINT (the default).
    Serve,
    /// Apply pending migrations and exit.
    Migrate,
}
