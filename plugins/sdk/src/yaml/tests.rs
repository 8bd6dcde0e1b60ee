use super::*;
use proptest::prelude::*;
use std::time::{Duration, Instant};

fn doc(text: &str) -> Node {
    parse(text).expect("parses").expect("has a document")
}

fn error(text: &str) -> YamlError {
    parse(text).expect_err("is refused")
}

fn at(line: u32, column: u32) -> Span {
    Span { line, column }
}

#[test]
fn nodes_carry_1_based_positions() {
    let root = doc("model_list:\n  - model_name: claude\n    litellm_params:\n      rpm: 10\n");
    assert_eq!(root.span, at(1, 1));
    let list = root.get("model_list").expect("key");
    assert_eq!(list.span, at(2, 3));
    let entry = &list.as_seq().expect("a list")[0];
    assert_eq!(
        entry.get("model_name").and_then(Node::as_str),
        Some("claude")
    );
    assert_eq!(entry.get("model_name").expect("key").span, at(2, 17));
    let rpm = entry.get("litellm_params").and_then(|p| p.get("rpm"));
    assert_eq!(
        rpm.map(|n| (&n.value, n.span)),
        Some((&Value::Int(10), at(4, 12)))
    );
    let (key, _) = &entry.as_map().expect("a mapping")[1];
    assert_eq!((key.as_str(), key.span), (Some("litellm_params"), at(3, 5)));
}

#[test]
fn quoted_and_block_scalars_are_strings() {
    let root = doc("a: '10'\nb: \"yes\"\nc: |\n  on\nd: 10\ne: yes\nf: ~\ng:\n");
    let value = |key: &str| root.get(key).map(|n| n.value.clone());
    assert_eq!(value("a"), Some(Value::String("10".into())));
    assert_eq!(value("b"), Some(Value::String("yes".into())));
    assert_eq!(value("c"), Some(Value::String("on\n".into())));
    assert_eq!(value("d"), Some(Value::Int(10)));
    assert_eq!(value("e"), Some(Value::Bool(true)));
    assert_eq!(value("f"), Some(Value::Null));
    assert_eq!(value("g"), Some(Value::Null));
}

#[test]
fn core_tags_are_honoured_and_others_refused() {
    let root = doc(
        "a: !!str 10\nb: !!int '0x10'\nc: !!float 1e3\nd: !!bool 'TRUE'\ne: !!null x\nf: ! 12\n",
    );
    let value = |key: &str| root.get(key).map(|n| n.value.clone());
    assert_eq!(value("a"), Some(Value::String("10".into())));
    assert_eq!(value("b"), Some(Value::Int(16)));
    assert_eq!(value("c"), Some(Value::Float(1000.0)));
    assert_eq!(value("d"), Some(Value::Bool(true)));
    assert_eq!(value("e"), Some(Value::Null));
    assert_eq!(value("f"), Some(Value::String("12".into())));
    let refused = error("key: !ENV ${HOME}\n");
    assert!(refused.message.contains("`!ENV`"), "{}", refused.message);
    assert_eq!(refused.span, Some(at(1, 6)));
    assert!(
        error("a: !!int ten\n")
            .message
            .contains("not a valid !!int")
    );
    assert!(error("a: !custom [1]\n").message.contains("!custom"));
}

#[test]
fn empty_documents_are_none() {
    for text in ["", "\n\n", "# only a comment\n", "---\n", "--- # c\n...\n"] {
        assert_eq!(parse(text), Ok(None), "{text:?}");
    }
    assert_eq!(doc("~").value, Value::Null);
}

#[test]
fn a_second_document_is_an_error() {
    let refused = error("a: 1\n---\nb: 2\n");
    assert!(refused.message.contains("single document"));
    assert_eq!(refused.span, Some(at(2, 1)));
    assert!(parse("---\na: 1\n...\n").is_ok());
}

#[test]
fn duplicate_keys_keep_every_pair_in_order() {
    let root = doc("a: 1\nb: 2\na: 3\n");
    let pairs = root.as_map().expect("a mapping");
    let keys: Vec<_> = pairs
        .iter()
        .map(|(k, v)| (k.as_str(), v.span.line))
        .collect();
    assert_eq!(keys, [(Some("a"), 1), (Some("b"), 2), (Some("a"), 3)]);
    // `get` reads as PyYAML does, the last; a check looking for duplicates walks the pairs.
    assert_eq!(root.get("a").map(|n| &n.value), Some(&Value::Int(3)));
    // JSON, like PyYAML, keeps the last.
    assert_eq!(root.to_json()["a"], 3);
}

#[test]
fn merge_keys_add_the_pairs_not_set_explicitly() {
    let root = doc(
        "base: &base {rpm: 1, tpm: 2}\nextra: &extra {tpm: 9, timeout: 3}\nd:\n  <<: [*base, *extra]\n  rpm: 5\n",
    );
    let merged = root.get("d").expect("key");
    let pairs: Vec<_> = merged
        .as_map()
        .expect("a mapping")
        .iter()
        .map(|(k, v)| (k.as_str().unwrap_or_default(), v.value.clone()))
        .collect();
    assert_eq!(
        pairs,
        [
            ("tpm", Value::Int(2)),
            ("timeout", Value::Int(3)),
            ("rpm", Value::Int(5)),
        ]
    );
    assert!(error("a:\n  <<: 3\n").message.contains("merging"));
}

