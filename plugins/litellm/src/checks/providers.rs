//! Per-deployment provider settings: what LiteLLM needs to reach the provider at all, and option
//! names it would silently forward to the provider as request parameters.

use super::codes::{
    BEDROCK_WITHOUT_REGION, MODEL_WITHOUT_PROVIDER_PREFIX, UNKNOWN_PROVIDER_OPTION,
    UNKNOWN_PROVIDER_PREFIX, VERTEX_WITHOUT_PROJECT_OR_LOCATION,
};
use super::{Input, SUGGESTIONS_PER_CHECK};
use crate::catalog::{self, LITELLM_VERSION};
use crate::params::{self, Naming, ProviderParam};
use gwscript_plugin::Diagnostic;
use gwscript_plugin::model::{Deployment, Gateway, ProviderKind};
use gwscript_plugin::suggest;

pub fn check(gateway: &Gateway, input: Input<'_>) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    // Each suggestion scans every LiteLLM key: a config with thousands of unknown options gets
    // suggestions for the first few only, and the check stays linear.
    let mut suggestions_left = SUGGESTIONS_PER_CHECK;
    for (index, deployment) in gateway.deployments.iter().enumerate() {
        let provider_params = params::provider_params(&deployment.provider, input.naming());
        let has = |litellm_key: &str| provider_params.iter().any(|p| p.litellm_key == litellm_key);
        match deployment.provider.kind {
            ProviderKind::Raw => diagnostics.extend(unknown_prefix(deployment, input)),
            ProviderKind::Bedrock if !has("aws_region_name") => {
                diagnostics.push(bedrock_without_region(deployment, input));
            }
            ProviderKind::Vertex => {
                let missing: Vec<&str> = ["project", "location"]
                    .into_iter()
                    .filter(|what| !has(&format!("vertex_{what}")))
                    .collect();
                if !missing.is_empty() {
                    // The alias (`vertex_ai_project`) serves the Messages route only.
                    let aliased = missing.iter().any(|what| has(&format!("vertex_ai_{what}")));
                    diagnostics.push(vertex_without(deployment, &missing, aliased, input));
                }
            }
            _ => {}
        }
        diagnostics.extend(
            provider_params
                .iter()
                .filter(|param| !param.is_known())
                .map(|param| {
                    let suggest = suggestions_left > 0;
                    suggestions_left = suggestions_left.saturating_sub(1);
                    unknown_option(index, deployment, param, input, suggest)
                }),
        );
    }
    diagnostics
}

/// LiteLLM drops a deployment whose model has no provider it knows, and still starts. A bare id
/// (`gpt-4o`) it resolves through its model map, and drops it only when the map lacks the id.
fn unknown_prefix(deployment: &Deployment, input: Input<'_>) -> Option<Diagnostic> {
    let model = params::litellm_model(deployment);
    let fix = input.say(
        "write the model as `<provider>/<model id>`, e.g. `anthropic/claude-sonnet-4-5`, or use \
         provider(\"anthropic\"|\"bedrock\"|\"vertex\")",
        "write the model as `<provider>/<model id>`, e.g. `anthropic/claude-sonnet-4-5`",
    );
    let diagnostic = match model.split_once('/') {
        None => Diagnostic::warning(
            MODEL_WITHOUT_PROVIDER_PREFIX,
            format!(
                "model `{model}` of model group `{}` has no provider prefix; LiteLLM guesses the \
                 provider from its model map and drops the deployment if the id is not in it",
                deployment.model_group
            ),
            fix,
        ),
        Some((prefix, _)) if !catalog::is_known_provider_prefix(prefix) => Diagnostic::error(
            UNKNOWN_PROVIDER_PREFIX,
            format!(
                "model `{model}` of model group `{}` has the provider prefix `{prefix}/`, which \
                 LiteLLM {LITELLM_VERSION} does not know; LiteLLM drops this deployment at startup",
                deployment.model_group
            ),
            fix,
        ),
        Some(_) => return None,
    };
    Some(diagnostic.at(deployment.span))
}

fn bedrock_without_region(deployment: &Deployment, input: Input<'_>) -> Diagnostic {
    Diagnostic::warning(
        BEDROCK_WITHOUT_REGION,
        format!(
            "Bedrock deployment of `{}` has no region; LiteLLM falls back to AWS_REGION of the \
             proxy's environment",
            deployment.model_group
        ),
        input.say(
            "add `region: \"us-east-1\"` (the region the model or inference profile lives in) to the provider",
            "add `aws_region_name: us-east-1` (the region the model or inference profile lives in) to litellm_params",
        ),
    )
    .at(deployment.span)
}

fn vertex_without(
    deployment: &Deployment,
    missing: &[&str],
    aliased: bool,
    input: Input<'_>,
) -> Diagnostic {
    let what = missing.join(" or ");
    let message = if aliased {
        format!(
            "Vertex AI deployment of `{}` sets its {what} only under the `vertex_ai_*` alias, \
             which the /vertex_ai pass-through does not read",
            deployment.model_group
        )
    } else {
        format!(
            "Vertex AI deployment of `{}` has no {what}; LiteLLM falls back to the proxy's \
             environment, and the /vertex_ai pass-through cannot use this deployment's",
            deployment.model_group
        )
    };
    let keys: Vec<String> = missing
        .iter()
        .map(|what| input.say(format!("`{what}`"), format!("`vertex_{what}`")))
        .collect();
    let fix = format!(
        "add {} to the {}",
        keys.join(" and "),
        input.say("provider", "litellm_params")
    );
    Diagnostic::warning(VERTEX_WITHOUT_PROJECT_OR_LOCATION, message, fix).at(deployment.span)
}

