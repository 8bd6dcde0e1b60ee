//! How the config is laid out: sections and entries of the right shape, values of the types
//! LiteLLM reads, keys it knows in the section where it reads them, each key once.

use super::keys::{self, Field, Kind, Section};
use super::{Config, is_env_reference, not_a_mapping, pair_of};
use crate::checks::codes::{
    BAD_STRUCTURE, DUPLICATE_DEPLOYMENT, DUPLICATE_KEY, IGNORED_SETTING, REFUSED_KEY,
    REJECTED_TYPE, UNCHECKED_TYPE, UNKNOWN_KEY,
};
use gwscript_plugin::Diagnostic;
use gwscript_plugin::suggest;
use gwscript_plugin::yaml::{Node, Value};
use std::cell::Cell;
use std::collections::HashMap;

/// Fallback lists, each checked for LiteLLM's shape wherever it is set.
pub const FALLBACK_LISTS: [&str; 3] = [
    "fallbacks",
    "context_window_fallbacks",
    "content_policy_fallbacks",
];

/// How many "did you mean" suggestions one check computes (each scans up to hundreds of names),
/// so a config with thousands of unknown keys stays linear.
const SUGGESTIONS: usize = 20;

pub fn check(config: &Config, findings: &mut Vec<Diagnostic>) {
    let rules = Rules {
        findings: std::cell::RefCell::new(findings),
        suggestions_left: Cell::new(SUGGESTIONS),
    };
    rules.top_level(&config.root);
    if let Some(list) = config.section("model_list") {
        rules.model_list(list, config);
    }
    rules.router_settings(config);
    rules.litellm_settings(config);
    rules.general_settings(config);
}

struct Rules<'f> {
    findings: std::cell::RefCell<&'f mut Vec<Diagnostic>>,
    suggestions_left: Cell<usize>,
}

