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
            "On /bedrock, a model id equal to a model_name ({names}) uses that deployment's \
             credentials and region; any other id goes to Bedrock with the proxy's AWS environment."
        ),
        Endpoint::Vertex => format!(
            "On /vertex_ai, a model id equal to a model_name ({names}) takes vertex_project and \
             vertex_location from that deployment; any other id uses the project and region in \
             Claude Code's URL."
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
        // Seen with LiteLLM 1.102.4: rawPredict fails with "No Vertex AI credential is configured".
        Endpoint::Vertex if !vertex_pass_through_enabled(gateway) => limitations.push(
            "LiteLLM uses a Vertex deployment's credentials on /vertex_ai only when it sets \
             use_in_pass_through: true; add that provider option to the Vertex deployments."
                .into(),
        ),
        _ => {}
    }
    limitations
}

fn vertex_pass_through_enabled(gateway: &Gateway) -> bool {
    gateway.deployments.iter().any(|d| {
        d.provider.kind == ProviderKind::Vertex
            && d.provider
                .option("use_in_pass_through")
                .and_then(|value| value.as_bool())
                == Some(true)
    })
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
        anthropic, bedrock, literal, secret, setup_for, vertex, with_gateway_option, with_option,
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

        let plain = gateway_with(vec![vertex("s", "m", Some("p"), Some("l"))], vec![]);
        assert!(on(Endpoint::Vertex, &plain)[0].contains("use_in_pass_through"));
        let enabled = gateway_with(
            vec![with_option(
                vertex("s", "m", Some("p"), Some("l")),
                "use_in_pass_through",
                literal(true),
            )],
            vec![],
        );
        assert!(on(Endpoint::Vertex, &enabled).is_empty());
    }
}
