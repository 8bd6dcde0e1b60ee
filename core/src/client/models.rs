//! Claude Code's model variables and the pattern options that set them. Without a gateway Claude
//! Code sends each variable's value verbatim as the provider's model id (claude-code.md §5), so
//! in `direct` and `proxy` every pinned model is resolved through the catalog to the provider's
//! own id for the region, and refused when the provider cannot have it.

use super::direct::{Refusal, client_region};
use super::env::{EnvValue, EnvVar};
use crate::catalog::{self, Alias, Model, ModelRef};
use gwscript_plugin::model::{ClientSetup, Provider, ProviderKind, Spanned};

/// One model variable and the pattern option that sets it.
#[derive(Debug)]
pub struct ModelVariable {
    pub variable: &'static str,
    pub option: &'static str,
    /// The `/model` alias the variable pins, if any.
    pub alias: Option<Alias>,
    why: &'static str,
    get: fn(&ClientSetup) -> &Option<Spanned<String>>,
    get_mut: fn(&mut ClientSetup) -> &mut Option<Spanned<String>>,
}

pub const MODEL_VARIABLES: [ModelVariable; 4] = [
    ModelVariable {
        variable: "ANTHROPIC_MODEL",
        option: "model",
        alias: None,
        why: "the main model",
        get: |c| &c.model,
        get_mut: |c| &mut c.model,
    },
    ModelVariable {
        variable: "ANTHROPIC_DEFAULT_OPUS_MODEL",
        option: "opus_model",
        alias: Some(Alias::Opus),
        why: "what `/model opus` asks for",
        get: |c| &c.opus_model,
        get_mut: |c| &mut c.opus_model,
    },
    ModelVariable {
        variable: "ANTHROPIC_DEFAULT_SONNET_MODEL",
        option: "sonnet_model",
        alias: Some(Alias::Sonnet),
        why: "what `/model sonnet` asks for",
        get: |c| &c.sonnet_model,
        get_mut: |c| &mut c.sonnet_model,
    },
    ModelVariable {
        variable: "ANTHROPIC_DEFAULT_HAIKU_MODEL",
        option: "background_model",
        alias: Some(Alias::Haiku),
        why: "the background model (otherwise the main model is used)",
        get: |c| &c.background_model,
        get_mut: |c| &mut c.background_model,
    },
];

/// The deprecated name of the background model variable, still read by Claude Code.
pub const SMALL_FAST_MODEL: &str = "ANTHROPIC_SMALL_FAST_MODEL";

impl ModelVariable {
    pub fn pinned<'a>(&self, client: &'a ClientSetup) -> Option<&'a Spanned<String>> {
        (self.get)(client).as_ref()
    }
}

/// The variable that pins `alias`.
pub fn alias_variable(alias: Alias) -> &'static ModelVariable {
    MODEL_VARIABLES
        .iter()
        .find(|v| v.alias == Some(alias))
        .expect("every alias has its variable")
}

/// The model variables the setup pins, in the table's order.
pub fn model_vars(client: &ClientSetup) -> Vec<EnvVar> {
    MODEL_VARIABLES
        .iter()
        .filter_map(|v| {
            Some(EnvVar {
                name: v.variable.to_owned(),
                value: EnvValue::Literal(v.pinned(client)?.value.clone()),
                why: v.why.into(),
            })
        })
        .collect()
}

