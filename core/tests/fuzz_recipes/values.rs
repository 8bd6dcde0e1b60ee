//! Recipe values, as rhai source: well-formed ones, hostile text and values of any type, and
//! values a plugin's option schema allows.

use proptest::prelude::*;
use proptest::sample::select;

/// Values that pass the checks, so a recipe gets past them to the plugins.
const WELL_FORMED: &[&str] = &[
    "claude-sonnet-4-5",
    "claude-haiku-4-5",
    "anthropic-main/claude-sonnet-4-6",
    "http://127.0.0.1:4000",
    "https://gw.example",
    "us-east-1",
    "eu-west-1",
    "europe-west1",
    "acme-ai",
    "simple-shuffle",
    "prometheus",
    "openai/gpt-4o",
    "kong",
    "localhost",
    "/etc/ssl/certs/ca.pem",
];

/// Text that has broken, or could break, a quoting, a parser or a terminal.
const HOSTILE: &[&str] = &[
    "",
    " ",
    "\n",
    "\r\n",
    "\t",
    "\0",
    "a\0b",
    "\u{1b}[2J\u{1b}]0;title\u{7}",
    "\u{7f}",
    "\u{85}",
    "\u{2028}",
    "\u{202e}gnp.exe",
    "\u{feff}",
    "é日本語🦀",
    "$(touch PWNED)",
    "`touch PWNED`",
    "'; touch PWNED; '",
    "\"; touch PWNED; \"",
    "\\",
    "\\n",
    "${HOME}",
    "$HOME",
    "${!x}",
    "a[$(touch PWNED)]",
    "{{ 7 * 7 }}",
    "{% for x in y %}",
    "{#",
    "# comment",
    "&& touch PWNED",
    "; touch PWNED",
    "| touch PWNED",
    "os.environ/X",
    "os.environ/a[$(touch PWNED)]",
    "http://user:pass@host.example",
    "https://h.example/?token=sk-ant-api03-xyz",
    "https://h.example/?api_key=x&b=c",
    "http://127.0.0.1:4000/v1",
    "http://127.0.0.1:4000/",
    "http://",
    "https://[::1]:4000",
    "http://127.0.0.1:99999",
    "http://127.0.0.1:4000/$(touch PWNED)",
    "socks5://proxy:1080",
    "../../etc/passwd",
    "/etc/passwd",
    "report.md",
    "claude/settings.json",
    "sk-ant-api03-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
    "-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----",
    "{\"private_key\": \"-----BEGIN PRIVATE KEY-----\"}",
    "Bearer sk-abc",
    "x-api-key: sk-abc",
    "$secret",
    "null",
    "1e400",
    "-0",
    "NaN",
    "claude-*",
    "*",
    "%00",
    "%2e%2e",
    "~",
    "-rf",
    "--",
    ":",
    "@",
];

/// A rhai string literal holding `text`, with every character outside printable ASCII escaped.
pub fn rhai_string(text: &str) -> String {
    let mut literal = String::with_capacity(text.len() + 2);
    literal.push('"');
    for c in text.chars() {
        match c {
            '"' => literal.push_str("\\\""),
            '\\' => literal.push_str("\\\\"),
            ' '..='~' => literal.push(c),
            other => literal.push_str(&format!("\\U{:08X}", u32::from(other))),
        }
    }
    literal.push('"');
    literal
}

/// Hostile text: known troublemakers, arbitrary unicode, and rarely more than a recipe may hold.
pub fn hostile_text() -> BoxedStrategy<String> {
    let long = prop_oneof![
        20 => 0usize..300,
        1 => 65_000usize..67_000,
    ];
    prop_oneof![
        4 => select(HOSTILE).prop_map(str::to_owned),
        2 => any::<String>(),
        2 => (select(WELL_FORMED), select(HOSTILE)).prop_map(|(a, b)| format!("{a}{b}")),
        1 => (long, select(&['a', 'é', '\u{1b}', '🦀'][..]))
            .prop_map(|(n, c)| c.to_string().repeat(n)),
    ]
    .boxed()
}