/// LiteLLM forwards undeclared `litellm_params` to the provider, where they fail or do nothing.
fn unknown_option(
    index: usize,
    deployment: &Deployment,
    param: &ProviderParam<'_>,
    input: Input<'_>,
    suggest: bool,
) -> Diagnostic {
    let kind = deployment.provider.kind;
    let recipe_aliases = match input.naming() {
        Naming::Recipe => Some(catalog::recipe_aliases(kind)),
        Naming::LiteLlm => None,
    };
    let candidates = recipe_aliases
        .into_iter()
        .flatten()
        .chain(catalog::LITELLM_PARAMS.iter().copied());
    let nearest = suggest
        .then(|| suggest::nearest(param.recipe_key, candidates))
        .flatten();
    let help = match nearest {
        Some(nearest) => format!("did you mean `{nearest}`?"),
        None => {
            "remove the option, or check LiteLLM's litellm_params reference for its name".into()
        }
    };
    Diagnostic::warning(
        UNKNOWN_PROVIDER_OPTION,
        format!(
            "{} is not a LiteLLM setting; LiteLLM passes it to the provider as a request parameter",
            input.option_name(deployment, param.recipe_key)
        ),
        help,
    )
    .at(input.option_span(index, deployment, param.recipe_key))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::gateway_with;
    use gwscript_plugin::testing::{
        anthropic, bedrock, codes_of, literal, raw, vertex, with_option,
    };

    fn codes(deployment: Deployment) -> Vec<String> {
        codes_of(&check(
            &gateway_with(vec![deployment], vec![]),
            Input::Recipe,
        ))
        .into_iter()
        .map(String::from)
        .collect()
    }

    #[test]
    fn gw4004_flags_bare_and_unknown_prefixes() {
        let bare = check(
            &gateway_with(vec![raw("sonnet", "claude-sonnet-4-5")], vec![]),
            Input::Recipe,
        );
        assert_eq!(codes_of(&bare), ["GW4033"]);
        assert!(!bare[0].is_error());
        assert!(
            bare[0]
                .message
                .contains("`claude-sonnet-4-5` of model group `sonnet` has no provider prefix")
        );

        let unknown = check(
            &gateway_with(vec![raw("x", "notaprovider/x")], vec![]),
            Input::Recipe,
        );
        assert_eq!(codes_of(&unknown), ["GW4004"]);
        assert!(unknown[0].message.contains("prefix `notaprovider/`"));
    }

    #[test]
    fn gw4004_accepts_litellm_providers() {
        for model in [
            "openai/gpt-4o",
            "bedrock/converse/x",
            "azure_ai/claude",
            "gemini/gemini-2.5-pro",
        ] {
            assert!(codes(raw("m", model)).is_empty(), "{model}");
        }
        assert!(codes(anthropic("m", "claude-sonnet-4-5")).is_empty());
    }

    #[test]
    fn gw4007_wants_a_bedrock_region() {
        let no_region = bedrock(
            "sonnet",
            "us.anthropic.claude-sonnet-4-5-20250929-v1:0",
            None,
        );
        assert_eq!(codes(no_region), ["GW4007"]);
        let with_region = bedrock(
            "sonnet",
            "us.anthropic.claude-sonnet-4-5-20250929-v1:0",
            Some("us-east-1"),
        );
        assert!(codes(with_region).is_empty());
    }

    #[test]
    fn gw4008_wants_vertex_project_and_location() {
        let neither = check(
            &gateway_with(
                vec![vertex("s", "claude-sonnet-4-5@20250929", None, None)],
                vec![],
            ),
            Input::Recipe,
        );
        assert_eq!(codes_of(&neither), ["GW4008"]);
        assert!(neither[0].message.contains("has no project or location"));
        assert_eq!(
            neither[0].help,
            "add `project` and `location` to the provider"
        );

        let no_location = vertex("s", "claude-sonnet-4-5@20250929", Some("acme-ai"), None);
        assert_eq!(codes(no_location), ["GW4008"]);
        let both = vertex(
            "s",
            "claude-sonnet-4-5@20250929",
            Some("acme-ai"),
            Some("us-east5"),
        );
        assert!(codes(both).is_empty());
        // The alias spelling counts, since it is rewritten to the canonical key.
        let alias = with_option(
            with_option(
                vertex("s", "m", None, None),
                "vertex_ai_project",
                literal("p"),
            ),
            "region",
            literal("global"),
        );
        assert!(codes(alias).is_empty());
    }

    #[test]
    fn gw4011_flags_a_typo_with_a_suggestion() {
        let typo = with_option(
            bedrock("s", "m", Some("us-east-1")),
            "aws_profile",
            literal("prod"),
        );
        let diagnostics = check(&gateway_with(vec![typo], vec![]), Input::Recipe);
        assert_eq!(codes_of(&diagnostics), ["GW4011"]);
        assert!(!diagnostics[0].is_error());
        assert_eq!(diagnostics[0].help, "did you mean `aws_profile_name`?");

        let known = with_option(anthropic("s", "m"), "timeout", literal(600));
        assert!(codes(known).is_empty());
    }
}
