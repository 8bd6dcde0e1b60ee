//! Checks on Claude Code's side of a setup, run with the gateway plugin's own checks.

use gwscript_plugin::model::{Param, Setup};
use gwscript_plugin::{ClientAuth, Diagnostic, Manifest};

/// Words that mark a variable as a credential; such values must not be literals in settings.
const CREDENTIAL_WORDS: &[&str] = &["KEY", "TOKEN", "SECRET", "PASSWORD", "PASSWD", "CREDENTIAL"];

/// `manifest` is the gateway plugin's, when the pattern has a gateway: it says how the gateway
/// authenticates Claude Code.
pub fn check(setup: &Setup, manifest: Option<&Manifest>) -> Vec<Diagnostic> {
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
    if let Some(manifest) = manifest
        && setup.pattern.uses_gateway()
        && !manifest.client.endpoints.contains_key(&client.endpoint)
    {
        let served: Vec<&str> = manifest.client.endpoints.keys().map(|e| e.name()).collect();
        found.push(
            Diagnostic::error(
                "GW5002",
                format!(
                    "{} does not serve Claude Code's {} endpoint",
                    manifest.display_name,
                    client.endpoint.name()
                ),
                format!("pick an endpoint the plugin serves: {}", served.join(", ")),
            )
            .at(setup.span),
        );
    }
    let key = super::key_source(setup);
    let auth = manifest.map(|m| &m.client.auth);
    if let Some(ClientAuth::Header { name, .. }) = auth
        && client.api_key_helper.is_some()
    {
        found.push(
            Diagnostic::error(
                "GW5007",
                format!("this gateway reads its key from the `{name}` header, which an apiKeyHelper cannot fill"),
                "drop api_key_helper and give auth_token: secret(\"NAME\"): it is sent through ANTHROPIC_CUSTOM_HEADERS",
            )
            .at(setup.span),
        );
    }
    let needs_key = auth.is_some_and(|a| *a != ClientAuth::None);
    if setup.pattern.uses_gateway() && needs_key && key.is_none() {
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

#[cfg(test)]
mod tests {
    use super::*;
    use gwscript_plugin::model::ApiKeyHelper;
    use gwscript_plugin::testing::{anthropic, gateway, setup_for};

    fn manifest(auth: ClientAuth) -> Manifest {
        let mut manifest = gwscript_plugin::testing::manifest("kong");
        manifest.client.auth = auth;
        manifest
    }

    fn codes(setup: &Setup, auth: ClientAuth) -> Vec<String> {
        check(setup, Some(&manifest(auth)))
            .into_iter()
            .map(|d| d.code)
            .collect()
    }

    #[test]
    fn gw5007_a_helper_cannot_fill_a_custom_header() {
        let mut setup = setup_for(gateway("kong", vec![anthropic("a", "m")], vec![]));
        setup.client.api_key_helper = Some(ApiKeyHelper {
            ttl_ms: 1000,
            command: None,
        });
        let header = ClientAuth::Header {
            name: "apikey".into(),
            prefix: String::new(),
        };
        assert_eq!(codes(&setup, header), ["GW5007"]);
        assert_eq!(codes(&setup, ClientAuth::Bearer), Vec::<String>::new());
        assert_eq!(codes(&setup, ClientAuth::XApiKey), Vec::<String>::new());
    }

    #[test]
    fn gw5004_only_when_the_gateway_wants_a_key() {
        let mut setup = setup_for(gateway("kong", vec![anthropic("a", "m")], vec![]));
        setup.client.auth_token = None;
        assert_eq!(codes(&setup, ClientAuth::Bearer), ["GW5004"]);
        assert_eq!(codes(&setup, ClientAuth::None), Vec::<String>::new());
    }
}