impl Rules<'_> {
    fn push(&self, diagnostic: Diagnostic) {
        self.findings.borrow_mut().push(diagnostic);
    }

    fn top_level(&self, root: &Node) {
        for (key, value) in root.as_map().unwrap_or_default() {
            let Some(name) = key.as_str() else {
                self.push(non_string_key(key, "the top level"));
                continue;
            };
            match keys::TOP.field(name) {
                Some(field) => {
                    // model_list has its own rule, with entries.
                    let core = [
                        "litellm_settings",
                        "router_settings",
                        "general_settings",
                        "environment_variables",
                    ];
                    if core.contains(&name)
                        && !matches!(value.value, Value::Null)
                        && !fits(value, field.kind, Strictness::Strict)
                    {
                        self.push(
                            Diagnostic::error(
                                BAD_STRUCTURE,
                                format!(
                                    "`{name}` is {}, not {}: LiteLLM refuses to start",
                                    value.type_name(),
                                    field.kind.expected()
                                ),
                                format!("write `{name}` as {}", field.kind.expected()),
                            )
                            .at(Some(key.span)),
                        );
                    }
                }
                None if ["enable_jwt_auth", "litellm_jwtauth"].contains(&name) => {
                    self.push(misplaced(key, "the top level", "general_settings"));
                }
                None => self.unknown_in_section(key, name, keys::TOP),
            }
        }
    }

    fn model_list(&self, list: &Node, config: &Config) {
        if matches!(list.value, Value::Null) {
            return;
        }
        let Some(entries) = list.as_seq() else {
            self.push(
                Diagnostic::error(
                    BAD_STRUCTURE,
                    format!(
                        "`model_list` is {}, not a list of deployments: LiteLLM refuses to start",
                        list.type_name()
                    ),
                    "write each deployment as a list item: `- model_name: …`",
                )
                .at(Some(list.span)),
            );
            return;
        };
        // usage-based-routing-v2 is the one reader of rpm/tpm beside litellm_params.
        let entry_limits_read = config
            .setting("router_settings", "routing_strategy")
            .and_then(Node::as_str)
            == Some("usage-based-routing-v2");
        let mut ids: HashMap<String, &Node> = HashMap::new();
        for entry in entries {
            self.entry(entry, entry_limits_read);
            let Some(id) = entry.get("model_info").and_then(|info| info.get("id")) else {
                continue;
            };
            // pydantic turns an integer id into its text.
            let text = id
                .as_str()
                .map_or_else(|| id.to_json().to_string(), str::to_owned);
            if let Some(first) = ids.insert(text.clone(), id) {
                self.push(
                    Diagnostic::warning(
                        DUPLICATE_DEPLOYMENT,
                        format!(
                            "model_info.id `{text}` is also the id of the deployment on line {}: LiteLLM keeps both under one id, so lookups, updates and health results by id reach only one of them",
                            super::include::line_in_file(first.span)
                        ),
                        "give every deployment its own model_info.id, or leave it out and let LiteLLM generate one",
                    )
                    .at(Some(id.span)),
                );
            }
        }
    }

    fn entry(&self, entry: &Node, entry_limits_read: bool) {
        let Some(pairs) = entry.as_map() else {
            self.push(not_a_mapping(entry, "a model_list entry"));
            return;
        };
        for (key, _) in pairs {
            match key.as_str() {
                Some(name @ ("rpm" | "tpm")) if !entry_limits_read => self.push(
                    Diagnostic::warning(
                        IGNORED_SETTING,
                        format!("`{name}` beside litellm_params is read only by usage-based-routing-v2; simple-shuffle and the other strategies ignore it"),
                        format!("move `{name}` into litellm_params"),
                    )
                    .at(Some(key.span)),
                ),
                Some(name) if !keys::MODEL_ENTRY.knows_key(name) => self.unknown(key, name, keys::MODEL_ENTRY),
                Some(_) => {}
                None => self.push(non_string_key(key, "a model_list entry")),
            }
        }
        match entry.get("model_name") {
            None => self.push(missing(
                entry,
                "model_name",
                "a model_list entry",
                "`model_name: <the group clients ask for>`",
            )),
            Some(name) if name.as_str().is_none() => self.push(rejected(
                name,
                "`model_name`",
                "a string",
                "LiteLLM cannot load the entry",
            )),
            Some(_) => {}
        }
        match entry.get("litellm_params") {
            None => self.push(missing(
                entry,
                "litellm_params",
                "a model_list entry",
                "`litellm_params:` with at least `model: <provider>/<model id>`",
            )),
            Some(params) if params.as_map().is_none() => {
                self.push(not_a_mapping(params, "`litellm_params`"))
            }
            Some(params) => self.litellm_params(params),
        }
        if let Some(info) = entry.get("model_info") {
            match info.as_map() {
                None if !matches!(info.value, Value::Null) => {
                    self.push(not_a_mapping(info, "`model_info`"))
                }
                None => {}
                Some(pairs) => {
                    for (key, _) in pairs {
                        if let Some(name) = key.as_str().filter(|name| !keys::INFO.knows_key(name))
                        {
                            self.unknown(key, name, keys::INFO);
                        }
                    }
                }
            }
        }
    }

    /// Types only: unknown keys are the shared rule's (GW4011), which sees them in the gateway.
    fn litellm_params(&self, params: &Node) {
        match params.get("model") {
            None => self.push(missing(
                params,
                "model",
                "litellm_params",
                "`model: <provider>/<model id>`, e.g. anthropic/claude-sonnet-4-5",
            )),
            Some(model) if model.as_str().is_none() => {
                self.push(rejected(
                    model,
                    "`litellm_params.model`",
                    "a string",
                    "LiteLLM drops this deployment",
                ));
            }
            Some(_) => {}
        }
        for (key, value) in params.as_map().unwrap_or_default() {
            let Some(field) = key.as_str().and_then(|name| keys::PARAMS.field(name)) else {
                continue;
            };
            if field.name == "model" {
                continue;
            }
            let consequence = match field.name {
                // LiteLLM accepts any string there and fails on every call.
                "timeout" | "stream_timeout" => {
                    "LiteLLM accepts it at load, and every call through this deployment then fails"
                }
                _ => "LiteLLM drops this deployment at startup and still starts",
            };
            if !fits(value, field.kind, Strictness::Lax) {
                self.push(rejected(
                    value,
                    &format!("`litellm_params.{}`", field.name),
                    field.kind.expected(),
                    consequence,
                ));
            } else if field.name == "daily_reset_time"
                && value.as_str().is_some_and(|t| !is_clock_time(t))
                && !is_env_reference(value)
            {
                self.push(rejected(
                    value,
                    "`litellm_params.daily_reset_time`",
                    "a time as HH:MM (UTC)",
                    consequence,
                ));
            }
        }
    }

    fn router_settings(&self, config: &Config) {
        let Some(section) = config
            .section("router_settings")
            .filter(|s| s.as_map().is_some())
        else {
            return;
        };
        for (key, value) in section.as_map().unwrap_or_default() {
            let Some(name) = key.as_str() else {
                self.push(non_string_key(key, "router_settings"));
                continue;
            };
            if keys::ROUTER_REFUSED.contains(&name) {
                self.push(
                    Diagnostic::error(
                        REFUSED_KEY,
                        format!("`{name}` is not a router_settings parameter: LiteLLM refuses to start (\"Please move it to 'general_settings'\")"),
                        format!("move `{name}` under general_settings"),
                    )
                    .at(Some(key.span)),
                );
                continue;
            }
            match keys::ROUTER.field(name) {
                None => self.unknown_in_section(key, name, keys::ROUTER),
                Some(field) => self.unchecked_type(key, value, field, "router_settings"),
            }
        }
        self.fallback_lists(section, "router_settings");
        self.policy(section, "retry_policy", keys::RETRY_POLICY);
        self.policy(section, "allowed_fails_policy", keys::ALLOWED_FAILS_POLICY);
    }

    fn litellm_settings(&self, config: &Config) {
        let Some(section) = config
            .section("litellm_settings")
            .filter(|s| s.as_map().is_some())
        else {
            return;
        };
        for (key, value) in section.as_map().unwrap_or_default() {
            let Some(name) = key.as_str() else {
                self.push(non_string_key(key, "litellm_settings"));
                continue;
            };
            if name == "master_key" {
                self.push(misplaced(key, "litellm_settings", "general_settings"));
                continue;
            }
            match keys::LITELLM.field(name) {
                Some(field) => self.unchecked_type(key, value, field, "litellm_settings"),
                None if !keys::LITELLM.knows_key(name) => {
                    self.unknown_in_section(key, name, keys::LITELLM)
                }
                None => {}
            }
        }
        self.fallback_lists(section, "litellm_settings");
        for list in FALLBACK_LISTS.iter().chain(&["default_fallbacks"]) {
            let (Some((key, _)), Some(_)) = (
                pair_of(section, list),
                config.setting("router_settings", list),
            ) else {
                continue;
            };
            self.push(
                Diagnostic::warning(
                    IGNORED_SETTING,
                    format!("`{list}` is set in both router_settings and litellm_settings: LiteLLM uses router_settings' and ignores this one"),
                    format!("keep `{list}` in router_settings only"),
                )
                .at(Some(key.span)),
            );
        }
        if let Some(teams) = section.get("default_team_settings").and_then(Node::as_seq) {
            for team in teams.iter().filter(|team| team.get("team_id").is_none()) {
                self.push(missing(
                    team,
                    "team_id",
                    "a default_team_settings item",
                    "`team_id: <team>`",
                ));
            }
        }
    }

    fn general_settings(&self, config: &Config) {
        let Some(section) = config
            .section("general_settings")
            .filter(|s| s.as_map().is_some())
        else {
            return;
        };
        for (key, value) in section.as_map().unwrap_or_default() {
            let Some(name) = key.as_str() else {
                self.push(non_string_key(key, "general_settings"));
                continue;
            };
            match keys::GENERAL.field(name) {
                Some(field) => self.unchecked_type(key, value, field, "general_settings"),
                None if !keys::GENERAL.knows_key(name) => {
                    self.unknown_in_section(key, name, keys::GENERAL)
                }
                None => {}
            }
        }
    }

    /// Settings LiteLLM reads without checking them: a wrong type is ignored or breaks a request
    /// later. A string where a flag belongs is read as true, whatever it says.
    fn unchecked_type(&self, key: &Node, value: &Node, field: &Field, section: &str) {
        if FALLBACK_LISTS.contains(&field.name)
            || field.name == "default_fallbacks"
            || matches!(value.value, Value::Null)
        {
            return;
        }
        if !fits(value, field.kind, Strictness::Strict) {
            self.push(
                Diagnostic::warning(
                    UNCHECKED_TYPE,
                    format!(
                        "`{section}.{}` is {}, not {}: LiteLLM does not check it when it loads, and {}",
                        field.name,
                        value.type_name(),
                        field.kind.expected(),
                        if field.kind == Kind::Flag { "reads any non-empty string as true" } else { "fails or ignores it when it is used" },
                    ),
                    format!("write {} (unquoted)", field.kind.expected()),
                )
                .at(Some(key.span)),
            );
        }
    }

    /// `fallbacks` and `content_policy_fallbacks` of another shape stop LiteLLM at startup;
    /// `context_window_fallbacks` it does not check, and misreads at runtime.
    fn fallback_lists(&self, section: &Node, section_name: &str) {
        for list in FALLBACK_LISTS {
            let found = section
                .get(list)
                .and_then(|value| Some((value, fallback_shape(value)?)));
            if let Some((value, problem)) = found {
                let consequence = if list == "context_window_fallbacks" {
                    "LiteLLM does not check it at load and cannot use it when a context window overflows"
                } else {
                    "LiteLLM refuses to start"
                };
                self.push(
                    Diagnostic::error(
                        BAD_STRUCTURE,
                        format!("`{section_name}.{list}`: {problem}; {consequence}"),
                        format!(
                            "write `{list}: [{{group: [fallback, …]}}, …]`, one group per item"
                        ),
                    )
                    .at(Some(problem_span(value))),
                );
            }
        }
        if let Some(defaults) = section.get("default_fallbacks") {
            let names = defaults
                .as_seq()
                .is_some_and(|items| items.iter().all(|item| item.as_str().is_some()));
            if !names && !matches!(defaults.value, Value::Null) {
                self.push(
                    Diagnostic::error(
                        BAD_STRUCTURE,
                        format!("`{section_name}.default_fallbacks` is {}, not a list of model names: LiteLLM refuses to start", defaults.type_name()),
                        "write `default_fallbacks: [group, …]`",
                    )
                    .at(Some(defaults.span)),
                );
            }
        }
    }

    /// `retry_policy` and `allowed_fails_policy`: pydantic models of integer counts (a wrong
    /// value stops LiteLLM) that ignore unknown names.
    fn policy(&self, section: &Node, name: &str, known: &'static [&'static str]) {
        let Some(policy) = section.get(name) else {
            return;
        };
        let Some(pairs) = policy.as_map() else {
            if !matches!(policy.value, Value::Null) {
                self.push(not_a_mapping(policy, &format!("`router_settings.{name}`")));
            }
            return;
        };
        for (key, value) in pairs {
            let label = key.as_str().unwrap_or_default();
            if !known.contains(&label) {
                let help = match suggest::nearest(label, known.iter().copied()) {
                    Some(near) => format!("did you mean `{near}`?"),
                    None => format!("use one of: {}", known.join(", ")),
                };
                self.push(
                    Diagnostic::warning(
                        UNKNOWN_KEY,
                        format!("`{label}` is not a key of `{name}`; LiteLLM ignores it"),
                        help,
                    )
                    .at(Some(key.span)),
                );
            } else if !fits(value, Kind::Integer, Strictness::Lax) {
                self.push(rejected(
                    value,
                    &format!("`{name}.{label}`"),
                    "an integer",
                    "LiteLLM refuses to start",
                ));
            }
        }
    }

    /// A key a section does not know: a key of another settings section is only misplaced.
    fn unknown_in_section(&self, key: &Node, name: &str, section: Section) {
        let home = keys::SETTINGS.iter().find(|(_, other)| {
            other.path != section.path && other.knows_key(name) && !section.knows_key(name)
        });
        match home {
            Some((home, _)) if !is_generic(name) => self.push(misplaced(key, section.path, home)),
            _ => self.unknown(key, name, section),
        }
    }

    fn unknown(&self, key: &Node, name: &str, section: Section) {
        let snake = snake_case(name);
        let help = if snake != name && section.knows_key(&snake) {
            format!("LiteLLM's keys are snake_case: write `{snake}`")
        } else if self.suggestions_left.get() > 0 {
            self.suggestions_left.set(self.suggestions_left.get() - 1);
            let candidates = (section.candidates)();
            match suggest::nearest(name, candidates.iter().copied()) {
                Some(near) => format!("did you mean `{near}`?"),
                None => "remove it, or check the key against LiteLLM's config reference".to_owned(),
            }
        } else {
            "remove it, or check the key against LiteLLM's config reference".to_owned()
        };
        self.push(
            Diagnostic::warning(
                UNKNOWN_KEY,
                format!(
                    "`{name}` is not a key LiteLLM reads in {}; it is silently ignored",
                    section.path
                ),
                help,
            )
            .at(Some(key.span)),
        );
    }
}

