//! One pass of `gwscript run`: recipe -> setup -> checks -> rendered artifacts -> report.
//! Plugins only read the setup; emitters only render. Nothing is written here.
//!
//! A setup uses up to one plugin as its gateway and any number as monitors ([`uses`]); each is
//! checked and rendered on its own, and their outputs are put together ([`compose`]).

mod compose;
mod uses;

use crate::client;
use crate::diag::has_errors;
use crate::emit::Artifact;
use crate::plugin::{LoadedPlugin, Registry, SetupInput, validate_options};
use crate::report::{self, Contributor, Format, Report, ReportInput};
use crate::script::{self, Limits};
use compose::{Rendered, compose};
use gwscript_plugin::{Diagnostic, PluginRole, Setup};
use std::path::Path;

/// The report is always written here; no plugin template may claim the path.
pub const REPORT_PATH: &str = "report.md";

/// A run that produced artifacts (possibly with warnings).
#[derive(Debug)]
pub struct Emission {
    pub setup: Setup,
    pub artifacts: Vec<Artifact>,
    pub report: Report,
}

/// A run stopped by errors; `diagnostics` holds every finding, warnings included.
#[derive(Debug)]
pub struct Failure {
    pub diagnostics: Vec<Diagnostic>,
}

impl From<Diagnostic> for Failure {
    fn from(d: Diagnostic) -> Self {
        Failure {
            diagnostics: vec![d],
        }
    }
}

/// Runs the recipe `source` (from `dir`, for imports): the setup it emits.
pub fn recipe(source: &str, dir: Option<&Path>) -> Result<Setup, Failure> {
    script::run(source, dir, Limits::default()).map_err(|diagnostics| Failure { diagnostics })
}

/// The gateway kinds a setup needs plugins for: its gateway's and its monitors'.
pub fn plugin_kinds(setup: &Setup) -> Vec<&str> {
    setup
        .plugin_gateways()
        .map(|(_, gateway)| gateway.kind.as_str())
        .collect()
}

/// Checks and renders `setup` with the plugins in `registry`.
pub fn emit(setup: Setup, registry: &Registry) -> Result<Emission, Failure> {
    let uses = uses::find(&setup, &registry.plugins, |p: &LoadedPlugin| &p.manifest)
        .map_err(|diagnostics| Failure { diagnostics })?;
    let gateway = uses
        .iter()
        .find(|u| u.role == PluginRole::Gateway)
        .map(|u| &u.plugin.manifest);
    let input = SetupInput::new(&setup);
    let mut diagnostics = Vec::new();
    for used in &uses {
        // A plugin may rely on its declared option types, so it runs only on valid options.
        let option_findings = validate_options(used.gateway, &used.plugin.manifest);
        let valid = !has_errors(&option_findings);
        diagnostics.extend(option_findings);
        if valid {
            let found = used
                .plugin
                .check(&input)
                .map_err(|d| with(&diagnostics, d))?;
            diagnostics.extend(found);
        }
    }
    diagnostics.extend(client::check(&setup, gateway));
    if has_errors(&diagnostics) {
        return Err(Failure { diagnostics });
    }
    let rendered = uses
        .iter()
        .map(|used| {
            Ok(Rendered {
                manifest: &used.plugin.manifest,
                role: used.role,
                rendering: used.plugin.render(&input)?,
            })
        })
        .collect::<Result<Vec<_>, Diagnostic>>()
        .map_err(|d| with(&diagnostics, d))?;
    let composed = compose(&rendered).map_err(|d| with(&diagnostics, d))?;
    let env =
        client::client_env(&setup, gateway, &composed.vars).map_err(|d| with(&diagnostics, d))?;
    // Findings that need the plugins' variables (warnings only: nothing here stops the run).
    diagnostics.extend(client::env_findings(&setup, gateway, &composed.vars, &env));
    let client_files = client::client_files(&setup, &env, composed.settings);
    let mut artifacts = composed.artifacts;
    artifacts.extend(client_files.artifacts);
    artifacts.push(Artifact {
        path: REPORT_PATH.into(),
        purpose: "this guidance report, as markdown".into(),
        contents: String::new(),
        executable: false,
    });
    let plugins = rendered
        .into_iter()
        .map(|r| Contributor {
            manifest: r.manifest,
            role: r.role,
            report: r.rendering.report,
        })
        .collect();
    let report = report::build(ReportInput {
        setup: &setup,
        plugins,
        env: &env,
        settings: &client_files.settings,
        artifacts: artifacts.iter().map(Artifact::listing).collect(),
        diagnostics,
    });
    // The report lists itself among the files; its contents are known only once it is built.
    if let Some(listed) = artifacts.last_mut() {
        listed.contents = report::render(&report, Format::Md);
    }
    Ok(Emission {
        setup,
        artifacts,
        report,
    })
}

fn with(earlier: &[Diagnostic], last: Diagnostic) -> Failure {
    let mut diagnostics = earlier.to_vec();
    diagnostics.push(last);
    Failure { diagnostics }
}
