//! Verification on the gateway side, before Claude Code's own checks (the host adds the liveness
//! step from the manifest first): the gateway host's cloud credentials, each model group Claude
//! Code uses answering through its deployments, the virtual key Claude Code sends (created when
//! it is not the master key), and that key seeing the model groups.
//!
//! Keys are read from the variables the recipe names, expanded by the shell inside double quotes
//! (the names are checked to be plain ones); everything else is one word from `shell_quote`.

use crate::params;
use gwscript_plugin::Setup;
use gwscript_plugin::model::{Deployment, Gateway, Param, ProviderKind, is_env_name};
use gwscript_plugin::quote::shell_quote;
use gwscript_plugin::report::Step;
use serde_json::json;
use std::collections::BTreeSet;

/// The variable LiteLLM reads its master key from when the recipe names none.
const DEFAULT_KEY_VARIABLE: &str = "LITELLM_MASTER_KEY";

/// How many group names an expectation spells out before it counts the rest.
const NAMED_GROUPS: usize = 5;

pub fn verification(setup: &Setup, gateway: &Gateway) -> Vec<Step> {
    let master_key = master_key_variable(gateway);
    let mut steps = bedrock_steps(&gateway.deployments);
    steps.extend(vertex_step(&gateway.deployments));
    steps.extend(
        health_groups(setup, gateway)
            .into_iter()
            .map(|group| health_step(gateway, master_key, group)),
    );
    let client_key = setup.client.auth_token_variable().unwrap_or(master_key);
    if client_key != master_key {
        steps.push(virtual_key_step(gateway, master_key, client_key));
    }
    steps.push(models_step(gateway, client_key));
    steps
}

/// `-H "Authorization: Bearer $NAME"`: the shell expands the key, so no value is ever written.
fn bearer(variable: &str) -> String {
    format!("-H \"Authorization: Bearer ${variable}\"")
}

fn master_key_variable(gateway: &Gateway) -> &str {
    gateway
        .option("master_key")
        .and_then(Param::secret_name)
        .filter(|name| is_env_name(name))
        .unwrap_or(DEFAULT_KEY_VARIABLE)
}

fn models_step(gateway: &Gateway, key: &str) -> Step {
    Step {
        title: "The key Claude Code sends lists the model groups".into(),
        command: Some(format!(
            "curl -fsS {} {}",
            bearer(key),
            shell_quote(&gateway.url_for("/v1/models"))
        )),
        expect: format!(
            "HTTP 200 with a JSON list whose ids include {}; a 401 means {key} holds no master \
             or virtual key of this proxy",
            named(&gateway.model_groups())
        ),
    }
}

/// The groups worth a health check: those Claude Code is pinned to, else the first one.
fn health_groups<'a>(setup: &Setup, gateway: &'a Gateway) -> Vec<&'a str> {
    let groups = gateway.model_groups();
    let pinned: BTreeSet<&str> = setup
        .client
        .pinned_models()
        .map(|(_, model)| model.value.as_str())
        .collect();
    let used: Vec<&str> = groups
        .iter()
        .copied()
        .filter(|group| pinned.contains(group))
        .collect();
    if used.is_empty() {
        groups.into_iter().take(1).collect()
    } else {
        used
    }
}

/// `/health?model=` calls every deployment of the group once, with the master key.
fn health_step(gateway: &Gateway, master_key: &str, group: &str) -> Step {
    let deployments = gateway
        .deployments
        .iter()
        .filter(|d| d.model_group == group)
        .count();
    Step {
        title: format!("Every deployment of `{group}` answers"),
        command: Some(format!(
            "curl -fsS -G {} --data-urlencode {} {}",
            bearer(master_key),
            shell_quote(&format!("model={group}")),
            shell_quote(&gateway.url_for("/health"))
        )),
        expect: format!(
            "HTTP 200 with healthy_count {deployments} and unhealthy_count 0 (LiteLLM sends each \
             deployment a small real request); HTTP 503 lists the failing ones under \
             unhealthy_endpoints with the provider's error. Needs the master key ({master_key})."
        ),
    }
}

/// Virtual keys live in LiteLLM's database; the master key creates them.
fn virtual_key_step(gateway: &Gateway, master_key: &str, client_key: &str) -> Step {
    let body = json!({ "models": gateway.model_groups() }).to_string();
    let database = if gateway.option("database_url").is_some() {
        "it needs the proxy's database"
    } else {
        "it needs database_url, which this gateway does not set: without a database LiteLLM \
         answers HTTP 500 (its log says \"DB not connected\") and only the master key works"
    };
    Step {
        title: format!("Create the virtual key Claude Code sends as {client_key}"),
        command: Some(format!(
            "curl -fsS -X POST {} -H 'Content-Type: application/json' -d {} {}",
            bearer(master_key),
            shell_quote(&body),
            shell_quote(&gateway.url_for("/key/generate"))
        )),
        expect: format!(
            "HTTP 200 with JSON whose \"key\" (sk-…) becomes {client_key}'s value, limited to \
             the model groups; {database}"
        ),
    }
}