/// Replaces each model the recipe pins with `provider`'s own id for it: catalog names are
/// resolved for the region, provider ids kept. Refused: an id of another platform (GW1020), a
/// name neither in the catalog nor of the provider's form (GW1010), a Vertex region that does
/// not serve the model (GW1021), a Bedrock model that needs a profile but no region to pick it
/// (GW1023). A Vertex region is the model's own variable in the recipe's `env` (Claude Code's
/// `VERTEX_REGION_CLAUDE_*`), else the setup's.
pub fn resolve_direct(client: &mut ClientSetup, provider: &Provider) -> Result<(), Refusal> {
    let region = client_region(client, provider).map(str::to_owned);
    let env = client.env.clone();
    for variable in &MODEL_VARIABLES {
        let Some(pinned) = (variable.get_mut)(client) else {
            continue;
        };
        let refuse = |code, message, help| Refusal {
            code,
            key: variable.option.to_owned(),
            message,
            help,
        };
        let given = pinned.value.as_str();
        let platform = platform(provider.kind);
        let (model, id) = match catalog::resolve(given, provider.kind, region.as_deref()) {
            ModelRef::Named { model, id } => (Some(model), id),
            ModelRef::Own { model, id } => (model, id),
            ModelRef::Foreign { expected } => {
                let (message, help) = foreign_id(given, provider.kind, expected);
                return Err(refuse("GW1020", message, help));
            }
            ModelRef::Unknown => {
                return Err(refuse(
                    "GW1010",
                    format!(
                        "no catalog entry for model \"{}\" on provider {}",
                        given.escape_debug(),
                        provider.kind.name()
                    ),
                    format!(
                        "give a catalog name ({}) or {platform}'s own model id",
                        catalog_names()
                    ),
                ));
            }
        };
        if let Some(model) = model {
            check_bedrock_region(provider.kind, model, given, &id, region.as_deref())
                .map_err(|(message, help)| refuse("GW1023", message, help))?;
            let vertex_region = env.get(&model.vertex_region_variable).or(region.as_ref());
            if provider.kind == ProviderKind::Vertex
                && let Some(vertex_region) = vertex_region
            {
                check_vertex_region(model, vertex_region)
                    .map_err(|(message, help)| refuse("GW1021", message, help))?;
            }
        }
        pinned.value = id;
    }
    Ok(())
}

/// The message and help for `given`, an id of another platform's form on a `kind` provider.
pub fn foreign_id(given: &str, kind: ProviderKind, expected: Option<String>) -> (String, String) {
    let platform = platform(kind);
    (
        format!("`{given}` is not a {platform} model id"),
        match expected {
            Some(id) => format!(
                "{platform}'s id for this model is \"{id}\"; or give its catalog name and gwscript picks the id"
            ),
            None => format!(
                "give {platform}'s own id, or a catalog name: {}",
                catalog_names()
            ),
        },
    )
}

/// A catalog name on Bedrock resolves to an inference profile only once the region is known.
fn check_bedrock_region(
    kind: ProviderKind,
    model: &Model,
    given: &str,
    id: &str,
    region: Option<&str>,
) -> Result<(), (String, String)> {
    if kind != ProviderKind::Bedrock || region.is_some() || given != model.name {
        return Ok(());
    }
    if catalog::missing_profile(id).is_none() {
        return Ok(());
    }
    Err((
        format!("Bedrock serves {} only through an inference profile, which depends on the region, and the setup names none", model.name),
        "give the provider (or the pattern) a region, e.g. region: \"us-east-1\"; or give the profile id itself".to_owned(),
    ))
}

/// Vertex serves some models in regional endpoints only (no `global`).
pub fn check_vertex_region(model: &Model, region: &str) -> Result<(), (String, String)> {
    if model.on_vertex_in(region) {
        return Ok(());
    }
    Err((
        format!("Vertex AI has no `{region}` endpoint for {}", model.name),
        format!(
            "use a regional endpoint (e.g. \"us-east5\" or \"europe-west1\"), or pick a model served in `{region}`; Claude Code can also take this model's region alone from {}",
            model.vertex_region_variable
        ),
    ))
}

pub fn platform(kind: ProviderKind) -> &'static str {
    match kind {
        ProviderKind::Anthropic => "Anthropic API",
        ProviderKind::Bedrock => "Bedrock",
        ProviderKind::Vertex => "Vertex AI",
        ProviderKind::Raw => "raw provider",
    }
}

