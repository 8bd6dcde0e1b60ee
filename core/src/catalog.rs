//! The model catalog: one Claude model's id on the Anthropic API, Bedrock and Vertex AI, where
//! each platform serves it, and the models Claude Code picks for its aliases. Kept as data
//! (`core/data/models.json`) so new models are a data change.

use gwscript_plugin::model::ProviderKind;
use serde::Deserialize;
use std::sync::OnceLock;

#[derive(Debug, Deserialize)]
struct CatalogFile {
    models: Vec<Model>,
    bedrock_profiles: BedrockProfiles,
    claude_code_defaults: AliasDefaults,
}

#[derive(Debug, Deserialize)]
struct BedrockProfiles {
    /// (AWS region prefix, profile prefix), first match wins.
    by_region: Vec<(String, String)>,
    fallback: String,
    prefixes: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct AliasDefaults {
    opus: String,
    sonnet: String,
    haiku: String,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Model {
    pub name: String,
    pub anthropic: String,
    /// Without an inference-profile prefix.
    pub bedrock: String,
    /// Bedrock serves the model only through a cross-region inference profile.
    pub bedrock_profile_required: bool,
    pub vertex: String,
    /// Whether Vertex serves the model in the `global` region.
    pub vertex_global: bool,
    /// Claude Code's per-model Vertex region variable, read before `CLOUD_ML_REGION`.
    pub vertex_region_variable: String,
}

impl Model {
    /// Whether Vertex AI serves the model in `region`.
    pub fn on_vertex_in(&self, region: &str) -> bool {
        region != "global" || self.vertex_global
    }
}

fn catalog() -> &'static CatalogFile {
    static CATALOG: OnceLock<CatalogFile> = OnceLock::new();
    CATALOG.get_or_init(|| {
        serde_json::from_str(include_str!("../data/models.json"))
            .expect("the embedded catalog is valid JSON (checked by the catalog tests)")
    })
}

fn models() -> &'static [Model] {
    &catalog().models
}

/// Finds a model by its short name or by any platform id.
pub fn lookup(name: &str) -> Option<&'static Model> {
    models().iter().find(|m| {
        m.name == name
            || m.anthropic == name
            || m.vertex == name
            || strip_profile(name) == m.bedrock
    })
}

pub fn names() -> impl Iterator<Item = &'static str> {
    models().iter().map(|m| m.name.as_str())
}

/// The provider's id for `model`. For Bedrock with a known region this is the cross-region
/// inference profile Claude Code itself would pick (`us.` for `us-*`, `eu.`, `apac.`, else
/// `global.`); a model that needs no profile keeps its plain id.
pub fn provider_id(model: &Model, kind: ProviderKind, region: Option<&str>) -> Option<String> {
    match kind {
        ProviderKind::Anthropic => Some(model.anthropic.clone()),
        ProviderKind::Vertex => Some(model.vertex.clone()),
        ProviderKind::Bedrock => Some(match region {
            Some(region) if model.bedrock_profile_required => {
                format!("{}.{}", inference_profile_prefix(region), model.bedrock)
            }
            _ => model.bedrock.clone(),
        }),
        ProviderKind::Raw => None,
    }
}

fn inference_profile_prefix(region: &str) -> &'static str {
    let profiles = &catalog().bedrock_profiles;
    profiles
        .by_region
        .iter()
        .find(|(region_prefix, _)| region.starts_with(region_prefix.as_str()))
        .map_or(profiles.fallback.as_str(), |(_, profile)| profile.as_str())
}

/// A Bedrock id without its inference-profile prefix (`eu.anthropic.…` → `anthropic.…`).
fn strip_profile(id: &str) -> &str {
    match id.split_once('.') {
        Some((prefix, rest))
            if rest.starts_with("anthropic.")
                && catalog()
                    .bedrock_profiles
                    .prefixes
                    .iter()
                    .any(|p| p == prefix) =>
        {
            rest
        }
        _ => id,
    }
}

/// The catalog model whose plain Bedrock id `id` is, when that model is served only through an
/// inference profile: Bedrock refuses the id as given.
pub fn missing_profile(id: &str) -> Option<&'static Model> {
    models()
        .iter()
        .find(|m| m.bedrock_profile_required && m.bedrock == id)
}

/// Claude Code's model aliases (`/model opus`, …), each pinned by one variable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Alias {
    Opus,
    Sonnet,
    Haiku,
}

impl Alias {
    pub const ALL: [Alias; 3] = [Alias::Opus, Alias::Sonnet, Alias::Haiku];

    pub fn name(self) -> &'static str {
        match self {
            Alias::Opus => "opus",
            Alias::Sonnet => "sonnet",
            Alias::Haiku => "haiku",
        }
    }

    /// The model Claude Code asks for on this alias when its variable is not set.
    pub fn claude_code_default(self) -> &'static Model {
        let defaults = &catalog().claude_code_defaults;
        let name = match self {
            Alias::Opus => &defaults.opus,
            Alias::Sonnet => &defaults.sonnet,
            Alias::Haiku => &defaults.haiku,
        };
        models()
            .iter()
            .find(|m| &m.name == name)
            .expect("each alias default is a catalog model (checked by the catalog tests)")
    }
}

