//! Reading the option maps recipes pass (`#{ url: …, master_key: secret("…") }`) into typed values,
//! with a diagnostic for every unknown key and every value of the wrong type.

use super::fault::{Fault, Outcome, fault};
use gwscript_plugin::model::{Param, SecretRef, Span, Spanned};
use gwscript_plugin::suggest::nearest;
use rhai::{Dynamic, Map, Position};
use std::collections::BTreeMap;

/// What an option the plugin's schema types may hold.
const ANY_PARAM: &str = "a string, number, boolean, secret(…), or an array or map of those (map keys may not start with $)";

/// An option map being consumed; keys are checked against the allowed set up front.
pub struct Options {
    map: Map,
    what: &'static str,
    position: Position,
}

impl Options {
    /// `allowed: None` accepts any key (provider options are open-ended; plugins check them).
    pub fn new(
        map: Map,
        what: &'static str,
        allowed: Option<&[&str]>,
        position: Position,
    ) -> Outcome<Self> {
        if let Some(allowed) = allowed
            && let Some(unknown) = map.keys().find(|k| !allowed.contains(&k.as_str()))
        {
            let hint = nearest(unknown, allowed.iter().copied())
                .map(|k| format!("did you mean `{k}`? "))
                .unwrap_or_default();
            return Err(Fault::new(
                "GW1008",
                format!("{what} has no option `{unknown}`"),
                format!("{hint}{what} accepts: {}", allowed.join(", ")),
            )
            .about(unknown)
            .at(position));
        }
        Ok(Options {
            map,
            what,
            position,
        })
    }

    /// Removes and returns a raw value, for options whose type the caller decides.
    pub fn take(&mut self, key: &str) -> Option<Dynamic> {
        self.map.remove(key)
    }

    pub fn wrong_type(&self, key: &str, expected: &str, got: &Dynamic) -> Box<rhai::EvalAltResult> {
        Fault::new(
            "GW1009",
            format!(
                "{} option `{key}` must be {expected}, not {}",
                self.what,
                describe(got)
            ),
            format!("give `{key}` {expected}"),
        )
        .about(key)
        .at(self.position)
    }

    pub fn string(&mut self, key: &str) -> Outcome<Option<String>> {
        match self.take(key) {
            None => Ok(None),
            Some(v) if v.is_string() => Ok(Some(v.to_string())),
            Some(v) => Err(self.wrong_type(key, "a string", &v)),
        }
    }

    pub fn required_string(&mut self, key: &str) -> Outcome<String> {
        self.string(key)?.ok_or_else(|| {
            fault(
                "GW1009",
                format!("{} needs the option `{key}`", self.what),
                format!("add `{key}: \"…\"` to the options map"),
                self.position,
            )
        })
    }

    pub fn int(&mut self, key: &str) -> Outcome<Option<i64>> {
        match self.take(key) {
            None => Ok(None),
            Some(v) => v
                .as_int()
                .map(Some)
                .map_err(|_| self.wrong_type(key, "an integer", &v)),
        }
    }

    pub fn bool(&mut self, key: &str) -> Outcome<Option<bool>> {
        match self.take(key) {
            None => Ok(None),
            Some(v) => v
                .as_bool()
                .map(Some)
                .map_err(|_| self.wrong_type(key, "true or false", &v)),
        }
    }

    /// A value that must be a `secret("NAME")` reference, never a literal.
    pub fn secret(&mut self, key: &str) -> Outcome<Option<SecretRef>> {
        match self.take(key) {
            None => Ok(None),
            Some(v) if v.is::<SecretRef>() => Ok(v.try_cast::<SecretRef>()),
            Some(v) => Err(Fault::new(
                "GW1009",
                format!(
                    "{} option `{key}` must be a secret reference, not a literal ({})",
                    self.what,
                    describe(&v)
                ),
                format!(
                    "write `{key}: secret(\"ENV_VAR_NAME\")`; recipes never hold secret values"
                ),
            )
            .about(key)
            .sensitive()
            .at(self.position)),
        }
    }

