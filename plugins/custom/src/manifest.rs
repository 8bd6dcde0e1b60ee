//! What the plugin tells the host when it is loaded: identity, the option schema, how Claude Code
//! reaches the gateway, the templates (embedded, so the library is the whole plugin) with the
//! server each belongs to, the diagnostic codes, and what the gateway can do.

use crate::checks::codes;
use crate::options::Server;
use crate::{assessments, schemas};
use gwscript_plugin::model::Endpoint;
use gwscript_plugin::{ClientAuth, ClientContract, Manifest, ModelNames, Template, TemplateFormat};

pub const NGINX_CONF_PATH: &str = "nginx/claude-gateway.conf.template";
pub const NGINX_START_PATH: &str = "nginx/start.sh";
pub const KONG_PATH: &str = "kong/kong.yaml";
pub const CHECKLIST_PATH: &str = "custom/CHECKLIST.md";

/// Every template, with the server it belongs to.
fn templates() -> [(Server, Template); 4] {
    [
        (
            Server::Nginx,
            Template::new(
                NGINX_CONF_PATH,
                TemplateFormat::Text,
                include_str!("../templates/nginx.conf.j2"),
                "nginx configuration with ${…} placeholders for the credentials; start.sh fills \
                 them in",
            ),
        ),
        (
            Server::Nginx,
            Template::new(
                NGINX_START_PATH,
                TemplateFormat::Shell,
                include_str!("../templates/start.sh.j2"),
                "start script for nginx: renders the configuration from the environment and runs \
                 nginx unprivileged",
            )
            .executable(),
        ),
        (
            Server::Kong,
            Template::new(
                KONG_PATH,
                TemplateFormat::Yaml,
                include_str!("../templates/kong.yaml.j2"),
                "decK declarative configuration for Kong Gateway's ai-proxy and key-auth plugins",
            ),
        ),
        (
            Server::Checklist,
            Template::new(
                CHECKLIST_PATH,
                TemplateFormat::Text,
                include_str!("../templates/CHECKLIST.md.j2"),
                "checklist for configuring AWS API Gateway or Apigee as Claude Code's gateway",
            ),
        ),
    ]
}

/// The templates that do not belong to `server`, which the rendering omits.
pub fn paths_not_for(server: Server) -> Vec<String> {
    templates()
        .into_iter()
        .filter(|(owner, _)| *owner != server)
        .map(|(_, template)| template.path)
        .collect()
}

pub fn manifest() -> Manifest {
    Manifest {
        name: "custom".into(),
        version: env!("CARGO_PKG_VERSION").into(),
        gateway_kind: crate::GATEWAY_KIND.into(),
        display_name: "Custom gateway".into(),
        description: "a gateway you run: an nginx reverse proxy, a Kong decK config, or a \
                      checklist for AWS API Gateway and Apigee"
            .into(),
        third_party: false,
        // Carries Claude Code's model traffic; it cannot be a monitor (GW2016).
        roles: gwscript_plugin::PluginRole::gateway_only(),
        requires: Vec::new(),
        capabilities: [
            "unified-messages",
            "nginx",
            "kong-ai-proxy",
            "managed-gateway-checklist",
        ]
        .map(String::from)
        .to_vec(),
        compatibility: assessments::compatibility(),
        features: assessments::features(),
        gateway_options: Some(schemas::gateway_options()),
        // Deployments only name the models; there is no routing to tune.
        deployment_options: None,
        client: ClientContract {
            // ANTHROPIC_AUTH_TOKEN or an apiKeyHelper; every server checks the same header.
            auth: ClientAuth::Bearer,
            endpoints: [(Endpoint::Unified, String::new())].into(),
            // Requests go to the upstream unchanged, model id included.
            model_names: ModelNames::Provider,
        },
        liveness_path: None,
        templates: templates()
            .into_iter()
            .map(|(_, template)| template)
            .collect(),
        // A unit test (checks::codes) proves every page parses, so this cannot fail at load.
        diagnostics: codes::index().expect("every custom-gateway diagnostic page parses"),
        file_kinds: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Custom;
    use gwscript_plugin::Plugin;
    use gwscript_plugin::testing::assert_crosses_the_abi;

    #[test]
    fn declares_the_users_own_gateway() {
        let manifest = manifest();
        assert_eq!(
            (
                manifest.name.as_str(),
                manifest.gateway_kind.as_str(),
                manifest.display_name.as_str()
            ),
            ("custom", "custom", "Custom gateway")
        );
        assert!(
            !manifest.third_party,
            "the user's own gateway gets no third-party notice"
        );
        assert_eq!(manifest.diagnostics.prefix, "GW44");
        assert_eq!(manifest.diagnostics.codes.len(), Custom::pages().len());
        assert!(manifest.gateway_options.is_some() && manifest.deployment_options.is_none());
        assert_eq!(manifest.liveness_path, None);
        assert_crosses_the_abi(&manifest);
    }

    #[test]
    fn claude_code_sends_a_bearer_token_and_anthropic_model_ids_to_the_gateway_url() {
        let client = manifest().client;
        assert_eq!(client.auth, ClientAuth::Bearer);
        assert_eq!(client.model_names, ModelNames::Provider);
        assert_eq!(
            client.endpoints.into_iter().collect::<Vec<_>>(),
            [(Endpoint::Unified, String::new())]
        );
    }

    #[test]
    fn every_template_belongs_to_one_server_and_says_what_it_is() {
        let templates = manifest().templates;
        assert_eq!(templates.len(), 4);
        for template in &templates {
            assert!(!template.purpose.is_empty(), "{}", template.path);
        }
        let start = templates
            .iter()
            .find(|t| t.path == NGINX_START_PATH)
            .unwrap();
        assert!(start.executable && start.format == TemplateFormat::Shell);
        assert_eq!(paths_not_for(Server::Nginx), [KONG_PATH, CHECKLIST_PATH]);
        assert_eq!(
            paths_not_for(Server::Kong),
            [NGINX_CONF_PATH, NGINX_START_PATH, CHECKLIST_PATH]
        );
        assert_eq!(
            paths_not_for(Server::Checklist),
            [NGINX_CONF_PATH, NGINX_START_PATH, KONG_PATH]
        );
    }
}