/// A string argument: one of `good`, or hostile text.
pub fn text(good: &[&'static str]) -> BoxedStrategy<String> {
    prop_oneof![
        8 => select(good.to_vec()).prop_map(str::to_owned),
        1 => hostile_text(),
    ]
    .prop_map(|t| rhai_string(&t))
    .boxed()
}

/// One of a fixed set of names (hostile names only through [`rarely_hostile`]).
pub fn one_of(names: &[&'static str]) -> BoxedStrategy<String> {
    select(names.to_vec()).prop_map(rhai_string).boxed()
}

pub fn number() -> BoxedStrategy<String> {
    prop_oneof![
        any::<i64>().prop_map(|n| n.to_string()),
        select(
            &[
                "0",
                "-1",
                "9223372036854775807",
                "9223372036854775808",
                "-0.0",
                "1e308",
                "1.0e999",
                "(0.0 / 0.0)",
                "(1.0 / 0.0)",
                "(-1.0 / 0.0)",
                "(9223372036854775807 + 1)",
            ][..]
        )
        .prop_map(str::to_owned),
        any::<f64>().prop_map(|f| format!("{f:?}")),
    ]
    .boxed()
}

pub fn secret_call() -> BoxedStrategy<String> {
    prop_oneof![
        40 => select(&["LITELLM_MASTER_KEY", "ANTHROPIC_API_KEY", "K", "_", "a1"][..])
            .prop_map(str::to_owned),
        1 => hostile_text(),
        1 => "[A-Za-z_][A-Za-z0-9_]{120,140}",
    ]
    .prop_map(|name| format!("secret({})", rhai_string(&name)))
    .boxed()
}

/// A map key: written bare when it is an identifier, quoted otherwise.
fn key(name: &str) -> String {
    const RESERVED: &[&str] = &[
        "null", "true", "false", "fn", "let", "in", "as", "this", "global",
    ];
    let identifier = name
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !RESERVED.contains(&name);
    if identifier {
        name.to_owned()
    } else {
        rhai_string(name)
    }
}

/// `#{ … }`; a repeated key keeps its first value (rhai refuses duplicates at parse time, which
/// the token soup covers).
pub fn map_literal(entries: Vec<(String, String)>) -> String {
    let mut seen = std::collections::HashSet::new();
    let body: Vec<String> = entries
        .into_iter()
        .filter(|(k, _)| seen.insert(k.clone()))
        .map(|(k, v)| format!("{}: {v}", key(&k)))
        .collect();
    format!("#{{ {} }}", body.join(", "))
}

pub fn list_literal(items: Vec<String>) -> String {
    format!("[{}]", items.join(", "))
}

/// Any value a recipe can write, of any type: scalars, secrets, values of the wrong kind (unit,
/// closures, function pointers, gateways), and arrays and maps of those, nested, with keys
/// that are anything (`$secret` included).
pub fn hostile_value() -> BoxedStrategy<String> {
    let leaf = prop_oneof![
        4 => hostile_text().prop_map(|t| rhai_string(&t)),
        2 => number(),
        1 => any::<bool>().prop_map(|b| b.to_string()),
        2 => secret_call(),
        1 => select(&[
            "()",
            "|x| x",
            "Fn(\"emit\")",
            "gw",
            "provider(\"anthropic\")",
            "#{ \"$secret\": \"K\" }",
            "#{ \"$secret\": \"K\", other: 1 }",
            "`interpolated ${40 + 2}`",
        ][..])
        .prop_map(str::to_owned),
    ];
    let any_key = prop_oneof![
        select(&["$secret", "", "a b", "url", "é", "__proto__", "model"][..])
            .prop_map(str::to_owned),
        hostile_text(),
    ];
    leaf.prop_recursive(4, 24, 5, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(list_literal),
            prop::collection::vec((any_key.clone(), inner), 0..5).prop_map(map_literal),
        ]
    })
    .boxed()
}

/// `good` nearly always; rarely (a recipe has a few dozen such slots) a hostile value of any type
/// in its place.
pub fn rarely_hostile(good: BoxedStrategy<String>) -> BoxedStrategy<String> {
    prop_oneof![80 => good, 1 => hostile_value()].boxed()
}

