//! The tree as JSON, for validating a YAML file against a JSON Schema.

use super::{Node, Value};
use serde_json::{Map, Number, Value as Json};

impl Node {
    /// The JSON `yaml.safe_load` then `json.dumps` would give: mapping keys become strings
    /// (`1` → `"1"`, `null` → `"null"`, a later duplicate wins), and a non-finite float, which
    /// JSON cannot hold, becomes `null`.
    pub fn to_json(&self) -> Json {
        match &self.value {
            Value::Null => Json::Null,
            Value::Bool(flag) => Json::Bool(*flag),
            Value::Int(n) => Json::Number((*n).into()),
            Value::Float(n) => Number::from_f64(*n).map_or(Json::Null, Json::Number),
            Value::String(text) => Json::String(text.clone()),
            Value::Seq(items) => Json::Array(items.iter().map(Node::to_json).collect()),
            Value::Map(pairs) => {
                let mut object = Map::with_capacity(pairs.len());
                for (key, value) in pairs {
                    object.insert(key.key_text(), value.to_json());
                }
                Json::Object(object)
            }
        }
    }

    /// A mapping key as Python's `json.dumps` writes it (`True` → `"true"`, `None` → `"null"`).
    fn key_text(&self) -> String {
        match &self.value {
            Value::String(text) => text.clone(),
            Value::Null => "null".to_owned(),
            Value::Bool(flag) => flag.to_string(),
            Value::Int(n) => n.to_string(),
            Value::Float(n) => n.to_string(),
            // Python refuses unhashable keys; JSON has no such key either.
            Value::Seq(_) | Value::Map(_) => self.to_json().to_string(),
        }
    }
}
