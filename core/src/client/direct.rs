//! The provider options Claude Code can use when it talks to the provider itself (patterns
//! `direct` and `proxy`), each with the variable that carries it. A gateway deployment takes many
//! more (`aws_role_name`, `rpm`, …); Claude Code has no variable for those, so a direct provider
//! refuses them rather than drop them without a word.

use super::env::{EnvValue, EnvVar};
use gwscript_plugin::model::{ClientSetup, Param, Provider, ProviderKind};
use gwscript_plugin::suggest::did_you_mean;

/// What an option's value must be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Value {
    Text,
    /// A `secret("NAME")`: a credential, written as a reference only.
    Secret,
    /// A path, written as given or read from the named variable.
    TextOrSecret,
}

#[derive(Debug)]
pub struct DirectOption {
    /// The recipe's spellings, the first one preferred; the others are the names gateway
    /// deployments take, so one `provider(…)` serves both.
    pub keys: &'static [&'static str],
    pub variable: &'static str,
    pub value: Value,
    why: &'static str,
    /// The pattern option that overrides the provider's value (`region`, `vertex_project`).
    client_override: Option<fn(&ClientSetup) -> Option<&String>>,
}

const fn option(
    keys: &'static [&'static str],
    variable: &'static str,
    value: Value,
    why: &'static str,
) -> DirectOption {
    DirectOption {
        keys,
        variable,
        value,
        why,
        client_override: None,
    }
}

const REGION: DirectOption = DirectOption {
    client_override: Some(|client| client.region.as_ref()),
    ..option(
        &["region", "aws_region_name"],
        "AWS_REGION",
        Value::Text,
        "the Bedrock region",
    )
};

const ANTHROPIC: &[DirectOption] = &[
    option(
        &["api_key"],
        "ANTHROPIC_API_KEY",
        Value::Secret,
        "the Anthropic API key, sent as x-api-key",
    ),
    option(
        &["api_base"],
        "ANTHROPIC_BASE_URL",
        Value::Text,
        "where Claude Code sends its Messages requests",
    ),
];

const BEDROCK: &[DirectOption] = &[
    REGION,
    option(
        &["aws_profile_name", "profile"],
        "AWS_PROFILE",
        Value::Text,
        "the AWS profile whose credentials sign the requests",
    ),
    option(
        &["api_base", "endpoint", "aws_bedrock_runtime_endpoint"],
        "ANTHROPIC_BEDROCK_BASE_URL",
        Value::Text,
        "the Bedrock runtime endpoint Claude Code calls",
    ),
    option(
        &["aws_access_key_id"],
        "AWS_ACCESS_KEY_ID",
        Value::Secret,
        "the AWS access key that signs the requests",
    ),
    option(
        &["aws_secret_access_key"],
        "AWS_SECRET_ACCESS_KEY",
        Value::Secret,
        "the AWS secret key that signs the requests",
    ),
    option(
        &["aws_session_token"],
        "AWS_SESSION_TOKEN",
        Value::Secret,
        "the AWS session token of temporary credentials",
    ),
];

const VERTEX: &[DirectOption] = &[
    DirectOption {
        client_override: Some(|client| client.vertex_project.as_ref()),
        ..option(
            &["project", "vertex_project"],
            "ANTHROPIC_VERTEX_PROJECT_ID",
            Value::Text,
            "the Vertex project",
        )
    },
    DirectOption {
        client_override: Some(|client| client.region.as_ref()),
        ..option(
            &["location", "region", "vertex_location"],
            "CLOUD_ML_REGION",
            Value::Text,
            "the Vertex region",
        )
    },
    option(
        &["credentials", "vertex_credentials"],
        "GOOGLE_APPLICATION_CREDENTIALS",
        Value::TextOrSecret,
        "the Google credentials file",
    ),
    option(
        &["api_base", "endpoint"],
        "ANTHROPIC_VERTEX_BASE_URL",
        Value::Text,
        "the Vertex endpoint Claude Code calls",
    ),
];

/// Whether any provider kind's table knows option `key`, under any spelling: its type is then
/// settled (a credential is a `secret(…)`, GW5005 for a direct provider; a gateway's plugin
/// checks it in its own terms).
pub fn is_known_option(key: &str) -> bool {
    ProviderKind::ALL
        .into_iter()
        .flat_map(options)
        .any(|option| option.keys.contains(&key))
}

/// The options Claude Code can use from a `kind` provider.
pub fn options(kind: ProviderKind) -> &'static [DirectOption] {
    match kind {
        ProviderKind::Anthropic => ANTHROPIC,
        ProviderKind::Bedrock => BEDROCK,
        ProviderKind::Vertex => VERTEX,
        ProviderKind::Raw => &[],
    }
}

