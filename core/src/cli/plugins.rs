//! `gwscript plugins list|info`.

use super::print_diagnostics;
use crate::diag::Diagnostic;
use crate::plugin::{LoadedPlugin, Registry, search_dirs};
use clap::{Args, Subcommand};
use serde_json::json;
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

fn list(registry: &Registry, dirs: &[crate::plugin::SearchDir], as_json: bool) -> ExitCode {
    if as_json {
        let plugins: Vec<_> = registry.plugins.iter().map(summary).collect();
        let searched: Vec<_> = dirs
            .iter()
            .map(|d| json!({ "path": d.path, "origin": d.origin }))
            .collect();
        let report =
            json!({ "plugins": plugins, "refused": registry.refusals, "searched": searched });
        println!(
            "{}",
            serde_json::to_string_pretty(&report).unwrap_or_default()
        );
    } else {
        if registry.plugins.is_empty() {
            println!("no plugins found");
        }
        for plugin in &registry.plugins {
            let m = &plugin.manifest;
            println!(
                "{} {} (gateway kind \"{}\")",
                m.name, m.version, m.gateway_kind
            );
            println!("  {}", m.description);
            println!(
                "  loaded from {} ({})",
                plugin.path.display(),
                plugin.origin.describe()
            );
        }
        println!("searched, in order:");
        for dir in dirs {
            println!("  {} ({})", dir.path.display(), dir.origin.describe());
        }
    }
    let refusals: Vec<Diagnostic> = registry
        .refusals
        .iter()
        .map(|r| r.diagnostic.clone())
        .collect();
    if refusals.is_empty() {
        ExitCode::SUCCESS
    } else {
        print_diagnostics(&refusals, None)
    }
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
        return print_diagnostics(
            &[Diagnostic::error(
                "GW0003",
                format!("no plugin named \"{name}\""),
                format!(
                    "installed plugins: {}",
                    if known.is_empty() {
                        "none".to_owned()
                    } else {
                        known.join(", ")
                    }
                ),
            )],
            None,
        );
    };
    let m = &plugin.manifest;
    if as_json {
        let mut value = serde_json::to_value(m).unwrap_or_default();
        if let Some(templates) = value.get_mut("templates").and_then(|t| t.as_array_mut()) {
            for t in templates {
                if let Some(t) = t.as_object_mut() {
                    t.remove("source");
                }
            }
        }
        value["path"] = json!(plugin.path);
        value["origin"] = json!(plugin.origin);
        println!(
            "{}",
            serde_json::to_string_pretty(&value).unwrap_or_default()
        );
        return ExitCode::SUCCESS;
    }
    println!("{} {} ({})", m.display_name, m.version, m.name);
    println!("  {}", m.description);
    println!("gateway kind: {}", m.gateway_kind);
    println!("third party: {}", if m.third_party { "yes" } else { "no" });
    println!("capabilities: {}", m.capabilities.join(", "));
    println!("endpoints:");
    for (endpoint, path) in &m.endpoints {
        println!("  {}: <gateway url>{path}", endpoint.name());
    }
    println!("templates:");
    for t in &m.templates {
        println!("  {} ({:?})", t.path, t.format);
    }
    println!(
        "loaded from {} ({})",
        plugin.path.display(),
        plugin.origin.describe()
    );
    ExitCode::SUCCESS
}
