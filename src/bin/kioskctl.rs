//! `kioskctl`: the admin tool (see `kioskctl --help`; logic in `lobby_kiosk::admin::cli`).

use std::process::ExitCode;

use clap::Parser;
use lobby_kiosk::admin::cli::{Args, run};

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
        .with_writer(std::io::stderr)
        .init();
    match run(Args::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("kioskctl: {error}");
            ExitCode::from(error.exit_code())
        }
    }
}
