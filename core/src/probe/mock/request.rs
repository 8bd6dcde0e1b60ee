//! The parts of a Messages-shaped request body that the mock acts on, read straight from the
//! bytes: the model, whether it asks for a stream, whether it names an `anthropic_version`, and
//! the text of its last user message, where a [`Directive`](super::Directive) lives. Everything
//! else is skipped without being built: parsing every body into a JSON tree was one of the
//! larger costs of the mock's own code in the throughput benchmark's profile.
//!
//! Each field is read the way a lookup in the parsed JSON would read it: a value of another type
//! counts as absent, not as an error, and a repeated key's last value wins.

use super::Directive;
use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use std::borrow::Cow;
use std::fmt;

/// What the mock reads from a request body.
#[derive(Debug, Default, PartialEq, Eq)]
pub(super) struct MessagesRequest<'a> {
    /// `model`, if it is a string.
    pub(super) model: Option<Cow<'a, str>>,
    /// Whether `stream` is `true`.
    pub(super) stream: bool,
    /// Whether the body has an `anthropic_version` key, whatever its value.
    pub(super) anthropic_version: bool,
    /// The text of the last message whose `role` is `"user"`: its string content, or its text
    /// blocks joined by newlines. `None` without such a message or when its content is neither.
    pub(super) last_user_text: Option<Cow<'a, str>>,
}

impl<'a> MessagesRequest<'a> {
    /// `None` unless `body` is one JSON object.
    pub(super) fn parse(body: &'a [u8]) -> Option<Self> {
        serde_json::from_slice(body).ok()
    }

    /// The [`Directive`] in the last user message, if any; an error when it is malformed.
    pub(super) fn directive(&self) -> Result<Option<Directive>, String> {
        self.last_user_text
            .as_deref()
            .map_or(Ok(None), Directive::from_text)
    }
}

impl<'de> de::Deserialize<'de> for MessagesRequest<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(RequestVisitor)
    }
}

struct RequestVisitor;

impl<'de> Visitor<'de> for RequestVisitor {
    type Value = MessagesRequest<'de>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut request = MessagesRequest::default();
        while let Some(key) = map.next_key::<Scalar>()? {
            match key.as_str() {
                Some("model") => request.model = map.next_value::<Scalar>()?.into_str(),
                Some("stream") => request.stream = map.next_value::<Scalar>()?.is_true(),
                Some("anthropic_version") => {
                    map.next_value::<IgnoredAny>()?;
                    request.anthropic_version = true;
                }
                Some("messages") => {
                    request.last_user_text = map.next_value::<LastUserText>()?.0;
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(request)
    }
}

/// Reads `$value` with `$visitor` whatever the JSON type, since each lenient value decides for
/// itself what to keep and what to skip.
macro_rules! read_any_with {
    ($value:ident, $visitor:ident) => {
        impl<'de> de::Deserialize<'de> for $value<'de> {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                deserializer.deserialize_any($visitor)
            }
        }

        struct $visitor;
    };
}

/// A JSON value kept only when it is a string or a boolean; anything else is skipped.
enum Scalar<'a> {
    Str(Cow<'a, str>),
    Bool(bool),
    Other,
}

impl<'a> Scalar<'a> {
    fn as_str(&self) -> Option<&str> {
        match self {
            Scalar::Str(text) => Some(text),
            _ => None,
        }
    }

    fn into_str(self) -> Option<Cow<'a, str>> {
        match self {
            Scalar::Str(text) => Some(text),
            _ => None,
        }
    }

    fn is_true(&self) -> bool {
        matches!(self, Scalar::Bool(true))
    }
}

read_any_with!(Scalar, ScalarVisitor);

/// Visitor methods for the JSON types a lenient value does not keep: each gives `$skipped`,
/// reading past the contents of an array or an object.
macro_rules! skip {
    ($skipped:expr; $($kind:ident)*) => { $( skip!(@one $skipped; $kind); )* };
    (@one $skipped:expr; bool) => {
        fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
            Ok($skipped)
        }
    };
    (@one $skipped:expr; numbers) => {
        fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
            Ok($skipped)
        }
        fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
            Ok($skipped)
        }
        fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
            Ok($skipped)
        }
    };
    (@one $skipped:expr; null) => {
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok($skipped)
        }
    };
    (@one $skipped:expr; strings) => {
        fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
            Ok($skipped)
        }
    };
    (@one $skipped:expr; array) => {
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            while seq.next_element::<IgnoredAny>()?.is_some() {}
            Ok($skipped)
        }
    };
    (@one $skipped:expr; object) => {
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
            Ok($skipped)
        }
    };
}

