//! The template context: the LiteLLM config the recipe describes and where the proxy listens.
//! Templates only lay this out; every decision about content is made here.
//!
//! Shape: `{ "config": {…config.yaml as data…}, "server": {host, port, required_env,
//! litellm_version} }`. Empty config sections are left out.
//!
//! The model list is written entry by entry, without a JSON tree of it: with tens of thousands of
//! deployments it is nearly all of the render, so its two halves are written on two threads.

use crate::catalog;
use crate::checks::passthrough::PassThrough;
use crate::listen::Listen;
use crate::params::{self, config_value, referenced_env_var};
use foldhash::{HashMap, HashMapExt};
use gwscript_plugin::Setup;
use gwscript_plugin::model::{Deployment, Endpoint, Gateway};
use gwscript_plugin::serde::Serialize;
use gwscript_plugin::serde::ser::{SerializeMap, Serializer};
use serde_json::value::RawValue;
use serde_json::{Map, Value, json};
use std::collections::BTreeSet;

#[derive(Debug, Serialize)]
#[serde(crate = "gwscript_plugin::serde")]
pub struct Context {
    config: Config,
    server: Server,
}

#[derive(Debug, Serialize)]
#[serde(crate = "gwscript_plugin::serde")]
struct Server {
    host: String,
    port: u16,
    required_env: Vec<String>,
    litellm_version: &'static str,
    install: String,
}

/// Fails only if an entry cannot be written as JSON, which entries of strings never fail.
pub fn build(setup: &Setup, gateway: &Gateway, listen: &Listen) -> Result<Context, String> {
    let config = Config::of(gateway, setup.client.endpoint)
        .map_err(|e| format!("cannot write the model list: {e}"))?;
    let required_env = config.required_env();
    Ok(Context {
        config,
        server: Server {
            host: listen.bind.clone(),
            port: listen.port,
            required_env,
            litellm_version: catalog::LITELLM_VERSION,
            install: catalog::install_command(gateway),
        },
    })
}

/// config.yaml as data: the model list, built as it is written, and the settings sections.
#[derive(Debug)]
struct Config {
    model_list: ModelList,
    /// The settings sections that have something in them, by name.
    settings: Map<String, Value>,
}

impl Config {
    fn of(gateway: &Gateway, endpoint: Endpoint) -> serde_json::Result<Self> {
        let mut settings = Map::new();
        settings.insert(
            "router_settings".into(),
            Value::Object(router_settings(gateway)),
        );
        settings.insert(
            "litellm_settings".into(),
            Value::Object(litellm_settings(gateway)),
        );
        settings.insert(
            "general_settings".into(),
            Value::Object(general_settings(gateway)),
        );
        place_gateway_options(gateway, &mut settings);
        settings.retain(|_, section| {
            section
                .as_object()
                .is_none_or(|entries| !entries.is_empty())
        });
        Ok(Config {
            model_list: ModelList::of(gateway, endpoint)?,
            settings,
        })
    }

    /// Every variable config.yaml reads through `os.environ/`, sorted: LiteLLM silently turns an
    /// unset one into `None`, so the start script refuses to run without them.
    fn required_env(&self) -> Vec<String> {
        let mut names = self.model_list.env.clone();
        for section in self.settings.values() {
            strings(section, &mut |text| note_env_var(text, &mut names));
        }
        names.into_iter().collect()
    }
}

impl Serialize for Config {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let listed = !self.model_list.entries.is_empty();
        let mut map = serializer.serialize_map(Some(self.settings.len() + usize::from(listed)))?;
        if listed {
            map.serialize_entry("model_list", &self.model_list)?;
        }
        for (name, section) in &self.settings {
            map.serialize_entry(name, section)?;
        }
        map.end()
    }
}

fn note_env_var(text: &str, names: &mut BTreeSet<String>) {
    if let Some(name) = referenced_env_var(text)
        && !names.contains(name)
    {
        names.insert(name.to_owned());
    }
}

