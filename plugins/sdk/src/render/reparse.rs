//! Parsing rendered output again before it reaches disk. For YAML this walks the document the way
//! a loader does and keeps only each mapping's keys, which must be unique (a later duplicate
//! silently replaces the earlier entry in LiteLLM's loader). Building the whole document as values
//! only to throw them away would cost more than the parse itself on a config of many megabytes.

use crate::{Diagnostic, Template, TemplateFormat};
use serde::de::{self, Deserialize, Deserializer, EnumAccess, MapAccess, SeqAccess, VariantAccess};
use std::collections::HashSet;
use std::fmt;

/// What gwscript writes must be what the peer reads: `GW3002` when `rendered` does not parse as
/// `template`'s format.
pub fn reparse(template: &Template, rendered: &str) -> Result<(), Diagnostic> {
    let error = match template.format {
        TemplateFormat::Yaml => serde_norway::from_str::<Walked>(rendered)
            .err()
            .map(|e| e.to_string()),
        TemplateFormat::YamlStream => serde_norway::Deserializer::from_str(rendered)
            .find_map(|document| Walked::deserialize(document).err())
            .map(|e| e.to_string()),
        TemplateFormat::Json => serde_json::from_str::<de::IgnoredAny>(rendered)
            .err()
            .map(|e| e.to_string()),
        TemplateFormat::Shell | TemplateFormat::Text => None,
    };
    match error {
        None => Ok(()),
        Some(e) => Err(Diagnostic::error(
            "GW3002",
            format!("{} does not parse after rendering: {e}", template.path),
            "this is a bug in the gateway plugin's template; report it with the recipe",
        )),
    }
}

/// A node that parsed, with every mapping below it free of duplicate keys.
struct Walked;

impl<'de> Deserialize<'de> for Walked {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(Walker)
    }
}

struct Walker;

impl<'de> de::Visitor<'de> for Walker {
    type Value = Walked;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any YAML node")
    }

    fn visit_bool<E>(self, _: bool) -> Result<Walked, E> {
        Ok(Walked)
    }
    fn visit_i64<E>(self, _: i64) -> Result<Walked, E> {
        Ok(Walked)
    }
    fn visit_i128<E>(self, _: i128) -> Result<Walked, E> {
        Ok(Walked)
    }
    fn visit_u64<E>(self, _: u64) -> Result<Walked, E> {
        Ok(Walked)
    }
    fn visit_u128<E>(self, _: u128) -> Result<Walked, E> {
        Ok(Walked)
    }
    fn visit_f64<E>(self, _: f64) -> Result<Walked, E> {
        Ok(Walked)
    }
    fn visit_str<E>(self, _: &str) -> Result<Walked, E> {
        Ok(Walked)
    }
    fn visit_bytes<E>(self, _: &[u8]) -> Result<Walked, E> {
        Ok(Walked)
    }
    fn visit_unit<E>(self) -> Result<Walked, E> {
        Ok(Walked)
    }
    fn visit_none<E>(self) -> Result<Walked, E> {
        Ok(Walked)
    }
    fn visit_some<D: Deserializer<'de>>(self, inner: D) -> Result<Walked, D::Error> {
        Walked::deserialize(inner)
    }
    fn visit_newtype_struct<D: Deserializer<'de>>(self, inner: D) -> Result<Walked, D::Error> {
        Walked::deserialize(inner)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut items: A) -> Result<Walked, A::Error> {
        while items.next_element::<Walked>()?.is_some() {}
        Ok(Walked)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut entries: A) -> Result<Walked, A::Error> {
        let mut seen = HashSet::new();
        while let Some(key) = entries.next_key::<Key>()? {
            if let Some(key) = key.0
                && let Some(duplicate) = seen.replace(key)
            {
                return Err(de::Error::custom(format_args!(
                    "duplicate mapping key {}",
                    duplicate.shown()
                )));
            }
            entries.next_value::<Walked>()?;
        }
        Ok(Walked)
    }

    /// A tagged node (`!tag value`).
    fn visit_enum<A: EnumAccess<'de>>(self, tagged: A) -> Result<Walked, A::Error> {
        let (_, value) = tagged.variant::<de::IgnoredAny>()?;
        value.newtype_variant::<Walked>()
    }
}