/// Visitor methods that keep a string as `$wrap(Cow)`, borrowed from the body when it has no
/// escapes.
macro_rules! keep_strings {
    ($wrap:expr) => {
        fn visit_borrowed_str<E: de::Error>(self, text: &'de str) -> Result<Self::Value, E> {
            Ok($wrap(Cow::Borrowed(text)))
        }
        fn visit_str<E: de::Error>(self, text: &str) -> Result<Self::Value, E> {
            Ok($wrap(Cow::Owned(text.to_owned())))
        }
        fn visit_string<E: de::Error>(self, text: String) -> Result<Self::Value, E> {
            Ok($wrap(Cow::Owned(text)))
        }
    };
}

impl<'de> Visitor<'de> for ScalarVisitor {
    type Value = Scalar<'de>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E: de::Error>(self, value: bool) -> Result<Self::Value, E> {
        Ok(Scalar::Bool(value))
    }

    keep_strings!(Scalar::Str);
    skip!(Scalar::Other; numbers null array object);
}

/// `messages`: the last user message's text, if `messages` is an array.
struct LastUserText<'a>(Option<Cow<'a, str>>);

read_any_with!(LastUserText, LastUserTextVisitor);

impl<'de> Visitor<'de> for LastUserTextVisitor {
    type Value = LastUserText<'de>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array of messages")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut last = None;
        while let Some(message) = seq.next_element::<Message>()? {
            if message.from_user {
                last = Some(message.content);
            }
        }
        Ok(LastUserText(last.and_then(Content::into_text)))
    }

    skip!(LastUserText(None); bool numbers null strings object);
}

/// One element of `messages`: whether its role is `user`, and its content.
struct Message<'a> {
    from_user: bool,
    content: Content<'a>,
}

read_any_with!(Message, MessageVisitor);

const NOT_A_MESSAGE: Message<'static> = Message {
    from_user: false,
    content: Content::Other,
};

impl<'de> Visitor<'de> for MessageVisitor {
    type Value = Message<'de>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a message object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut message = NOT_A_MESSAGE;
        while let Some(key) = map.next_key::<Scalar>()? {
            match key.as_str() {
                Some("role") => {
                    message.from_user = map.next_value::<Scalar>()?.as_str() == Some("user");
                }
                Some("content") => message.content = map.next_value()?,
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(message)
    }

    skip!(NOT_A_MESSAGE; bool numbers null strings array);
}

/// A message's `content`: a string, or the texts of its `text` blocks.
enum Content<'a> {
    Text(Cow<'a, str>),
    Blocks(Vec<Cow<'a, str>>),
    Other,
}

impl<'a> Content<'a> {
    fn into_text(self) -> Option<Cow<'a, str>> {
        match self {
            Content::Text(text) => Some(text),
            Content::Blocks(mut texts) if texts.len() == 1 => texts.pop(),
            Content::Blocks(texts) => Some(Cow::Owned(texts.join("\n"))),
            Content::Other => None,
        }
    }
}

read_any_with!(Content, ContentVisitor);

impl<'de> Visitor<'de> for ContentVisitor {
    type Value = Content<'de>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("message content")
    }

    keep_strings!(Content::Text);

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut texts = Vec::new();
        while let Some(block) = seq.next_element::<TextBlock>()? {
            texts.extend(block.0);
        }
        Ok(Content::Blocks(texts))
    }

    skip!(Content::Other; bool numbers null object);
}

/// A content block's `text`, if its `type` is `"text"` and its `text` a string.
struct TextBlock<'a>(Option<Cow<'a, str>>);

read_any_with!(TextBlock, TextBlockVisitor);

impl<'de> Visitor<'de> for TextBlockVisitor {
    type Value = TextBlock<'de>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a content block")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let (mut is_text, mut text) = (false, None);
        while let Some(key) = map.next_key::<Scalar>()? {
            match key.as_str() {
                Some("type") => is_text = map.next_value::<Scalar>()?.as_str() == Some("text"),
                Some("text") => text = map.next_value::<Scalar>()?.into_str(),
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(TextBlock(text.filter(|_| is_text)))
    }

    skip!(TextBlock(None); bool numbers null strings array);
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    /// The last user message's text read from the parsed JSON: a string content, or its text blocks
    /// joined by newlines.
    fn last_user_text(request: &Value) -> Option<Cow<'_, str>> {
        let message = request
            .get("messages")?
            .as_array()?
            .iter()
            .rev()
            .find(|m| m.get("role").and_then(Value::as_str) == Some("user"))?;
        match message.get("content")? {
            Value::String(text) => Some(Cow::Borrowed(text)),
            Value::Array(blocks) => {
                let texts: Vec<&str> = blocks
                    .iter()
                    .filter(|b| b.get("type").and_then(Value::as_str) == Some("text"))
                    .filter_map(|b| b.get("text").and_then(Value::as_str))
                    .collect();
                Some(Cow::Owned(texts.join("\n")))
            }
            _ => None,
        }
    }