/// Every mapping of a file, each key written twice: PyYAML keeps the last silently.
pub fn duplicate_keys(tree: &Node) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    let mut stack = vec![tree];
    while let Some(node) = stack.pop() {
        match &node.value {
            Value::Seq(items) => stack.extend(items),
            Value::Map(pairs) => {
                let mut first: HashMap<&str, &Node> = HashMap::new();
                for (key, value) in pairs {
                    stack.push(value);
                    let Some(name) = key.as_str() else {
                        continue;
                    };
                    if let Some(earlier) = first.insert(name, key) {
                        found.push(
                            Diagnostic::warning(
                                DUPLICATE_KEY,
                                format!(
                                    "`{name}` is written twice in this mapping (also on line {}); LiteLLM uses only this last one",
                                    super::include::line_in_file(earlier.span)
                                ),
                                "keep one of them",
                            )
                            .at(Some(key.span)),
                        );
                    }
                }
            }
            _ => {}
        }
    }
    found
}

impl Section {
    fn knows_key(&self, key: &str) -> bool {
        (self.knows)(key)
    }
}

/// Names too generic to send the user to another section (`timeout` exists in several).
fn is_generic(name: &str) -> bool {
    ["timeout", "num_retries"].contains(&name)
}

/// How strictly a value is read: pydantic's lax mode takes `"10"` for an integer; a setting read
/// with `.get()` takes it as the string it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Strictness {
    Lax,
    Strict,
}

