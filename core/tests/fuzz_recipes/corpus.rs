//! The repository's own recipes, mutated: hostile values in place of their literals, and token
//! soup.

use crate::fuzz::plugins;
use crate::values::{hostile_text, hostile_value, number, rhai_string, secret_call};
use gwscript::run;
use proptest::prelude::*;
use proptest::sample::{Index, select};
use std::path::{Path, PathBuf};

/// Tokens the soup adds beyond those of the real recipes.
const EXTRA_TOKENS: &[&str] = &[
    "fn",
    "import",
    "export",
    "as",
    "let",
    "const",
    "if",
    "else",
    "for",
    "in",
    "return",
    "throw",
    "try",
    "catch",
    "switch",
    "=>",
    "(",
    ")",
    "{",
    "}",
    "[",
    "]",
    "#{",
    "::",
    ".",
    ",",
    ";",
    "=",
    "+",
    "-",
    "*",
    "/",
    "%",
    "!",
    "?.",
    "??",
    "|x|",
    "\"",
    "`",
    "${",
    "}`",
    "\\",
    "//",
    "/*",
    "*/",
    "eval",
    "Fn",
    "call",
    "curry",
    "this",
    "global",
    "private",
    "type_of",
    "print",
    "debug",
    "emit",
    "pattern",
    "gateway",
    "provider",
    "secret",
    "()",
    "0",
    "-1",
    "9223372036854775807",
    "1e999",
    "\u{0}",
    "\u{1b}",
    "é",
    "🦀",
];

/// What precedes a literal that names something from a closed set.
const NAMED_BY: &[&str] = &[
    "secret(",
    "providers::anthropic(",
    "import",
    "pattern(",
    "provider(",
    "gateway(",
    "deploy(",
    "scope:",
    "endpoint:",
    "server:",
];

pub struct Corpus {
    /// The repository's recipes that run as they are.
    pub shipped: Vec<(PathBuf, String)>,
    /// Those and the book's examples, some of them deliberately wrong.
    all: Vec<String>,
    /// The recipes that go all the way through as they are.
    emitting: Vec<String>,
}

