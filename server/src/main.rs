//! The `mibio` binary.

use std::process::ExitCode;

use clap::{CommandFactory as _, Parser as _};
use kernel::migrations as migrate;
use mibio_server::cli::{AdminCommand, Cli, Command, JobsCommand};
use mibio_server::config::ConfigError;
use mibio_server::{serve, telemetry};

/// mimalloc (feature `mimalloc`, on by default; else the system's allocator): see the README's
/// dependency table for the measurements behind the choice.
#[cfg(feature = "mimalloc")]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    // The command line and the configuration (options, else their environment variables).
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => match ConfigError::from_clap(&err, &Cli::command()) {
            Some(bad) => {
                eprintln!("mibio: configuration error: {bad}");
                return ExitCode::from(2);
            }
            // `--help`, `--version`, or a mistyped command: clap's own message and exit code.
            None => err.exit(),
        },
    };
    let config = cli.config;
    // Kept to the end of `main`: dropping it writes out the queued log lines and spans.
    let _telemetry = match telemetry::init(config.log_format, config.otel_endpoint.as_ref()) {
        Ok(telemetry) => telemetry,
        Err(err) => {
            eprintln!("mibio: configuration error: OTEL_EXPORTER_OTLP_ENDPOINT: {err:#}");
            return ExitCode::from(2);
        }
    };
    let mut builder = tokio::runtime::Builder::new_multi_thread();
    // Idle workers let the allocator hand back what they freed (see `alloc`).
    builder.enable_all().on_thread_park(mibio_server::alloc::on_worker_park);
    let executor = match builder.build() {
        Ok(executor) => executor,
        Err(err) => {
            eprintln!("mibio: could not start the async runtime: {err}");
            return ExitCode::FAILURE;
        }
    };
    let result = executor.block_on(async {
        match cli.command.unwrap_or(Command::Serve) {
            Command::Serve => serve::serve(config).await,
            Command::Migrate => {
                let applied = migrate::run_pending(config.require_database_url()?).await?;
                println!(
                    "applied {} migration(s){}",
                    applied.len(),
                    if applied.is_empty() { String::new() } else { format!(": {}", applied.join(", ")) }
                );
                Ok(())
            }
            Command::Jobs(JobsCommand::Run { name, date }) => {
                let state = serve::build_state(config)?;
                mibio_server::jobs::run_by_hand(&state, &name, date).await
            }
            Command::Admin(AdminCommand::Create { email }) => {
                let state = serve::build_state(config)?;
                let granted = serve::grant_admin(&state, &email).await?;
                println!(
                    "{email} {}",
                    if granted { "is now a platform admin" } else { "was already a platform admin" }
                );
                Ok(())
            }
        }
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) if err.is::<runtime::jobs::UnknownJob>() => {
            eprintln!("mibio: {err}");
            ExitCode::from(2)
        }
        Err(err) => {
            // One line, with the causes chained: no panic trace, no multi-line dump.
            eprintln!("mibio: {err:#}");
            ExitCode::FAILURE
        }
    }
}
