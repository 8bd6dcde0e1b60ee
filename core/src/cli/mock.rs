//! `gwscript mock PROVIDER --listen ADDR`.

use clap::Args;
use std::process::ExitCode;

#[derive(Debug, Args)]
pub struct MockArgs {}

pub fn execute(_args: MockArgs) -> ExitCode {
    ExitCode::from(2)
}
