//! The recipe API as a generator: recipes for each loaded plugin, mostly well formed so they
//! reach the plugin, with hostile values in their strings and, rarely, anywhere.

use crate::fuzz::plugins;
use crate::values::*;
use gwscript_plugin::PluginRole;
use proptest::prelude::*;
use proptest::sample::{Index, select};

/// What a loaded plugin takes: its kind, whether it can be the pattern's gateway, and the
/// schemas of its options.
#[derive(Debug, Clone)]
struct PluginVocabulary {
    kind: String,
    is_gateway: bool,
    is_monitor: bool,
    /// The JSON Schemas of its gateway and deploy options.
    gateway_options: serde_json::Value,
    deploy_options: serde_json::Value,
}

/// The recipe API over the loaded plugins: recipes that are mostly well formed, so they reach
/// the plugins, with hostile values in their strings and, rarely, anywhere.
#[derive(Debug)]
pub struct Grammar {
    plugins: Vec<PluginVocabulary>,
}

impl Grammar {
    pub fn new() -> Grammar {
        let plugins = plugins()
            .plugins
            .iter()
            .map(|p| PluginVocabulary {
                kind: p.manifest.gateway_kind.clone(),
                is_gateway: p.manifest.serves(PluginRole::Gateway),
                is_monitor: p.manifest.serves(PluginRole::Monitor),
                gateway_options: p.manifest.gateway_options.clone().unwrap_or_default(),
                deploy_options: p.manifest.deployment_options.clone().unwrap_or_default(),
            })
            .collect();
        Grammar { plugins }
    }

    pub fn recipe(&self) -> BoxedStrategy<String> {
        select(self.plugins.clone())
            .prop_flat_map(|plugin| {
                let as_gateway = match (plugin.is_gateway, plugin.is_monitor) {
                    (true, true) => prop_oneof![3 => Just(true), 1 => Just(false)].boxed(),
                    (is_gateway, _) => Just(is_gateway).boxed(),
                };
                (as_gateway, Just(plugin))
            })
            .prop_flat_map(|(as_gateway, plugin)| {
                let body = if as_gateway {
                    (
                        prop::collection::vec(deploy(&plugin), 1..4),
                        prop::collection::vec(gateway_call(&plugin), 0..3),
                        gateway_pattern(),
                    )
                        .prop_map(|(deploys, calls, pattern)| {
                            [deploys, calls, vec![format!("emit({pattern});")]].concat()
                        })
                        .boxed()
                } else {
                    monitored_pattern()
                        .prop_map(|pattern| vec![format!("emit({pattern});")])
                        .boxed()
                };
                (
                    gateway_declaration(&plugin),
                    body,
                    prop_oneof![6 => Just(Vec::new()), 1 => odd_statement().prop_map(|s| vec![s])],
                    any::<Index>(),
                )
            })
            .prop_map(|(declaration, mut body, odd, at)| {
                // An odd statement goes anywhere after the declaration.
                for statement in odd {
                    body.insert(at.index(body.len() + 1), statement);
                }
                let mut lines = vec!["import \"providers\" as providers;".to_owned(), declaration];
                lines.extend(body);
                lines.join("\n")
            })
            .boxed()
    }
}

/// `let gw = gateway(KIND, #{ url: …, OPTION: VALUE, … });`
fn gateway_declaration(plugin: &PluginVocabulary) -> BoxedStrategy<String> {
    let kind = rarely_hostile(Just(rhai_string(&plugin.kind)).boxed());
    let url = rarely_hostile(gateway_url());
    (
        kind,
        url,
        options(&plugin.gateway_options, 0.15),
        prop::collection::vec((hostile_text(), hostile_value()), 0..2),
        0u8..20,
    )
        .prop_map(|(kind, url, options, odd_options, roll)| {
            let mut entries = vec![("url".to_owned(), url)];
            entries.extend(options);
            // Rarely an option the plugin does not declare.
            if roll == 0 {
                entries.extend(odd_options);
            }
            format!("let gw = gateway({kind}, {});", map_literal(entries))
        })
        .boxed()
}