/// A value the JSON Schema `schema` allows, with hostile text wherever it allows any string, so
/// the value passes the host's checks and reaches the plugin.
pub fn from_schema(schema: &serde_json::Value) -> BoxedStrategy<String> {
    use serde_json::Value;
    let field = |name: &str| schema.get(name);
    if let Some(values) = field("enum").and_then(Value::as_array) {
        return select(values.clone())
            .prop_map(|v| rhai_literal(&v))
            .boxed();
    }
    for alternatives in ["anyOf", "oneOf"] {
        if let Some(options) = field(alternatives).and_then(Value::as_array) {
            let each: Vec<BoxedStrategy<String>> = options.iter().map(from_schema).collect();
            return proptest::strategy::Union::new(each).boxed();
        }
    }
    if field("properties").is_some_and(|p| p.get("$secret").is_some()) {
        return secret_call();
    }
    let minimum = field("minimum").and_then(Value::as_i64).unwrap_or(1);
    match field("type").and_then(Value::as_str) {
        Some("string") => match field("pattern").and_then(Value::as_str) {
            Some(pattern) => matching(pattern),
            None => text(WELL_FORMED),
        },
        Some("boolean") => any::<bool>().prop_map(|b| b.to_string()).boxed(),
        Some("integer") => prop_oneof![
            9 => select(vec![minimum, minimum.saturating_add(1), 600, 65_536, i64::MAX])
                .prop_map(|n| n.to_string()),
            1 => number(),
        ]
        .boxed(),
        Some("number") => prop_oneof![
            9 => select(&["0.001", "1", "600", "1e300", "86400.5"][..]).prop_map(str::to_owned),
            1 => number(),
        ]
        .boxed(),
        Some("array") => {
            let items = field("items").map_or_else(hostile_value, from_schema);
            prop::collection::vec(items, 0..3)
                .prop_map(list_literal)
                .boxed()
        }
        Some("object") if field("properties").is_some() => {
            options(schema, 0.5).prop_map(map_literal).boxed()
        }
        _ => hostile_value(),
    }
}

/// A string matching `pattern` (its anchors dropped), or hostile text that likely does not.
fn matching(pattern: &str) -> BoxedStrategy<String> {
    let unanchored = pattern.trim_start_matches('^').trim_end_matches('$');
    match proptest::string::string_regex(unanchored) {
        Ok(matching) => prop_oneof![
            4 => matching.prop_map(|t| rhai_string(&t)),
            1 => hostile_text().prop_map(|t| rhai_string(&t)),
        ]
        .boxed(),
        Err(_) => text(WELL_FORMED),
    }
}

/// Entries for the object schema `schema`: every required property, and each other one with
/// probability `rate`, each with a value its schema allows.
pub fn options(schema: &serde_json::Value, rate: f64) -> BoxedStrategy<Vec<(String, String)>> {
    let required: Vec<&str> = schema
        .get("required")
        .and_then(serde_json::Value::as_array)
        .map(|r| r.iter().filter_map(serde_json::Value::as_str).collect())
        .unwrap_or_default();
    let Some(properties) = schema
        .get("properties")
        .and_then(serde_json::Value::as_object)
    else {
        return Just(Vec::new()).boxed();
    };
    let each: Vec<BoxedStrategy<Option<(String, String)>>> = properties
        .iter()
        .map(|(name, property)| {
            let is_required = required.contains(&name.as_str());
            let name = name.clone();
            let entry = from_schema(property).prop_map(move |v| Some((name.clone(), v)));
            if is_required {
                entry.boxed()
            } else {
                prop::option::weighted(rate, entry)
                    .prop_map(Option::flatten)
                    .boxed()
            }
        })
        .collect();
    each.prop_map(|entries| entries.into_iter().flatten().collect())
        .boxed()
}

/// `value` as a rhai literal.
fn rhai_literal(value: &serde_json::Value) -> String {
    use serde_json::Value;
    match value {
        Value::String(s) => rhai_string(s),
        Value::Array(items) => list_literal(items.iter().map(rhai_literal).collect()),
        Value::Object(map) => map_literal(
            map.iter()
                .map(|(k, v)| (k.clone(), rhai_literal(v)))
                .collect(),
        ),
        Value::Null => "()".to_owned(),
        other => other.to_string(),
    }
}
