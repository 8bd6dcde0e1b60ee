//! The model catalog: one Claude model's id on the Anthropic API, Bedrock and Vertex AI.
//! Kept as data (`core/data/models.json`) so new models are a data change.

use gwscript_plugin::model::ProviderKind;
use serde::Deserialize;
use std::sync::OnceLock;

#[derive(Debug, Deserialize)]
struct CatalogFile {
    models: Vec<Model>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Model {
    pub name: String,
    pub anthropic: String,
    pub bedrock: String,
    pub vertex: String,
    /// Whether Vertex serves the model in the `global` region.
    pub vertex_global: bool,
}

fn models() -> &'static [Model] {
    static MODELS: OnceLock<Vec<Model>> = OnceLock::new();
    MODELS.get_or_init(|| {
        let file: CatalogFile = serde_json::from_str(include_str!("../data/models.json"))
            .expect("the embedded catalog is valid JSON (checked by the catalog tests)");
        file.models
    })
}

/// Finds a model by its short name or by any platform id.
pub fn lookup(name: &str) -> Option<&'static Model> {
    models()
        .iter()
        .find(|m| m.name == name || m.anthropic == name || m.bedrock == name || m.vertex == name)
}

pub fn names() -> impl Iterator<Item = &'static str> {
    models().iter().map(|m| m.name.as_str())
}

/// The provider's id for `model`. For Bedrock with a known region this is the cross-region
/// inference profile Claude Code itself would pick (`us.` for `us-*`, `eu.`, `apac.`, else `global.`).
pub fn provider_id(model: &Model, kind: ProviderKind, region: Option<&str>) -> Option<String> {
    match kind {
        ProviderKind::Anthropic => Some(model.anthropic.clone()),
        ProviderKind::Vertex => Some(model.vertex.clone()),
        ProviderKind::Bedrock => Some(match region {
            Some(region) => format!("{}.{}", inference_profile_prefix(region), model.bedrock),
            None => model.bedrock.clone(),
        }),
        ProviderKind::Raw => None,
    }
}

fn inference_profile_prefix(region: &str) -> &'static str {
    if region.starts_with("us-") {
        "us"
    } else if region.starts_with("eu-") {
        "eu"
    } else if region.starts_with("ap-") {
        "apac"
    } else {
        "global"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_by_any_id() {
        let by_name = lookup("claude-sonnet-4-5").expect("in catalog");
        assert_eq!(
            lookup("claude-sonnet-4-5@20250929").map(|m| &m.name),
            Some(&by_name.name)
        );
        assert_eq!(
            lookup("claude-sonnet-4-5-20250929").map(|m| &m.name),
            Some(&by_name.name)
        );
        assert!(lookup("gpt-4o").is_none());
    }

    #[test]
    fn bedrock_gets_the_regional_inference_profile() {
        let m = lookup("claude-haiku-4-5").expect("in catalog");
        let id = |r| provider_id(m, ProviderKind::Bedrock, r);
        assert_eq!(
            id(Some("us-east-1")).as_deref(),
            Some("us.anthropic.claude-haiku-4-5-20251001-v1:0")
        );
        assert_eq!(
            id(Some("eu-west-3")).as_deref(),
            Some("eu.anthropic.claude-haiku-4-5-20251001-v1:0")
        );
        assert_eq!(
            id(Some("ap-northeast-1")).as_deref(),
            Some("apac.anthropic.claude-haiku-4-5-20251001-v1:0")
        );
        assert_eq!(
            id(Some("ca-central-1")).as_deref(),
            Some("global.anthropic.claude-haiku-4-5-20251001-v1:0")
        );
        assert_eq!(
            id(None).as_deref(),
            Some("anthropic.claude-haiku-4-5-20251001-v1:0")
        );
    }
}