fn gateway_url() -> BoxedStrategy<String> {
    let base = select(&["http://127.0.0.1:4000", "https://gw.example"][..]);
    prop_oneof![
        4 => base.clone().prop_map(rhai_string),
        1 => (base, hostile_text()).prop_map(|(b, t)| rhai_string(&format!("{b}/{t}"))),
        1 => hostile_text().prop_map(|t| rhai_string(&t)),
    ]
    .boxed()
}

/// A model group: a catalog name (resolved by the catalog), or any name with the provider's
/// model given.
fn group_and_provider() -> BoxedStrategy<(String, String)> {
    let catalog: Vec<String> = gwscript::catalog::names().map(str::to_owned).collect();
    let named = |model: String| {
        provider_call(
            "anthropic",
            vec![("api_key", secret("K")), ("model", model)],
        )
    };
    prop_oneof![
        3 => (select(catalog), provider()).prop_map(|(g, p)| (rhai_string(&g), p)),
        1 => (hostile_text(), text(&["claude-sonnet-4-5", "openai/gpt-4o"]))
            .prop_map(move |(g, model)| (rhai_string(&g), named(model))),
    ]
    .boxed()
}

/// `provider(KIND, #{ … })`.
fn provider_call(kind: &str, options: Vec<(&str, String)>) -> String {
    let options = options
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect();
    format!("provider(\"{kind}\", {})", map_literal(options))
}

/// `secret("NAME")` for a good name.
fn secret(name: &str) -> String {
    format!("secret({})", rhai_string(name))
}

/// A provider with the options its kind takes.
fn provider() -> BoxedStrategy<String> {
    let anthropic = prop::option::of(text(&["https://api.anthropic.com"])).prop_map(|base| {
        let mut options = vec![("api_key", secret("ANTHROPIC_API_KEY"))];
        options.extend(base.map(|b| ("api_base", b)));
        provider_call("anthropic", options)
    });
    let bedrock = text(&["us-east-1", "eu-west-1", "ap-northeast-1"])
        .prop_map(|region| provider_call("bedrock", vec![("region", region)]));
    let vertex = (
        text(&["acme-ai"]),
        text(&["us-east5", "europe-west1", "global"]),
    )
        .prop_map(|(p, l)| provider_call("vertex", vec![("project", p), ("location", l)]));
    let odd_option = (hostile_text(), hostile_value()).prop_map(|(key, value)| {
        let options = vec![("api_key".to_owned(), secret("K")), (key, value)];
        format!("provider(\"anthropic\", {})", map_literal(options))
    });
    rarely_hostile(
        prop_oneof![
            3 => anthropic,
            2 => bedrock,
            1 => vertex,
            1 => Just("providers::anthropic(\"ANTHROPIC_API_KEY\")".to_owned()),
            1 => odd_option,
        ]
        .boxed(),
    )
}

/// `gw.deploy(GROUP, PROVIDER, #{ … })` with the plugin's deploy options.
fn deploy(plugin: &PluginVocabulary) -> BoxedStrategy<String> {
    (
        group_and_provider(),
        prop::option::of(options(&plugin.deploy_options, 0.15)),
    )
        .prop_map(|((group, provider), options)| match options {
            Some(options) => format!("gw.deploy({group}, {provider}, {});", map_literal(options)),
            None => format!("gw.deploy({group}, {provider});"),
        })
        .boxed()
}

