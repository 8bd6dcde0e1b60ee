//! Checks on Claude Code's side of a setup, run with the gateway plugin's own checks.

use gwscript_plugin::Diagnostic;
use gwscript_plugin::model::Setup;

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
    let has_command = client
        .api_key_helper
        .as_ref()
        .is_some_and(|h| h.command.is_some());
    if setup.pattern.uses_gateway() && client.auth_token.is_none() && !has_command {
        found.push(
            Diagnostic::error(
                "GW5004",
                "Claude Code has no credential for the gateway",
                "add auth_token: secret(\"YOUR_GATEWAY_KEY\") to the pattern (or api_key_helper: #{ command: \"…\" }); without one claude -p fails with `Not logged in`",
            )
            .at(setup.span),
        );
    }
    found
}