impl DirectOption {
    /// The option's value on `provider` with the key it was given under, under any spelling.
    pub fn given<'a>(&self, provider: &'a Provider) -> Option<(&'static str, &'a Param)> {
        self.keys
            .iter()
            .find_map(|key| Some((*key, provider.option(key)?)))
    }

    fn variable_for(&self, client: &ClientSetup, provider: &Provider) -> Option<EnvVar> {
        let overridden = self.client_override.and_then(|get| get(client));
        let value = match (overridden, self.given(provider).map(|(_, v)| v)) {
            (Some(text), _) => EnvValue::Literal(text.clone()),
            (None, Some(Param::Secret(secret))) => EnvValue::Secret(secret.secret.clone()),
            // A literal credential is refused by the client checks (GW5005), never written.
            (None, Some(param)) if self.value != Value::Secret => {
                EnvValue::Literal(param.as_str()?.to_owned())
            }
            _ => return None,
        };
        Some(EnvVar {
            name: self.variable.to_owned(),
            value,
            why: self.why.into(),
        })
    }
}

/// The region option a provider sets, with the key it is spelled with (`region`, `location`, …).
pub fn region_option(provider: &Provider) -> Option<(&'static str, &Param)> {
    let variable = match provider.kind {
        ProviderKind::Bedrock => "AWS_REGION",
        ProviderKind::Vertex => "CLOUD_ML_REGION",
        ProviderKind::Anthropic | ProviderKind::Raw => return None,
    };
    options(provider.kind)
        .iter()
        .find(|o| o.variable == variable)?
        .given(provider)
}

/// The region a provider names.
pub fn region(provider: &Provider) -> Option<&str> {
    region_option(provider)?.1.as_str()
}

/// The region Claude Code uses with a direct provider: the pattern's, else the provider's.
pub fn client_region<'a>(client: &'a ClientSetup, provider: &'a Provider) -> Option<&'a str> {
    client.region.as_deref().or_else(|| region(provider))
}

/// The variables a direct provider's options set, in the table's order.
pub fn vars(client: &ClientSetup, provider: &Provider) -> Vec<EnvVar> {
    options(provider.kind)
        .iter()
        .filter_map(|o| o.variable_for(client, provider))
        .collect()
}

/// Why a direct provider's options cannot be used as given.
#[derive(Debug, Clone, PartialEq)]
pub struct Refusal {
    pub code: &'static str,
    /// The option the refusal is about, for the caret.
    pub key: String,
    pub message: String,
    pub help: String,
}

/// Each option must be one Claude Code can use, given once and of the right type. A literal
/// credential is left to the client checks (GW5005), which mask the line.
pub fn check_options(provider: &Provider) -> Result<(), Refusal> {
    let table = options(provider.kind);
    let kind = provider.kind.name();
    if let Some(key) = provider
        .options
        .keys()
        .find(|key| !table.iter().any(|o| o.keys.contains(&key.as_str())))
    {
        let accepted: Vec<&str> = table.iter().flat_map(|o| o.keys.iter().copied()).collect();
        let help = if key == "model" {
            "Claude Code's models are the pattern's `model`, `opus_model`, `sonnet_model` and `background_model` options".to_owned()
        } else {
            format!(
                "Claude Code reads only these {kind} options{}: {}",
                did_you_mean(key, accepted.iter().copied()),
                accepted.join(", ")
            )
        };
        return Err(Refusal {
            code: "GW1022",
            key: key.clone(),
            message: format!(
                "{kind} option `{key}` has no effect when Claude Code talks to {kind} itself"
            ),
            help,
        });
    }
    for known in table {
        let given: Vec<&str> = known
            .keys
            .iter()
            .copied()
            .filter(|k| provider.option(k).is_some())
            .collect();
        if let [first, second, ..] = given[..] {
            return Err(Refusal {
                code: "GW1022",
                key: second.to_owned(),
                message: format!(
                    "{kind} options `{first}` and `{second}` both set {}, so one has no effect",
                    known.variable
                ),
                help: format!(
                    "keep one of them (`{}` is the usual spelling)",
                    known.keys[0]
                ),
            });
        }
        let Some((key, value)) = known.given(provider) else {
            continue;
        };
        let fits = match value {
            Param::Literal(serde_json::Value::String(_)) => true,
            Param::Secret(_) => known.value != Value::Text,
            _ => false,
        };
        if !fits {
            let expected = match known.value {
                Value::Text => "a string",
                Value::Secret => "a secret(\"NAME\") reference",
                Value::TextOrSecret => "a string or a secret(\"NAME\") reference",
            };
            return Err(Refusal {
                code: "GW1009",
                key: key.to_owned(),
                message: format!("{kind} option `{key}` must be {expected}"),
                help: format!(
                    "give `{key}` {expected}: Claude Code reads it as {}",
                    known.variable
                ),
            });
        }
    }
    Ok(())
}