    /// Every remaining option as a param (see [`to_param`]), by key; the plugin's schema decides
    /// what fits.
    pub fn params(mut self) -> Outcome<BTreeMap<String, Param>> {
        let remaining = std::mem::take(&mut self.map);
        let mut params = BTreeMap::new();
        for (key, value) in remaining {
            let param = to_param(&value).ok_or_else(|| self.wrong_type(&key, ANY_PARAM, &value))?;
            params.insert(key.into(), param);
        }
        Ok(params)
    }

    /// Every remaining option, each spanned at `span` (pinned to its key once the source is known).
    pub fn rest(self, span: Option<Span>) -> Outcome<gwscript_plugin::model::Options> {
        Ok(self
            .params()?
            .into_iter()
            .map(|(key, value)| (key, Spanned { value, span }))
            .collect())
    }

    pub fn strings(&mut self, key: &str) -> Outcome<Option<Vec<String>>> {
        match self.take(key) {
            None => Ok(None),
            Some(v) => string_list(&v)
                .map(Some)
                .ok_or_else(|| self.wrong_type(key, "an array of strings", &v)),
        }
    }

    pub fn map(&mut self, key: &str) -> Outcome<Option<Map>> {
        match self.take(key) {
            None => Ok(None),
            Some(v) if v.is_map() => Ok(v.try_cast::<Map>()),
            Some(v) => Err(self.wrong_type(key, "a map `#{ … }`", &v)),
        }
    }
}

/// A recipe value's type in recipe terms, not rhai's Rust names (`i64`, `ImmutableString`).
pub fn describe(v: &Dynamic) -> String {
    if v.is_string() {
        "a string".into()
    } else if v.is_int() {
        "an integer".into()
    } else if v.is_float() {
        "a number".into()
    } else if v.is_bool() {
        "a boolean".into()
    } else if v.is_array() {
        "an array".into()
    } else if v.is_map() {
        "a map".into()
    } else if v.is_unit() {
        "nothing (`()`)".into()
    } else {
        let name = v.type_name();
        let short = name.rsplit("::").next().unwrap_or(name);
        let short = match short {
            "SecretRef" => "Secret",
            other => other,
        };
        format!("a {short}")
    }
}

pub fn string_list(v: &Dynamic) -> Option<Vec<String>> {
    v.read_lock::<rhai::Array>()?
        .iter()
        .map(|item| item.is_string().then(|| item.to_string()))
        .collect()
}

/// A recipe value as an option value: a secret reference, a scalar, or a list or map of them.
/// `None` for values an option cannot hold (functions, gateways, `()`), and for maps with a key
/// starting with `$`, which is how secret references are spelt in JSON.
pub fn to_param(v: &Dynamic) -> Option<Param> {
    if let Some(secret) = v.read_lock::<SecretRef>() {
        return Some(Param::Secret(secret.clone()));
    }
    if let Some(items) = v.read_lock::<rhai::Array>() {
        return items
            .iter()
            .map(to_param)
            .collect::<Option<_>>()
            .map(Param::List);
    }
    if let Some(entries) = v.read_lock::<Map>() {
        return entries
            .iter()
            .map(|(key, value)| {
                (!key.starts_with('$')).then_some(())?;
                Some((key.to_string(), to_param(value)?))
            })
            .collect::<Option<_>>()
            .map(Param::Map);
    }
    let literal = if v.is_string() {
        serde_json::Value::String(v.to_string())
    } else if let Ok(b) = v.as_bool() {
        serde_json::Value::Bool(b)
    } else if let Ok(i) = v.as_int() {
        serde_json::Value::from(i)
    } else {
        serde_json::Value::from(v.as_float().ok()?)
    };
    Some(Param::Literal(literal))
}

/// The value of `all` named `value`, or a GW1009 naming the choices and the nearest one.
pub fn one_of<T: Copy>(
    value: &str,
    all: &[T],
    name: fn(T) -> &'static str,
    what: &str,
    position: Position,
) -> Outcome<T> {
    all.iter()
        .copied()
        .find(|k| name(*k) == value)
        .ok_or_else(|| {
            let names: Vec<&str> = all.iter().map(|k| name(*k)).collect();
            let hint = nearest(value, names.iter().copied())
                .map(|k| format!("did you mean \"{k}\"? "))
                .unwrap_or_default();
            fault(
                "GW1009",
                format!("unknown {what} \"{}\"", value.escape_debug()),
                format!("{hint}{what}s: {}", names.join(", ")),
                position,
            )
        })
}
