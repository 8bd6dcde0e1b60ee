//! The report's prose: facts about this setup a person must know, what LiteLLM cannot do for it,
//! and what its error answers mean. Each line is short and specific to the setup.

use crate::listen::Listen;
use crate::{catalog, params};
use gwscript_plugin::Setup;
use gwscript_plugin::model::{Endpoint, Gateway, ProviderKind};

pub fn notes(setup: &Setup, gateway: &Gateway, listen: &Listen) -> Vec<String> {
    let mut notes = vec![model_names_note(setup.client.endpoint, gateway)];
    if !listen.is_local() {
        notes.push(format!(
            "Clients use {}; the proxy listens on {}:{}. Put TLS termination (a load balancer or \
             reverse proxy with streaming, no buffering, and a read timeout of at least 300 s) \
             between the two.",
            gateway.url, listen.bind, listen.port
        ));
    }
    notes.push(
        "Unset ANTHROPIC_API_KEY where Claude Code runs: it should present a LiteLLM key \
         (ANTHROPIC_AUTH_TOKEN or apiKeyHelper), not a provider key."
            .into(),
    );
    let master_key_var = gateway
        .option("master_key")
        .and_then(|key| key.secret_name())
        .unwrap_or("LITELLM_MASTER_KEY");
    notes.push(format!(
        "{master_key_var} must be a long random key starting with sk- (e.g. sk-$(openssl rand -hex 32)), \
         never the published sk-1234: newer LiteLLM releases refuse to start with it."
    ));
    if !has_database(gateway) {
        notes.push(
            "Without database_url LiteLLM cannot issue virtual keys or track spend: every client \
             shares the master key."
                .into(),
        );
    }
    if params::needs_drop_params(&gateway.deployments) {
        notes.push(
            "drop_params is on because raw (non-Anthropic) deployments may reject the Anthropic-only \
             parameters Claude Code sends."
                .into(),
        );
    }
    notes.push(
        "Offline or air-gapped: export LITELLM_LOCAL_MODEL_COST_MAP=True and \
         LITELLM_LOCAL_ANTHROPIC_BETA_HEADERS=True, or LiteLLM tries to download them at startup."
            .into(),
    );
    notes.push(format!(
        "Install exactly {}; litellm 1.82.7 and 1.82.8 were compromised releases.",
        catalog::LITELLM_VERSION
    ));
    if gateway
        .deployments
        .iter()
        .any(|d| d.provider.kind == ProviderKind::Vertex)
    {
        // Seen with LiteLLM 1.102.4: every Vertex request fails with "No module named 'google'".
        notes.push(
            "litellm[proxy] does not install google-auth, which every Vertex deployment needs: \
             also pip install google-auth (or litellm[proxy,google]) on the gateway host."
                .into(),
        );
    }
    notes
}

/// Which model ids the chosen route accepts, and what happens to others.
fn model_names_note(endpoint: Endpoint, gateway: &Gateway) -> String {
    let names = gateway.model_groups().join(", ");
    match endpoint {
        Endpoint::Unified => format!(
            "Every model id Claude Code sends (main, background, subagents, /model) must be a \
             model_name in config.yaml ({names}); others get 400 Invalid model name."
        ),
        Endpoint::Anthropic => {
            "The /anthropic pass-through sends any model id straight to Anthropic with the proxy's \
             own ANTHROPIC_API_KEY."
                .into()
        }
        Endpoint::Bedrock => format!(
            "On /bedrock the model id in Claude Code's path must be a model_name ({names}), as on \
             the Messages route; LiteLLM answers any other id with 400 Invalid model name. It \
             routes the request like a Messages request: it picks a deployment of the group by \
             routing_strategy and order, puts that deployment's Bedrock model id in the path, \
             signs with its AWS credentials and region, and retries and falls back per \
             router_settings."
        ),
        Endpoint::Vertex => format!(
            "On /vertex_ai LiteLLM does not route by model group: a model id in Claude Code's \
             path that equals a model_name ({names}) goes to one of the group's Vertex deployments \
             (project, location and model id swapped in), any other id unchanged to the project \
             and location in the path. Either way LiteLLM signs with the credentials of the \
             Vertex deployment for that project and location (use_in_pass_through, set by \
             gwscript), or answers 401 if there is none."
        ),
    }
}