/// Calls `found` with every string in `value`.
fn strings(value: &Value, found: &mut impl FnMut(&str)) {
    match value {
        Value::String(text) => found(text),
        Value::Array(items) => items.iter().for_each(|item| strings(item, found)),
        Value::Object(entries) => entries.values().for_each(|item| strings(item, found)),
        _ => {}
    }
}

/// One entry per deployment, in the recipe's order, each written as JSON.
#[derive(Debug)]
struct ModelList {
    entries: Vec<Box<RawValue>>,
    /// Every variable the entries read through `os.environ/`.
    env: BTreeSet<String>,
}

/// Below this many deployments the list is written on one thread: a second costs more than it
/// saves.
const SPLIT_DEPLOYMENTS: usize = 2048;

impl ModelList {
    fn of(gateway: &Gateway, endpoint: Endpoint) -> serde_json::Result<Self> {
        let deployments = &gateway.deployments;
        let numbers = provider_numbers(deployments);
        if deployments.len() < SPLIT_DEPLOYMENTS {
            return ModelList::write(deployments, &numbers, endpoint);
        }
        let half = deployments.len() / 2;
        let (first, second) = std::thread::scope(|scope| {
            let write_second =
                || ModelList::write(&deployments[half..], &numbers[half..], endpoint);
            let second = std::thread::Builder::new()
                .name("model-list".into())
                .spawn_scoped(scope, write_second);
            let first = ModelList::write(&deployments[..half], &numbers[..half], endpoint);
            let second = match second {
                Ok(thread) => thread
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
                Err(_) => write_second(),
            };
            (first, second)
        });
        let (mut list, second) = (first?, second?);
        list.entries.extend(second.entries);
        list.env.extend(second.env);
        Ok(list)
    }

    /// The entries of `deployments`; `numbers` says which deployment of its group's provider
    /// each is.
    fn write(
        deployments: &[Deployment],
        numbers: &[usize],
        endpoint: Endpoint,
    ) -> serde_json::Result<Self> {
        let mut list = ModelList {
            entries: Vec::with_capacity(deployments.len()),
            env: BTreeSet::new(),
        };
        for (deployment, n) in deployments.iter().zip(numbers) {
            let entry = Entry::of(deployment, endpoint, *n);
            entry.strings(&mut |text| note_env_var(text, &mut list.env));
            // Written by serde_json itself, so it is not parsed again to be checked.
            list.entries.push(serde_json::value::to_raw_value(&entry)?);
        }
        Ok(list)
    }
}

/// Which deployment of its group's provider each is (1, 2, …): `model_info.id` is
/// `<group>-<provider>-<n>` so two deployments of one group stay distinguishable in LiteLLM's
/// logs and `/model/info`.
fn provider_numbers(deployments: &[Deployment]) -> Vec<usize> {
    let mut per_provider = HashMap::<(&str, &str), usize>::new();
    deployments
        .iter()
        .map(|deployment| {
            let n = per_provider
                .entry((&deployment.model_group, deployment.provider.kind.name()))
                .or_default();
            *n += 1;
            *n
        })
        .collect()
}

impl Serialize for ModelList {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(&self.entries)
    }
}

#[derive(Debug, Serialize)]
#[serde(crate = "gwscript_plugin::serde")]
struct Entry<'a> {
    model_name: &'a str,
    litellm_params: Map<String, Value>,
    model_info: ModelInfo,
}

#[derive(Debug, Serialize)]
#[serde(crate = "gwscript_plugin::serde")]
struct ModelInfo {
    id: String,
}

impl<'a> Entry<'a> {
    fn of(deployment: &'a Deployment, endpoint: Endpoint, n: usize) -> Self {
        let mut litellm_params = params::litellm_params(deployment);
        if serves_vertex_pass_through(deployment, &litellm_params, endpoint) {
            // An explicit `use_in_pass_through` in the recipe wins.
            litellm_params
                .entry("use_in_pass_through")
                .or_insert(Value::Bool(true));
        }
        Entry {
            model_name: &deployment.model_group,
            litellm_params,
            model_info: ModelInfo {
                id: format!(
                    "{}-{}-{n}",
                    deployment.model_group,
                    deployment.provider.kind.name()
                ),
            },
        }
    }