    /// What the mock read from `body` when it parsed every body into a JSON tree.
    fn read_from_tree(body: &str) -> Option<MessagesRequest<'static>> {
        let tree: Value = serde_json::from_str(body).ok().filter(Value::is_object)?;
        let owned = |text: &str| Cow::Owned(text.to_owned());
        Some(MessagesRequest {
            model: tree.get("model").and_then(Value::as_str).map(owned),
            stream: tree.get("stream").and_then(Value::as_bool) == Some(true),
            anthropic_version: tree.get("anthropic_version").is_some(),
            last_user_text: last_user_text(&tree).map(|text| owned(&text)),
        })
    }

    /// Values of every JSON type, nested ones included.
    const VALUES: [&str; 9] = [
        r#""claude-sonnet-4-5""#,
        r#""es\"caped\u00e9""#,
        "true",
        "false",
        "null",
        "-1.5e3",
        "18446744073709551615",
        r#"[1, {"a": [true]}, "x"]"#,
        r#"{"model": "inner", "stream": true}"#,
    ];

    /// `messages` values: user and other roles, string and block contents, blocks of other types
    /// and with keys in either order, roles after contents, and shapes that are no messages.
    const MESSAGES: [&str; 10] = [
        r#"[{"role": "user", "content": "hello\ngwscript-mock: {\"nonce\":\"a\"}"}]"#,
        r#"[{"role": "user", "content": "first"}, {"role": "assistant", "content": "no"}]"#,
        r#"[{"content": [{"text": "t1", "type": "text"}, {"type": "image", "text": "not"},
            {"type": "text", "text": 5}, {"type": "text", "text": "t\u00e92"}], "role": "user"}]"#,
        r#"[{"role": "user", "content": [{"type": "text", "text": "only"}]}]"#,
        r#"[{"role": "user", "content": []}, {"role": "USER", "content": "upper"}]"#,
        r#"[{"role": "user", "content": 7}, "text", 3, null, [{"role": "user"}]]"#,
        r#"[{"role": "user", "content": "a", "content": "last wins"}]"#,
        r#"[{"role": ["user"], "content": "role is not a string"}]"#,
        r#"{"role": "user", "content": "messages is not an array"}"#,
        "[]",
    ];

    fn assert_reads_like_the_tree(body: &str) {
        assert_eq!(
            MessagesRequest::parse(body.as_bytes()),
            read_from_tree(body),
            "{body}"
        );
    }

    #[test]
    fn every_field_reads_as_a_lookup_in_the_parsed_json_would() {
        for value in VALUES {
            for key in ["model", "stream", "anthropic_version", "messages", "other"] {
                assert_reads_like_the_tree(&format!(r#"{{"{key}": {value}}}"#));
            }
        }
        for messages in MESSAGES {
            for model in VALUES {
                let body = format!(
                    r#"{{"max_tokens": 64, "model": {model}, "messages": {messages},
                        "stream": {model}, "system": [{{"type": "text", "text": "s"}}]}}"#
                );
                assert_reads_like_the_tree(&body);
            }
        }
    }

    #[test]
    fn repeated_keys_keep_their_last_value() {
        assert_reads_like_the_tree(r#"{"model": "a", "stream": true, "model": "b", "stream": 1}"#);
        assert_reads_like_the_tree(
            r#"{"messages": [{"role": "user", "content": "one"}], "messages": 2}"#,
        );
    }

    #[test]
    fn only_one_json_object_is_a_request() {
        for body in [
            "[]",
            r#""model""#,
            "3",
            "null",
            "",
            "{",
            r#"{"a": 1} x"#,
            r#"{"a": 1}{}"#,
        ] {
            assert_eq!(MessagesRequest::parse(body.as_bytes()), None, "{body}");
            assert_reads_like_the_tree(body);
        }
        assert!(MessagesRequest::parse(b" {} \n").is_some());
    }

    #[test]
    fn strings_without_escapes_are_borrowed_from_the_body() {
        let body = br#"{"model": "claude", "messages": [{"role": "user", "content": "hi"}]}"#;
        let request = MessagesRequest::parse(body).unwrap();
        assert!(matches!(request.model, Some(Cow::Borrowed("claude"))));
        assert!(matches!(request.last_user_text, Some(Cow::Borrowed("hi"))));
    }
}
