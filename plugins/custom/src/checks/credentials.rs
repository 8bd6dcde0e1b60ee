//! The two credentials the gateway handles: the key it sends upstream and the token it takes from
//! Claude Code. Both are references to environment variables; the emitted configs name them and
//! the gateway reads their values where it runs. Messages name options, never values.

use super::codes::{
    CONFLICTING_UPSTREAM_KEYS, LITERAL_SECRET, NO_GATEWAY_TOKEN, NO_UPSTREAM_KEY, UNWRITABLE_VALUE,
};
use crate::nginx::quote::is_placeholder_name;
use crate::options::{self, Options, Server};
use gwscript_plugin::model::{Deployment, Gateway, ProviderKind, Span};
use gwscript_plugin::{Diagnostic, Setup};

pub fn check(setup: &Setup, gateway: &Gateway) -> Vec<Diagnostic> {
    let mut diagnostics = literal_secrets(gateway);
    let server = Options::of(gateway).server();
    if server.holds_credentials() {
        let upstream_key = options::upstream_key(gateway);
        let token = options::gateway_token(setup, gateway);
        diagnostics.extend(missing(server, gateway, upstream_key, token));
        diagnostics.extend(shared(gateway, upstream_key, token));
        diagnostics.extend(conflicting_keys(gateway));
        for (what, name) in [("upstream key", upstream_key), ("gateway token", token)] {
            if let Some(name) = name.filter(|n| !is_placeholder_name(n)) {
                diagnostics.push(unwritable_name(server, what, name, gateway.span));
            }
        }
    }
    diagnostics
}

/// A credential the config needs but the recipe names nowhere (a literal already got GW4407).
fn missing(
    server: Server,
    gateway: &Gateway,
    upstream_key: Option<&str>,
    token: Option<&str>,
) -> Vec<Diagnostic> {
    let literal = |key: &str| {
        gateway
            .option(key)
            .is_some_and(|p| p.secret_name().is_none())
    };
    let mut diagnostics = Vec::new();
    if upstream_key.is_none() && !literal("upstream_api_key") && !any_literal_api_key(gateway) {
        diagnostics.push(
            Diagnostic::error(
                NO_UPSTREAM_KEY,
                format!(
                    "the {} gateway has no upstream key to send as x-api-key",
                    server.name()
                ),
                "add upstream_api_key: secret(\"ANTHROPIC_API_KEY\") to the gateway, or deploy a \
                 provider(\"anthropic\", #{ api_key: secret(…) })",
            )
            .at(gateway.span),
        );
    }
    if token.is_none() && !literal("gateway_token") {
        diagnostics.push(
            Diagnostic::error(
                NO_GATEWAY_TOKEN,
                format!(
                    "the {} gateway has no token to check Claude Code's requests against",
                    server.name()
                ),
                "add gateway_token: secret(\"GATEWAY_TOKEN\") to the gateway (or give the pattern \
                 auth_token: secret(…))",
            )
            .at(gateway.span),
        );
    }
    diagnostics
}

/// The token and the key in one variable: Claude Code would hold the upstream key.
fn shared(
    gateway: &Gateway,
    upstream_key: Option<&str>,
    token: Option<&str>,
) -> Option<Diagnostic> {
    let key = upstream_key.filter(|key| Some(*key) == token)?;
    Some(
        Diagnostic::error(
            NO_GATEWAY_TOKEN,
            format!(
                "the gateway token and the upstream key are both {key}: Claude Code would hold \
                 the upstream key itself"
            ),
            "give Claude Code a token of its own (gateway_token or the pattern's auth_token)",
        )
        .at(gateway.option_span("gateway_token")),
    )
}