/// What LiteLLM does not do for Claude Code on this setup's route.
pub fn limitations(setup: &Setup, gateway: &Gateway) -> Vec<String> {
    let has = |kind: ProviderKind| gateway.deployments.iter().any(|d| d.provider.kind == kind);
    let mut limitations = Vec::new();
    match setup.client.endpoint {
        Endpoint::Unified if has(ProviderKind::Bedrock) || has(ProviderKind::Vertex) => {
            limitations.push(
                "Bedrock and Vertex deployments get only the anthropic-beta values on LiteLLM's \
                 per-provider allow-list; Claude Code features behind other betas are off there."
                    .into(),
            );
        }
        Endpoint::Anthropic => limitations.push(
            "The /anthropic pass-through skips model_list: the deployments, routing_strategy and \
             fallbacks in config.yaml do not apply to Claude Code's requests."
                .into(),
        ),
        // Verified with LiteLLM 1.102.4: a fallback request keeps the path the first attempt got.
        Endpoint::Bedrock if !gateway.fallbacks.is_empty() => limitations.push(
            "On /bedrock a fallback re-sends Claude Code's original model id through the \
             fallback group's deployment (its endpoint, credentials and region), not that \
             group's model: spill over inside a group, with order, rather than through fallbacks."
                .into(),
        ),
        Endpoint::Vertex => limitations.extend([
            "On /vertex_ai LiteLLM sends each request once, to one deployment: no retries, no \
             fallbacks, and order is ignored; a failure goes straight back to Claude Code."
                .into(),
            "use_in_pass_through also lets any LiteLLM key call any Vertex AI API in those \
             deployments' projects and locations with their Google credentials."
                .into(),
        ]),
        _ => {}
    }
    limitations
}

/// LiteLLM's answers to a failing request, and what each means for this setup.
pub fn troubleshooting(setup: &Setup, gateway: &Gateway) -> Vec<String> {
    let mut lines = Vec::new();
    if setup.client.endpoint == Endpoint::Unified {
        lines.push(format!(
            "400 \"Invalid model name passed in model=…\": Claude Code sent a model id that is not \
             a model_name ({}); pin ANTHROPIC_MODEL and ANTHROPIC_DEFAULT_*_MODEL to one, or \
             deploy the id as a group.",
            gateway.model_groups().join(", ")
        ));
    }
    lines.push(
        "401: the key Claude Code sent is neither the proxy's master key nor a LiteLLM virtual key \
         (provider keys are not accepted; virtual keys start with sk-)."
            .into(),
    );
    if !has_database(gateway) {
        lines.push(
            "400 \"No connected db.\": without database_url LiteLLM answers this, not 401, for a \
             key that is not the master key."
                .into(),
        );
    }
    lines
}

