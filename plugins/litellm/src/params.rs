//! How a recipe's deployment becomes a LiteLLM `litellm_params` mapping. The context renders
//! these entries and the checks inspect the same entries, so both agree on every key.

use crate::catalog;
use gwscript_plugin::model::{Deployment, Param, Provider, ProviderKind};
use serde_json::{Map, Value};

/// The prefix LiteLLM reads secret references with.
pub const ENV_REFERENCE_PREFIX: &str = "os.environ/";

/// One provider option, as written in the recipe and as LiteLLM reads it.
#[derive(Debug)]
pub struct ProviderParam<'a> {
    pub recipe_key: &'a str,
    pub litellm_key: &'a str,
    pub value: &'a Param,
}

impl ProviderParam<'_> {
    /// Whether LiteLLM reads this key (otherwise it is forwarded to the provider as a kwarg).
    pub fn is_known(&self) -> bool {
        catalog::is_litellm_param(self.litellm_key)
    }

    pub fn holds_credential(&self) -> bool {
        catalog::SECRET_PARAMS.contains(&self.litellm_key)
    }
}

/// How a provider's option keys are spelled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Naming {
    /// A recipe's names (`region`, `project`), which gwscript writes under LiteLLM's names.
    Recipe,
    /// LiteLLM's own `litellm_params` names, as a hand-written config.yaml has them: a recipe
    /// spelling there is just an unknown key.
    LiteLlm,
}

/// The provider's options under their LiteLLM names, sorted by the key as written.
pub fn provider_params(provider: &Provider, naming: Naming) -> Vec<ProviderParam<'_>> {
    provider
        .options
        .iter()
        .map(|(key, value)| ProviderParam {
            recipe_key: key,
            litellm_key: match naming {
                Naming::Recipe => catalog::litellm_option_key(provider.kind, key),
                Naming::LiteLlm => key,
            },
            value,
        })
        .collect()
}

/// `litellm_params.model`: the provider prefix plus the provider's model id; raw models verbatim.
pub fn litellm_model(deployment: &Deployment) -> String {
    let prefix = catalog::model_prefix(deployment.provider.kind).unwrap_or_default();
    format!("{prefix}{}", deployment.provider_model)
}

/// How a recipe value appears in config.yaml: secrets as `os.environ/NAME`, lists and maps
/// element by element, literals as given.
pub fn config_value(param: &Param) -> Value {
    match param {
        Param::Secret(secret) => Value::String(format!("{ENV_REFERENCE_PREFIX}{}", secret.secret)),
        Param::List(items) => Value::Array(items.iter().map(config_value).collect()),
        Param::Map(entries) => Value::Object(
            entries
                .iter()
                .map(|(key, value)| (key.clone(), config_value(value)))
                .collect(),
        ),
        Param::Literal(value) => value.clone(),
    }
}

/// The environment variable a config value makes LiteLLM read, if any.
pub fn referenced_env_var(value: &str) -> Option<&str> {
    // Anything else is refused by the checks (GW4016) before start.sh is rendered.
    value
        .strip_prefix(ENV_REFERENCE_PREFIX)
        .filter(|name| gwscript_plugin::model::is_env_name(name))
}

/// The full `litellm_params` of a deployment. Routing options (`order`, `weight`, `rpm`, `tpm`,
/// the keys the manifest's deployment schema allows) go here, not beside `litellm_params`:
/// simple-shuffle reads `weight`/`rpm`/`tpm` only from inside it.
pub fn litellm_params(deployment: &Deployment) -> Map<String, Value> {
    let mut params = Map::new();
    params.insert("model".into(), Value::String(litellm_model(deployment)));
    for param in provider_params(&deployment.provider, Naming::Recipe) {
        params.insert(param.litellm_key.into(), config_value(param.value));
    }
    for (key, option) in &deployment.options {
        params.insert(key.clone(), config_value(&option.value));
    }
    params
}

/// Whether Claude Code's Anthropic-only request parameters may reach a backend that rejects them:
/// raw deployments are the escape hatch for non-Anthropic providers.
pub fn needs_drop_params(deployments: &[Deployment]) -> bool {
    first_needing_drop_params(deployments).is_some()
}

/// The first deployment [`needs_drop_params`] is about, to point a finding at.
pub fn first_needing_drop_params(deployments: &[Deployment]) -> Option<&Deployment> {
    deployments
        .iter()
        .find(|d| d.provider.kind == ProviderKind::Raw)
}