/// Credentials written as values instead of `secret("NAME")`.
fn literal_secrets(gateway: &Gateway) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    for (key, env_name) in [
        ("upstream_api_key", "ANTHROPIC_API_KEY"),
        ("gateway_token", "GATEWAY_TOKEN"),
    ] {
        if gateway
            .option(key)
            .is_some_and(|p| p.secret_name().is_none())
        {
            diagnostics.push(literal_secret(
                &format!("gateway option `{key}`"),
                env_name,
                gateway.option_span(key),
            ));
        }
    }
    for deployment in anthropic_deployments(gateway) {
        if deployment
            .provider
            .option("api_key")
            .is_some_and(|p| p.secret_name().is_none())
        {
            diagnostics.push(literal_secret(
                &format!(
                    "anthropic provider option `api_key` of model group `{}`",
                    deployment.model_group
                ),
                "ANTHROPIC_API_KEY",
                deployment.provider.span.or(deployment.span),
            ));
        }
    }
    diagnostics
}

fn literal_secret(option: &str, env_name: &str, span: Option<Span>) -> Diagnostic {
    Diagnostic::error(
        LITERAL_SECRET,
        format!("{option} is a literal value where a secret belongs; it would be written into the gateway's config"),
        format!("use secret(\"NAME\") instead, e.g. secret(\"{env_name}\"), and set it where the gateway runs"),
    )
    .at(span)
    .sensitive()
}

fn any_literal_api_key(gateway: &Gateway) -> bool {
    anthropic_deployments(gateway).any(|d| {
        d.provider
            .option("api_key")
            .is_some_and(|p| p.secret_name().is_none())
    })
}

fn anthropic_deployments(gateway: &Gateway) -> impl Iterator<Item = &Deployment> {
    gateway
        .deployments
        .iter()
        .filter(|d| d.provider.kind == ProviderKind::Anthropic)
}

/// One upstream means one key: deployments naming another key than the one the gateway sends.
fn conflicting_keys(gateway: &Gateway) -> Option<Diagnostic> {
    let sent = options::upstream_key(gateway)?;
    let other = anthropic_deployments(gateway).find(|d| {
        d.provider
            .option("api_key")
            .and_then(|p| p.secret_name())
            .is_some_and(|name| name != sent)
    })?;
    Some(
        Diagnostic::error(
            CONFLICTING_UPSTREAM_KEYS,
            format!(
                "model group `{}` names another api_key than {sent}, the one key this gateway sends \
                 upstream",
                other.model_group
            ),
            format!("give every deployment api_key: secret(\"{sent}\"), or set upstream_api_key once"),
        )
        .at(other.provider.span.or(other.span)),
    )
}