/// Whether `value` is of `kind`. Null is an unset value; `os.environ/…` resolves to a string
/// LiteLLM converts where pydantic reads it.
pub fn fits(value: &Node, kind: Kind, strictness: Strictness) -> bool {
    let lax = strictness == Strictness::Lax;
    if matches!(value.value, Value::Null)
        || (is_env_reference(value) && !matches!(kind, Kind::List | Kind::Names | Kind::Mapping))
    {
        return true;
    }
    match (&value.value, kind) {
        (_, Kind::Any) => true,
        (Value::String(_), Kind::Text) => true,
        (Value::Int(_), Kind::Integer | Kind::Number) => true,
        (Value::Float(n), Kind::Integer) => n.fract() == 0.0,
        (Value::Float(_), Kind::Number) => true,
        (Value::String(text), Kind::Integer) => lax && text.trim().parse::<i64>().is_ok(),
        (Value::String(text), Kind::Number) => lax && text.trim().parse::<f64>().is_ok(),
        (Value::Bool(_), Kind::Flag) => true,
        (Value::Seq(_), Kind::List) => true,
        (Value::Seq(items), Kind::Names) => items.iter().all(|item| item.as_str().is_some()),
        (Value::Map(_), Kind::Mapping) => true,
        _ => false,
    }
}

