//! Checks on Claude Code's side of a setup, run with the gateway plugin's own checks.

use gwscript_plugin::Diagnostic;
use gwscript_plugin::model::{Param, Setup};

/// Words that mark a variable as a credential; such values must not be literals in settings.
const CREDENTIAL_WORDS: &[&str] = &["KEY", "TOKEN", "SECRET", "PASSWORD", "PASSWD", "CREDENTIAL"];

pub fn check(setup: &Setup) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    let client = &setup.client;
    for name in client.env.keys() {
        let upper = name.to_ascii_uppercase();
        if CREDENTIAL_WORDS.iter().any(|w| upper.contains(w)) && !upper.ends_with("_TTL_MS") {
            found.push(
                Diagnostic::error(
                    "GW5001",
                    format!("`{name}` looks like a credential but is a literal in the settings env"),
                    "pass credentials as auth_token: secret(\"NAME\") or through api_key_helper; settings files are shared and committed",
                )
                .at(setup.span)
                .sensitive(),
            );
        }
    }
    let key = super::key_source(setup);
    if setup.pattern.uses_gateway() && key.is_none() {
        found.push(
            Diagnostic::error(
                "GW5004",
                "Claude Code has no credential for the gateway",
                "add auth_token: secret(\"YOUR_GATEWAY_KEY\") to the pattern (or api_key_helper: #{ command: \"…\" }); without one claude -p fails with `Not logged in`",
            )
            .at(setup.span),
        );
    } else if client.api_key_helper.is_some() && key.is_none() {
        found.push(
            Diagnostic::error(
                "GW5006",
                "the apiKeyHelper has no key to print",
                "give api_key_helper a command (#{ command: \"vault kv get -field=key secret/claude\" }), or the provider an api_key: secret(\"…\")",
            )
            .at(setup.span),
        );
    }
    if let Some(provider) = &setup.provider
        && let Some(Param::Literal(_)) = provider.option("api_key")
    {
        found.push(
            Diagnostic::error(
                "GW5005",
                "the provider's api_key is a literal value",
                "write api_key: secret(\"ANTHROPIC_API_KEY\"): Claude Code reads the key from your shell, and recipes never hold secret values",
            )
            .at(provider.span)
            .sensitive(),
        );
    }
    found
}
