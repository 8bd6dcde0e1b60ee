//! Literal credentials anywhere in the file, not only where a recipe can put one: a value under
//! a credential's key (`password`, `*_api_key`, `*_token`, …), a URL with a password in it, or a
//! string shaped like a known key (Anthropic, AWS, a private key). Placeholders and references
//! are not secrets; the decision is the shared rule's ([`holds_literal_secret`]).

use super::Config;
use super::convert::param;
use crate::catalog;
use crate::checks::secrets::{holds_literal_secret, literal_secret};
use crate::checks::{Input, ParamSpans};
use gwscript_plugin::Diagnostic;
use gwscript_plugin::model::Span;
use gwscript_plugin::yaml::{Node, Value};

pub fn check(config: &Config, findings: &mut Vec<Diagnostic>) {
    let wording = ParamSpans::default();
    let input = Input::ConfigFile(&wording);
    // (node, its mapping key, the key of the mapping around it, where a finding points: the
    // key, as the shared rules point at an option's key)
    let mut stack: Vec<(&Node, &str, &str, Span)> = vec![(&config.root, "", "", config.root.span)];
    while let Some((node, key, parent, at)) = stack.pop() {
        match &node.value {
            Value::Map(pairs) => stack.extend(
                pairs
                    .iter()
                    .filter_map(|(k, v)| Some((v, k.as_str()?, key, k.span))),
            ),
            Value::Seq(items) => {
                stack.extend(items.iter().map(|item| (item, key, parent, item.span)));
            }
            Value::String(text)
                if is_credential(key, text) && holds_literal_secret(&param(node)) =>
            {
                findings.push(literal_secret(
                    &format!("`{key}`"),
                    &env_name(key, parent),
                    Some(at),
                    input,
                ));
            }
            Value::Int(_) | Value::Float(_) if is_credential_key(key) => {
                findings.push(literal_secret(
                    &format!("`{key}`"),
                    &env_name(key, parent),
                    Some(at),
                    input,
                ));
            }
            _ => {}
        }
    }
}

/// Whether a string under `key` is a credential by its key, as a URL with a password, or by its
/// shape.
fn is_credential(key: &str, text: &str) -> bool {
    is_credential_key(key) || catalog::url_password(text).is_some() || looks_like_key(text)
}

/// Keys that hold credentials, in any section (`master_key`, `redis_password`,
/// `aws_secret_access_key`, `OPENAI_API_KEY` under environment_variables, …).
fn is_credential_key(key: &str) -> bool {
    const ENDINGS: &[&str] = &[
        "password",
        "passwd",
        "api_key",
        "apikey",
        "secret",
        "secret_key",
        "access_key",
        "access_key_id",
        "_token",
        "private_key",
        "master_key",
        "credentials",
        "salt_key",
    ];
    let key = key.to_ascii_lowercase();
    // `input_cost_per_token`, `max_tokens`: prices and counts of tokens, not tokens.
    let counts_tokens = key.contains("per_token") || key.contains("cost");
    key == "token" || (!counts_tokens && ENDINGS.iter().any(|ending| key.ends_with(ending)))
}

/// Shapes of keys people paste: Anthropic and OpenAI keys, AWS access key ids, private keys,
/// GitHub and Slack tokens, Google API keys.
fn looks_like_key(text: &str) -> bool {
    let long_tail = |prefix: &str, min: usize| {
        text.strip_prefix(prefix).is_some_and(|rest| {
            rest.len() >= min
                && rest
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        })
    };
    let aws_key_id = text.len() == 20
        && (text.starts_with("AKIA") || text.starts_with("ASIA"))
        && text
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit());
    long_tail("sk-ant-", 20)
        || long_tail("sk-proj-", 20)
        || long_tail("ghp_", 30)
        || long_tail("github_pat_", 30)
        || long_tail("xoxb-", 20)
        || long_tail("AIza", 30)
        || aws_key_id
        || (text.contains("-----BEGIN") && text.contains("PRIVATE KEY"))
}

/// The variable to suggest: the key itself, or with its section's name when the key alone is
/// too generic (`password` in `coordination_redis`: COORDINATION_REDIS_PASSWORD).
fn env_name(key: &str, parent: &str) -> String {
    let generic = [
        "password",
        "passwd",
        "token",
        "secret",
        "api_key",
        "credentials",
    ];
    let section =
        super::keys::TOP_LEVEL.iter().any(|f| f.name == parent) || parent == "litellm_params";
    let name = if generic.contains(&key) && !parent.is_empty() && !section {
        format!("{parent}_{key}")
    } else if key.is_empty() {
        "SECRET".to_owned()
    } else {
        key.to_owned()
    };
    name.to_ascii_uppercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credential_keys_and_shapes() {
        for key in [
            "password",
            "redis_password",
            "api_key",
            "OPENAI_API_KEY",
            "master_key",
            "aws_session_token",
            "client_secret",
        ] {
            assert!(is_credential_key(key), "{key}");
        }
        for key in [
            "max_tokens",
            "token_rate_limit_type",
            "litellm_key_header_name",
            "model",
            "input_cost_per_token",
        ] {
            assert!(!is_credential_key(key), "{key}");
        }
        assert!(looks_like_key("sk-ant-api03-abcdefghijklmnopqrstuvwxyz"));
        assert!(looks_like_key("AKIAABCDEFGHIJKLMNOP"));
        assert!(looks_like_key("-----BEGIN RSA PRIVATE KEY-----\nabc"));
        assert!(!looks_like_key("anthropic/claude-sonnet-4-5"));
        assert!(!looks_like_key("sk-ant-short"));
        assert_eq!(
            env_name("password", "coordination_redis"),
            "COORDINATION_REDIS_PASSWORD"
        );
        assert_eq!(
            env_name("redis_password", "router_settings"),
            "REDIS_PASSWORD"
        );
        assert_eq!(env_name("api_key", "litellm_params"), "API_KEY");
    }
}
