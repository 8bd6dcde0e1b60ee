//! The `report` part of the context: how to install and start this proxy, and the LiteLLM facts
//! that decide whether Claude Code works through it. Notes are short and specific to the setup.

use crate::listen::Listen;
use crate::{catalog, manifest, params};
use gwscript_plugin::Setup;
use gwscript_plugin::model::{Endpoint, Gateway};
use serde::Serialize;

#[derive(Debug, Serialize)]
pub struct Report {
    pub start_command: String,
    pub install_command: String,
    pub notes: Vec<String>,
}

pub fn build(setup: &Setup, gateway: &Gateway, listen: &Listen) -> Report {
    Report {
        start_command: format!(
            "litellm --config {} --host {} --port {}",
            manifest::CONFIG_PATH,
            shell_word(&listen.bind),
            listen.port
        ),
        install_command: catalog::install_command(),
        notes: notes(setup, gateway, listen),
    }
}

fn notes(setup: &Setup, gateway: &Gateway, listen: &Listen) -> Vec<String> {
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
        .master_key
        .as_ref()
        .and_then(|key| key.value.secret_name())
        .unwrap_or("LITELLM_MASTER_KEY");
    notes.push(format!(
        "{master_key_var} must be a long random key starting with sk- (e.g. sk-$(openssl rand -hex 32)), \
         never the published sk-1234: newer LiteLLM releases refuse to start with it."
    ));
    if gateway.database_url.is_none() {
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
            "The /anthropic pass-through sends any model id straight to Anthropic \
             with the proxy's own ANTHROPIC_API_KEY; model_list routing and fallbacks do not apply."
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

/// `word` as one shell word: as is when it needs no quoting, single-quoted otherwise.
fn shell_word(word: &str) -> String {
    let plain = !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | ':'));
    if plain {
        word.to_owned()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}