impl Corpus {
    pub fn load() -> Corpus {
        let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let read = |dir: &str| -> Vec<(PathBuf, String)> {
            let mut files: Vec<PathBuf> = std::fs::read_dir(repo.join(dir))
                .unwrap_or_else(|e| panic!("{dir}: {e}"))
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|e| e == "rhai"))
                .collect();
            files.sort();
            files
                .into_iter()
                .map(|p| {
                    let text = std::fs::read_to_string(&p).expect("a readable recipe");
                    (p, text)
                })
                .collect()
        };
        let shipped = read("scripts");
        assert!(shipped.len() >= 5, "scripts/ holds the shipped recipes");
        let mut all: Vec<String> = shipped.iter().map(|(_, s)| s.clone()).collect();
        all.extend(read("book/src/examples").into_iter().map(|(_, s)| s));
        let emits = |source: &&String| {
            run::recipe(source, None).is_ok_and(|setup| run::emit(setup, plugins()).is_ok())
        };
        let emitting = all.iter().filter(emits).cloned().collect();
        Corpus {
            shipped,
            all,
            emitting,
        }
    }

    /// A real recipe with one to three of its literals changed, mostly keeping their type so the
    /// recipe still runs: hostile text added to a string or in its place, a number replaced by
    /// an extreme one; rarely a value of another type.
    pub fn with_hostile_literals(&self) -> BoxedStrategy<String> {
        let edit = (
            0u8..10,
            hostile_text(),
            number(),
            prop_oneof![secret_call(), hostile_value()],
        );
        (
            select(self.emitting.clone()),
            prop::collection::vec((any::<Index>(), edit), 1..4),
        )
            .prop_map(|(source, edits)| {
                // Names from a closed set (secrets, kinds, scopes, modules, catalog groups) are
                // left alone: any change to one is refused at once (the grammar covers that), and
                // the point here is free text that reaches the plugins and the files.
                let mut literals: Vec<_> = literal_spans(&source)
                    .into_iter()
                    .filter(|span| {
                        let before = source[..span.start].trim_end();
                        !NAMED_BY.iter().any(|call| before.ends_with(call))
                    })
                    .collect();
                let mut chosen: Vec<(std::ops::Range<usize>, String)> = Vec::new();
                for (at, (roll, text, number, other)) in edits {
                    if literals.is_empty() {
                        break;
                    }
                    let span = literals.remove(at.index(literals.len()));
                    let string = source[span.clone()]
                        .strip_prefix('"')
                        .map(|s| s.trim_end_matches('"'));
                    let replacement = match (roll, string) {
                        (9, _) => other,
                        (0..=4, Some(contents)) => rhai_string(&format!("{contents}{text}")),
                        (_, Some(_)) => rhai_string(&text),
                        (_, None) => number,
                    };
                    chosen.push((span, replacement));
                }
                // Replace from the end so earlier spans stay valid.
                chosen.sort_by_key(|(span, _)| std::cmp::Reverse(span.start));
                let mut mutated = source;
                for (span, text) in chosen {
                    mutated.replace_range(span, &text);
                }
                mutated
            })
            .boxed()
    }

    /// Real recipes with tokens deleted, repeated, swapped or replaced, or characters inserted;
    /// and random strings of recipe tokens.
    pub fn token_soup(&self) -> BoxedStrategy<String> {
        let mut vocabulary: Vec<String> = self.all.iter().flat_map(|s| tokens(s)).collect();
        vocabulary.extend(EXTRA_TOKENS.iter().map(|t| t.to_string()));
        vocabulary.retain(|t| !t.trim().is_empty());
        vocabulary.sort();
        vocabulary.dedup();
        let recipe = || select(self.all.clone());
        let token_edit = (any::<Index>(), 0u8..4, select(vocabulary.clone()));
        let token_edits =
            (recipe(), prop::collection::vec(token_edit, 1..8)).prop_map(|(source, edits)| {
                let mut tokens = tokens(&source);
                for (at, op, token) in edits {
                    let i = at.index(tokens.len().max(1));
                    match op {
                        0 if i < tokens.len() => drop(tokens.remove(i)),
                        1 if i < tokens.len() => tokens.insert(i, tokens[i].clone()),
                        2 if i + 1 < tokens.len() => tokens.swap(i, i + 1),
                        _ => tokens.insert(i.min(tokens.len()), token),
                    }
                }
                tokens.concat()
            });
        let inserts = prop::collection::vec((any::<Index>(), any::<char>()), 1..8);
        let char_inserts = (recipe(), inserts).prop_map(|(mut source, inserts)| {
            for (at, c) in inserts {
                let boundaries: Vec<usize> = source.char_indices().map(|(i, _)| i).collect();
                let i = boundaries.get(at.index(boundaries.len().max(1))).copied();
                source.insert(i.unwrap_or(0), c);
            }
            source
        });
        let soup = prop::collection::vec(select(vocabulary), 0..80).prop_map(|t| t.join(" "));
        prop_oneof![3 => token_edits, 1 => char_inserts, 1 => soup].boxed()
    }
}

/// The byte ranges of the string and number literals in `source`, outside `//` comments.
fn literal_spans(source: &str) -> Vec<std::ops::Range<usize>> {
    let bytes = source.as_bytes();
    let mut spans = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            b'"' => {
                let start = i;
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                i = (i + 1).min(bytes.len());
                spans.push(start..i);
            }
            b'0'..=b'9' if i == 0 || !is_word(bytes[i - 1]) => {
                let start = i;
                while i < bytes.len() && (bytes[i].is_ascii_digit() || bytes[i] == b'_') {
                    i += 1;
                }
                spans.push(start..i);
            }
            _ => i += 1,
        }
    }
    spans
}

fn is_word(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || byte == b'_'
}

/// `source` cut into tokens that join back into it: string literals (the recipes hold no escaped
/// quotes), words, runs of white space, and single other characters.
fn tokens(source: &str) -> Vec<String> {
    let class = |c: char| {
        if c.is_alphanumeric() || c == '_' {
            1
        } else if c.is_whitespace() {
            2
        } else {
            0
        }
    };
    let mut tokens: Vec<String> = Vec::new();
    let mut in_string = false;
    for c in source.chars() {
        match tokens.last_mut() {
            Some(last) if in_string => last.push(c),
            Some(last)
                if class(c) != 0
                    && !last.starts_with('"')
                    && last.chars().last().map(class) == Some(class(c)) =>
            {
                last.push(c)
            }
            _ => tokens.push(c.to_string()),
        }
        if c == '"' {
            in_string = !in_string;
        }
    }
    tokens
}