    fn strings(&self, found: &mut impl FnMut(&str)) {
        found(self.model_name);
        self.litellm_params
            .values()
            .for_each(|value| strings(value, found));
        found(&self.model_info.id);
    }
}

/// Whether Claude Code's `/vertex_ai` requests should use this deployment. LiteLLM 1.102.4 uses
/// a Vertex deployment's project, location and credentials there only when it is marked
/// `use_in_pass_through` (else Claude Code gets 401 "No Vertex AI credential is configured"),
/// and it drops a marked deployment without both a project and a location from every route. The
/// mark lets any LiteLLM key call any Vertex AI API of that project and location with the
/// deployment's credentials, so it is set only when Claude Code uses that route.
fn serves_vertex_pass_through(
    deployment: &Deployment,
    litellm_params: &Map<String, Value>,
    endpoint: Endpoint,
) -> bool {
    endpoint == Endpoint::Vertex
        && PassThrough::of(endpoint).is_some_and(|route| route.forwards_to(deployment))
        && ["vertex_project", "vertex_location"]
            .iter()
            .all(|key| litellm_params.contains_key(*key))
}

fn router_settings(gateway: &Gateway) -> Map<String, Value> {
    let mut settings = Map::new();
    for key in ["routing_strategy", "num_retries", "timeout"] {
        if let Some(value) = gateway.option(key) {
            settings.insert(key.into(), config_value(value));
        }
    }
    if !gateway.fallbacks.is_empty() {
        // LiteLLM wants a list of single-key mappings and refuses any other shape at startup.
        let fallbacks = gateway
            .fallbacks
            .iter()
            .map(|fallback| {
                Value::Object(Map::from_iter([(
                    fallback.from.clone(),
                    json!(fallback.to),
                )]))
            })
            .collect();
        settings.insert("fallbacks".into(), Value::Array(fallbacks));
    }
    // Shared Redis keeps rpm/tpm counters and cooldowns consistent across proxy instances.
    // LiteLLM takes it as flat `redis_*` router settings.
    if let Some(redis) = gateway.option("redis").and_then(|redis| redis.as_map()) {
        for (key, value) in redis {
            settings.insert(format!("redis_{key}"), config_value(value));
        }
    }
    settings
}

fn litellm_settings(gateway: &Gateway) -> Map<String, Value> {
    let mut settings = Map::new();
    if params::needs_drop_params(&gateway.deployments) {
        settings.insert("drop_params".into(), Value::Bool(true));
    }
    settings
}

/// The master key belongs here: under `litellm_settings` LiteLLM ignores it and runs unprotected.
fn general_settings(gateway: &Gateway) -> Map<String, Value> {
    let mut settings = Map::new();
    for key in ["master_key", "database_url"] {
        if let Some(value) = gateway.option(key) {
            settings.insert(key.into(), config_value(value));
        }
    }
    settings
}

