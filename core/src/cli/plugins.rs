//! `gwscript plugins list|info`.

use super::{print_diagnostics, print_out, usage_error};
use crate::diag::Diagnostic;
use crate::plugin::{LoadedPlugin, Registry, SearchDir, search_dirs};
use clap::{Args, Subcommand};
use serde_json::json;
use std::fmt::Write;
use std::process::ExitCode;

#[derive(Debug, Args)]
pub struct PluginsArgs {
    #[command(subcommand)]
    command: PluginsCommand,
}

#[derive(Debug, Subcommand)]
enum PluginsCommand {
    /// Installed plugins, where they were found, and any refused.
    List {
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// One plugin's manifest: capabilities, endpoints, templates.
    Info {
        /// A plugin name or the gateway kind it serves.
        name: String,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
}

pub fn execute(args: PluginsArgs) -> ExitCode {
    let dirs = search_dirs();
    let registry = Registry::discover(&dirs);
    match args.command {
        PluginsCommand::List { json } => list(&registry, &dirs, json),
        PluginsCommand::Info { name, json } => info(&registry, &name, json),
    }
}

fn list(registry: &Registry, dirs: &[SearchDir], as_json: bool) -> ExitCode {
    if as_json {
        let plugins: Vec<_> = registry.plugins.iter().map(summary).collect();
        let searched: Vec<_> = dirs
            .iter()
            .map(|d| json!({ "path": d.path, "origin": d.origin }))
            .collect();
        let report =
            json!({ "plugins": plugins, "refused": registry.refusals, "searched": searched });
        print_out(&pretty(&report));
    } else {
        print_out(&list_text(registry, dirs));
    }
    let refusals: Vec<Diagnostic> = registry
        .refusals
        .iter()
        .map(|r| r.diagnostic.clone())
        .collect();
    print_diagnostics(&refusals, None)
}

fn list_text(registry: &Registry, dirs: &[SearchDir]) -> String {
    let mut out = String::new();
    if registry.plugins.is_empty() {
        out.push_str("no plugins found\n");
    }
    for plugin in &registry.plugins {
        let m = &plugin.manifest;
        let _ = writeln!(
            out,
            "{} {} (gateway kind \"{}\")",
            m.name, m.version, m.gateway_kind
        );
        let _ = writeln!(out, "  {}", m.description);
        let _ = writeln!(
            out,
            "  loaded from {} ({})",
            plugin.path.display(),
            plugin.origin.describe()
        );
    }
    out.push_str("searched, in order:\n");
    for dir in dirs {
        let _ = writeln!(out, "  {} ({})", dir.path.display(), dir.origin.describe());
    }
    out
}

fn summary(plugin: &LoadedPlugin) -> serde_json::Value {
    let m = &plugin.manifest;
    json!({
        "name": m.name,
        "version": m.version,
        "gateway_kind": m.gateway_kind,
        "display_name": m.display_name,
        "path": plugin.path,
        "origin": plugin.origin,
    })
}

fn info(registry: &Registry, name: &str, as_json: bool) -> ExitCode {
    let Some(plugin) = registry
        .plugins
        .iter()
        .find(|p| p.manifest.name == name || p.manifest.gateway_kind == name)
    else {
        let known: Vec<&str> = registry
            .plugins
            .iter()
            .map(|p| p.manifest.name.as_str())
            .collect();
        let known = if known.is_empty() {
            "none".to_owned()
        } else {
            known.join(", ")
        };
        return usage_error(Diagnostic::error(
            "GW0003",
            format!("no plugin named \"{name}\""),
            format!("installed plugins: {known}"),
        ));
    };
    print_out(&if as_json {
        info_json(plugin)
    } else {
        info_text(plugin)
    });
    ExitCode::SUCCESS
}

/// The manifest without template sources (they are long and shown by `run`'s output instead).
fn info_json(plugin: &LoadedPlugin) -> String {
    let mut value = serde_json::to_value(&plugin.manifest).unwrap_or_default();
    if let Some(templates) = value.get_mut("templates").and_then(|t| t.as_array_mut()) {
        for template in templates.iter_mut().filter_map(|t| t.as_object_mut()) {
            template.remove("source");
        }
    }
    value["path"] = json!(plugin.path);
    value["origin"] = json!(plugin.origin);
    pretty(&value)
}

fn info_text(plugin: &LoadedPlugin) -> String {
    let m = &plugin.manifest;
    let mut out = String::new();
    let _ = writeln!(out, "{} {} ({})", m.display_name, m.version, m.name);
    let _ = writeln!(out, "  {}", m.description);
    let _ = writeln!(out, "gateway kind: {}", m.gateway_kind);
    let _ = writeln!(
        out,
        "third party: {}",
        if m.third_party { "yes" } else { "no" }
    );
    let _ = writeln!(out, "capabilities: {}", m.capabilities.join(", "));
    out.push_str("endpoints:\n");
    for (endpoint, path) in &m.endpoints {
        let _ = writeln!(out, "  {}: <gateway url>{path}", endpoint.name());
    }
    out.push_str("templates:\n");
    for t in &m.templates {
        let _ = writeln!(out, "  {} ({})", t.path, t.format.name());
    }
    let _ = writeln!(
        out,
        "loaded from {} ({})",
        plugin.path.display(),
        plugin.origin.describe()
    );
    out
}

fn pretty(value: &serde_json::Value) -> String {
    format!(
        "{}\n",
        serde_json::to_string_pretty(value).unwrap_or_default()
    )
}
