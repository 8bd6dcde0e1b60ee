//! Input for the JSON readers on either side of the boundary: real documents with parts
//! changed, hostile JSON, JSON text no value can hold, and arbitrary bytes.

use proptest::prelude::*;
use proptest::sample::{Index, select};
use serde_json::{Value, json};

/// Field names of the setup's JSON, so hostile maps look like its parts.
pub const SETUP_FIELDS: &[&str] = &[
    "pattern",
    "gateway",
    "provider",
    "client",
    "proxy",
    "monitors",
    "span",
    "line",
    "column",
    "kind",
    "url",
    "deployments",
    "fallbacks",
    "options",
    "value",
    "model_group",
    "provider_model",
    "from",
    "to",
    "scope",
    "endpoint",
    "model",
    "auth_token",
    "env",
    "env_spans",
    "api_key_helper",
    "ttl_ms",
    "command",
    "$secret",
    "no_proxy",
    "username",
];

/// Field names of the manifest, findings and rendering JSON.
pub const PLUGIN_FIELDS: &[&str] = &[
    "code",
    "severity",
    "message",
    "help",
    "span",
    "sensitive",
    "context",
    "report",
    "omit",
    "client",
    "env",
    "settings",
    "name",
    "value",
    "kind",
    "why",
    "notes",
    "verification",
    "command",
    "expect",
    "routes",
    "path",
    "gateway_kind",
    "roles",
    "requires",
    "gateway_options",
    "deployment_options",
    "properties",
    "type",
    "pattern",
    "$ref",
    "templates",
    "source",
    "format",
    "diagnostics",
    "prefix",
    "codes",
    "auth",
    "endpoints",
];

/// Strings that have broken, or could break, a parser, a quoting or a terminal.
pub fn hostile_string() -> BoxedStrategy<String> {
    prop_oneof![
        4 => select(&[
            "", "\0", "\u{1b}[2J", "\u{7}", "\u{85}", "\u{202e}", "\u{feff}", "\r\n", "é🦀",
            "$(touch PWNED)", "'\"`", "{{ x }}", "{% raw %}", "os.environ/a[$(x)]", "../x",
            "/etc/passwd", "report.md", "GW", "GW99999", "gw4001", "error", "$secret",
            "http://u:p@h", "sk-ant-api03-x", "#", "%", "\\u0000",
        ][..])
        .prop_map(str::to_owned),
        2 => any::<String>(),
        1 => (0usize..2_000).prop_map(|n| "\u{1b}".repeat(n)),
    ]
    .boxed()
}

/// Any JSON value, with hostile strings, extreme numbers and secret references at any depth.
pub fn hostile_json() -> BoxedStrategy<Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_filter_map("finite", |f| serde_json::Number::from_f64(f)
            .map(Value::Number)),
        select(&[0.0, -0.0, 1e308, -1e308, 5e-324][..]).prop_map(|f| json!(f)),
        hostile_string().prop_map(Value::from),
        hostile_string().prop_map(|name| json!({ "$secret": name })),
    ];
    leaf.prop_recursive(5, 64, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((hostile_string(), inner), 0..6)
                .prop_map(|entries| Value::Object(entries.into_iter().collect())),
        ]
    })
    .boxed()
}

/// JSON text no `Value` can hold: numbers past every type, deep nesting, duplicate keys, lone
/// surrogates, a byte-order mark.
fn raw_json() -> BoxedStrategy<String> {
    prop_oneof![
        select(
            &[
                "1e400",
                "-1e400",
                "-0",
                "18446744073709551616",
                "-9223372036854775809",
                "0.0000000000000000000000000000001e-400",
                "1E+999999999999",
                "NaN",
                "Infinity",
                "\"\\ud800\"",
                "\"\\udfff\\ud800\"",
                "\"\\u0000\"",
                "\u{feff}{}",
                "{\"a\":1,\"a\":2}",
                "{\"$secret\":\"A\",\"$secret\":\"B\"}",
                "[",
                "{",
                "\"",
                "nul",
                "[1,]",
                "{\"a\":}",
            ][..]
        )
        .prop_map(str::to_owned),
        (1usize..400).prop_map(|depth| format!("{}{}", "[".repeat(depth), "]".repeat(depth))),
        (1usize..400).prop_map(|depth| format!(
            "{}1{}",
            "{\"a\":".repeat(depth),
            "}".repeat(depth)
        )),
    ]
    .boxed()
}

/// How one part of a real document is changed.
#[derive(Debug, Clone)]
enum Mutation {
    /// A string, number or boolean replaced by a hostile one of the same type (anything else
    /// by the value), so the document keeps its shape.
    Retype(Value),
    /// Replaced by another value.
    Replace(Value),
    /// Removed from its map or list.
    Remove,
    /// Wrapped in a list, so its type is wrong.
    Wrap,
    /// Replaced by raw JSON text.
    Splice(String),
    /// A hostile key added to the map.
    Add(String, Value),
}

