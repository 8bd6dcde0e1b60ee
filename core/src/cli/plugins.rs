//! `gwscript plugins list|info`.

use super::{print_diagnostics, print_out, usage_error};
use crate::diag::Diagnostic;
use crate::plugin::{LoadedPlugin, Registry, SearchDir, Trust, search_dirs};
use clap::{Args, Subcommand};
use gwscript_plugin::abi;
use gwscript_plugin::manifest::{Assessment, Manifest, ModelNames, PluginRole};
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
    let trust = Trust::from_environment();
    let registry = Registry::discover(&dirs, &trust);
    match args.command {
        PluginsCommand::List { json } => list(&registry, &dirs, &trust, json),
        PluginsCommand::Info { name, json } => info(&registry, &name, json),
    }
}

fn list(registry: &Registry, dirs: &[SearchDir], trust: &Trust, as_json: bool) -> ExitCode {
    let listing = if as_json {
        let plugins: Vec<_> = registry.plugins.iter().map(summary).collect();
        let searched: Vec<_> = dirs
            .iter()
            .map(|d| json!({ "path": d.path, "origin": d.origin }))
            .collect();
        let report = json!({
            "plugins": plugins,
            "refused": registry.refusals,
            "searched": searched,
            "trust_file": trust.file(),
        });
        pretty(&report)
    } else {
        let mut text = list_text(registry, dirs);
        if let Some(file) = trust.file() {
            let _ = writeln!(
                text,
                "only plugins whose SHA-256 {} lists are loaded",
                file.display()
            );
        }
        text
    };
    if print_out(&listing) != ExitCode::SUCCESS {
        return ExitCode::from(2);
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
            "{} {} (gateway kind \"{}\", ABI {}, JSON {})",
            m.name,
            m.version,
            m.gateway_kind,
            abi::ABI_VERSION,
            plugin.json_version
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
        "abi_version": abi::ABI_VERSION,
        "json_version": plugin.json_version,
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
    })
}

/// The manifest without template sources (they are long and shown by `run`'s output instead).
fn info_json(plugin: &LoadedPlugin) -> String {
    let mut value = serde_json::to_value(&plugin.manifest).unwrap_or_default();
    if let Some(templates) = value.get_mut("templates").and_then(|t| t.as_array_mut()) {
        for template in templates.iter_mut().filter_map(|t| t.as_object_mut()) {
            template.remove("source");
        }
    }
    value["abi_version"] = json!(abi::ABI_VERSION);
    value["json_version"] = json!(plugin.json_version);
    value["path"] = json!(plugin.path);
    value["origin"] = json!(plugin.origin);
    pretty(&value)
}

fn client_contract_text(out: &mut String, m: &Manifest) {
    let _ = writeln!(
        out,
        "Claude Code authenticates with: {}",
        m.client.auth.describe()
    );
    let _ = writeln!(
        out,
        "Claude Code sends model names: {}",
        match m.client.model_names {
            ModelNames::Groups =>
                "the gateway's model group names (pinned through ANTHROPIC_MODEL and ANTHROPIC_DEFAULT_*_MODEL)",
            ModelNames::Provider => "the provider's own model ids, forwarded unchanged",
        }
    );
    out.push_str("endpoints:\n");
    for (endpoint, path) in &m.client.endpoints {
        let _ = writeln!(out, "  {}: <gateway url>{path}", endpoint.name());
    }
}

fn info_text(plugin: &LoadedPlugin) -> String {
    let m = &plugin.manifest;
    let mut out = String::new();
    let _ = writeln!(out, "{} {} ({})", m.display_name, m.version, m.name);
    let _ = writeln!(out, "  {}", m.description);
    let _ = writeln!(out, "gateway kind: {}", m.gateway_kind);
    let _ = writeln!(
        out,
        "ABI {}, JSON {}; third party: {}",
        abi::ABI_VERSION,
        plugin.json_version,
        if m.third_party { "yes" } else { "no" }
    );
    // Most plugins are gateways only, the default; a plugin that can monitor says so.
    if m.serves(PluginRole::Monitor) {
        let roles: Vec<&str> = m.roles.iter().map(|role| role.name()).collect();
        let _ = writeln!(
            out,
            "roles: {} (a monitor goes in a pattern's `monitors: [ … ]`)",
            roles.join(", ")
        );
    }
    if !m.capabilities.is_empty() {
        let _ = writeln!(out, "capabilities: {}", m.capabilities.join(", "));
    }
    // The client contract applies only to a plugin that carries Claude Code's traffic.
    if m.serves(PluginRole::Gateway) {
        client_contract_text(&mut out, m);
    }
    if let Some(path) = &m.liveness_path {
        let _ = writeln!(out, "liveness route: <gateway url>{path}");
    }
    for (call, schema) in [
        ("gateway", &m.gateway_options),
        ("deploy", &m.deployment_options),
    ] {
        options_text(&mut out, call, schema.as_ref());
    }
    out.push_str("templates:\n");
    for t in &m.templates {
        let _ = writeln!(out, "  {} ({}): {}", t.path, t.format.name(), t.purpose);
    }
    assessments_text(&mut out, "compatibility", &m.compatibility);
    assessments_text(&mut out, "features", &m.features);
    if !m.diagnostics.codes.is_empty() {
        let _ = writeln!(
            out,
            "codes (prefix {}; `gwscript explain CODE`):",
            m.diagnostics.prefix
        );
        for c in &m.diagnostics.codes {
            let retired = if c.retired { " (retired)" } else { "" };
            let _ = writeln!(
                out,
                "  {} {}: {}{retired}",
                c.code,
                c.severity.as_str(),
                c.title
            );
        }
    }
    let _ = writeln!(
        out,
        "loaded from {} ({})",
        plugin.path.display(),
        plugin.origin.describe()
    );
    out
}

/// The options a schema declares, one a line with its description.
fn options_text(out: &mut String, call: &str, schema: Option<&serde_json::Value>) {
    let Some(properties) = schema
        .and_then(|s| s.get("properties"))
        .and_then(|p| p.as_object())
        .filter(|p| !p.is_empty())
    else {
        return;
    };
    let _ = writeln!(out, "{call} options:");
    for (name, property) in properties {
        let description = property
            .get("description")
            .and_then(|d| d.as_str())
            .unwrap_or("");
        let _ = writeln!(out, "  {name}: {description}");
    }
}

/// One line per assessment: what, its status, and the source of the fact.
fn assessments_text<T: serde::Serialize>(out: &mut String, heading: &str, list: &[Assessment<T>]) {
    if list.is_empty() {
        return;
    }
    let _ = writeln!(out, "{heading}:");
    for a in list {
        let _ = writeln!(
            out,
            "  {}: {} ({})",
            json_name(&a.id),
            json_name(&a.status),
            a.source
        );
        if !a.note.is_empty() {
            let _ = writeln!(out, "    {}", a.note);
        }
    }
}

/// A serde enum value's wire name (`depends-on-config`), as manifests spell it.
fn json_name(value: &impl serde::Serialize) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

fn pretty(value: &serde_json::Value) -> String {
    format!(
        "{}\n",
        serde_json::to_string_pretty(value).unwrap_or_default()
    )
}
