//! What the plugin tells the host when it is loaded: identity, option schemas, how Claude Code
//! reaches the TrueFoundry AI Gateway, the templates (embedded, so the library is the whole
//! plugin), the diagnostic codes, and what TrueFoundry can do.

use crate::checks::codes;
use crate::{assessments, schemas};
use gwscript_plugin::model::Endpoint;
use gwscript_plugin::{ClientAuth, ClientContract, Manifest, ModelNames, Template, TemplateFormat};

/// Where the files land, relative to the output directory; `tfy apply -f` names them.
pub const PROVIDER_ACCOUNTS_PATH: &str = "truefoundry/provider-accounts.yaml";
pub const LOAD_BALANCING_PATH: &str = "truefoundry/load-balancing.yaml";
pub const RATE_LIMITING_PATH: &str = "truefoundry/rate-limiting.yaml";
pub const BUDGETS_PATH: &str = "truefoundry/budgets.yaml";

/// The TrueFoundry CLI (`tfy`) release the report's commands were checked against.
pub const TFY_CLI_VERSION: &str = "0.17.5";

pub fn manifest() -> Manifest {
    Manifest {
        name: "truefoundry".into(),
        version: env!("CARGO_PKG_VERSION").into(),
        gateway_kind: crate::GATEWAY_KIND.into(),
        display_name: "TrueFoundry AI Gateway".into(),
        description: "TrueFoundry provider-account manifests and load-balancing, rate-limiting \
                      and budget configs, applied with tfy apply"
            .into(),
        third_party: true,
        // Carries Claude Code's model traffic; it cannot be a monitor (GW2016).
        roles: gwscript_plugin::PluginRole::gateway_only(),
        requires: Vec::new(),
        capabilities: [
            "unified-messages",
            "load-balancing",
            "fallbacks",
            "rate-limits",
            "budgets",
        ]
        .map(String::from)
        .to_vec(),
        compatibility: assessments::compatibility(),
        features: assessments::features(),
        gateway_options: Some(schemas::gateway_options()),
        deployment_options: Some(schemas::deployment_options()),
        client: ClientContract {
            // A TrueFoundry API key (personal access token or virtual account token) as
            // ANTHROPIC_AUTH_TOKEN.
            auth: ClientAuth::Bearer,
            // The gateway base URL itself; Claude Code appends /v1/messages.
            endpoints: [(Endpoint::Unified, String::new())].into(),
            // TrueFoundry serves `<account>/<model>` ids only; the groups are named that way.
            model_names: ModelNames::Groups,
        },
        // TrueFoundry documents no unauthenticated health route for the gateway.
        liveness_path: None,
        templates: vec![
            // One YAML document per account; the host parses each of them again.
            Template::new(
                PROVIDER_ACCOUNTS_PATH,
                TemplateFormat::YamlStream,
                include_str!("../templates/provider-accounts.yaml.j2"),
                "TrueFoundry provider accounts and their models (one YAML document each)",
            ),
            Template::new(
                LOAD_BALANCING_PATH,
                TemplateFormat::Yaml,
                include_str!("../templates/load-balancing.yaml.j2"),
                "TrueFoundry load-balancing config (weights, priorities, fallbacks)",
            ),
            Template::new(
                RATE_LIMITING_PATH,
                TemplateFormat::Yaml,
                include_str!("../templates/rate-limiting.yaml.j2"),
                "TrueFoundry rate-limiting config",
            ),
            Template::new(
                BUDGETS_PATH,
                TemplateFormat::Yaml,
                include_str!("../templates/budgets.yaml.j2"),
                "TrueFoundry budget config",
            ),
        ],
        // A unit test (checks::codes) proves every page parses, so this cannot fail at load.
        diagnostics: codes::index().expect("every TrueFoundry diagnostic page parses"),
        file_kinds: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::TrueFoundry;
    use gwscript_plugin::Plugin;
    use gwscript_plugin::testing::assert_crosses_the_abi;

    #[test]
    fn declares_the_truefoundry_gateway() {
        let manifest = manifest();
        assert_eq!(
            (
                manifest.name.as_str(),
                manifest.gateway_kind.as_str(),
                manifest.display_name.as_str()
            ),
            ("truefoundry", "truefoundry", "TrueFoundry AI Gateway")
        );
        assert!(manifest.third_party);
        assert!(manifest.requires.is_empty());
        assert_eq!(manifest.diagnostics.prefix, "GW41");
        assert_eq!(manifest.diagnostics.codes.len(), TrueFoundry::pages().len());
        assert!(manifest.gateway_options.is_some() && manifest.deployment_options.is_some());
        // The manifest crosses the ABI as JSON.
        assert_crosses_the_abi(&manifest);
    }

    #[test]
    fn claude_code_sends_a_bearer_key_to_the_gateway_url_with_group_names() {
        let client = manifest().client;
        assert_eq!(client.auth, ClientAuth::Bearer);
        assert_eq!(client.model_names, ModelNames::Groups);
        assert_eq!(
            client.endpoints.into_iter().collect::<Vec<_>>(),
            [(Endpoint::Unified, String::new())]
        );
    }

    #[test]
    fn every_template_says_what_it_is() {
        let templates: Vec<(String, TemplateFormat)> = manifest()
            .templates
            .into_iter()
            .map(|t| {
                assert!(!t.purpose.is_empty() && !t.executable, "{}", t.path);
                (t.path, t.format)
            })
            .collect();
        assert_eq!(
            templates,
            [
                (
                    PROVIDER_ACCOUNTS_PATH.to_owned(),
                    TemplateFormat::YamlStream
                ),
                (LOAD_BALANCING_PATH.to_owned(), TemplateFormat::Yaml),
                (RATE_LIMITING_PATH.to_owned(), TemplateFormat::Yaml),
                (BUDGETS_PATH.to_owned(), TemplateFormat::Yaml),
            ]
        );
    }
}
