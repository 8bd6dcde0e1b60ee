//! What the plugin tells the host when it is loaded: identity, option schemas, how Claude Code
//! reaches a Zuplo gateway, the templates (embedded, so the library is the whole plugin), the
//! diagnostic codes, and what Zuplo can do.

use crate::checks::codes;
use crate::{assessments, schemas};
use gwscript_plugin::model::Endpoint;
use gwscript_plugin::{ClientAuth, ClientContract, Manifest, ModelNames, Template, TemplateFormat};

/// Where the files land, relative to the output directory: the layout of a Zuplo project, so
/// `zuplo/config/` is copied over the project's `config/`.
pub const ROUTES_PATH: &str = "zuplo/config/routes.oas.json";
pub const POLICIES_PATH: &str = "zuplo/config/policies.json";

/// Zuplo's system route for deployment liveness; it answers without an API key.
const LIVENESS_PATH: &str = "/__zuplo/ping";

pub fn manifest() -> Manifest {
    Manifest {
        name: "zuplo".into(),
        version: env!("CARGO_PKG_VERSION").into(),
        gateway_kind: crate::GATEWAY_KIND.into(),
        display_name: "Zuplo".into(),
        description: "Zuplo API project routes and policies forwarding Anthropic Messages, or \
                      Zuplo AI Gateway setup steps with usage limits"
            .into(),
        third_party: true,
        // Carries Claude Code's model traffic; it cannot be a monitor (GW2016).
        roles: gwscript_plugin::PluginRole::gateway_only(),
        requires: Vec::new(),
        capabilities: [
            "unified-messages",
            "api-key-auth",
            "rate-limits",
            "usage-limits",
        ]
        .map(String::from)
        .to_vec(),
        compatibility: assessments::compatibility(),
        features: assessments::features(),
        gateway_options: Some(schemas::gateway_options()),
        deployment_options: None,
        client: ClientContract {
            // api-key-inbound (and AI Gateway app keys) read Authorization: Bearer by default.
            auth: ClientAuth::Bearer,
            // Claude Code appends /v1/messages to the project URL itself.
            endpoints: [(Endpoint::Unified, String::new())].into(),
            // The URL Forward handler does not touch the body, so model ids reach the upstream as sent.
            model_names: ModelNames::Provider,
        },
        liveness_path: Some(LIVENESS_PATH.into()),
        templates: vec![
            Template::new(
                ROUTES_PATH,
                TemplateFormat::Json,
                include_str!("../templates/routes.oas.json.j2"),
                "Zuplo routes (OpenAPI 3.1 with x-zuplo-route) for Claude Code",
            ),
            Template::new(
                POLICIES_PATH,
                TemplateFormat::Json,
                include_str!("../templates/policies.json.j2"),
                "Zuplo policies the routes reference",
            ),
        ],
        // A unit test (checks::codes) proves every page parses, so this cannot fail at load.
        diagnostics: codes::index().expect("every Zuplo diagnostic page parses"),
        file_kinds: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Zuplo;
    use gwscript_plugin::Plugin;
    use gwscript_plugin::testing::assert_crosses_the_abi;

    #[test]
    fn declares_the_zuplo_gateway() {
        let manifest = manifest();
        assert_eq!(
            (
                manifest.name.as_str(),
                manifest.gateway_kind.as_str(),
                manifest.display_name.as_str()
            ),
            ("zuplo", "zuplo", "Zuplo")
        );
        assert!(manifest.third_party);
        assert_eq!(manifest.liveness_path.as_deref(), Some("/__zuplo/ping"));
        assert_eq!(manifest.diagnostics.prefix, "GW42");
        assert_eq!(manifest.diagnostics.codes.len(), Zuplo::pages().len());
        assert!(manifest.deployment_options.is_none());
        assert_crosses_the_abi(&manifest);
    }

    #[test]
    fn claude_code_sends_a_bearer_key_to_the_project_url_with_provider_ids() {
        let client = manifest().client;
        assert_eq!(client.auth, ClientAuth::Bearer);
        assert_eq!(client.model_names, ModelNames::Provider);
        assert_eq!(
            client.endpoints.into_iter().collect::<Vec<_>>(),
            [(Endpoint::Unified, String::new())]
        );
    }

    #[test]
    fn both_templates_are_json_with_a_purpose() {
        let templates: Vec<_> = manifest()
            .templates
            .into_iter()
            .map(|t| (t.path, t.format, t.executable))
            .collect();
        assert_eq!(
            templates,
            [
                (ROUTES_PATH.to_owned(), TemplateFormat::Json, false),
                (POLICIES_PATH.to_owned(), TemplateFormat::Json, false),
            ]
        );
    }
}
