//! Checks on Claude Code's side of a setup, run with the gateway plugin's own checks.

use super::credentials::{credential_header, is_credential_variable};
use super::direct;
use super::env::{EnvValue, EnvVar};
use super::models::alias_variable;
use crate::catalog::{self, Alias};
use gwscript_plugin::model::{Endpoint, ProviderKind, Setup};
use gwscript_plugin::{ClientAuth, Diagnostic, Manifest, ModelNames};

/// `manifest` is the gateway plugin's, when the pattern has a gateway: it says how the gateway
/// authenticates Claude Code.
pub fn check(setup: &Setup, manifest: Option<&Manifest>) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    let client = &setup.client;
    for (name, value) in &client.env {
        if name == super::headers::CUSTOM_HEADERS {
            found.extend(super::headers::findings(
                value,
                client.env_span(name).or(setup.span),
            ));
        }
        if let Some(message) = literal_credential_in_env(name, value) {
            found.push(
                Diagnostic::error(
                    "GW5001",
                    message,
                    "pass credentials as auth_token: secret(\"NAME\") (sent in the header the gateway reads, from env.sh only) or through api_key_helper; settings files are shared and committed",
                )
                .at(client.env_span(name).or(setup.span))
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
    if let Some(provider) = &setup.provider {
        for key in direct::literal_credentials(provider) {
            found.push(
                Diagnostic::error(
                    "GW5005",
                    format!("the provider's {key} is a literal value"),
                    format!("write {key}: secret(\"NAME\") with the variable that holds it: Claude Code reads it from your shell, and recipes never hold secret values"),
                )
                .at(provider.span)
                .sensitive(),
            );
        }
    }
    found.extend(super::model_ids::check(setup));
    found
}

/// GW5001: why the recipe's `env` entry `name=value` would write a credential into settings.json
/// (every `env` value is a literal): its name says it is one, or it holds a header that carries
/// one (`ANTHROPIC_CUSTOM_HEADERS: "Authorization: Bearer …"`). Names only: never the value.
pub(super) fn literal_credential_in_env(name: &str, value: &str) -> Option<String> {
    if is_credential_variable(name) {
        return Some(format!(
            "`{name}` looks like a credential but is a literal in the settings env"
        ));
    }
    let header = credential_header(value)?;
    Some(format!(
        "`{name}` writes its `{}` header's credential as a literal into the settings env",
        header.escape_debug()
    ))
}

/// Findings on the environment Claude Code gets, once the plugins' variables are known:
/// what became of the recipe's own `env` (GW5009, GW5010) and whether every `/model` alias
/// reaches a model group (GW5011). `plugin_vars` are the plugins' variables, `env` the result of
/// [`super::client_env`].
pub fn env_findings(
    setup: &Setup,
    manifest: Option<&Manifest>,
    plugin_vars: &[(String, EnvVar)],
    env: &[EnvVar],
) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    if let Ok(own) = super::env::setup_vars(setup, manifest, plugin_vars) {
        for (name, value) in &setup.client.env {
            found.extend(super::conflicts::recipe_env_finding(
                setup,
                plugin_vars,
                &own,
                name,
                value,
            ));
        }
    }
    found.extend(unserved_aliases(setup, manifest, env));
    found
}

/// GW5011: behind a gateway that routes by model group, an alias the recipe does not pin makes
/// Claude Code ask for its own default id (`/model opus` → `claude-opus-4-8`), or for what a
/// plugin or the recipe's `env` set; each must be a model group. Pinned aliases are the
/// plugin's to check (every `pinned_models` entry must be served).
fn unserved_aliases(
    setup: &Setup,
    manifest: Option<&Manifest>,
    env: &[EnvVar],
) -> Option<Diagnostic> {
    let gateway = setup.gateway.as_ref()?;
    if manifest?.client.model_names != ModelNames::Groups || !setup.pattern.uses_gateway() {
        return None;
    }
    let groups = gateway.model_groups();
    let kind = match setup.client.endpoint {
        Endpoint::Unified | Endpoint::Anthropic => ProviderKind::Anthropic,
        Endpoint::Bedrock => ProviderKind::Bedrock,
        Endpoint::Vertex => ProviderKind::Vertex,
    };
    // Without AWS_REGION, Claude Code's Bedrock region is us-east-1.
    let region = setup.client.region.as_deref().or(Some("us-east-1"));
    let unserved: Vec<(Alias, String)> = Alias::ALL
        .into_iter()
        .filter_map(|alias| {
            let variable = alias_variable(alias);
            if variable.pinned(&setup.client).is_some() {
                return None;
            }
            let sent = env
                .iter()
                .find(|v| v.name == variable.variable)
                .and_then(|v| match &v.value {
                    EnvValue::Literal(value) => Some(value.clone()),
                    _ => None,
                })
                .or_else(|| catalog::provider_id(alias.claude_code_default(), kind, region))?;
            (!groups.contains(&sent.as_str())).then_some((alias, sent))
        })
        .collect();
    if unserved.is_empty() {
        return None;
    }
    let asks: Vec<String> = unserved
        .iter()
        .map(|(alias, sent)| format!("`/model {}` (`{sent}`)", alias.name()))
        .collect();
    let pins: Vec<String> = unserved
        .iter()
        .map(|(alias, _)| format!("{}: \"<group>\"", alias_variable(*alias).option))
        .collect();
    Some(
        Diagnostic::warning(
            "GW5011",
            format!(
                "{} routes by model group, and no group is named after what Claude Code's {} would ask for",
                gateway.kind,
                asks.join(", ")
            ),
            format!(
                "pin each alias to a group the gateway serves: {} (groups: {})",
                pins.join(", "),
                gwscript_plugin::suggest::first_few(&groups, 5)
            ),
        )
        .at(setup.span),
    )
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

    fn recipe(source: &str) -> Setup {
        crate::script::run(source, None, crate::script::Limits::default())
            .unwrap_or_else(|d| panic!("{d:#?}"))
    }

    /// Every finding on `setup`, before and after the environment is built, as (code, message).
    fn findings(setup: &Setup, manifest: Option<&Manifest>) -> Vec<(String, String)> {
        let plugin_vars = [];
        let env = super::super::client_env(setup, manifest, &plugin_vars).expect("builds");
        check(setup, manifest)
            .into_iter()
            .chain(env_findings(setup, manifest, &plugin_vars, &env))
            .map(|d| (d.code, d.message))
            .collect()
    }

    fn codes_of(found: &[(String, String)]) -> Vec<&str> {
        found.iter().map(|(code, _)| code.as_str()).collect()
    }

    #[test]
    fn gw5005_every_literal_credential_of_a_direct_provider() {
        let setup = recipe(
            r#"emit(pattern("direct", #{ provider: provider("bedrock", #{ region: "us-east-1",
                aws_access_key_id: secret("AWS_ACCESS_KEY_ID"), aws_secret_access_key: "wJalrXUtnFEMI" }) }));"#,
        );
        let found = findings(&setup, None);
        assert_eq!(codes_of(&found), ["GW5005"]);
        assert!(found[0].1.contains("aws_secret_access_key"), "{found:?}");
        assert!(check(&setup, None)[0].sensitive);
    }

    #[test]
    fn gw5008_a_plain_bedrock_id_whose_model_needs_a_profile() {
        let direct = recipe(
            r#"emit(pattern("direct", #{ provider: provider("bedrock", #{ region: "eu-west-1" }),
                model: "anthropic.claude-sonnet-4-5-20250929-v1:0", background_model: "claude-haiku-4-5" }));"#,
        );
        let found = findings(&direct, None);
        assert_eq!(codes_of(&found), ["GW5008"]);
        assert!(found[0].1.contains("ANTHROPIC_MODEL"), "{found:?}");
        let help = &check(&direct, None)[0].help;
        assert!(
            help.contains("\"eu.anthropic.claude-sonnet-4-5-20250929-v1:0\""),
            "{help}"
        );

        let deployed = recipe(
            r#"let gw = gateway("litellm", #{ url: "http://127.0.0.1:4000" });
            gw.deploy("claude-sonnet-4-5", provider("bedrock", #{ region: "us-east-1" }));
            gw.deploy("plain", provider("bedrock", #{ model: "anthropic.claude-haiku-4-5-20251001-v1:0" }));
            emit(pattern("gateway", #{ gateway: gw, auth_token: secret("K"), background_model: "plain" }));"#,
        );
        let found: Vec<Diagnostic> = check(&deployed, Some(&manifest(ClientAuth::Bearer)));
        assert_eq!(
            found.iter().map(|d| d.code.as_str()).collect::<Vec<_>>(),
            ["GW5008"]
        );
        assert_eq!(found[0].span.map(|s| s.line), Some(3), "at the deployment");
    }

    #[test]
    fn gw5009_gw5010_the_recipes_env_under_claude_codes_precedence() {
        let setup = recipe(
            r#"emit(pattern("direct", #{ provider: provider("bedrock", #{ region: "eu-central-1" }),
                model: "claude-sonnet-4-5",
                env: #{ ANTHROPIC_BASE_URL: "https://gw.example", ANTHROPIC_MODEL: "claude-opus-4-1",
                        ANTHROPIC_DEFAULT_OPUS_MODEL: "claude-opus-4-1", CLAUDE_CODE_USE_VERTEX: "1",
                        DISABLE_AUTOUPDATER: "1" } }));"#,
        );
        let found = findings(&setup, None);
        assert_eq!(
            found,
            [
                (
                    "GW5009".into(),
                    "Claude Code ignores ANTHROPIC_BASE_URL when it talks to Bedrock; it is not written".into()
                ),
                (
                    "GW5010".into(),
                    "env sets ANTHROPIC_DEFAULT_OPUS_MODEL as given: gwscript neither resolves it to the provider's id nor checks that it is served".into()
                ),
                (
                    "GW5010".into(),
                    "env sets ANTHROPIC_MODEL, which the pattern sets itself; Claude Code gets \"eu.anthropic.claude-sonnet-4-5-20250929-v1:0\"".into()
                ),
                (
                    "GW5009".into(),
                    "Claude Code ignores CLAUDE_CODE_USE_VERTEX when it talks to Bedrock; it is not written".into()
                ),
            ]
        );
        let switched = recipe(
            r#"emit(pattern("direct", #{ provider: provider("vertex", #{ project: "p", region: "us-east5" }),
                env: #{ CLAUDE_CODE_USE_BEDROCK: "true" } }));"#,
        );
        let found = findings(&switched, None);
        assert_eq!(codes_of(&found), ["GW5010"]);
        assert!(
            found[0].1.contains("from Vertex AI to Bedrock"),
            "{found:?}"
        );
    }

    #[test]
    fn gw5012_every_alias_reaches_a_model_group() {
        let gateway = r#"let gw = gateway("litellm", #{ url: "http://127.0.0.1:4000" });
            gw.deploy("claude-sonnet-4-5", provider("anthropic", #{ api_key: secret("A") }));
            gw.deploy("claude-opus-4-1", provider("anthropic", #{ api_key: secret("A") }));
            gw.deploy("claude-haiku-4-5-20251001", provider("anthropic", #{ api_key: secret("A") }));"#;
        let groups = manifest(ClientAuth::Bearer);
        let unpinned = recipe(&format!(
            "{gateway}\nemit(pattern(\"gateway\", #{{ gateway: gw, auth_token: secret(\"K\") }}));"
        ));
        let found = findings(&unpinned, Some(&groups));
        assert_eq!(codes_of(&found), ["GW5011"]);
        // A group named after Claude Code's own default (haiku here) serves the alias.
        assert!(
            found[0].1.ends_with("Claude Code's `/model opus` (`claude-opus-4-8`), `/model sonnet` (`claude-sonnet-4-6`) would ask for"),
            "{found:?}"
        );
        let pinned = recipe(&format!(
            "{gateway}\nemit(pattern(\"gateway\", #{{ gateway: gw, auth_token: secret(\"K\"),
                opus_model: \"claude-opus-4-1\", env: #{{ ANTHROPIC_DEFAULT_SONNET_MODEL: \"claude-sonnet-4-5\" }} }}));"
        ));
        // The env pin reaches a group (GW5010 still asks for the option).
        assert_eq!(codes_of(&findings(&pinned, Some(&groups))), ["GW5010"]);
        let mut forwards = groups.clone();
        forwards.client.model_names = ModelNames::Provider;
        assert!(findings(&unpinned, Some(&forwards)).is_empty());
    }

    #[test]
    fn gw1021_behind_a_vertex_endpoint_the_clients_region_must_serve_each_pinned_model() {
        let recipe_with = |region: &str| {
            recipe(&format!(
                r#"let gw = gateway("litellm", #{{ url: "http://127.0.0.1:4000" }});
                gw.deploy("sonnet", provider("vertex", #{{ project: "p", location: "global", model: "claude-sonnet-4-5" }}));
                gw.deploy("opus", provider("vertex", #{{ project: "p", location: "us-east5", model: "claude-opus-4-1" }}));
                emit(pattern("gateway", #{{ gateway: gw, endpoint: "vertex", auth_token: secret("K"),
                    model: "sonnet", opus_model: "opus"{region} }}));"#
            ))
        };
        let mut manifest = manifest(ClientAuth::Bearer);
        manifest
            .client
            .endpoints
            .insert(Endpoint::Vertex, "/vertex_ai/v1".into());
        // The region comes from the first Vertex deployment: global, where Opus 4.1 is not.
        let found = check(&recipe_with(""), Some(&manifest));
        assert_eq!(
            found.iter().map(|d| d.code.as_str()).collect::<Vec<_>>(),
            ["GW1021"]
        );
        assert!(
            found[0].message.contains("ANTHROPIC_DEFAULT_OPUS_MODEL"),
            "{found:?}"
        );
        assert!(check(&recipe_with(r#", region: "us-east5""#), Some(&manifest)).is_empty());
        let per_model = r#", env: #{ VERTEX_REGION_CLAUDE_4_1_OPUS: "us-east5" }"#;
        assert!(check(&recipe_with(per_model), Some(&manifest)).is_empty());
    }

    #[test]
    fn gw5001_points_at_the_env_name() {
        let mut setup = setup_for(gateway("kong", vec![anthropic("a", "m")], vec![]));
        setup.client.env.insert("MY_TOKEN".into(), "x".into());
        let at = gwscript_plugin::model::Span {
            line: 7,
            column: 39,
        };
        setup.client.env_spans.insert("MY_TOKEN".into(), at);
        let found = check(&setup, Some(&manifest(ClientAuth::Bearer)));
        let gw5001 = found.iter().find(|d| d.code == "GW5001").expect("GW5001");
        assert_eq!(gw5001.span, Some(at));
        assert!(gw5001.sensitive);
    }

    #[test]
    fn gw5001_a_header_carrying_a_credential_in_the_settings_env() {
        let with_headers = |headers: &str| {
            recipe(&format!(
                "emit(pattern(\"direct\", #{{ provider: provider(\"anthropic\", #{{ api_key: secret(\"A\") }}),\n    env: #{{ ANTHROPIC_CUSTOM_HEADERS: {headers:?} }} }}));"
            ))
        };
        for (headers, header) in [
            ("Authorization: Bearer sk-team-7f3a", "Authorization"),
            ("x-team: platform\nx-api-key: team-7f3a", "x-api-key"),
            ("Proxy-Authorization: Basic dTpw", "Proxy-Authorization"),
        ] {
            let setup = with_headers(headers);
            let found = check(&setup, None);
            assert_eq!(found.len(), 1, "{headers}: {found:?}");
            let d = &found[0];
            assert_eq!(d.code, "GW5001");
            assert_eq!(
                d.message,
                format!(
                    "`ANTHROPIC_CUSTOM_HEADERS` writes its `{header}` header's credential as a literal into the settings env"
                )
            );
            assert!(d.help.contains("api_key_helper") && d.help.contains("secret("));
            assert!(d.sensitive);
            assert_eq!(
                d.span.map(|s| (s.line, s.column)),
                Some((2, 13)),
                "at the name"
            );
        }
        // Not a credential (a fixed beta list is GW5031's business, not GW5001's).
        let beta = check(&with_headers("anthropic-beta: context-1m-2025-08-07"), None);
        assert!(beta.iter().all(|d| d.code != "GW5001"), "{beta:?}");
    }

    #[test]
    fn gw5004_only_when_the_gateway_wants_a_key() {
        let mut setup = setup_for(gateway("kong", vec![anthropic("a", "m")], vec![]));
        setup.client.auth_token = None;
        assert_eq!(codes(&setup, ClientAuth::Bearer), ["GW5004"]);
        assert_eq!(codes(&setup, ClientAuth::None), Vec::<String>::new());
    }
}