/// What a model given for a provider stands for.
#[derive(Debug, Clone, PartialEq)]
pub enum ModelRef {
    /// A catalog name, resolved to the provider's id (for the region, on Bedrock).
    Named { model: &'static Model, id: String },
    /// One of the provider's own ids, used as given: a catalog model's (`model`), or an id of
    /// the provider's shape the catalog does not know (a newer model, a Bedrock ARN).
    Own {
        model: Option<&'static Model>,
        id: String,
    },
    /// An id of another platform's form, which this provider cannot serve; `expected` is the
    /// provider's id for the same model, when the catalog knows it.
    Foreign { expected: Option<String> },
    /// Neither a catalog name nor shaped like one of the provider's Claude ids.
    Unknown,
}

/// Resolves `given` (a catalog name or a platform id) for a `kind` provider in `region`.
pub fn resolve(given: &str, kind: ProviderKind, region: Option<&str>) -> ModelRef {
    let own = |id: String, model| ModelRef::Own { model, id };
    if kind == ProviderKind::Raw {
        return own(given.to_owned(), None);
    }
    if let Some(model) = models().iter().find(|m| is_own_id(m, kind, given)) {
        return own(given.to_owned(), Some(model));
    }
    if let Some(model) = models().iter().find(|m| m.name == given) {
        let id = provider_id(model, kind, region).unwrap_or_else(|| given.to_owned());
        return ModelRef::Named { model, id };
    }
    if let Some(model) = lookup(given) {
        return ModelRef::Foreign {
            expected: provider_id(model, kind, region),
        };
    }
    if has_foreign_shape(kind, given) {
        return ModelRef::Foreign { expected: None };
    }
    if has_claude_shape(kind, given) {
        own(given.to_owned(), None)
    } else {
        ModelRef::Unknown
    }
}

fn is_own_id(model: &Model, kind: ProviderKind, id: &str) -> bool {
    match kind {
        // The Anthropic API also answers to the short names (its model aliases).
        ProviderKind::Anthropic => model.anthropic == id || model.name == id,
        ProviderKind::Vertex => model.vertex == id,
        ProviderKind::Bedrock => strip_profile(id) == model.bedrock,
        ProviderKind::Raw => false,
    }
}

/// Marks of another platform's id: Vertex's `@date`, Bedrock's `anthropic.` and `:version`,
/// the Anthropic API's `-YYYYMMDD` date.
fn has_foreign_shape(kind: ProviderKind, id: &str) -> bool {
    let bedrock_marks = id.contains("anthropic.") || id.contains(':');
    let anthropic_date = id
        .rsplit_once('-')
        .is_some_and(|(_, date)| date.len() == 8 && date.bytes().all(|b| b.is_ascii_digit()));
    match kind {
        ProviderKind::Anthropic => id.contains('@') || bedrock_marks,
        ProviderKind::Vertex => bedrock_marks || anthropic_date,
        ProviderKind::Bedrock => id.contains('@') || id.starts_with("claude-"),
        ProviderKind::Raw => false,
    }
}

fn has_claude_shape(kind: ProviderKind, id: &str) -> bool {
    match kind {
        ProviderKind::Anthropic | ProviderKind::Vertex => id.starts_with("claude-"),
        ProviderKind::Bedrock => {
            id.starts_with("arn:") || strip_profile(id).starts_with("anthropic.claude-")
        }
        ProviderKind::Raw => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_by_any_id() {
        let by_name = lookup("claude-sonnet-4-5").expect("in catalog");
        for id in [
            "claude-sonnet-4-5@20250929",
            "claude-sonnet-4-5-20250929",
            "anthropic.claude-sonnet-4-5-20250929-v1:0",
            "eu.anthropic.claude-sonnet-4-5-20250929-v1:0",
        ] {
            assert_eq!(lookup(id).map(|m| &m.name), Some(&by_name.name), "{id}");
        }
        assert!(lookup("gpt-4o").is_none());
    }

    #[test]
    fn the_catalog_is_complete() {
        for model in models() {
            assert!(
                model
                    .vertex_region_variable
                    .starts_with("VERTEX_REGION_CLAUDE_"),
                "{}",
                model.name
            );
            assert!(model.bedrock.starts_with("anthropic."), "{}", model.name);
        }
        for alias in Alias::ALL {
            assert!(alias.claude_code_default().name.contains(alias.name()));
        }
    }

    #[test]
    fn bedrock_gets_the_regional_inference_profile() {
        let m = lookup("claude-haiku-4-5").expect("in catalog");
        let id = |r| provider_id(m, ProviderKind::Bedrock, r);
        for (region, prefix) in [
            ("us-east-1", "us"),
            ("us-gov-west-1", "us-gov"),
            ("eu-west-3", "eu"),
            ("ap-northeast-1", "apac"),
            ("ca-central-1", "global"),
        ] {
            assert_eq!(
                id(Some(region)),
                Some(format!("{prefix}.anthropic.claude-haiku-4-5-20251001-v1:0"))
            );
        }
        assert_eq!(
            id(None).as_deref(),
            Some("anthropic.claude-haiku-4-5-20251001-v1:0")
        );
    }

    fn resolved(given: &str, kind: ProviderKind, region: Option<&str>) -> ModelRef {
        resolve(given, kind, region)
    }

    fn id_of(reference: ModelRef) -> Option<String> {
        match reference {
            ModelRef::Named { id, .. } | ModelRef::Own { id, .. } => Some(id),
            _ => None,
        }
    }

    #[test]
    fn names_resolve_per_provider_and_region() {
        use ProviderKind::*;
        let cases = [
            (
                Bedrock,
                Some("eu-central-1"),
                "claude-sonnet-4-5",
                "eu.anthropic.claude-sonnet-4-5-20250929-v1:0",
            ),
            (
                Bedrock,
                Some("us-east-1"),
                "claude-opus-4-6",
                "us.anthropic.claude-opus-4-6-v1",
            ),
            (Vertex, None, "claude-opus-4-1", "claude-opus-4-1@20250805"),
            (Vertex, None, "claude-sonnet-4-6", "claude-sonnet-4-6"),
            // The Anthropic API answers to the short names itself.
            (Anthropic, None, "claude-sonnet-4-5", "claude-sonnet-4-5"),
        ];
        for (kind, region, given, want) in cases {
            assert_eq!(
                id_of(resolved(given, kind, region)).as_deref(),
                Some(want),
                "{given} on {kind:?}"
            );
        }
        assert!(matches!(
            resolved("claude-sonnet-4-5", Bedrock, Some("eu-west-1")),
            ModelRef::Named { .. }
        ));
    }

    #[test]
    fn provider_ids_pass_through_unchanged() {
        use ProviderKind::*;
        for (kind, id) in [
            (Bedrock, "eu.anthropic.claude-sonnet-4-5-20250929-v1:0"),
            (Bedrock, "anthropic.claude-sonnet-4-5-20250929-v1:0"),
            (
                Bedrock,
                "arn:aws:bedrock:eu-west-1:123456789012:application-inference-profile/abc",
            ),
            (Bedrock, "jp.anthropic.claude-sonnet-9"),
            (Vertex, "claude-opus-4-1@20250805"),
            (Vertex, "claude-sonnet-9"),
            (Anthropic, "claude-sonnet-4-5-20250929"),
            (Raw, "openai/gpt-4o"),
        ] {
            assert!(
                matches!(resolved(id, kind, Some("us-east-1")), ModelRef::Own { id: ref got, .. } if got == id),
                "{id} on {kind:?}"
            );
        }
    }

    #[test]
    fn another_platforms_ids_are_foreign() {
        use ProviderKind::*;
        assert_eq!(
            resolved("claude-sonnet-4-5@20250929", Bedrock, Some("eu-west-1")),
            ModelRef::Foreign {
                expected: Some("eu.anthropic.claude-sonnet-4-5-20250929-v1:0".into())
            }
        );
        assert_eq!(
            resolved("claude-opus-4-1-20250805", Vertex, None),
            ModelRef::Foreign {
                expected: Some("claude-opus-4-1@20250805".into())
            }
        );
        assert_eq!(
            resolved(
                "us.anthropic.claude-haiku-4-5-20251001-v1:0",
                Anthropic,
                None
            ),
            ModelRef::Foreign {
                expected: Some("claude-haiku-4-5-20251001".into())
            }
        );
        // Not in the catalog, but of another platform's form all the same.
        for (kind, id) in [
            (Bedrock, "claude-future-9@20300101"),
            (Bedrock, "claude-future-9"),
            (Vertex, "claude-future-9-20300101"),
            (Vertex, "anthropic.claude-future-9-v1:0"),
            (Anthropic, "claude-future-9@20300101"),
        ] {
            assert_eq!(
                resolved(id, kind, None),
                ModelRef::Foreign { expected: None },
                "{id} on {kind:?}"
            );
        }
    }

    #[test]
    fn anything_else_is_unknown() {
        use ProviderKind::*;
        for (kind, id) in [
            (Bedrock, "meta.llama3-70b"),
            (Vertex, "gemini-2.5-pro"),
            (Anthropic, "gpt-4o"),
        ] {
            assert_eq!(
                resolved(id, kind, None),
                ModelRef::Unknown,
                "{id} on {kind:?}"
            );
        }
    }

    #[test]
    fn regions_and_profiles_are_data() {
        let opus41 = lookup("claude-opus-4-1").expect("in catalog");
        assert!(!opus41.on_vertex_in("global"));
        assert!(opus41.on_vertex_in("us-east5"));
        assert!(
            lookup("claude-sonnet-4-5")
                .expect("in catalog")
                .on_vertex_in("global")
        );
        assert_eq!(
            missing_profile("anthropic.claude-sonnet-4-5-20250929-v1:0").map(|m| m.name.as_str()),
            Some("claude-sonnet-4-5")
        );
        assert!(missing_profile("us.anthropic.claude-sonnet-4-5-20250929-v1:0").is_none());
    }
}