/// The options of a direct provider that hold a credential written as a literal.
pub fn literal_credentials(provider: &Provider) -> impl Iterator<Item = &'static str> + '_ {
    options(provider.kind)
        .iter()
        .filter(|o| o.value == Value::Secret)
        .filter_map(|o| match o.given(provider)? {
            (key, Param::Literal(_)) => Some(key),
            _ => None,
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use gwscript_plugin::testing::{literal, secret};

    fn provider(kind: ProviderKind, options: &[(&str, Param)]) -> Provider {
        Provider {
            kind,
            options: options
                .iter()
                .map(|(k, v)| ((*k).to_owned(), v.clone()))
                .collect(),
            span: None,
        }
    }

    fn client() -> ClientSetup {
        gwscript_plugin::testing::setup_for(gwscript_plugin::testing::gateway("x", vec![], vec![]))
            .client
    }

    fn set(client: &ClientSetup, provider: &Provider) -> Vec<(String, EnvValue)> {
        vars(client, provider)
            .into_iter()
            .map(|v| (v.name, v.value))
            .collect()
    }

    #[test]
    fn every_bedrock_option_has_its_variable() {
        let bedrock = provider(
            ProviderKind::Bedrock,
            &[
                ("aws_region_name", literal("eu-central-1")),
                ("profile", literal("dev")),
                ("endpoint", literal("https://vpce.example")),
                ("aws_access_key_id", secret("AWS_ACCESS_KEY_ID")),
                ("aws_secret_access_key", secret("TEAM_AWS_SECRET")),
                ("aws_session_token", secret("AWS_SESSION_TOKEN")),
            ],
        );
        assert_eq!(check_options(&bedrock), Ok(()));
        let lit = |s: &str| EnvValue::Literal(s.into());
        let sec = |s: &str| EnvValue::Secret(s.into());
        assert_eq!(
            set(&client(), &bedrock),
            [
                ("AWS_REGION".into(), lit("eu-central-1")),
                ("AWS_PROFILE".into(), lit("dev")),
                (
                    "ANTHROPIC_BEDROCK_BASE_URL".into(),
                    lit("https://vpce.example")
                ),
                ("AWS_ACCESS_KEY_ID".into(), sec("AWS_ACCESS_KEY_ID")),
                ("AWS_SECRET_ACCESS_KEY".into(), sec("TEAM_AWS_SECRET")),
                ("AWS_SESSION_TOKEN".into(), sec("AWS_SESSION_TOKEN")),
            ]
        );
        let mut overridden = client();
        overridden.region = Some("us-west-2".into());
        assert_eq!(
            set(&overridden, &bedrock)[0],
            ("AWS_REGION".into(), lit("us-west-2"))
        );
    }

    #[test]
    fn vertex_takes_region_as_well_as_location() {
        let vertex = provider(
            ProviderKind::Vertex,
            &[
                ("project", literal("p")),
                ("region", literal("europe-west1")),
                ("credentials", literal("/etc/gcp/sa.json")),
                ("api_base", literal("https://psc.example/v1")),
            ],
        );
        assert_eq!(check_options(&vertex), Ok(()));
        let names: Vec<String> = set(&client(), &vertex)
            .into_iter()
            .map(|(n, _)| n)
            .collect();
        assert_eq!(
            names,
            [
                "ANTHROPIC_VERTEX_PROJECT_ID",
                "CLOUD_ML_REGION",
                "GOOGLE_APPLICATION_CREDENTIALS",
                "ANTHROPIC_VERTEX_BASE_URL"
            ]
        );
        assert_eq!(region(&vertex), Some("europe-west1"));
    }

    #[test]
    fn gw1022_an_option_claude_code_cannot_use_is_refused() {
        let bedrock = provider(ProviderKind::Bedrock, &[("aws_profile", literal("dev"))]);
        let refusal = check_options(&bedrock).expect_err("refused");
        assert_eq!(refusal.code, "GW1022");
        assert_eq!(refusal.key, "aws_profile");
        assert!(
            refusal.help.contains("(did you mean `aws_profile_name`?)"),
            "{}",
            refusal.help
        );
        assert!(
            refusal.help.contains("region, aws_region_name"),
            "{}",
            refusal.help
        );

        let twice = provider(
            ProviderKind::Vertex,
            &[
                ("location", literal("us-east5")),
                ("region", literal("global")),
            ],
        );
        let refusal = check_options(&twice).expect_err("refused");
        assert_eq!((refusal.code, refusal.key.as_str()), ("GW1022", "region"));
        assert!(
            refusal.message.contains("CLOUD_ML_REGION"),
            "{}",
            refusal.message
        );

        let model = provider(
            ProviderKind::Vertex,
            &[("model", literal("claude-opus-4-1"))],
        );
        assert!(
            check_options(&model)
                .expect_err("refused")
                .help
                .contains("opus_model")
        );
    }

    #[test]
    fn gw1009_wrong_types_and_literal_credentials_are_told_apart() {
        let number = provider(ProviderKind::Bedrock, &[("region", literal(1))]);
        assert_eq!(check_options(&number).expect_err("refused").code, "GW1009");
        let pasted = provider(
            ProviderKind::Bedrock,
            &[("aws_secret_access_key", literal("wJalr"))],
        );
        assert_eq!(check_options(&pasted), Ok(()), "left to GW5005");
        assert_eq!(
            literal_credentials(&pasted).collect::<Vec<_>>(),
            ["aws_secret_access_key"]
        );
        assert!(vars(&client(), &pasted).is_empty(), "never written");
    }
}