fn catalog_names() -> String {
    catalog::names().collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use gwscript_plugin::testing::literal;

    fn pinned(value: &str) -> Option<Spanned<String>> {
        Some(Spanned {
            value: value.into(),
            span: None,
        })
    }

    fn provider(kind: ProviderKind, options: &[(&str, &str)]) -> Provider {
        Provider {
            kind,
            options: options
                .iter()
                .map(|(k, v)| ((*k).to_owned(), literal(*v)))
                .collect(),
            span: None,
        }
    }

    fn client() -> ClientSetup {
        gwscript_plugin::testing::setup_for(gwscript_plugin::testing::gateway("x", vec![], vec![]))
            .client
    }

    fn resolved(
        client: &mut ClientSetup,
        provider: &Provider,
        env: &[(&str, &str)],
    ) -> Result<Vec<(String, String)>, Refusal> {
        client.env = env
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        resolve_direct(client, provider)?;
        Ok(model_vars(client)
            .into_iter()
            .map(|v| match v.value {
                EnvValue::Literal(value) => (v.name, value),
                other => panic!("{other:?}"),
            })
            .collect())
    }

    #[test]
    fn every_model_variable_gets_the_regions_inference_profile() {
        let mut client = client();
        client.model = pinned("claude-sonnet-4-5");
        client.opus_model = pinned("claude-opus-4-5");
        client.sonnet_model = pinned("eu.anthropic.claude-sonnet-4-5-20250929-v1:0");
        client.background_model = pinned("claude-haiku-4-5");
        let bedrock = provider(ProviderKind::Bedrock, &[("region", "eu-central-1")]);
        let want = [
            (
                "ANTHROPIC_MODEL",
                "eu.anthropic.claude-sonnet-4-5-20250929-v1:0",
            ),
            (
                "ANTHROPIC_DEFAULT_OPUS_MODEL",
                "eu.anthropic.claude-opus-4-5-20251101-v1:0",
            ),
            (
                "ANTHROPIC_DEFAULT_SONNET_MODEL",
                "eu.anthropic.claude-sonnet-4-5-20250929-v1:0",
            ),
            (
                "ANTHROPIC_DEFAULT_HAIKU_MODEL",
                "eu.anthropic.claude-haiku-4-5-20251001-v1:0",
            ),
        ];
        let want: Vec<(String, String)> = want
            .iter()
            .map(|(n, v)| ((*n).into(), (*v).into()))
            .collect();
        assert_eq!(resolved(&mut client, &bedrock, &[]), Ok(want));
    }

    #[test]
    fn vertex_gets_its_dated_ids_and_the_pattern_region_wins() {
        let mut client = client();
        client.model = pinned("claude-opus-4-1");
        client.sonnet_model = pinned("claude-sonnet-4-6");
        client.region = Some("us-east5".into());
        let vertex = provider(ProviderKind::Vertex, &[("region", "global")]);
        assert_eq!(
            resolved(&mut client, &vertex, &[]),
            Ok(vec![
                ("ANTHROPIC_MODEL".into(), "claude-opus-4-1@20250805".into()),
                (
                    "ANTHROPIC_DEFAULT_SONNET_MODEL".into(),
                    "claude-sonnet-4-6".into()
                ),
            ])
        );
    }

    #[test]
    fn gw1021_vertex_global_without_the_model() {
        let mut client = client();
        client.opus_model = pinned("claude-opus-4-1");
        let vertex = provider(ProviderKind::Vertex, &[("location", "global")]);
        let refusal = resolved(&mut client.clone(), &vertex, &[]).expect_err("refused");
        assert_eq!(
            (refusal.code, refusal.key.as_str()),
            ("GW1021", "opus_model")
        );
        assert!(
            refusal.help.contains("VERTEX_REGION_CLAUDE_4_1_OPUS"),
            "{}",
            refusal.help
        );
        // Claude Code's per-model region takes the model out of `global`.
        assert!(
            resolved(
                &mut client,
                &vertex,
                &[("VERTEX_REGION_CLAUDE_4_1_OPUS", "us-east5")]
            )
            .is_ok()
        );
    }

    #[test]
    fn gw1020_gw1010_gw1023_ids_that_cannot_work() {
        let bedrock = provider(ProviderKind::Bedrock, &[("region", "us-east-1")]);
        let code = |model: &str, provider: &Provider| {
            let mut client = client();
            client.model = pinned(model);
            resolved(&mut client, provider, &[]).map_err(|r| (r.code, r.key, r.help))
        };
        let (c, key, help) = code("claude-sonnet-4-5@20250929", &bedrock).expect_err("refused");
        assert_eq!((c, key.as_str()), ("GW1020", "model"));
        assert!(
            help.contains("us.anthropic.claude-sonnet-4-5-20250929-v1:0"),
            "{help}"
        );
        let vertex = provider(ProviderKind::Vertex, &[]);
        assert_eq!(
            code("claude-opus-4-1-20250805", &vertex)
                .expect_err("refused")
                .0,
            "GW1020"
        );
        assert_eq!(code("sonnet", &vertex).expect_err("refused").0, "GW1010");
        let no_region = provider(ProviderKind::Bedrock, &[]);
        assert_eq!(
            code("claude-sonnet-4-5", &no_region)
                .expect_err("refused")
                .0,
            "GW1023"
        );
        // A profile id carries its region already.
        assert!(code("eu.anthropic.claude-sonnet-4-5-20250929-v1:0", &no_region).is_ok());
    }
}
