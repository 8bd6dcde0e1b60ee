//! Whether Claude Code, pointed at this proxy, finds what it asks for. A config file says nothing
//! about the client: Claude Code may pin its models to this config's groups
//! (`ANTHROPIC_MODEL`, `ANTHROPIC_DEFAULT_*_MODEL`, as gwscript's own setups do), so these
//! findings are notes, not warnings. Without pins it asks for its default model ids, which the
//! unified route answers with `400 Invalid model name` unless a `model_name` serves them.

use super::Config;
use crate::checks::Served;
use crate::checks::codes::CLAUDE_CODE_COMPATIBILITY;
use crate::params;
use gwscript_plugin::Diagnostic;
use gwscript_plugin::model::Gateway;
use serde_json::Value;

/// gwscript's model catalog, shared with the host: which model Claude Code asks for on each
/// alias when nothing pins it, and each model's Anthropic API id.
const MODEL_CATALOG: &str = include_str!("../../../../core/data/models.json");

/// Each alias (`sonnet` is also the main model) with the ids Claude Code may send for it: the
/// catalog name and the Anthropic API id.
fn default_models() -> Vec<(&'static str, Vec<String>)> {
    let Ok(catalog) = serde_json::from_str::<Value>(MODEL_CATALOG) else {
        return Vec::new();
    };
    let models = catalog["models"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default();
    ["sonnet", "opus", "haiku"]
        .into_iter()
        .filter_map(|alias| {
            let name = catalog["claude_code_defaults"][alias].as_str()?;
            let mut ids = vec![name.to_owned()];
            let anthropic = models.iter().filter(|m| m["name"] == name);
            ids.extend(
                anthropic
                    .filter_map(|m| m["anthropic"].as_str())
                    .map(str::to_owned),
            );
            Some((alias, ids))
        })
        .collect()
}

pub fn check(config: &Config, gateway: &Gateway, findings: &mut Vec<Diagnostic>) {
    if gateway.deployments.is_empty() {
        return;
    }
    let at = super::pair_of(&config.root, "model_list").map(|(key, _)| key.span);
    let served = Served::by(gateway);
    let unserved: Vec<String> = default_models()
        .into_iter()
        .filter(|(_, ids)| !ids.iter().any(|id| served.contains(id)))
        .map(|(alias, ids)| format!("{} (`/model {alias}`)", ids[0]))
        .collect();
    if !unserved.is_empty() {
        findings.push(
            Diagnostic::note(
                CLAUDE_CODE_COMPATIBILITY,
                format!(
                    "no model_name serves Claude Code's default model ids {}: Claude Code gets `400 Invalid model name` for them unless its settings pin the models to groups this config serves",
                    unserved.join(", ")
                ),
                "pin Claude Code's models (ANTHROPIC_MODEL, ANTHROPIC_DEFAULT_SONNET_MODEL, …_OPUS_MODEL, …_HAIKU_MODEL) to model_names here, or add model_names for those ids",
            )
            .at(at),
        );
    }
    let drops = config
        .setting("litellm_settings", "drop_params")
        .is_some_and(|flag| matches!(flag.value, gwscript_plugin::yaml::Value::Bool(true)));
    let other = params::first_needing_drop_params(&gateway.deployments);
    if let (Some(deployment), false) = (other, drops) {
        findings.push(
            Diagnostic::note(
                CLAUDE_CODE_COMPATIBILITY,
                format!(
                    "model group `{}` is not served by Anthropic, Bedrock or Vertex AI, and litellm_settings.drop_params is not true: Claude Code's Anthropic-only request parameters (thinking, output_config, …) make such backends refuse its requests",
                    deployment.model_group
                ),
                "add `drop_params: true` (and often `modify_params: true`) under litellm_settings",
            )
            .at(deployment.span),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shared_catalog_names_every_alias() {
        let defaults = default_models();
        assert_eq!(defaults.len(), 3);
        for (alias, ids) in defaults {
            assert!(ids[0].starts_with("claude-"), "{alias}: {ids:?}");
        }
    }
}