fn unwritable_name(server: Server, what: &str, name: &str, span: Option<Span>) -> Diagnostic {
    let why = match server {
        Server::Kong => "Kong's env vault looks the name up in upper case",
        _ => "the start script's envsubst would also replace nginx's own lower-case $variables",
    };
    Diagnostic::error(
        UNWRITABLE_VALUE,
        format!("the {what} is read from `{name}`, which has lower-case letters: {why}"),
        format!(
            "name the secret in upper case, e.g. secret(\"{}\")",
            name.to_ascii_uppercase()
        ),
    )
    .at(span)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::custom_gateway;
    use gwscript_plugin::model::SecretRef;
    use gwscript_plugin::testing::{
        anthropic, codes_of, deployment, literal, secret, setup_for, with_gateway_options,
        with_option,
    };

    fn diagnostics_for(gateway: Gateway) -> Vec<Diagnostic> {
        let setup = setup_for(gateway);
        check(&setup, setup.gateway.as_ref().unwrap())
    }

    #[test]
    fn references_from_the_deployments_and_the_pattern_pass() {
        assert!(diagnostics_for(custom_gateway(vec![anthropic("s", "m")])).is_empty());
        let gateway = with_gateway_options(
            custom_gateway(vec![]),
            [
                ("upstream_api_key", secret("CORP_KEY")),
                ("gateway_token", secret("NGINX_TOKEN")),
            ],
        );
        assert!(diagnostics_for(gateway).is_empty());
    }

    #[test]
    fn gw4407_flags_literal_credentials_without_repeating_them() {
        const LEAK: &str = "sk-ant-api03-DO-NOT-PRINT";
        let gateway = with_gateway_options(
            custom_gateway(vec![with_option(
                anthropic("s", "m"),
                "api_key",
                literal(LEAK),
            )]),
            [
                ("upstream_api_key", literal(LEAK)),
                ("gateway_token", literal(LEAK)),
            ],
        );
        let diagnostics = diagnostics_for(gateway);
        assert_eq!(codes_of(&diagnostics), ["GW4407"; 3]);
        assert!(diagnostics.iter().all(|d| d.sensitive && d.is_error()));
        assert!(
            diagnostics[0]
                .message
                .starts_with("gateway option `upstream_api_key` is a literal")
        );
        assert!(diagnostics[2].message.contains("model group `s`"));
        for d in &diagnostics {
            assert!(!d.message.contains(LEAK) && !d.help.contains(LEAK));
        }
    }

    #[test]
    fn gw4408_wants_an_upstream_key_for_servers_that_hold_one() {
        let keyless = custom_gateway(vec![deployment("s", ProviderKind::Anthropic, "m", &[])]);
        assert_eq!(codes_of(&diagnostics_for(keyless.clone())), ["GW4408"]);
        let kong = with_gateway_options(keyless.clone(), [("server", literal("kong"))]);
        assert_eq!(codes_of(&diagnostics_for(kong)), ["GW4408"]);
        let checklist = with_gateway_options(keyless, [("server", literal("checklist"))]);
        assert!(diagnostics_for(checklist).is_empty());
    }

    #[test]
    fn gw4409_wants_a_token_of_its_own() {
        let mut setup = setup_for(custom_gateway(vec![anthropic("s", "m")]));
        setup.client.auth_token = None;
        let gateway = setup.gateway.clone().unwrap();
        assert_eq!(codes_of(&check(&setup, &gateway)), ["GW4409"]);
        setup.client.auth_token = Some(SecretRef {
            secret: "ANTHROPIC_API_KEY".into(),
        });
        let diagnostics = check(&setup, &gateway);
        assert_eq!(codes_of(&diagnostics), ["GW4409"]);
        assert!(diagnostics[0].message.contains("both ANTHROPIC_API_KEY"));
    }

    #[test]
    fn gw4410_wants_one_upstream_key() {
        let gateway = custom_gateway(vec![
            anthropic("a", "m"),
            with_option(anthropic("b", "m"), "api_key", secret("OTHER_KEY")),
        ]);
        let diagnostics = diagnostics_for(gateway);
        assert_eq!(codes_of(&diagnostics), ["GW4410"]);
        assert!(
            diagnostics[0]
                .message
                .starts_with("model group `b` names another api_key than ANTHROPIC_API_KEY")
        );
        let overridden = with_gateway_options(
            custom_gateway(vec![anthropic("a", "m")]),
            [("upstream_api_key", secret("CORP_KEY"))],
        );
        assert_eq!(codes_of(&diagnostics_for(overridden)), ["GW4410"]);
    }

    #[test]
    fn gw4405_wants_upper_case_names_for_the_configs_placeholders() {
        let gateway = with_gateway_options(
            custom_gateway(vec![]),
            [("upstream_api_key", secret("proxy_host"))],
        );
        let diagnostics = diagnostics_for(gateway.clone());
        assert_eq!(codes_of(&diagnostics), ["GW4405"]);
        assert!(diagnostics[0].message.contains("envsubst"));
        assert!(diagnostics[0].help.contains("secret(\"PROXY_HOST\")"));
        let kong = with_gateway_options(gateway, [("server", literal("kong"))]);
        assert!(
            diagnostics_for(kong)[0]
                .message
                .contains("Kong's env vault")
        );
    }
}