/// Why a fallback list is not LiteLLM's shape, if it is not.
fn fallback_shape(value: &Node) -> Option<String> {
    if matches!(value.value, Value::Null) {
        return None;
    }
    let Some(items) = value.as_seq() else {
        return Some(format!(
            "it is {}, not a list of {{group: [fallbacks]}} items",
            value.type_name()
        ));
    };
    for item in items {
        let Some(pairs) = item.as_map() else {
            return Some(format!(
                "an item is {}, not a {{group: [fallbacks]}} mapping",
                item.type_name()
            ));
        };
        if pairs.len() != 1 {
            return Some(format!(
                "an item has {} keys; each must have exactly one",
                pairs.len()
            ));
        }
        let (group, targets) = &pairs[0];
        let names = targets
            .as_seq()
            .is_some_and(|t| t.iter().all(|n| n.as_str().is_some()));
        if !names {
            return Some(format!(
                "the fallbacks of `{}` are {}, not a list of model names",
                group.as_str().unwrap_or("?"),
                targets.type_name()
            ));
        }
    }
    None
}

/// The first item at fault, else the list.
fn problem_span(value: &Node) -> gwscript_plugin::model::Span {
    value
        .as_seq()
        .and_then(|items| {
            items.iter().find(|item| {
                item.as_map()
                    .is_none_or(|pairs| pairs.len() != 1 || pairs[0].1.as_seq().is_none())
            })
        })
        .map_or(value.span, |item| item.span)
}

