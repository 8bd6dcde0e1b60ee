//! Provider credentials as TrueFoundry takes them: never values, always references to TrueFoundry
//! secrets (`tfy-secret://<tenant>:<secret-group>:<key>`). A recipe gives either such a reference
//! as a plain string, or `secret("NAME")`, which becomes key `NAME` of the secret group the
//! gateway's `secret_group` option names.

use crate::accounts::Platform;
use gwscript_plugin::model::{Gateway, Param, Provider};
use serde_json::{Map, Value};

const SCHEME: &str = "tfy-secret://";

/// Written in place of `<tenant>:<secret-group>` when the recipe names no secret group; TrueFoundry
/// refuses it, so nobody applies a manifest with it by accident (GW4109 says so).
pub const PLACEHOLDER_GROUP: &str = "<tenant>:<secret-group>";

/// The gateway's `secret_group` option (`tenant:group`), whose shape the schema guarantees.
pub fn secret_group(gateway: &Gateway) -> Option<&str> {
    gateway.option("secret_group").and_then(Param::as_str)
}

/// What a credential option holds, as TrueFoundry will read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reference {
    /// A complete secret reference.
    Secret(String),
    /// `secret("NAME")` without a secret group: a reference with the placeholder group.
    Placeholder { name: String, fqn: String },
    /// A literal that is not a secret reference: possibly the credential itself.
    Literal,
}

impl Reference {
    /// The value for the manifest; `None` for a literal, which is never written.
    pub fn fqn(&self) -> Option<&str> {
        match self {
            Reference::Secret(fqn) | Reference::Placeholder { fqn, .. } => Some(fqn),
            Reference::Literal => None,
        }
    }
}

/// Whether `text` is a complete TrueFoundry secret reference: three non-empty names after the
/// scheme, the last of which may itself contain `:`.
pub fn is_secret_reference(text: &str) -> bool {
    let Some(rest) = text.strip_prefix(SCHEME) else {
        return false;
    };
    let mut parts = rest.splitn(3, ':');
    let names: Vec<&str> = parts.by_ref().collect();
    names.len() == 3
        && names
            .iter()
            .all(|name| !name.is_empty() && !name.chars().any(char::is_whitespace))
}

/// How `param` reads as a credential, given the gateway's `secret_group` (`tenant:group`).
pub fn reference(param: &Param, secret_group: Option<&str>) -> Reference {
    match (param, secret_group) {
        (Param::Secret(secret), Some(group)) => {
            Reference::Secret(format!("{SCHEME}{group}:{}", secret.secret))
        }
        (Param::Secret(secret), None) => Reference::Placeholder {
            name: secret.secret.clone(),
            fqn: format!("{SCHEME}{PLACEHOLDER_GROUP}:{}", secret.secret),
        },
        (param, _) => match param.as_str() {
            Some(text) if is_secret_reference(text) => Reference::Secret(text.to_owned()),
            _ => Reference::Literal,
        },
    }
}

/// One credential-holding provider option and the `auth_data` field it fills.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CredentialOption {
    pub option: &'static str,
    pub field: &'static str,
}

const fn credential(option: &'static str, field: &'static str) -> CredentialOption {
    CredentialOption { option, field }
}

/// The provider options that hold credentials, per platform, with their `auth_data` fields
/// (truefoundry-sdk 0.6.0: `AnthropicKeyAuth`, `AwsAccessKeyBasedAuth`, `AwsBedrockApiKeyAuth`,
/// `VertexKeyFileAuth`).
pub fn credential_options(platform: Platform) -> &'static [CredentialOption] {
    const ANTHROPIC: &[CredentialOption] = &[credential("api_key", "api_key")];
    const BEDROCK: &[CredentialOption] = &[
        credential("aws_access_key_id", "access_key_id"),
        credential("aws_secret_access_key", "secret_access_key"),
        credential("api_key", "api_key"),
    ];
    const VERTEX: &[CredentialOption] = &[credential("credentials", "key_file_content")];
    match platform {
        Platform::Anthropic => ANTHROPIC,
        Platform::Bedrock => BEDROCK,
        Platform::Vertex => VERTEX,
    }
}

/// The provider options a platform's account takes besides its credentials.
pub fn setting_options(platform: Platform) -> &'static [&'static str] {
    match platform {
        Platform::Anthropic => &["account", "api_base"],
        Platform::Bedrock => &[
            "account",
            "api_base",
            "region",
            "aws_role_arn",
            "aws_external_id",
        ],
        Platform::Vertex => &["account", "api_base", "project", "location"],
    }
}