/// A literal string provider option, under its LiteLLM name.
fn literal_option<'a>(deployment: &'a Deployment, litellm_key: &str) -> Option<&'a str> {
    params::provider_params(&deployment.provider, params::Naming::Recipe)
        .into_iter()
        .find(|param| param.litellm_key == litellm_key)
        .and_then(|param| match param.value {
            Param::Literal(value) => value.as_str(),
            _ => None,
        })
}

/// The foundation model behind a Bedrock id: an inference profile's `us.`/`eu.`/… prefix removed.
fn bedrock_foundation_model(id: &str) -> Option<&str> {
    const PROVIDER: &str = "anthropic.";
    if id.starts_with(PROVIDER) {
        return Some(id);
    }
    id.split_once('.')
        .map(|(_, rest)| rest)
        .filter(|rest| rest.starts_with(PROVIDER))
}

/// On the gateway host, as the proxy's user: the AWS identity LiteLLM's Bedrock calls use, and
/// access to each Bedrock model in its region.
fn bedrock_steps(deployments: &[Deployment]) -> Vec<Step> {
    let bedrock: Vec<&Deployment> = deployments
        .iter()
        .filter(|d| d.provider.kind == ProviderKind::Bedrock)
        .collect();
    let profile_flag = |profile: Option<&str>| {
        profile.map_or_else(String::new, |p| format!(" --profile {}", shell_quote(p)))
    };
    let profiles: BTreeSet<Option<&str>> = bedrock
        .iter()
        .map(|d| literal_option(d, "aws_profile_name"))
        .collect();
    let mut steps: Vec<Step> = profiles
        .into_iter()
        .map(|profile| Step {
            title: "The gateway host has the AWS credentials LiteLLM uses for Bedrock".into(),
            command: Some(format!(
                "aws sts get-caller-identity{}",
                profile_flag(profile)
            )),
            expect: "the account and the role or user Bedrock calls run as; run it as the \
                     proxy's user with its environment (AWS_PROFILE, AWS_ROLE_ARN, …)"
                .into(),
        })
        .collect();
    let models: BTreeSet<(Option<&str>, Option<&str>, &str)> = bedrock
        .iter()
        .filter_map(|d| {
            let model = bedrock_foundation_model(&d.provider_model)?;
            Some((
                literal_option(d, "aws_profile_name"),
                literal_option(d, "aws_region_name"),
                model,
            ))
        })
        .collect();
    steps.extend(models.into_iter().map(|(profile, region, model)| {
        let region_flag =
            region.map_or_else(String::new, |r| format!(" --region {}", shell_quote(r)));
        let where_ = region.unwrap_or("the host's default region");
        Step {
            title: format!("Bedrock grants access to {model} in {where_}"),
            command: Some(format!(
                "aws bedrock get-foundation-model-availability{region_flag} --model-id {}{}",
                shell_quote(model),
                profile_flag(profile)
            )),
            expect: "\"authorizationStatus\": \"AUTHORIZED\" and an agreementAvailability status \
                     of AVAILABLE; otherwise request access to the model in the Bedrock console \
                     (for an inference profile, in every region it routes to)"
                .into(),
        }
    }));
    steps
}

/// On the gateway host: the Google credentials Vertex deployments without their own use.
fn vertex_step(deployments: &[Deployment]) -> Option<Step> {
    deployments
        .iter()
        .any(|d| d.provider.kind == ProviderKind::Vertex)
        .then(|| Step {
            title: "The gateway host has the Google credentials LiteLLM uses for Vertex AI".into(),
            command: Some("gcloud auth application-default print-access-token".into()),
            expect: "an access token: the Application Default Credentials used by Vertex \
                     deployments without vertex_credentials; Claude must also be enabled in \
                     Vertex AI Model Garden for the project, which the /health step proves"
                .into(),
        })
}