/// Bytes for a JSON reader, shown as a byte string literal so a failing input can be pasted
/// into a test.
#[derive(Clone)]
pub struct Payload(pub Vec<u8>);

impl std::fmt::Debug for Payload {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "b\"{}\"", self.0.escape_ascii())
    }
}

/// Bytes for a JSON reader: mostly real `documents` with a few parts changed (keeping the shape
/// the reader expects almost everywhere), else hostile JSON, raw JSON text, or arbitrary bytes.
pub fn inputs(documents: Vec<Value>, fields: &'static [&'static str]) -> BoxedStrategy<Payload> {
    let key = prop_oneof![select(fields).prop_map(str::to_owned), hostile_string()];
    let same_type = prop_oneof![
        hostile_string().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        select(&[0, 1, u64::MAX][..]).prop_map(Value::from),
        any::<bool>().prop_map(Value::from),
    ];
    let mutation = prop_oneof![
        6 => same_type.prop_map(Mutation::Retype),
        2 => hostile_json().prop_map(Mutation::Replace),
        1 => Just(Mutation::Remove),
        1 => Just(Mutation::Wrap),
        1 => raw_json().prop_map(Mutation::Splice),
        2 => (key.clone(), hostile_json()).prop_map(|(k, v)| Mutation::Add(k, v)),
    ];
    prop_oneof![
        12 => (select(documents), prop::collection::vec((any::<Index>(), mutation), 1..4))
            .prop_map(|(document, mutations)| mutated(document, mutations).into_bytes()),
        2 => prop::collection::vec((key, hostile_json()), 0..8).prop_map(|entries| {
            Value::Object(entries.into_iter().collect()).to_string().into_bytes()
        }),
        1 => hostile_json().prop_map(|v| v.to_string().into_bytes()),
        1 => raw_json().prop_map(String::into_bytes),
        1 => prop::collection::vec(any::<u8>(), 0..256),
    ]
    .prop_map(Payload)
    .boxed()
}

/// `document` as JSON text after `mutations`, each at a part chosen among all of its parts.
fn mutated(mut document: Value, mutations: Vec<(Index, Mutation)>) -> String {
    /// Stands for spliced text until the document is written out.
    const SPLICE: &str = "\u{0}splice\u{0}";
    let mut spliced = Vec::new();
    for (at, mutation) in mutations {
        let paths = pointers(&document, String::new());
        let path = &paths[at.index(paths.len())];
        let Some(target) = document.pointer_mut(path) else {
            continue;
        };
        match mutation {
            Mutation::Replace(value) => *target = value,
            Mutation::Retype(value) => {
                let same = matches!(
                    (&*target, &value),
                    (Value::String(_), Value::String(_))
                        | (Value::Number(_), Value::Number(_))
                        | (Value::Bool(_), Value::Bool(_))
                );
                if same || !(target.is_string() || target.is_number() || target.is_boolean()) {
                    *target = value;
                }
            }
            Mutation::Wrap => *target = Value::Array(vec![target.take()]),
            Mutation::Splice(text) => {
                *target = Value::from(format!("{SPLICE}{}", spliced.len()));
                spliced.push(text);
            }
            Mutation::Add(key, value) => match target {
                Value::Object(map) => {
                    map.insert(key, value);
                }
                other => *other = value,
            },
            Mutation::Remove => remove(&mut document, path),
        }
    }
    let mut text = document.to_string();
    for (n, raw) in spliced.iter().enumerate().rev() {
        text = text.replace(&format!("\"\\u0000splice\\u0000{n}\""), raw);
    }
    text
}

/// The JSON pointer of every part of `value`, itself included.
fn pointers(value: &Value, at: String) -> Vec<String> {
    let escape = |key: &str| key.replace('~', "~0").replace('/', "~1");
    let mut found = vec![at.clone()];
    match value {
        Value::Object(map) => {
            for (key, inner) in map {
                found.extend(pointers(inner, format!("{at}/{}", escape(key))));
            }
        }
        Value::Array(items) => {
            for (n, inner) in items.iter().enumerate() {
                found.extend(pointers(inner, format!("{at}/{n}")));
            }
        }
        _ => {}
    }
    found
}

/// Removes the part at `path` from its parent (the whole document becomes `null`).
fn remove(document: &mut Value, path: &str) {
    let Some((parent, last)) = path.rsplit_once('/') else {
        *document = Value::Null;
        return;
    };
    let last = last.replace("~1", "/").replace("~0", "~");
    match document.pointer_mut(parent) {
        Some(Value::Object(map)) => {
            map.remove(&last);
        }
        Some(Value::Array(items)) => {
            if let Ok(n) = last.parse::<usize>()
                && n < items.len()
            {
                items.remove(n);
            }
        }
        _ => {}
    }
}
