//! What the plugin tells the host when it is loaded: identity, option schema, how Claude Code
//! reaches and authenticates to a Hello Gateway, the templates (embedded, so the library is the
//! whole plugin), the diagnostic codes, and what the gateway can do.

use crate::{assessments, checks, options};
use gwscript_plugin::model::Endpoint;
use gwscript_plugin::{ClientAuth, ClientContract, Manifest, ModelNames, Template, TemplateFormat};

/// The gateway's configuration, relative to the output directory.
pub const CONFIG_PATH: &str = "hello/gateway.json";
/// Written only when the gateway shouts (see `Rendering::omit` in [`crate::rendering`]).
pub const SHOUT_SCRIPT_PATH: &str = "hello/shout.sh";

/// The header the gateway reads Claude Code's key from.
pub const KEY_HEADER: &str = "x-hello-key";

/// A route that answers without a key once the gateway is up.
const LIVENESS_PATH: &str = "/healthz";

pub fn manifest() -> Manifest {
    Manifest {
        name: "hello".into(),
        version: env!("CARGO_PKG_VERSION").into(),
        gateway_kind: crate::GATEWAY_KIND.into(),
        display_name: "Hello Gateway".into(),
        description: "Example plugin: a greeting gateway in front of the Anthropic API".into(),
        third_party: true,
        // Carries Claude Code's model traffic; it cannot be a monitor (GW2016).
        roles: gwscript_plugin::PluginRole::gateway_only(),
        // Everything this plugin uses is in every ABI 2 host.
        requires: Vec::new(),
        capabilities: vec!["unified-messages".into(), "greeting".into()],
        compatibility: assessments::compatibility(),
        features: assessments::features(),
        gateway_options: Some(options::gateway_options()),
        // No schema: `gw.deploy(…, #{ … })` takes no options (the host refuses any, GW1013).
        deployment_options: None,
        client: ClientContract {
            // Sent through ANTHROPIC_CUSTOM_HEADERS as `x-hello-key: <key>`.
            auth: ClientAuth::Header {
                name: KEY_HEADER.into(),
                prefix: String::new(),
            },
            // Anthropic Messages at the gateway URL itself (Claude Code appends /v1/messages).
            endpoints: [(Endpoint::Unified, String::new())].into(),
            // Model ids go to the Anthropic API unchanged.
            model_names: ModelNames::Provider,
        },
        // No hand-written files of its own for `gwscript check` to read.
        file_kinds: Vec::new(),
        liveness_path: Some(LIVENESS_PATH.into()),
        templates: vec![
            Template::new(
                CONFIG_PATH,
                TemplateFormat::Json,
                include_str!("../templates/gateway.json.j2"),
                "Hello Gateway configuration",
            ),
            Template::new(
                SHOUT_SCRIPT_PATH,
                TemplateFormat::Shell,
                include_str!("../templates/shout.sh.j2"),
                "prints the banner the Hello Gateway shouts",
            )
            .executable(),
        ],
        // A unit test proves every page parses, so this cannot fail at load.
        diagnostics: checks::index().expect("every Hello Gateway diagnostic page parses"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn declares_a_third_party_gateway_of_kind_hello() {
        let manifest = manifest();
        assert_eq!(
            (
                manifest.name.as_str(),
                manifest.gateway_kind.as_str(),
                manifest.display_name.as_str()
            ),
            ("hello", "hello", "Hello Gateway")
        );
        assert!(manifest.third_party);
        assert!(manifest.requires.is_empty());
        assert_eq!(manifest.diagnostics.prefix, "HELLO");
        assert_eq!(manifest.diagnostics.codes.len(), checks::PAGES.len());
        assert!(manifest.deployment_options.is_none());
        assert_eq!(manifest.liveness_path.as_deref(), Some("/healthz"));
    }

    #[test]
    fn claude_code_sends_its_key_in_the_gateways_own_header() {
        let client = manifest().client;
        assert_eq!(
            client.auth,
            ClientAuth::Header {
                name: "x-hello-key".into(),
                prefix: String::new()
            }
        );
        assert!(!client.auth.helper_can_deliver());
        assert_eq!(client.endpoints.len(), 1);
        assert_eq!(client.endpoints[&Endpoint::Unified], "");
        assert_eq!(client.model_names, ModelNames::Provider);
    }

    #[test]
    fn every_template_says_what_it_is() {
        let templates: Vec<_> = manifest()
            .templates
            .into_iter()
            .map(|t| (t.path, t.format, t.executable))
            .collect();
        assert_eq!(
            templates,
            [
                (CONFIG_PATH.to_owned(), TemplateFormat::Json, false),
                (SHOUT_SCRIPT_PATH.to_owned(), TemplateFormat::Shell, true),
            ]
        );
        assert!(manifest().templates.iter().all(|t| !t.purpose.is_empty()));
    }
}