/// `a, b, c`, or the first few and how many more.
fn named(groups: &[&str]) -> String {
    if groups.is_empty() {
        return "no group".into();
    }
    gwscript_plugin::suggest::first_few(groups, NAMED_GROUPS)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::gateway_with;
    use gwscript_plugin::model::SecretRef;
    use gwscript_plugin::testing::shell_words as words_of;
    use gwscript_plugin::testing::{
        anthropic, bedrock, literal, secret, setup_for, spanned, vertex, with_gateway_option,
        with_option,
    };

    fn commands(setup: &Setup) -> Vec<String> {
        verification(setup, setup.gateway.as_ref().unwrap())
            .into_iter()
            .map(|step| step.command.expect("a command"))
            .collect()
    }

    fn sonnet_gateway() -> Gateway {
        gateway_with(
            vec![anthropic("claude-sonnet-4-5", "claude-sonnet-4-5")],
            vec![],
        )
    }

    #[test]
    fn checks_the_groups_health_then_lists_models_with_the_clients_key() {
        let mut setup = setup_for(sonnet_gateway());
        setup.client.auth_token = Some(SecretRef {
            secret: "LITELLM_MASTER_KEY".into(),
        });
        assert_eq!(
            commands(&setup),
            [
                "curl -fsS -G -H \"Authorization: Bearer $LITELLM_MASTER_KEY\" --data-urlencode 'model=claude-sonnet-4-5' 'http://127.0.0.1:4000/health'",
                "curl -fsS -H \"Authorization: Bearer $LITELLM_MASTER_KEY\" 'http://127.0.0.1:4000/v1/models'",
            ]
        );
        let steps = verification(&setup, setup.gateway.as_ref().unwrap());
        assert!(
            steps[0]
                .expect
                .starts_with("HTTP 200 with healthy_count 1 ")
        );
        assert!(steps[1].expect.contains("include claude-sonnet-4-5;"));
    }

    #[test]
    fn health_checks_the_groups_claude_code_is_pinned_to() {
        let gateway = gateway_with(
            vec![
                anthropic("opus", "claude-opus-4-5"),
                anthropic("sonnet", "claude-sonnet-4-5"),
                bedrock("sonnet", "m", Some("us-east-1")),
                anthropic("haiku", "claude-haiku-4-5"),
            ],
            vec![],
        );
        let mut setup = setup_for(gateway.clone());
        setup.client.model = Some(spanned("sonnet".into(), 1));
        setup.client.background_model = Some(spanned("haiku".into(), 2));
        let health: Vec<Step> = verification(&setup, &gateway)
            .into_iter()
            .filter(|step| step.title.starts_with("Every deployment"))
            .collect();
        let titles: Vec<&str> = health.iter().map(|s| s.title.as_str()).collect();
        assert_eq!(
            titles,
            [
                "Every deployment of `sonnet` answers",
                "Every deployment of `haiku` answers"
            ]
        );
        assert!(health[0].expect.contains("healthy_count 2 "));
    }

    #[test]
    fn a_virtual_key_is_created_with_the_master_key_for_the_groups() {
        let gateway = with_gateway_option(
            gateway_with(
                vec![
                    anthropic("sonnet", "claude-sonnet-4-5"),
                    anthropic("claude-*", "claude-*"),
                ],
                vec![],
            ),
            "database_url",
            secret("DATABASE_URL"),
        );
        let setup = setup_for(gateway);
        let steps = verification(&setup, setup.gateway.as_ref().unwrap());
        let create = steps
            .iter()
            .find(|s| s.title == "Create the virtual key Claude Code sends as GATEWAY_KEY")
            .expect("a key creation step");
        assert_eq!(
            words_of(
                "curl",
                &format!(
                    "LITELLM_MASTER_KEY=sk-m; {}",
                    create.command.as_ref().unwrap()
                )
            ),
            [
                "-fsS",
                "-X",
                "POST",
                "-H",
                "Authorization: Bearer sk-m",
                "-H",
                "Content-Type: application/json",
                "-d",
                r#"{"models":["sonnet","claude-*"]}"#,
                "http://127.0.0.1:4000/key/generate",
            ]
        );
        assert!(create.expect.ends_with("it needs the proxy's database"));
        // The key it creates is the one the last step lists models with.
        assert!(
            steps
                .last()
                .unwrap()
                .command
                .as_ref()
                .unwrap()
                .contains("$GATEWAY_KEY\"")
        );

        let without_database = setup_for(gateway_with(vec![anthropic("s", "m")], vec![]));
        let steps = verification(
            &without_database,
            without_database.gateway.as_ref().unwrap(),
        );
        assert!(steps.iter().any(|s| s.expect.contains("DB not connected")));
    }

    #[test]
    fn without_a_usable_client_token_the_master_key_is_used() {
        let mut setup = setup_for(sonnet_gateway());
        setup.client.auth_token = None;
        assert!(
            commands(&setup)
                .iter()
                .all(|c| c.contains("$LITELLM_MASTER_KEY\""))
        );
        setup.client.auth_token = Some(SecretRef {
            secret: "$(touch pwned)".into(),
        });
        assert!(
            commands(&setup)
                .iter()
                .all(|c| c.contains("$LITELLM_MASTER_KEY\""))
        );
        assert!(!commands(&setup).iter().any(|c| c.contains("key/generate")));
    }

    #[test]
    fn bedrock_deployments_get_the_aws_identity_and_model_access_checks() {
        let profiled = with_option(
            bedrock(
                "sonnet",
                "eu.anthropic.claude-sonnet-4-5-20250929-v1:0",
                Some("eu-central-1"),
            ),
            "aws_profile_name",
            literal("prod"),
        );
        let gateway = gateway_with(
            vec![
                bedrock(
                    "sonnet",
                    "us.anthropic.claude-sonnet-4-5-20250929-v1:0",
                    Some("us-east-1"),
                ),
                bedrock(
                    "haiku",
                    "anthropic.claude-haiku-4-5-20251001-v1:0",
                    Some("us-east-1"),
                ),
                bedrock(
                    "other",
                    "us.anthropic.claude-sonnet-4-5-20250929-v1:0",
                    Some("us-east-1"),
                ),
                profiled,
            ],
            vec![],
        );
        let aws: Vec<String> = commands(&setup_for(gateway))
            .into_iter()
            .filter(|c| c.starts_with("aws "))
            .collect();
        assert_eq!(
            aws,
            [
                "aws sts get-caller-identity",
                "aws sts get-caller-identity --profile 'prod'",
                "aws bedrock get-foundation-model-availability --region 'us-east-1' --model-id 'anthropic.claude-haiku-4-5-20251001-v1:0'",
                "aws bedrock get-foundation-model-availability --region 'us-east-1' --model-id 'anthropic.claude-sonnet-4-5-20250929-v1:0'",
                "aws bedrock get-foundation-model-availability --region 'eu-central-1' --model-id 'anthropic.claude-sonnet-4-5-20250929-v1:0' --profile 'prod'",
            ]
        );
        assert_eq!(bedrock_foundation_model("arn:aws:bedrock:x"), None);
        assert_eq!(
            bedrock_foundation_model("global.anthropic.claude-opus-4-5"),
            Some("anthropic.claude-opus-4-5")
        );
    }

    #[test]
    fn vertex_deployments_get_the_adc_check_once() {
        let gateway = gateway_with(
            vec![
                vertex(
                    "a",
                    "claude-sonnet-4-5@20250929",
                    Some("p"),
                    Some("us-east5"),
                ),
                vertex(
                    "b",
                    "claude-haiku-4-5@20251001",
                    Some("p"),
                    Some("us-east5"),
                ),
            ],
            vec![],
        );
        let gcloud: Vec<String> = commands(&setup_for(gateway))
            .into_iter()
            .filter(|c| c.starts_with("gcloud"))
            .collect();
        assert_eq!(
            gcloud,
            ["gcloud auth application-default print-access-token"]
        );
        assert!(
            !commands(&setup_for(sonnet_gateway()))
                .iter()
                .any(|c| c.starts_with("aws") || c.starts_with("gcloud"))
        );
    }

    #[test]
    fn long_group_lists_are_counted_not_spelled_out() {
        let groups: Vec<String> = (0..8).map(|i| format!("g{i}")).collect();
        let names: Vec<&str> = groups.iter().map(String::as_str).collect();
        assert_eq!(named(&names), "g0, g1, g2, g3, g4 and 3 more");
        assert_eq!(named(&names[..2]), "g0, g1");
    }

    #[test]
    fn a_hostile_gateway_url_and_group_stay_one_word() {
        let url = "http://127.0.0.1:4000/x'$(touch /tmp/gwscript-pwned) `id`\nrm -rf ~ '";
        let group = "g'; rm -rf ~; '";
        let mut gateway = gateway_with(vec![anthropic(group, "m")], vec![]);
        gateway.url = url.into();
        let setup = setup_for(gateway);
        let commands = commands(&setup);
        assert_eq!(
            words_of(
                "curl",
                &format!("GATEWAY_KEY=sk-test; {}", commands.last().unwrap())
            ),
            [
                "-fsS".to_owned(),
                "-H".to_owned(),
                "Authorization: Bearer sk-test".to_owned(),
                format!("{url}/v1/models"),
            ]
        );
        let health = words_of("curl", &format!("LITELLM_MASTER_KEY=sk-m; {}", commands[0]));
        assert_eq!(health[5], format!("model={group}"));
        assert_eq!(health[6], format!("{url}/health"));
    }
}
