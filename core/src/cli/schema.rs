//! `gwscript schema KIND`: a JSON Schema for a file kind, for editors (`yaml-language-server`,
//! VS Code's `json.schemas`), built from the model the checks use.

use super::{print_out, usage_error};
use crate::check::{self, Kind};
use crate::plugin::{Registry, Trust, search_dirs};
use clap::Args;
use std::process::ExitCode;

#[derive(Debug, Args)]
pub struct SchemaArgs {
    /// The file kind: `claude-settings`, or one a plugin declares (`litellm`).
    kind: String,
}

pub fn execute(args: SchemaArgs) -> ExitCode {
    // Only as many plugins as it takes to find the kind.
    let registry = Registry::discover_until(&search_dirs(), &Trust::from_environment(), |r| {
        check::kind_by_id(&args.kind, r).is_ok()
    });
    let kind = match check::kind_by_id(&args.kind, &registry) {
        Ok(kind) => kind,
        Err(diagnostic) => return usage_error(diagnostic),
    };
    let schema = match kind {
        Kind::Settings => crate::client::settings_file::schema().to_owned(),
        Kind::Plugin(plugin, file_kind) => match plugin.file_schema(&file_kind.id) {
            Ok(schema) => serde_json::to_string_pretty(&schema).unwrap_or_default(),
            Err(diagnostic) => return usage_error(diagnostic),
        },
    };
    print_out(&format!("{}\n", schema.trim_end()))
}