/// The account's `auth_data` (field names are this module's constants, never recipe text), or
/// `None` when the recipe gives no credential (TrueFoundry then
/// uses what the account type allows without one). Bedrock takes, in this order, an access key
/// pair, an assumed role, or a Bedrock API key.
pub fn auth_data(
    platform: Platform,
    provider: &Provider,
    secret_group: Option<&str>,
) -> Option<Map<String, Value>> {
    let fqn = |option: &str| {
        provider
            .option(option)
            .and_then(|param| reference(param, secret_group).fqn().map(str::to_owned))
    };
    let mut auth = Map::new();
    let mut put = |key: &str, value: Option<String>| {
        if let Some(value) = value {
            auth.insert(key.to_owned(), Value::String(value));
        }
    };
    let kind = match platform {
        Platform::Anthropic => {
            put("api_key", fqn("api_key"));
            "api-key"
        }
        Platform::Vertex => {
            put("key_file_content", fqn("credentials"));
            "key-file"
        }
        Platform::Bedrock => {
            let plain = |option: &str| {
                provider
                    .option(option)
                    .and_then(Param::as_str)
                    .map(str::to_owned)
            };
            if provider.option("aws_access_key_id").is_some()
                || provider.option("aws_secret_access_key").is_some()
            {
                put("access_key_id", fqn("aws_access_key_id"));
                put("secret_access_key", fqn("aws_secret_access_key"));
                "access-key-based"
            } else if let Some(role) = plain("aws_role_arn") {
                put("assumed_role_arn", Some(role));
                put("external_id", plain("aws_external_id"));
                "assumed-role-based"
            } else {
                put("api_key", fqn("api_key"));
                "api-key"
            }
        }
    };
    if auth.is_empty() {
        return None;
    }
    auth.insert("type".into(), Value::from(kind));
    Some(auth)
}

#[cfg(test)]
mod tests {
    use super::*;
    use gwscript_plugin::model::ProviderKind;
    use gwscript_plugin::testing::{deployment, literal, secret};
    use serde_json::json;

    fn provider(kind: ProviderKind, options: &[(&str, Param)]) -> Provider {
        deployment("a/m", kind, "m", options).provider
    }

    #[test]
    fn secret_references_need_three_names() {
        assert!(is_secret_reference("tfy-secret://acme:llm-keys:anthropic"));
        assert!(is_secret_reference("tfy-secret://acme:llm-keys:a:b"));
        for bad in [
            "tfy-secret://acme:llm-keys",
            "tfy-secret://acme::key",
            "tfy-secret://acme:llm keys:key",
            "sk-ant-api03-abc",
            "acme:llm-keys:anthropic",
        ] {
            assert!(!is_secret_reference(bad), "{bad}");
        }
    }

    #[test]
    fn secrets_become_keys_of_the_secret_group_or_a_placeholder() {
        let named = secret("ANTHROPIC_API_KEY");
        assert_eq!(
            reference(&named, Some("acme:llm-keys")),
            Reference::Secret("tfy-secret://acme:llm-keys:ANTHROPIC_API_KEY".into())
        );
        let placeholder = reference(&named, None);
        assert_eq!(
            placeholder.fqn(),
            Some("tfy-secret://<tenant>:<secret-group>:ANTHROPIC_API_KEY")
        );
        assert_eq!(
            reference(&literal("tfy-secret://a:b:c"), Some("x:y")),
            Reference::Secret("tfy-secret://a:b:c".into())
        );
        assert_eq!(reference(&literal("sk-ant-x"), None), Reference::Literal);
        assert_eq!(reference(&literal(42), None).fqn(), None);
    }

    #[test]
    fn auth_data_per_platform() {
        let group = Some("acme:keys");
        let anthropic = provider(ProviderKind::Anthropic, &[("api_key", secret("K"))]);
        assert_eq!(
            Value::Object(auth_data(Platform::Anthropic, &anthropic, group).unwrap()),
            json!({ "type": "api-key", "api_key": "tfy-secret://acme:keys:K" })
        );
        let keys = provider(
            ProviderKind::Bedrock,
            &[
                ("aws_access_key_id", secret("AWS_ACCESS_KEY_ID")),
                ("aws_secret_access_key", secret("AWS_SECRET_ACCESS_KEY")),
                ("aws_role_arn", literal("arn:aws:iam::1:role/r")),
            ],
        );
        assert_eq!(
            Value::Object(auth_data(Platform::Bedrock, &keys, group).unwrap()),
            json!({
                "type": "access-key-based",
                "access_key_id": "tfy-secret://acme:keys:AWS_ACCESS_KEY_ID",
                "secret_access_key": "tfy-secret://acme:keys:AWS_SECRET_ACCESS_KEY",
            })
        );
        let role = provider(
            ProviderKind::Bedrock,
            &[
                ("aws_role_arn", literal("arn:aws:iam::1:role/r")),
                ("aws_external_id", literal("ext")),
            ],
        );
        assert_eq!(
            Value::Object(auth_data(Platform::Bedrock, &role, group).unwrap()),
            json!({ "type": "assumed-role-based", "assumed_role_arn": "arn:aws:iam::1:role/r", "external_id": "ext" })
        );
        let vertex = provider(ProviderKind::Vertex, &[("credentials", secret("GCP_SA"))]);
        assert_eq!(
            Value::Object(auth_data(Platform::Vertex, &vertex, group).unwrap()),
            json!({ "type": "key-file", "key_file_content": "tfy-secret://acme:keys:GCP_SA" })
        );
        let none = provider(ProviderKind::Bedrock, &[("region", literal("us-east-1"))]);
        assert_eq!(auth_data(Platform::Bedrock, &none, group), None);
    }

    #[test]
    fn literal_credentials_are_never_written() {
        let leaky = provider(
            ProviderKind::Anthropic,
            &[("api_key", literal("sk-ant-LEAK"))],
        );
        assert_eq!(auth_data(Platform::Anthropic, &leaky, None), None);
    }
}
