//! Building the JSON Schemas a plugin declares for its options. Plain `serde_json::json!` works
//! too; these cover what recipes most often need, secret references in particular.

use serde_json::{Map, Value, json};

/// A `secret("NAME")` reference as it appears to a schema: `{"$secret": "NAME"}`.
pub fn secret() -> Value {
    json!({
        "type": "object",
        "properties": { "$secret": { "type": "string", "pattern": "^[A-Za-z_][A-Za-z0-9_]*$" } },
        "required": ["$secret"],
        "additionalProperties": false,
    })
}

/// A string or a secret reference (a hostname that one team keeps in its secret store).
pub fn string_or_secret() -> Value {
    json!({ "anyOf": [{ "type": "string" }, secret()] })
}

pub fn string() -> Value {
    json!({ "type": "string" })
}

/// A string matching the regular expression `pattern` (ECMA 262, unanchored unless it says
/// `^…$`): a header name, a `tenant:group` pair.
pub fn string_matching(pattern: &str) -> Value {
    json!({ "type": "string", "pattern": pattern })
}

pub fn boolean() -> Value {
    json!({ "type": "boolean" })
}

pub fn integer(minimum: i64) -> Value {
    json!({ "type": "integer", "minimum": minimum })
}

/// An integer in `minimum..=maximum`: an upper bound keeps the arithmetic a plugin does with it
/// (seconds to milliseconds, MiB to bytes) from overflowing.
pub fn integer_between(minimum: i64, maximum: i64) -> Value {
    json!({ "type": "integer", "minimum": minimum, "maximum": maximum })
}

/// A number strictly greater than zero (seconds, weights).
pub fn positive_number() -> Value {
    json!({ "type": "number", "exclusiveMinimum": 0 })
}

pub fn one_of_strings(values: &[&str]) -> Value {
    json!({ "type": "string", "enum": values })
}

pub fn list_of(items: Value) -> Value {
    json!({ "type": "array", "items": items })
}

/// A map with exactly these optional `properties` (some of them `required`), nothing else.
pub fn object(
    properties: impl IntoIterator<Item = (&'static str, Value)>,
    required: &[&str],
) -> Value {
    let properties: Map<String, Value> = properties
        .into_iter()
        .map(|(key, schema)| (key.to_owned(), schema))
        .collect();
    json!({
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": false,
    })
}

/// Adds a `description` (shown by `gwscript plugins info` and editors) to a schema.
pub fn described(mut schema: Value, description: &str) -> Value {
    if let Some(object) = schema.as_object_mut() {
        object.insert("description".into(), Value::String(description.to_owned()));
    }
    schema
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_matching_string_is_a_string_with_a_pattern() {
        assert_eq!(
            string_matching("^[a-z]+$"),
            json!({ "type": "string", "pattern": "^[a-z]+$" })
        );
        assert_eq!(
            described(string_matching("x"), "d"),
            json!({ "type": "string", "pattern": "x", "description": "d" })
        );
    }
}
