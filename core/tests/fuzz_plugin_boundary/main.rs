//! Bounded fuzzing of the JSON that crosses the plugin boundary, in both directions.
//!
//! - Host to plugin: the SDK glue every plugin is built with (`declare_plugin!`'s `check`,
//!   `render` and `page` entries) reads the setup JSON the host sends. A probe plugin that walks
//!   the setup with the SDK's helpers is fed arbitrary bytes, hostile JSON, and real setups with
//!   parts replaced, removed or retyped. The glue must answer with a result or a failure, never
//!   a panic (it would reach the host as GW2006), and what it answers must read back.
//! - Plugin to host: the host reads a plugin's check findings, rendering and manifest with the
//!   SDK's types, renders the findings for the terminal, and validates recipe options against
//!   the manifest's option schemas. These are fed the same kinds of input, built from real
//!   manifests, renderings and findings of the first-party plugins. Nothing may panic, a finding
//!   must render without control characters, and every option finding is a coded diagnostic.
//!
//! The host's own reading of a call's result (`plugin::library`, private) is exercised by the
//! recipe fuzz, through the real libraries.

#[path = "../fuzz/mod.rs"]
mod fuzz;
mod payload;
mod probe;

use fuzz::{Tally, assert_printable, assert_well_formed, plugins};
use gwscript::diag::{Source, render};
use gwscript::emit::fill_checked;
use gwscript::plugin::{LoadedPlugin, SetupInput, validate_options};
use gwscript_plugin::abi::{CallResult, CallStatus};
use gwscript_plugin::model::{Gateway, Param, Setup, Span, Spanned};
use gwscript_plugin::{Diagnostic, Manifest, Rendering, Template, export};
use minijinja::value::ValueKind;
use payload::{PLUGIN_FIELDS, SETUP_FIELDS, hostile_json, hostile_string, inputs};
use probe::Probe;
use proptest::prelude::*;
use proptest::sample::select;
use serde_json::Value;

/// Inputs per target: each finishes in under a minute in a debug build on two busy cores.
const CASES: u32 = 5_000;

// ---------------------------------------------------------------------------------------------
// Host to plugin

/// The status and payload of one call into the glue, the payload handed back to its `free`.
fn called(result: CallResult) -> (u32, Vec<u8>) {
    // SAFETY: the glue's own buffer, read while it is alive.
    let payload = unsafe { result.payload.as_slice() }
        .expect("the glue never returns a null payload with a length")
        .to_vec();
    // SAFETY: handed back once, to the library (here, the same binary) that allocated it.
    unsafe { export::free(result.payload) };
    (result.status, payload)
}

/// Feeds `input` to the probe's `check`, `render` and `page` entries as the host would.
fn plugin_reads(input: &[u8], tally: &Tally) {
    // SAFETY: `input` is valid for the calls.
    let check = called(unsafe { export::check::<Probe>(input.as_ptr(), input.len()) });
    // SAFETY: as above.
    let render = called(unsafe { export::render::<Probe>(input.as_ptr(), input.len()) });
    // SAFETY: as above.
    let page = called(unsafe { export::page::<Probe>(input.as_ptr(), input.len()) });
    for (call, (status, payload)) in [("check", &check), ("render", &render), ("page", &page)] {
        assert_ne!(
            *status,
            CallStatus::Panicked as u32,
            "{call} panicked: {}",
            String::from_utf8_lossy(payload)
        );
        if *status == CallStatus::Failed as u32 {
            assert!(
                std::str::from_utf8(payload).is_ok(),
                "{call}: a failure is UTF-8"
            );
        } else {
            assert_eq!(*status, CallStatus::Ok as u32, "{call}: unknown status");
        }
    }
    if check.0 == CallStatus::Ok as u32 {
        tally.count("setups the plugin read");
        let findings: Vec<Diagnostic> =
            serde_json::from_slice(&check.1).expect("the findings read back");
        let rendering: Rendering =
            serde_json::from_slice(&render.1).expect("the rendering reads back");
        assert!(
            rendering.context.is_object(),
            "a setup renders as an object"
        );
        host_shows(&findings, input);
    }
}

#[test]
fn fuzz_the_setup_a_plugin_reads() {
    let setups: Vec<Value> = recipe_setups()
        .iter()
        .map(|s| serde_json::to_value(s).expect("a setup is JSON"))
        .collect();
    // The glue quiets panics with a process-wide hook, installed at its first call: meant for a
    // plugin's own copy of std, here it would also hide this test's failures. Put the default back.
    plugin_reads(b"{}", &Tally::new());
    drop(std::panic::take_hook());
    let tally = Tally::new();
    let generated = inputs(setups, SETUP_FIELDS);
    let budget = fuzz::run(
        "setup JSON, read by the SDK glue",
        CASES,
        &generated,
        &tally,
        |input| {
            plugin_reads(&input.0, &tally);
        },
    );
    // Real setups with small changes must still read: otherwise only the JSON parser is tested.
    assert!(tally.get("setups the plugin read") >= budget / 10);
}