/// A mapping key as the loader compares it: scalars by type and text; collections (rare, and
/// never equal in LiteLLM's loader) are walked but not compared.
struct Key(Option<ScalarKey>);

#[derive(PartialEq, Eq, Hash)]
enum ScalarKey {
    Text(String),
    Other(String),
}

impl ScalarKey {
    fn shown(&self) -> String {
        match self {
            ScalarKey::Text(text) => format!("{text:?}"),
            ScalarKey::Other(text) => text.clone(),
        }
    }
}

impl<'de> Deserialize<'de> for Key {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(KeyReader)
    }
}

struct KeyReader;

impl KeyReader {
    fn other(shown: impl fmt::Display) -> Key {
        Key(Some(ScalarKey::Other(shown.to_string())))
    }
}

impl<'de> de::Visitor<'de> for KeyReader {
    type Value = Key;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a mapping key")
    }

    fn visit_str<E>(self, text: &str) -> Result<Key, E> {
        Ok(Key(Some(ScalarKey::Text(text.to_owned()))))
    }
    fn visit_string<E>(self, text: String) -> Result<Key, E> {
        Ok(Key(Some(ScalarKey::Text(text))))
    }
    fn visit_bool<E>(self, value: bool) -> Result<Key, E> {
        Ok(Self::other(value))
    }
    fn visit_i64<E>(self, value: i64) -> Result<Key, E> {
        Ok(Self::other(value))
    }
    fn visit_i128<E>(self, value: i128) -> Result<Key, E> {
        Ok(Self::other(value))
    }
    fn visit_u64<E>(self, value: u64) -> Result<Key, E> {
        Ok(Self::other(value))
    }
    fn visit_u128<E>(self, value: u128) -> Result<Key, E> {
        Ok(Self::other(value))
    }
    fn visit_f64<E>(self, value: f64) -> Result<Key, E> {
        Ok(Self::other(value))
    }
    fn visit_unit<E>(self) -> Result<Key, E> {
        Ok(Self::other("null"))
    }
    fn visit_none<E>(self) -> Result<Key, E> {
        Ok(Self::other("null"))
    }
    fn visit_bytes<E>(self, _: &[u8]) -> Result<Key, E> {
        Ok(Key(None))
    }
    fn visit_some<D: Deserializer<'de>>(self, inner: D) -> Result<Key, D::Error> {
        Key::deserialize(inner)
    }
    fn visit_newtype_struct<D: Deserializer<'de>>(self, inner: D) -> Result<Key, D::Error> {
        Key::deserialize(inner)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, items: A) -> Result<Key, A::Error> {
        Walker.visit_seq(items).map(|_| Key(None))
    }
    fn visit_map<A: MapAccess<'de>>(self, entries: A) -> Result<Key, A::Error> {
        Walker.visit_map(entries).map(|_| Key(None))
    }
    fn visit_enum<A: EnumAccess<'de>>(self, tagged: A) -> Result<Key, A::Error> {
        Walker.visit_enum(tagged).map(|_| Key(None))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn yaml(source: &str) -> Result<(), Diagnostic> {
        reparse(
            &Template::new("t", TemplateFormat::Yaml, "", "test"),
            source,
        )
    }

    #[test]
    fn well_formed_yaml_passes() {
        let ok = "a: 1\nb: [1, {c: d}]\n\"e\": !tag {f: g}\n? [x, y]\n: z\n1: one\n\"1\": text\n";
        assert!(yaml(ok).is_ok());
    }

    #[test]
    fn a_duplicate_key_at_any_depth_is_refused() {
        for source in [
            "a: 1\na: 2\n",
            "list:\n  - x: 1\n    \"x\": 2\n",
            "outer: !tag {k: 1, k: 2}\n",
            "1: a\n1: b\n",
        ] {
            let found = yaml(source).expect_err(source);
            assert_eq!(found.code, "GW3002", "{source}");
            assert!(found.message.contains("duplicate mapping key"), "{found:?}");
        }
    }

    #[test]
    fn broken_syntax_is_refused() {
        assert_eq!(yaml("a: [\n").expect_err("unclosed").code, "GW3002");
    }
}