/// The gateway's other methods: fallbacks, and options set after `gateway(…)`, by `set` or a
/// shorthand, for options the plugin declares (and, rarely, one it does not).
fn gateway_call(plugin: &PluginVocabulary) -> BoxedStrategy<String> {
    let group = || text(&["claude-sonnet-4-5", "claude-haiku-4-5"]);
    let fallback = (group(), prop::collection::vec(group(), 0..3))
        .prop_map(|(from, to)| format!("gw.fallback({from}, {});", list_literal(to)));
    let mut calls = vec![
        (4, fallback.boxed()),
        (
            1,
            (hostile_text(), hostile_value())
                .prop_map(|(k, v)| format!("gw.set({}, {v});", rhai_string(&k)))
                .boxed(),
        ),
    ];
    let properties = plugin
        .gateway_options
        .get("properties")
        .and_then(serde_json::Value::as_object);
    for (name, schema) in properties.into_iter().flatten() {
        let method = match name.as_str() {
            "routing_strategy" => "routing",
            "num_retries" => "retries",
            "timeout" => "timeout",
            _ => "set",
        };
        let call = if method == "set" {
            format!("gw.set({}, ", rhai_string(name))
        } else {
            format!("gw.{method}(")
        };
        calls.push((
            1,
            from_schema(schema)
                .prop_map(move |v| format!("{call}{v});"))
                .boxed(),
        ));
    }
    proptest::strategy::Union::new_weighted(calls).boxed()
}

/// What a recipe should not do, or does rarely: reads, recursion, stray emits, bad imports,
/// deep values, mass deployments.
fn odd_statement() -> BoxedStrategy<String> {
    let nested = |depth: usize| format!("let _v = {}1{};", "[".repeat(depth), "]".repeat(depth));
    let many = |n: usize| {
        let deploy = format!(
            "gw.deploy(\"claude-sonnet-4-5\", {});",
            provider_call("anthropic", vec![])
        );
        format!("for i in 0..{n} {{ {deploy} }}")
    };
    prop_oneof![
        4 => select(&[
            "let _k = gw.kind + gw.url; let _g = gw.model_groups;",
            "let _s = secret(\"K\"); let _n = _s.name + `${_s}`;",
            "let _p = provider(\"bedrock\"); let _k = _p.kind;",
            "fn again(n) { again(n + 1) } again(0);",
            "let f = Fn(\"emit\"); f.call(42);",
            "emit(42);",
            "import \"patterns\" as patterns;",
            "import \"nowhere\" as x;",
            "import \"../../etc/passwd\" as x;",
            "throw \"boom\";",
        ][..])
        .prop_map(str::to_owned),
        1 => (1usize..100).prop_map(nested),
        1 => (0usize..300).prop_map(many),
        2 => hostile_value().prop_map(|v| format!("let _v = {v};")),
    ]
    .boxed()
}

/// Claude Code's side, common to every pattern: each key usually absent, its value usually well
/// formed.
fn client_options() -> BoxedStrategy<Vec<(String, String)>> {
    let models = || text(&["claude-sonnet-4-5", "claude-haiku-4-5", "claude-opus-4-1"]);
    let helper = prop_oneof![
        Just("true".to_owned()),
        (
            prop::option::of(text(&["vault kv get -field=key secret/gw"])),
            prop::option::of(rarely_hostile(Just("3600000".to_owned()).boxed())),
        )
            .prop_map(|(command, ttl)| {
                let mut entries = Vec::new();
                entries.extend(command.map(|c| ("command".to_owned(), c)));
                entries.extend(ttl.map(|t| ("ttl_ms".to_owned(), t)));
                map_literal(entries)
            }),
    ];
    let env_name = prop_oneof![
        3 => select(&["DISABLE_TELEMETRY", "ANTHROPIC_BASE_URL", "CLAUDE_CODE_USE_VERTEX", "X"][..])
            .prop_map(str::to_owned),
        1 => hostile_text(),
    ];
    let env = prop::collection::vec((env_name, text(&["1", "true"])), 0..3).prop_map(map_literal);
    let flag = any::<bool>().prop_map(|b| b.to_string());
    let options: Vec<(&str, BoxedStrategy<String>)> = vec![
        ("scope", one_of(&["user", "project", "local", "managed"])),
        (
            "endpoint",
            one_of(&["unified", "anthropic", "bedrock", "vertex"]),
        ),
        ("model", models()),
        ("background_model", models()),
        ("opus_model", models()),
        ("sonnet_model", models()),
        ("api_key_helper", helper.boxed()),
        ("region", text(&["us-east-1", "europe-west1"])),
        ("vertex_project", text(&["acme-ai"])),
        ("disable_nonessential_traffic", flag.boxed()),
        ("env", env.boxed()),
    ];
    let each: Vec<_> = options
        .into_iter()
        .map(|(key, value)| {
            prop::option::weighted(
                0.3,
                rarely_hostile(value).prop_map(move |v| (key.to_owned(), v)),
            )
        })
        .collect();
    each.prop_map(|entries| entries.into_iter().flatten().collect())
        .boxed()
}