// ---------------------------------------------------------------------------------------------
// Plugin to host

/// What the host does with a plugin's findings: shows them, with the recipe line they point at.
fn host_shows(findings: &[Diagnostic], recipe: &[u8]) {
    let text = String::from_utf8_lossy(recipe);
    for finding in findings {
        for source in [
            None,
            Some(Source {
                name: "recipe.rhai",
                text: &text,
                syntax: gwscript::diag::Syntax::Recipe,
            }),
        ] {
            assert_printable(&render(finding, source));
        }
    }
}

/// Reads `output` as each of the three answers a plugin gives, and uses what reads as the host
/// does: shows the findings, fills every first-party template with the rendering's context and
/// parses the output again, and checks `gateway`'s options against the manifest's schemas.
fn host_reads(output: &[u8], gateway: &Gateway, templates: &[Template], tally: &Tally) {
    if let Ok(findings) = serde_json::from_slice::<Vec<Diagnostic>>(output) {
        tally.count("read as findings");
        host_shows(&findings, output);
    }
    if let Ok(rendering) = serde_json::from_slice::<Rendering<minijinja::Value>>(output) {
        tally.count("read as a rendering");
        if rendering.context.kind() == ValueKind::Map {
            for template in templates {
                let filled = fill_checked(template, &rendering.context);
                if let Err(refused) = filled {
                    assert_well_formed(&[refused], None);
                } else {
                    tally.count("filled a template");
                }
            }
        }
    }
    if let Ok(manifest) = serde_json::from_slice::<Manifest>(output) {
        tally.count("read as a manifest");
        let findings = validate_options(gateway, &manifest);
        assert_well_formed(&findings, None);
    }
}

#[test]
fn fuzz_what_the_host_reads_from_plugins() {
    let registry = plugins();
    let setups = recipe_setups();
    let mut documents: Vec<Value> = Vec::new();
    for plugin in &registry.plugins {
        documents.push(serde_json::to_value(&plugin.manifest).expect("a manifest is JSON"));
        // Findings of every code the plugin declares, as its checks would return them.
        let declared: Vec<Diagnostic> = plugin
            .manifest
            .diagnostics
            .codes
            .iter()
            .map(|c| {
                Diagnostic::warning(&c.code, &c.title, "see its page")
                    .at(Some(Span { line: 2, column: 5 }))
            })
            .collect();
        documents.push(serde_json::to_value(declared).expect("findings are JSON"));
        for setup in setups.iter().filter(|s| uses(s, plugin)) {
            let input = SetupInput::new(setup);
            let findings = plugin.check(&input).expect("a shipped recipe checks");
            documents.push(serde_json::to_value(findings).expect("findings are JSON"));
            let rendering = plugin.render(&input).expect("a shipped recipe renders");
            documents.push(serde_json::to_value(rendering).expect("a rendering is JSON"));
        }
    }
    let gateways = (
        select(
            setups
                .iter()
                .filter_map(|s| s.gateway.clone())
                .collect::<Vec<_>>(),
        ),
        prop::collection::vec((hostile_string(), hostile_json()), 0..4),
    )
        .prop_map(|(mut gateway, options)| {
            for (key, value) in options {
                let value: Param = serde_json::from_value(value).expect("any JSON is a Param");
                gateway.options.insert(key, Spanned { value, span: None });
            }
            gateway
        });
    let templates: Vec<Template> = registry
        .plugins
        .iter()
        .flat_map(|p| p.manifest.templates.clone())
        .collect();
    let tally = Tally::new();
    let generated = (inputs(documents, PLUGIN_FIELDS), gateways);
    let budget = fuzz::run(
        "plugin JSON, read by the host",
        CASES,
        &generated,
        &tally,
        |input| {
            let (output, gateway) = input;
            host_reads(&output.0, &gateway, &templates, &tally);
        },
    );
    // Enough of each answer must read for the host to use it: otherwise only the parser is tested.
    for read in [
        "read as a manifest",
        "read as findings",
        "read as a rendering",
        "filled a template",
    ] {
        assert!(tally.get(read) >= budget / 50, "too few inputs {read}");
    }
}

// ---------------------------------------------------------------------------------------------
// Real documents

/// The setups of the shipped recipes.
fn recipe_setups() -> Vec<Setup> {
    let scripts = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../scripts");
    let mut found = Vec::new();
    for entry in std::fs::read_dir(&scripts)
        .expect("scripts/")
        .filter_map(Result::ok)
    {
        let source = std::fs::read_to_string(entry.path()).expect("a readable recipe");
        found.push(gwscript::run::recipe(&source, Some(&scripts)).expect("a shipped recipe runs"));
    }
    assert!(found.len() >= 5, "scripts/ holds the shipped recipes");
    found
}

fn uses(setup: &Setup, plugin: &LoadedPlugin) -> bool {
    setup
        .gateway_of_kind(&plugin.manifest.gateway_kind)
        .is_some()
}