#[test]
fn aliases_copy_their_anchor_at_the_alias_position() {
    let root = doc("a: &x [1, 2]\nb: *x\n");
    let b = root.get("b").expect("key");
    assert_eq!(b.span, at(2, 4));
    assert_eq!(b.to_json(), serde_json::json!([1, 2]));
    assert!(error("a: &x [*x]\n").message.contains("alias"));
}

#[test]
fn syntax_errors_carry_the_parser_position() {
    let refused = error("model_list:\n  - model_name: a\n   bad: [\n");
    assert!(refused.span.is_some(), "{refused:?}");
    assert!(refused.span.expect("span").line >= 3, "{refused:?}");
    let unclosed = error("a: \"unterminated\n");
    assert!(unclosed.span.is_some(), "{unclosed:?}");
}

#[test]
fn control_characters_are_errors_with_their_position() {
    let refused = error("a: 1\nb: x\0y\n");
    assert_eq!(refused.span, Some(at(2, 5)));
    assert!(refused.message.contains("U+0000"), "{}", refused.message);
    assert!(error("a: \u{7}\n").message.contains("U+0007"));
    assert!(error("\u{1b}[31m: red\n").message.contains("U+001B"));
    // Tabs, CRLF, non-ASCII and a BOM are fine.
    assert!(parse("\u{feff}a:\t\"é ü 日本\"\r\nb: 1\r\n").is_ok());
}

#[test]
fn nesting_deeper_than_max_depth_is_an_error() {
    let block: String = (0..MAX_DEPTH + 1)
        .map(|level| format!("{}k:\n", " ".repeat(level)))
        .collect();
    assert!(error(&block).message.contains("nested more than"));
    let fits: String = (0..MAX_DEPTH - 1)
        .map(|level| format!("{}k:\n", " ".repeat(level)))
        .collect();
    assert!(parse(&fits).is_ok());
    // Ten thousand opening brackets: refused, not a stack overflow.
    let flow = "[".repeat(10_000);
    assert!(parse(&flow).is_err());
    let flow_map = "{a: ".repeat(10_000);
    assert!(parse(&flow_map).is_err());
}

#[test]
fn aliases_cannot_nest_past_max_depth() {
    // Each line nests the previous anchor 100 levels deeper: 300 levels after three steps.
    let mut text = String::new();
    let mut previous = String::from("0");
    for step in 0..3 {
        let inner = format!("{}{}{}", "[".repeat(100), previous, "]".repeat(100));
        text.push_str(&format!("s{step}: &a{step} {inner}\n"));
        previous = format!("*a{step}");
    }
    assert!(error(&text).message.contains("nested more than"));
}

fn billion_laughs(levels: usize, width: usize) -> String {
    let mut text = String::from("l0: &l0 lol\n");
    for level in 1..=levels {
        let items = vec![format!("*l{}", level - 1); width].join(", ");
        text.push_str(&format!("l{level}: &l{level} [{items}]\n"));
    }
    text
}

#[test]
fn an_alias_bomb_fails_fast() {
    // 10^9 strings if expanded.
    let started = Instant::now();
    let refused = error(&billion_laughs(9, 10));
    assert!(refused.message.contains("nodes"), "{}", refused.message);
    assert!(refused.span.is_some());
    // Generous: it stops after about MAX_NODES copies, a few hundred milliseconds in debug.
    assert!(started.elapsed() < Duration::from_secs(20));
    // A small use of aliases is fine.
    assert!(parse(&billion_laughs(3, 10)).is_ok());
}

#[test]
fn aliases_of_one_huge_string_are_bounded_by_bytes() {
    let huge = "x".repeat(4 << 20);
    let text = format!("a: &big {huge}\nb: [{}]\n", vec!["*big"; 20].join(", "));
    let refused = error(&text);
    assert!(refused.message.contains("bytes"), "{}", refused.message);
    // The same string once is fine: the input size is the caller's bound.
    assert_eq!(
        doc(&format!("a: {huge}\n")).get("a").and_then(Node::as_str),
        Some(&*huge)
    );
}

#[test]
fn json_follows_python_json_dumps() {
    let root = doc("1: a\ntrue: b\n~: c\nf: .inf\nn: [1.5, -3, 'x']\n");
    assert_eq!(
        root.to_json(),
        serde_json::json!({"1": "a", "true": "b", "null": "c", "f": null, "n": [1.5, -3, "x"]})
    );
}

#[test]
fn type_names_read_in_messages() {
    let root = doc("[~, true, 1, 1.5, a, [], {}]");
    let names: Vec<_> = root
        .as_seq()
        .expect("a list")
        .iter()
        .map(Node::type_name)
        .collect();
    assert_eq!(
        names,
        [
            "null",
            "a boolean",
            "an integer",
            "a number",
            "a string",
            "a list",
            "a mapping"
        ]
    );
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    /// Arbitrary text never panics: it parses or is refused.
    #[test]
    fn arbitrary_text_never_panics(text in any::<String>()) {
        let _ = parse(&text);
    }

    /// Text made of YAML's own punctuation reaches deep into the parser's states.
    #[test]
    fn yaml_shaped_text_never_panics(text in "([-:?&*!|>'\"%@`#,\\[\\]{}<= \\n\\ta-c0-9.~]|---|\\.\\.\\.){0,80}") {
        let _ = parse(&text);
    }
}