fn has_database(gateway: &Gateway) -> bool {
    gateway.option("database_url").is_some()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::gateway_with;
    use gwscript_plugin::testing::{
        anthropic, bedrock, fallback, secret, setup_for, vertex, with_gateway_option,
    };

    fn setup_on(endpoint: Endpoint, gateway: Gateway) -> Setup {
        let mut setup = setup_for(gateway);
        setup.client.endpoint = endpoint;
        setup
    }

    #[test]
    fn troubleshooting_explains_litellms_answers() {
        let gateway = gateway_with(vec![anthropic("sonnet", "claude-sonnet-4-5")], vec![]);
        let lines = troubleshooting(&setup_on(Endpoint::Unified, gateway.clone()), &gateway);
        assert_eq!(lines.len(), 3);
        assert!(lines[0].starts_with("400 \"Invalid model name") && lines[0].contains("(sonnet)"));
        assert!(lines[1].starts_with("401: ") && lines[1].contains("virtual key"));
        assert!(lines[2].contains("No connected db."));

        let with_db = with_gateway_option(gateway, "database_url", secret("DATABASE_URL"));
        let pass_through =
            troubleshooting(&setup_on(Endpoint::Anthropic, with_db.clone()), &with_db);
        assert_eq!(pass_through.len(), 1, "{pass_through:?}");
    }

    #[test]
    fn limitations_follow_the_route_and_the_backends() {
        let anthropic_only = gateway_with(vec![anthropic("s", "claude-sonnet-4-5")], vec![]);
        let on = |endpoint, gateway: &Gateway| {
            limitations(&setup_on(endpoint, gateway.clone()), gateway)
        };
        assert!(on(Endpoint::Unified, &anthropic_only).is_empty());
        assert!(on(Endpoint::Anthropic, &anthropic_only)[0].contains("skips model_list"));

        let mixed = gateway_with(
            vec![
                anthropic("s", "claude-sonnet-4-5"),
                bedrock("s", "m", Some("us-east-1")),
            ],
            vec![],
        );
        assert!(on(Endpoint::Unified, &mixed)[0].contains("anthropic-beta"));

        let on_vertex = on(
            Endpoint::Vertex,
            &gateway_with(vec![vertex("s", "m", Some("p"), Some("l"))], vec![]),
        );
        assert_eq!(on_vertex.len(), 2, "{on_vertex:?}");
        assert!(on_vertex[0].contains("no retries, no fallbacks, and order is ignored"));
        assert!(on_vertex[1].contains("any LiteLLM key call any Vertex AI API"));

        let bedrock_only = gateway_with(vec![bedrock("s", "m", Some("us-east-1"))], vec![]);
        assert!(on(Endpoint::Bedrock, &bedrock_only).is_empty());
        let with_fallback = gateway_with(
            vec![
                bedrock("s", "m", Some("us-east-1")),
                bedrock("h", "n", Some("us-west-2")),
            ],
            vec![fallback("s", &["h"])],
        );
        assert!(
            on(Endpoint::Bedrock, &with_fallback)[0]
                .contains("re-sends Claude Code's original model id")
        );
    }

    #[test]
    fn the_model_names_note_says_what_each_route_does_with_the_id() {
        let gateway = gateway_with(
            vec![
                bedrock("sonnet", "m", Some("us-east-1")),
                vertex("haiku", "n", Some("p"), Some("l")),
            ],
            vec![],
        );
        let note = |endpoint| model_names_note(endpoint, &gateway);
        // Checked against LiteLLM 1.102.4 by tests/e2e/litellm_passthrough.rs.
        assert!(note(Endpoint::Bedrock).contains(
            "must be a model_name (sonnet, haiku), as on the Messages route; LiteLLM answers any \
             other id with 400 Invalid model name"
        ));
        assert!(note(Endpoint::Bedrock).contains("retries and falls back per router_settings"));
        assert!(note(Endpoint::Vertex).contains("does not route by model group"));
        assert!(note(Endpoint::Vertex).contains("any other id unchanged to the project"));
    }

    #[test]
    fn vertex_deployments_need_google_auth() {
        let needs = |gateway: &Gateway| {
            let listen = crate::listen::from_gateway_url(&gateway.url).unwrap();
            notes(
                &setup_on(Endpoint::Unified, gateway.clone()),
                gateway,
                &listen,
            )
            .iter()
            .any(|note| note.contains("pip install google-auth"))
        };
        assert!(needs(&gateway_with(
            vec![vertex("s", "m", Some("p"), Some("l"))],
            vec![]
        )));
        assert!(!needs(&gateway_with(
            vec![bedrock("s", "m", Some("us-east-1"))],
            vec![]
        )));
    }
}
