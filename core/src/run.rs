//! One pass of `gwscript run`: recipe -> setup -> checks -> rendered artifacts -> report.
//! Plugins only read the setup; emitters only render. Nothing is written here.

use crate::client;
use crate::diag::has_errors;
use crate::emit::{Artifact, render_template};
use crate::plugin::{LoadedPlugin, Registry, validate_options};
use crate::report::{self, Format, Report, ReportInput};
use crate::script::{self, Limits};
use gwscript_plugin::{Diagnostic, Rendering, Setup};
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

/// Runs the recipe `source` (from `dir`, for imports) against the plugins in `registry`.
pub fn run(source: &str, dir: Option<&Path>, registry: &Registry) -> Result<Emission, Failure> {
    let setup = script::run(source, dir, Limits::default())?;
    let plugin = gateway_plugin(&setup, registry)?;
    let manifest = plugin.map(|p| &p.manifest);
    // The plugin may rely on its declared option types, so it runs only on valid options.
    let mut diagnostics = manifest
        .map(|m| validate_options(&setup, m))
        .unwrap_or_default();
    if let Some(plugin) = plugin
        && !has_errors(&diagnostics)
    {
        diagnostics.extend(plugin.check(&setup)?);
    }
    diagnostics.extend(client::check(&setup, manifest));
    if has_errors(&diagnostics) {
        return Err(Failure { diagnostics });
    }
    let (mut artifacts, rendering) = match plugin {
        Some(plugin) => gateway_artifacts(plugin, &setup).map_err(|d| with(&diagnostics, d))?,
        None => (Vec::new(), Rendering::default()),
    };
    let name = plugin.map(|p| p.manifest.name.as_str()).unwrap_or_default();
    let env = client::plugin_vars(&rendering.client, name)
        .and_then(|extra| client::client_env(&setup, manifest, extra, name))
        .map_err(|d| with(&diagnostics, d))?;
    let settings =
        client::plugin_settings(&rendering.client, name).map_err(|d| with(&diagnostics, d))?;
    let client_files = client::client_files(&setup, &env, settings);
    artifacts.extend(client_files.artifacts);
    artifacts.push(Artifact {
        path: REPORT_PATH.into(),
        purpose: "this guidance report, as markdown".into(),
        contents: String::new(),
        executable: false,
    });
    let report = report::build(ReportInput {
        setup: &setup,
        manifest,
        plugin: rendering.report,
        env: &env,
        settings: &client_files.settings,
        artifacts: artifacts.clone(),
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

fn gateway_plugin<'r>(
    setup: &Setup,
    registry: &'r Registry,
) -> Result<Option<&'r LoadedPlugin>, Diagnostic> {
    let Some(gateway) = &setup.gateway else {
        return Ok(None);
    };
    registry.for_kind(&gateway.kind).map(Some).ok_or_else(|| {
        let kinds: Vec<&str> = registry.plugins.iter().map(|p| p.manifest.gateway_kind.as_str()).collect();
        Diagnostic::error(
            "GW2008",
            format!("no plugin serves gateway kind \"{}\"", gateway.kind.escape_debug()),
            if kinds.is_empty() {
                "no plugins were found: run `gwscript plugins list` to see where they are looked for".to_owned()
            } else {
                format!("installed gateway kinds: {}", kinds.join(", "))
            },
        )
        .at(gateway.span)
    })
}

/// The plugin's rendering and the artifacts of the templates it applies to this setup.
fn gateway_artifacts(
    plugin: &LoadedPlugin,
    setup: &Setup,
) -> Result<(Vec<Artifact>, Rendering), Diagnostic> {
    let rendering = plugin.render(setup)?;
    let templates = &plugin.manifest.templates;
    if let Some(unknown) = rendering
        .omit
        .iter()
        .find(|path| !templates.iter().any(|t| &t.path == *path))
    {
        return Err(Diagnostic::error(
            "GW2009",
            format!(
                "plugin {} omitted a template it never declared: {unknown:?}",
                plugin.manifest.name
            ),
            "report this to the plugin's author",
        ));
    }
    let artifacts = templates
        .iter()
        .filter(|template| !rendering.omit.contains(&template.path))
        .map(|template| {
            Ok(Artifact {
                path: template.path.clone(),
                purpose: template.purpose.clone(),
                contents: render_template(template, &rendering.context)?,
                executable: template.executable,
            })
        })
        .collect::<Result<_, Diagnostic>>()?;
    Ok((artifacts, rendering))
}
