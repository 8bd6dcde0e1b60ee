//! A plugin's template context, read from its JSON into template values. A long array is kept as
//! JSON text, one span per element, and each element is read when the template reaches it. The
//! host reads the context on one thread before any template runs, while the other core has
//! nothing to do. The template writes its output while a second thread parses that output again,
//! and the writer spends less time than the parser. So reading a deployment just before it is
//! printed costs the run nothing.
//!
//! A kept array behaves as a list in every template operation. Only when it is read does it
//! differ: its text is checked there, its values are built later, and an element nested too
//! deeply fails the render that reaches it instead of the read.

use minijinja::value::{Enumerator, Object, ObjectRepr};
use minijinja::{Error, ErrorKind, Value};
use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;
use std::collections::BTreeMap;
use std::fmt;
use std::ops::Range;
use std::sync::Arc;

/// The first this many elements of an array are read at once, and the rest are kept as text.
/// Reading the first ones costs little, and most arrays have no more. Each byte of the context
/// is read once here, however arrays nest.
const READ_FIRST: usize = 256;

/// How many levels of arrays and objects may nest: as many as serde_json reads in one go, so a
/// kept element is held to the same limit as the rest of the context.
const MAX_DEPTH: usize = 127;

/// Reads `json` into template values, keeping the elements of long arrays past the
/// [`READ_FIRST`]th as text. `json` is checked completely here: it is JSON and nests at most
/// [`MAX_DEPTH`] levels, except inside kept elements, whose depth is checked when they are read.
pub fn read_context(json: &str) -> Result<Value, serde_json::Error> {
    let text: Arc<str> = Arc::from(json);
    read_in(&text, &text, 0)
}

/// Reads `part`, a slice of `text` at nesting `depth`, keeping long arrays as spans of `text`.
fn read_in(text: &Arc<str>, part: &str, depth: usize) -> Result<Value, serde_json::Error> {
    let mut reader = serde_json::Deserializer::from_str(part);
    let value = Reader { text, depth }.deserialize(&mut reader)?;
    reader.end()?;
    Ok(value)
}

/// A long array: its first elements read, the rest as spans of the context's text.
struct KeptArray {
    read: Vec<Value>,
    text: Arc<str>,
    kept: Vec<Range<usize>>,
    /// The nesting depth of the elements.
    depth: usize,
}

/// Counts only: the text is the whole context.
impl fmt::Debug for KeptArray {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.debug_struct("KeptArray")
            .field("read", &self.read.len())
            .field("kept", &self.kept.len())
            .field("depth", &self.depth)
            .finish()
    }
}

impl Object for KeptArray {
    fn repr(self: &Arc<Self>) -> ObjectRepr {
        ObjectRepr::Seq
    }

    fn get_value(self: &Arc<Self>, index: &Value) -> Option<Value> {
        let index = index.as_usize()?;
        let Some(span) = index.checked_sub(self.read.len()) else {
            return Some(self.read[index].clone());
        };
        let span = self.kept.get(span)?.clone();
        // The span is a checked JSON value of the text, so only its depth can fail here; a
        // template that reaches such an element fails with why.
        let element = self
            .text
            .get(span)
            .map(|part| read_in(&self.text, part, self.depth));
        Some(match element {
            Some(Ok(value)) => value,
            Some(Err(e)) => Value::from(Error::new(ErrorKind::BadSerialization, e.to_string())),
            None => Value::from(Error::new(ErrorKind::BadSerialization, "no such element")),
        })
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        Enumerator::Seq(self.read.len() + self.kept.len())
    }
}

/// Builds the template value of one JSON value of `text`, nested `depth` levels deep.
#[derive(Clone, Copy)]
struct Reader<'t> {
    text: &'t Arc<str>,
    depth: usize,
}