fn is_clock_time(text: &str) -> bool {
    let Some((hours, minutes)) = text.split_once(':') else {
        return false;
    };
    let two = |part: &str, max: u32| part.len() == 2 && part.parse::<u32>().is_ok_and(|n| n <= max);
    two(hours, 23) && two(minutes, 59)
}

/// `modelName` → `model_name`.
fn snake_case(name: &str) -> String {
    let mut snake = String::with_capacity(name.len() + 4);
    for c in name.chars() {
        if c.is_ascii_uppercase() {
            if !snake.is_empty() {
                snake.push('_');
            }
            snake.push(c.to_ascii_lowercase());
        } else {
            snake.push(c);
        }
    }
    snake
}

fn missing(at: &Node, key: &str, what: &str, fix: &str) -> Diagnostic {
    Diagnostic::error(
        BAD_STRUCTURE,
        format!("{what} has no `{key}`: LiteLLM refuses to start"),
        format!("add {fix}"),
    )
    .at(Some(at.span))
}

fn rejected(value: &Node, what: &str, expected: &str, consequence: &str) -> Diagnostic {
    Diagnostic::error(
        REJECTED_TYPE,
        format!(
            "{what} is {}, not {expected}: {consequence}",
            value.type_name()
        ),
        format!("write {expected}"),
    )
    .at(Some(value.span))
}

fn misplaced(key: &Node, section: &str, home: &str) -> Diagnostic {
    let name = key.as_str().unwrap_or_default();
    Diagnostic::warning(
        IGNORED_SETTING,
        format!("`{name}` has no effect in {section}: LiteLLM reads it from {home}"),
        format!("move `{name}` under {home}"),
    )
    .at(Some(key.span))
}

fn non_string_key(key: &Node, section: &str) -> Diagnostic {
    Diagnostic::warning(
        UNKNOWN_KEY,
        format!(
            "{section} has a key that is {}; LiteLLM reads only string keys there",
            key.type_name()
        ),
        "quote the key or fix it",
    )
    .at(Some(key.span))
}
