//! A probe plugin for the SDK glue: it reads a setup as real plugins do.

use gwscript_plugin::model::Setup;
use gwscript_plugin::serde::Serialize;
use gwscript_plugin::{
    Diagnostic, Manifest, Plugin, Rendering, ReportContribution, quote, suggest, url,
};
use serde_json::{Value, json};

/// A plugin that reads everything a setup holds through the SDK's helpers, as real plugins do,
/// and answers with findings and a rendering built from it.
pub struct Probe;

impl Plugin for Probe {
    fn manifest() -> Manifest {
        gwscript_plugin::testing::manifest("probe")
    }

    fn check(setup: &Setup) -> Vec<Diagnostic> {
        let mut found = Vec::new();
        for (role, gateway) in setup.plugin_gateways() {
            let groups = gateway.model_groups();
            let _ = (
                setup.gateway_of_kind(&gateway.kind),
                setup.require_gateway(&gateway.kind),
            );
            let _ = (url::host(&gateway.url), url::authority(&gateway.url));
            let _ = gateway.url_for("/v1/messages");
            let _ = suggest::first_few(&groups, 3);
            for (_, key, value, at) in gateway.every_option() {
                let _ = (
                    value.secret_names(),
                    value.to_json(),
                    gateway.option_span(key),
                );
                let _ = (
                    value.as_i64(),
                    value.as_f64(),
                    value.as_bool(),
                    value.as_map(),
                );
                let words: Vec<String> = value
                    .strings()
                    .iter()
                    .map(|s| quote::shell_quote(s))
                    .collect();
                let hint = suggest::did_you_mean(key, groups.iter().copied());
                found.push(
                    Diagnostic::warning(
                        "PROBE1",
                        format!("{} {key}: {words:?}", role.name()),
                        hint,
                    )
                    .at(at),
                );
            }
        }
        for (role, model) in setup.client.pinned_models() {
            found.push(
                Diagnostic::note("PROBE2", format!("{role}: {}", model.value), "").at(model.span),
            );
        }
        let _ = setup.client.auth_token_variable();
        if let Some(proxy) = &setup.proxy {
            let _ = url::host(&proxy.url);
        }
        found
    }

    /// The context holds every option's text, flat: the setup itself, nested one level deeper,
    /// could pass the JSON reader's depth limit only because the probe nested it.
    fn render(setup: &Setup) -> Result<Rendering<impl Serialize>, String> {
        let options: serde_json::Map<String, Value> = setup
            .plugin_gateways()
            .flat_map(|(_, gateway)| gateway.every_option())
            .map(|(_, key, value, _)| (key.to_owned(), json!(value.strings())))
            .collect();
        Ok(Rendering {
            context: json!({ "pattern": setup.pattern, "options": options }),
            report: ReportContribution {
                notes: setup.client.env.values().cloned().collect(),
                ..ReportContribution::default()
            },
            ..Rendering::default()
        })
    }

    fn pages() -> &'static [&'static str] {
        &["# PROBE1: a probe finding\n"]
    }
}
