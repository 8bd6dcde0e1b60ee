//! What the plugin tells the host when it is loaded: identity, the roles it plays (a monitor
//! through hooks, or the gateway through its LLM proxy), option schemas, how Claude Code reaches
//! the LLM proxy (every fact unverified), the hook script template (embedded, so the library is
//! the whole plugin), the diagnostic codes, and what MintMCP can do.

use crate::checks::codes;
use crate::{assessments, schemas};
use gwscript_plugin::model::Endpoint;
use gwscript_plugin::{
    ClientAuth, ClientContract, Manifest, ModelNames, PluginRole, Template, TemplateFormat,
};

/// Where the hook script lands, relative to the output directory.
pub const HOOK_SCRIPT_PATH: &str = "mintmcp/hook.sh";

pub fn manifest() -> Manifest {
    Manifest {
        name: "mintmcp".into(),
        version: env!("CARGO_PKG_VERSION").into(),
        gateway_kind: crate::GATEWAY_KIND.into(),
        display_name: "MintMCP".into(),
        description: "Claude Code hooks posting to MintMCP, rolled out through managed \
                      settings, as a monitor beside any pattern; as the gateway, its LLM proxy \
                      (unverified)"
            .into(),
        third_party: true,
        // Monitoring through hooks is what MintMCP documents; the gateway role is its LLM proxy.
        roles: vec![PluginRole::Gateway, PluginRole::Monitor],
        requires: Vec::new(),
        capabilities: ["claude-code-hooks", "managed-settings", "audit-logs"]
            .map(String::from)
            .to_vec(),
        compatibility: assessments::compatibility(),
        features: assessments::features(),
        gateway_options: Some(schemas::gateway_options()),
        deployment_options: None,
        // Used only when MintMCP is the gateway. Unverified, all of it: MintMCP does not document
        // its LLM proxy. A base URL that forwards Claude Code's requests would take the key as
        // Bearer and the provider's model ids.
        client: ClientContract {
            auth: ClientAuth::Bearer,
            endpoints: [(Endpoint::Unified, String::new())].into(),
            model_names: ModelNames::Provider,
        },
        // MintMCP documents no health route.
        liveness_path: None,
        templates: vec![
            Template::new(
                HOOK_SCRIPT_PATH,
                TemplateFormat::Shell,
                include_str!("../templates/hook.sh.j2"),
                "MintMCP hook script: posts each Claude Code hook event to MintMCP; install it \
                 where settings.json runs it",
            )
            .executable(),
        ],
        // A unit test (checks::codes) proves every page parses, so this cannot fail at load.
        diagnostics: codes::index().expect("every MintMCP diagnostic page parses"),
        file_kinds: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::MintMcp;
    use gwscript_plugin::Plugin;
    use gwscript_plugin::manifest::Support;
    use gwscript_plugin::testing::assert_crosses_the_abi;

    #[test]
    fn declares_the_mintmcp_gateway_as_a_third_party() {
        let manifest = manifest();
        assert_eq!(
            (
                manifest.name.as_str(),
                manifest.gateway_kind.as_str(),
                manifest.display_name.as_str()
            ),
            ("mintmcp", "mintmcp", "MintMCP")
        );
        assert!(manifest.third_party);
        assert!(manifest.serves(PluginRole::Monitor) && manifest.serves(PluginRole::Gateway));
        assert_eq!(manifest.version, env!("CARGO_PKG_VERSION"));
        assert!(manifest.requires.is_empty() && manifest.liveness_path.is_none());
        assert!(manifest.gateway_options.is_some() && manifest.deployment_options.is_none());
        assert_eq!(manifest.diagnostics.prefix, "GW43");
        assert_eq!(manifest.diagnostics.codes.len(), MintMcp::pages().len());
        // The manifest crosses the ABI as JSON.
        assert_crosses_the_abi(&manifest);
    }

    #[test]
    fn the_proxy_contract_is_bearer_on_the_unified_route_and_all_unverified() {
        let manifest = manifest();
        let client = &manifest.client;
        assert_eq!(client.auth, ClientAuth::Bearer);
        assert_eq!(client.model_names, ModelNames::Provider);
        assert_eq!(
            client.endpoints.iter().collect::<Vec<_>>(),
            [(&Endpoint::Unified, &String::new())]
        );
        assert!(manifest.compatibility.iter().all(|criterion| {
            criterion.source == "unverified" && criterion.status == Support::DependsOnConfig
        }));
    }

    #[test]
    fn the_only_template_is_the_executable_hook_script() {
        let templates: Vec<_> = manifest()
            .templates
            .into_iter()
            .map(|t| (t.path, t.format, t.executable))
            .collect();
        assert_eq!(
            templates,
            [(HOOK_SCRIPT_PATH.to_owned(), TemplateFormat::Shell, true)]
        );
    }
}