impl Reader<'_> {
    /// The reader of a collection's elements; an error past [`MAX_DEPTH`].
    fn inside<E: serde::de::Error>(self) -> Result<Self, E> {
        if self.depth >= MAX_DEPTH {
            return Err(E::custom(format!("nesting deeper than {MAX_DEPTH} levels")));
        }
        Ok(Reader {
            depth: self.depth + 1,
            ..self
        })
    }
}

impl<'de> DeserializeSeed<'de> for Reader<'_> {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Reader<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, flag: bool) -> Result<Value, E> {
        Ok(Value::from(flag))
    }

    fn visit_i64<E>(self, number: i64) -> Result<Value, E> {
        Ok(Value::from(number))
    }

    fn visit_u64<E>(self, number: u64) -> Result<Value, E> {
        Ok(Value::from(number))
    }

    fn visit_f64<E>(self, number: f64) -> Result<Value, E> {
        Ok(Value::from(number))
    }

    fn visit_str<E>(self, text: &str) -> Result<Value, E> {
        Ok(Value::from(text))
    }

    fn visit_string<E>(self, text: String) -> Result<Value, E> {
        Ok(Value::from(text))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::from(()))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let inside = self.inside()?;
        let mut read = Vec::new();
        while read.len() < READ_FIRST {
            match seq.next_element_seed(inside)? {
                Some(element) => read.push(element),
                None => return Ok(Value::from(read)),
            }
        }
        // Borrowed from `self.text`: every part read is a slice of it.
        let start = self.text.as_ptr() as usize;
        let mut kept = Vec::new();
        while let Some(element) = seq.next_element::<&'de RawValue>()? {
            let from = element.get().as_ptr() as usize - start;
            kept.push(from..from + element.get().len());
        }
        if kept.is_empty() {
            return Ok(Value::from(read));
        }
        Ok(Value::from_object(KeptArray {
            read,
            text: Arc::clone(self.text),
            kept,
            depth: inside.depth,
        }))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let inside = self.inside()?;
        // The map minijinja's own reader builds, so a context reads the same either way.
        let mut entries = BTreeMap::new();
        while let Some(key) = map.next_key::<Value>()? {
            entries.insert(key, map.next_value_seed(inside)?);
        }
        Ok(Value::from(entries))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Template, TemplateFormat};
    use serde_json::json;

    /// A context with a kept array (of maps holding short and long arrays), a short array and
    /// text that JSON escapes.
    fn context() -> serde_json::Value {
        let teams: Vec<serde_json::Value> = (0..300)
            .map(|i| {
                json!({
                    "name": format!("team-{i}"),
                    "tags": ["a", i % 3, i % 2 == 0, null],
                    "limits": (0..READ_FIRST + i % 2).collect::<Vec<_>>(),
                    "note": "é \"quoted\" \n \u{1F600} \\ \t",
                })
            })
            .collect();
        json!({ "teams": teams, "short": [3, 1, 2], "flag": true, "ratio": 0.5, "big": u64::MAX })
    }

    /// `source` rendered as text with `context`, as minijinja reads a context itself and as
    /// [`read_context`] reads it.
    fn both(source: &str) -> (String, String) {
        let template = Template::new("t", TemplateFormat::Text, source, "test");
        let json = context();
        let plain = Value::from(minijinja::value::Serde(&json));
        let kept = read_context(&json.to_string()).expect("reads");
        let render = |value: &Value| super::super::fill(&template, value).expect("renders");
        (render(&plain), render(&kept))
    }

    #[test]
    fn a_kept_array_renders_as_a_list_does_in_every_operation() {
        let sources = [
            "{% for t in teams %}{{ loop.index }}/{{ loop.length }}{{ t.name }}{{ t.note }}{% if loop.last %}.{% endif %}\n{% endfor %}",
            "{{ teams|length }} {{ teams[0].name }} {{ teams[299].name }} {{ teams[-1].name }} {{ teams[300] is defined }}",
            "{{ (teams|first).name }} {{ (teams|last).name }} {{ teams[2:5]|map(attribute='name')|join(',') }}",
            "{{ (teams|reverse|first).name }} {{ (teams|sort(attribute='name', reverse=true)|first).name }}",
            "{{ teams is sequence }} {{ teams|list|length }} {% if teams %}non-empty{% endif %}",
            "{{ teams[7]|tojson }}",
            "{{ teams|tojson }}",
            "{% for key, value in teams[1]|items %}{{ key }}={{ value }};{% endfor %}",
            "{{ teams[3].limits|length }} {{ teams[3].limits[255] }} {{ 255 in teams[4].limits }} {{ teams[3].limits|sum }}",
            "{{ short|sort|join }} {{ short|length }} {{ flag }} {{ ratio }} {{ big }}",
            "{{ teams|selectattr('name', 'equalto', 'team-42')|map(attribute='tags')|first }}",
            "{{ teams[0] == teams[0] }} {{ teams == teams }} {{ teams|batch(100)|list|length }}",
        ];
        for source in sources {
            let (plain, kept) = both(source);
            assert_eq!(kept, plain, "{source}");
        }
    }

    #[test]
    fn only_elements_past_the_first_ones_are_kept_as_text() {
        let kept = read_context(&context().to_string()).expect("reads");
        let is_kept = |value: Value| value.downcast_object_ref::<KeptArray>().is_some();
        let teams = kept.get_attr("teams").expect("teams");
        assert!(is_kept(teams.clone()), "300 elements");
        let first = teams.get_item(&Value::from(0)).expect("an element");
        assert!(
            !is_kept(first.get_attr("limits").expect("limits")),
            "{READ_FIRST} elements are all read"
        );
        let second = teams.get_item(&Value::from(1)).expect("an element");
        assert!(
            is_kept(second.get_attr("limits").expect("limits")),
            "one more than {READ_FIRST} is kept"
        );
        assert!(!is_kept(first.get_attr("tags").expect("tags")));
        assert!(!is_kept(kept.get_attr("short").expect("short")));
    }

    fn nested(depth: usize) -> String {
        format!("{}{}", "[".repeat(depth), "]".repeat(depth))
    }

    #[test]
    fn a_context_that_is_not_json_or_nests_too_deeply_is_refused() {
        let long_then_broken = format!("{{\"a\": [{}0, ]}}", "0, ".repeat(READ_FIRST));
        let deep = format!("{{\"a\": {}}}", nested(MAX_DEPTH));
        for bad in [
            "",
            "{",
            "{\"a\": [1, 2,]}",
            "{} {}",
            "[1] x",
            "{\"a\": \"\\x\"}",
        ]
        .into_iter()
        .chain([long_then_broken.as_str(), deep.as_str()])
        {
            assert!(read_context(bad).is_err(), "{bad:?}");
        }
        let deepest = format!("{{\"a\": {}}}", nested(MAX_DEPTH - 1));
        assert!(
            read_context(&deepest).is_ok(),
            "{MAX_DEPTH} levels are read"
        );
    }

    #[test]
    fn a_kept_element_nested_too_deeply_fails_the_render_that_reaches_it() {
        let elements = vec!["0".to_owned(); READ_FIRST].join(", ");
        // The object and the array are two levels, so the first of these is at the limit.
        let json = format!(
            "{{\"a\": [{elements}, {}, {}]}}",
            nested(MAX_DEPTH - 2),
            nested(MAX_DEPTH - 1)
        );
        let context = read_context(&json).expect("kept elements are checked when read");
        let render = |source: &str| {
            let template = Template::new("t", TemplateFormat::Text, source, "test");
            super::super::fill(&template, &context)
        };
        assert_eq!(
            render("{{ a|length }} {{ a[0] }}").expect("renders"),
            "258 0"
        );
        assert_eq!(render("{{ a[256]|length }}").expect("at the limit"), "1");
        let refused = render("{{ a[257] }}").expect_err("too deep");
        assert!(
            refused.message.contains("nesting deeper than 127 levels"),
            "{}",
            refused.message
        );
    }
}