/// A corporate proxy's map.
fn proxy() -> BoxedStrategy<String> {
    const URL: &str = "http://proxy.corp.example:3128";
    let url = prop_oneof![
        3 => Just(rhai_string(URL)),
        1 => hostile_text().prop_map(|t| rhai_string(&format!("{URL}/{t}"))),
        1 => hostile_text().prop_map(|t| rhai_string(&t)),
    ];
    (
        url,
        any::<bool>(),
        prop::collection::vec(text(&["localhost", "127.0.0.1", ".corp.example"]), 0..3),
        prop::option::of(text(&["/etc/ssl/certs/corp.pem"])),
    )
        .prop_map(|(url, credentials, no_proxy, ca_cert)| {
            let mut entries = vec![("url".to_owned(), url)];
            if credentials {
                entries.push(("username".to_owned(), secret("PROXY_USER")));
                entries.push(("password".to_owned(), secret("PROXY_PASSWORD")));
            }
            entries.push(("no_proxy".to_owned(), list_literal(no_proxy)));
            entries.extend(ca_cert.map(|c| ("ca_cert".to_owned(), c)));
            map_literal(entries)
        })
        .boxed()
}

/// `pattern("gateway" | "proxy+gateway", #{ gateway: gw, … })`.
fn gateway_pattern() -> BoxedStrategy<String> {
    (
        prop_oneof![3 => Just(false), 1 => Just(true)],
        rarely_hostile(proxy()),
        rarely_hostile(secret_call()),
        client_options(),
        rarely_hostile(Just(rhai_string("gateway")).boxed()),
    )
        .prop_map(|(proxied, proxy, token, client, kind)| {
            let mut entries = vec![
                ("gateway".to_owned(), "gw".to_owned()),
                ("auth_token".to_owned(), token),
            ];
            let kind = if proxied {
                entries.push(("proxy".to_owned(), proxy));
                rhai_string("proxy+gateway")
            } else {
                kind
            };
            entries.extend(client);
            format!("pattern({kind}, {})", map_literal(entries))
        })
        .boxed()
}

/// `pattern("direct" | "proxy", #{ provider: …, monitors: [gw], … })`: the plugin as a monitor.
fn monitored_pattern() -> BoxedStrategy<String> {
    let provider = prop_oneof![
        text(&["us-east-1", "eu-central-1"])
            .prop_map(|region| provider_call("bedrock", vec![("region", region)])),
        Just(provider_call(
            "anthropic",
            vec![("api_key", secret("ANTHROPIC_API_KEY"))]
        )),
        text(&["us-east5"]).prop_map(|location| {
            provider_call(
                "vertex",
                vec![("project", rhai_string("acme-ai")), ("location", location)],
            )
        }),
    ];
    (
        any::<bool>(),
        rarely_hostile(provider.boxed()),
        proxy(),
        client_options(),
    )
        .prop_map(|(proxied, provider, proxy, client)| {
            let mut entries = vec![
                ("provider".to_owned(), provider),
                ("monitors".to_owned(), "[gw]".to_owned()),
            ];
            if proxied {
                entries.push(("proxy".to_owned(), proxy));
            }
            entries.extend(client);
            let kind = if proxied { "proxy" } else { "direct" };
            format!("pattern(\"{kind}\", {})", map_literal(entries))
        })
        .boxed()
}