/// Gateway options the catalog places; they override what the plugin derived (an explicit
/// `drop_params: false` wins). The options handled above are not in the catalog.
fn place_gateway_options(gateway: &Gateway, sections: &mut Map<String, Value>) {
    for (key, option) in &gateway.options {
        let Some(section) = catalog::gateway_option_section(key) else {
            continue;
        };
        if let Some(Value::Object(entries)) = sections.get_mut(section.key()) {
            entries.insert(key.clone(), config_value(&option.value));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::listen;
    use crate::test_support::{gateway_with, ordered, routed};
    use gwscript_plugin::testing::{
        anthropic, bedrock, fallback, list, literal, map, raw, secret, setup_for, vertex,
        with_gateway_option, with_gateway_options, with_option, with_routing,
    };

    fn context_of(gateway: Gateway) -> Value {
        context_on(Endpoint::Unified, gateway)
    }

    fn context_on(endpoint: Endpoint, gateway: Gateway) -> Value {
        let mut setup = setup_for(gateway.clone());
        setup.client.endpoint = endpoint;
        let listen = listen::from_gateway_url(&gateway.url).unwrap();
        serde_json::to_value(build(&setup, &gateway, &listen).unwrap()).unwrap()
    }

    /// Halves written on two threads make the list one thread writes: the same entries in the
    /// same order, ids counted across the halves, and every variable either half reads.
    #[test]
    fn a_long_model_list_is_written_in_halves_as_in_one_go() {
        let deployments: Vec<Deployment> = (0..SPLIT_DEPLOYMENTS + 7)
            .map(|n| {
                let group = format!("group-{}", n % 500);
                let deployment = if n % 3 == 0 {
                    bedrock(&group, "claude-sonnet-4-5", Some("us-east-1"))
                } else {
                    anthropic(&group, "claude-sonnet-4-5")
                };
                with_option(deployment, "api_key", secret(&format!("KEY_{}", n % 11)))
            })
            .collect();
        let gateway = gateway_with(deployments, vec![]);
        let halves = ModelList::of(&gateway, Endpoint::Unified).unwrap();
        let numbers = provider_numbers(&gateway.deployments);
        let one_go = ModelList::write(&gateway.deployments, &numbers, Endpoint::Unified).unwrap();
        let texts = |list: &ModelList| {
            list.entries
                .iter()
                .map(|e| e.get().to_owned())
                .collect::<Vec<_>>()
        };
        assert_eq!(texts(&halves), texts(&one_go));
        assert_eq!(halves.env, one_go.env);
        assert_eq!(halves.env.len(), 11, "{:?}", halves.env);
        // group-0's Bedrock deployments are n = 0, in the first half, and n = 1500, in the second.
        let last: Value = serde_json::from_str(halves.entries[1500].get()).unwrap();
        assert_eq!(last["model_info"]["id"], "group-0-bedrock-2");
    }

    fn config_of(gateway: Gateway) -> Value {
        context_of(gateway)["config"].clone()
    }

    #[test]
    fn anthropic_deployment_gets_prefix_key_reference_and_id() {
        let config = config_of(gateway_with(
            vec![anthropic("claude-sonnet-4-5", "claude-sonnet-4-5-20250929")],
            vec![],
        ));
        assert_eq!(
            config["model_list"],
            json!([{
                "model_name": "claude-sonnet-4-5",
                "litellm_params": {
                    "model": "anthropic/claude-sonnet-4-5-20250929",
                    "api_key": "os.environ/ANTHROPIC_API_KEY",
                },
                "model_info": { "id": "claude-sonnet-4-5-anthropic-1" },
            }])
        );
    }

    #[test]
    fn bedrock_options_map_to_aws_keys() {
        let deployment = with_option(
            with_option(
                bedrock(
                    "sonnet",
                    "us.anthropic.claude-sonnet-4-5-20250929-v1:0",
                    Some("us-east-1"),
                ),
                "aws_secret_access_key",
                secret("AWS_SECRET_ACCESS_KEY"),
            ),
            "aws_role_name",
            literal("arn:aws:iam::123456789012:role/litellm"),
        );
        let params =
            &config_of(gateway_with(vec![deployment], vec![]))["model_list"][0]["litellm_params"];
        assert_eq!(
            params,
            &json!({
                "model": "bedrock/us.anthropic.claude-sonnet-4-5-20250929-v1:0",
                "aws_region_name": "us-east-1",
                "aws_secret_access_key": "os.environ/AWS_SECRET_ACCESS_KEY",
                "aws_role_name": "arn:aws:iam::123456789012:role/litellm",
            })
        );
    }

    #[test]
    fn vertex_options_use_the_canonical_keys() {
        let deployment = with_option(
            vertex(
                "sonnet",
                "claude-sonnet-4-5@20250929",
                Some("acme-ai"),
                Some("us-east5"),
            ),
            "credentials",
            secret("VERTEX_CREDENTIALS"),
        );
        let aliased = with_option(
            with_option(
                vertex("haiku", "claude-haiku-4-5@20251001", None, None),
                "vertex_ai_project",
                literal("acme-ai"),
            ),
            "region",
            literal("global"),
        );
        let config = config_of(gateway_with(vec![deployment, aliased], vec![]));
        assert_eq!(
            config["model_list"][0]["litellm_params"],
            json!({
                "model": "vertex_ai/claude-sonnet-4-5@20250929",
                "vertex_project": "acme-ai",
                "vertex_location": "us-east5",
                "vertex_credentials": "os.environ/VERTEX_CREDENTIALS",
            })
        );
        assert_eq!(
            config["model_list"][1]["litellm_params"],
            json!({
                "model": "vertex_ai/claude-haiku-4-5@20251001",
                "vertex_project": "acme-ai",
                "vertex_location": "global",
            })
        );
    }

    #[test]
    fn vertex_deployments_are_marked_for_the_vertex_route_only() {
        let gateway = gateway_with(
            vec![
                vertex(
                    "sonnet",
                    "claude-sonnet-4-5@20250929",
                    Some("acme-ai"),
                    Some("us-east5"),
                ),
                vertex("haiku", "claude-haiku-4-5@20251001", Some("acme-ai"), None),
                bedrock(
                    "opus",
                    "us.anthropic.claude-opus-4-5-20251101-v1:0",
                    Some("us-east-1"),
                ),
                with_option(
                    vertex(
                        "opus",
                        "claude-opus-4-5@20251101",
                        Some("acme-ai"),
                        Some("global"),
                    ),
                    "use_in_pass_through",
                    literal(false),
                ),
            ],
            vec![],
        );
        let marks = |endpoint| {
            context_on(endpoint, gateway.clone())["config"]["model_list"]
                .as_array()
                .unwrap()
                .iter()
                .map(|d| d["litellm_params"]["use_in_pass_through"].clone())
                .collect::<Vec<Value>>()
        };
        // Without a location LiteLLM would drop the marked deployment; an explicit value wins.
        assert_eq!(
            marks(Endpoint::Vertex),
            [json!(true), Value::Null, Value::Null, json!(false)]
        );
        for endpoint in [Endpoint::Unified, Endpoint::Anthropic, Endpoint::Bedrock] {
            assert_eq!(
                marks(endpoint),
                [Value::Null, Value::Null, Value::Null, json!(false)]
            );
        }
    }

    #[test]
    fn raw_models_pass_verbatim_and_turn_on_drop_params() {
        let deployment = with_option(
            raw("gpt", "openai/gpt-4o"),
            "api_key",
            secret("OPENAI_API_KEY"),
        );
        let config = config_of(gateway_with(vec![deployment], vec![]));
        assert_eq!(
            config["model_list"][0]["litellm_params"]["model"],
            "openai/gpt-4o"
        );
        assert_eq!(config["model_list"][0]["model_info"]["id"], "gpt-raw-1");
        assert_eq!(config["litellm_settings"], json!({ "drop_params": true }));

        let anthropic_only = config_of(gateway_with(
            vec![anthropic("s", "claude-sonnet-4-5")],
            vec![],
        ));
        assert!(anthropic_only.get("litellm_settings").is_none());
    }

    #[test]
    fn routing_fields_go_inside_litellm_params_and_ids_stay_unique() {
        let weighted = [
            ("weight", literal(3.0)),
            ("rpm", literal(500)),
            ("tpm", literal(200_000)),
        ]
        .into_iter()
        .fold(
            ordered(anthropic("sonnet", "claude-sonnet-4-5"), 1),
            |deployment, (key, value)| with_routing(deployment, key, value),
        );
        let spill = ordered(bedrock("sonnet", "m", Some("us-west-2")), 2);
        let second = ordered(anthropic("sonnet", "claude-sonnet-4-5"), 1);
        let config = config_of(gateway_with(vec![weighted, spill, second], vec![]));
        let first = &config["model_list"][0];
        assert_eq!(first["litellm_params"]["order"], 1);
        assert_eq!(first["litellm_params"]["weight"], 3.0);
        assert_eq!(first["litellm_params"]["rpm"], 500);
        assert_eq!(first["litellm_params"]["tpm"], 200_000);
        assert!(first.get("rpm").is_none());
        let ids: Vec<&Value> = config["model_list"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| &d["model_info"]["id"])
            .collect();
        assert_eq!(
            ids,
            [
                "sonnet-anthropic-1",
                "sonnet-bedrock-1",
                "sonnet-anthropic-2"
            ]
        );
    }

    #[test]
    fn router_settings_carry_strategy_retries_fallbacks_and_redis() {
        let gateway = routed(
            gateway_with(
                vec![
                    anthropic("opus", "claude-opus-4-5"),
                    anthropic("sonnet", "claude-sonnet-4-5"),
                    anthropic("haiku", "claude-haiku-4-5"),
                ],
                vec![
                    fallback("opus", &["sonnet", "haiku"]),
                    fallback("sonnet", &["haiku"]),
                ],
            ),
            "usage-based-routing-v2",
        );
        let redis = map([
            ("host", secret("REDIS_HOST")),
            ("port", literal(6379)),
            ("password", secret("REDIS_PASSWORD")),
        ]);
        let gateway = with_gateway_options(
            gateway,
            [
                ("num_retries", literal(3)),
                ("timeout", literal(600.0)),
                ("redis", redis),
            ],
        );
        assert_eq!(
            config_of(gateway)["router_settings"],
            json!({
                "routing_strategy": "usage-based-routing-v2",
                "num_retries": 3,
                "timeout": 600.0,
                "fallbacks": [{ "opus": ["sonnet", "haiku"] }, { "sonnet": ["haiku"] }],
                "redis_host": "os.environ/REDIS_HOST",
                "redis_port": 6379,
                "redis_password": "os.environ/REDIS_PASSWORD",
            })
        );
    }

    #[test]
    fn master_key_and_database_url_go_to_general_settings() {
        let gateway = with_gateway_option(
            gateway_with(vec![anthropic("s", "claude-sonnet-4-5")], vec![]),
            "database_url",
            secret("DATABASE_URL"),
        );
        let config = config_of(gateway);
        assert_eq!(
            config["general_settings"],
            json!({ "master_key": "os.environ/LITELLM_MASTER_KEY", "database_url": "os.environ/DATABASE_URL" })
        );
        assert!(config.get("litellm_settings").is_none());
        assert!(config.get("router_settings").is_none());
    }

    #[test]
    fn gateway_options_land_in_their_sections() {
        let gateway = with_gateway_options(
            gateway_with(vec![raw("gpt", "openai/gpt-4o")], vec![]),
            [
                ("drop_params", literal(false)),
                ("modify_params", literal(true)),
                ("forward_client_headers_to_llm_api", literal(true)),
                ("cooldown_time", literal(30)),
                ("callbacks", list([literal("prometheus"), literal("otel")])),
            ],
        );
        let config = config_of(gateway);
        assert_eq!(
            config["litellm_settings"],
            json!({
                "drop_params": false,
                "modify_params": true,
                "callbacks": ["prometheus", "otel"],
            })
        );
        assert_eq!(
            config["general_settings"]["forward_client_headers_to_llm_api"],
            true
        );
        assert_eq!(config["router_settings"], json!({ "cooldown_time": 30 }));
    }

    #[test]
    fn server_lists_every_referenced_variable_once() {
        let mut gateway = with_gateway_option(
            gateway_with(
                vec![
                    anthropic("a", "claude-sonnet-4-5"),
                    anthropic("b", "claude-haiku-4-5"),
                ],
                vec![],
            ),
            "database_url",
            secret("DATABASE_URL"),
        );
        gateway.url = "http://litellm.internal:4100".into();
        let context = context_of(gateway);
        assert_eq!(
            context["server"],
            json!({
                "host": "0.0.0.0",
                "port": 4100,
                "required_env": ["ANTHROPIC_API_KEY", "DATABASE_URL", "LITELLM_MASTER_KEY"],
                "litellm_version": "1.102.4",
                "install": "pip install 'litellm[proxy]==1.102.4' 'prisma==0.11.0'",
            })
        );
        assert!(context.get("report").is_none(), "the report is typed now");
    }
}
