//! `include:` as LiteLLM 1.109.1 applies it (`proxy/common_utils/config_includes.py`): a list of
//! YAML files, each relative to the file that names it (else to the main config's directory),
//! read breadth-first, each at most once, an included file's own `include` queued after the
//! others. Per top-level key, list + list concatenate (base first); any other value replaces
//! the base value wholesale. A missing file or one that is not a mapping stops the proxy.
//!
//! Findings keep pointing into the file a value came from: every node read from the `n`th file
//! has `n × LINE_STRIDE` added to its line, which [`locate`] turns back into that file's path and
//! line once the rules have run. The shared rules need no notion of files at all.

use super::structure::duplicate_keys;
use super::{Config, not_a_mapping};
use crate::checks::codes::{BAD_INCLUDE, UNREADABLE_YAML};
use gwscript_plugin::model::Span;
use gwscript_plugin::yaml::{self, Node, Value};
use gwscript_plugin::{Diagnostic, FileCheck};
use std::collections::{HashMap, HashSet, VecDeque};
use std::path::{Path, PathBuf};

/// Lines each file may have before its positions would run into the next file's (a 64 MiB file
/// has at most 2^26 + 1 lines).
const LINE_STRIDE: u32 = 1 << 27;
/// Files one check reads, the main config included: as many as the line numbers can tell apart.
pub const MAX_FILES: usize = (u32::MAX / LINE_STRIDE) as usize;
/// The largest included file read, as the host bounds the main one.
pub const MAX_INCLUDE_BYTES: u64 = 64 << 20;

const INCLUDE_KEY: &str = "include";

/// The config with every include merged in, reporting each include problem.
pub fn resolve(file: &FileCheck, root: Node, findings: &mut Vec<Diagnostic>) -> Config {
    let main = PathBuf::from(&file.path);
    // How each file is written (keys repeated in a mapping) is lost in the merge: checked here.
    findings.extend(duplicate_keys(&root));
    let mut files = vec![file.path.clone()];
    let mut loaded: HashSet<PathBuf> = HashSet::from([absolute(&main)]);
    let mut pending: VecDeque<(Node, PathBuf)> = entries(&root, findings)
        .into_iter()
        .map(|entry| (entry, main.clone()))
        .collect();
    let mut merged = without_include(root);
    while let Some((entry, declared_in)) = pending.pop_front() {
        let Some(name) = entry.as_str() else {
            continue;
        };
        let path = resolve_path(name, &declared_in, &main);
        if !loaded.insert(absolute(&path)) {
            continue;
        }
        if files.len() == MAX_FILES {
            findings.push(include_error(
                &entry,
                format!("more than {MAX_FILES} files are included; gwscript checks the first {MAX_FILES}"),
                "merge some of the included files",
            ));
            break;
        }
        let index = files.len() as u32;
        let Some(included) = read(&path, &entry, index, findings) else {
            continue;
        };
        pending.extend(
            entries(&included, findings)
                .into_iter()
                .map(|next| (next, path.clone())),
        );
        findings.extend(duplicate_keys(&included));
        files.push(path.display().to_string());
        merged = merge(merged, without_include(included));
    }
    Config {
        root: merged,
        files,
    }
}

/// Moves a finding whose position lies in an included file into that file.
pub fn locate(mut diagnostic: Diagnostic, config: &Config) -> Diagnostic {
    let Some(span) = diagnostic.span else {
        return diagnostic;
    };
    let index = (span.line / LINE_STRIDE) as usize;
    if index > 0 {
        diagnostic.span = Some(Span {
            line: span.line % LINE_STRIDE,
            column: span.column,
        });
        if let Some(path) = config.files.get(index) {
            diagnostic = diagnostic.in_file(path.clone());
        }
    }
    diagnostic
}

/// The line a position has in its own file.
pub fn line_in_file(span: Span) -> u32 {
    span.line % LINE_STRIDE
}

/// The `include` entries of a file; LiteLLM refuses anything but a list of strings.
fn entries(root: &Node, findings: &mut Vec<Diagnostic>) -> Vec<Node> {
    let Some((key, value)) = super::pair_of(root, INCLUDE_KEY) else {
        return Vec::new();
    };
    match value.as_seq() {
        Some(items) if items.iter().all(|item| item.as_str().is_some()) => items.to_vec(),
        _ => {
            findings.push(include_error(
                key,
                format!(
                    "`include` is {}, not a list of file paths: LiteLLM refuses to start",
                    value.type_name()
                ),
                "write `include: [models.yaml]`, one path a list item",
            ));
            Vec::new()
        }
    }
}

/// Next to the file that names it; else, as LiteLLM still accepts with a warning, next to the
/// main config.
fn resolve_path(name: &str, declared_in: &Path, main: &Path) -> PathBuf {
    let beside = |file: &Path| file.parent().unwrap_or(Path::new("")).join(name);
    let declared = beside(declared_in);
    let root = beside(main);
    if declared.exists() || !root.exists() {
        declared
    } else {
        root
    }
}

fn absolute(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}

/// The included file's tree, positions moved to its own stretch of lines.
fn read(path: &Path, entry: &Node, index: u32, findings: &mut Vec<Diagnostic>) -> Option<Node> {
    let shown = path.display();
    let text = match std::fs::metadata(path) {
        Err(_) => {
            findings.push(include_error(
                entry,
                format!("included file `{shown}` does not exist: LiteLLM refuses to start"),
                "fix the path (it is relative to the file that names it) or create the file",
            ));
            return None;
        }
        Ok(meta) if meta.len() > MAX_INCLUDE_BYTES => {
            findings.push(include_error(
                entry,
                format!("included file `{shown}` is larger than {MAX_INCLUDE_BYTES} bytes"),
                "an included config is a few kilobytes; check the path",
            ));
            return None;
        }
        Ok(_) => match std::fs::read(path).map(String::from_utf8) {
            Ok(Ok(text)) => text,
            Ok(Err(_)) => {
                findings.push(include_error(
                    entry,
                    format!("included file `{shown}` is not UTF-8 text"),
                    "save it as UTF-8 YAML",
                ));
                return None;
            }
            Err(error) => {
                findings.push(include_error(
                    entry,
                    format!("included file `{shown}` cannot be read: {error}"),
                    "check its permissions",
                ));
                return None;
            }
        },
    };
    let offset = index * LINE_STRIDE;
    let root = match yaml::parse(&text) {
        Err(error) => {
            let at = error.span.map(|span| shifted(span, offset));
            findings.push(
                Diagnostic::error(
                    UNREADABLE_YAML,
                    format!("the file is not YAML LiteLLM can read: {}", error.message),
                    super::UNREADABLE_HELP,
                )
                .at(at.or(Some(shifted(Span { line: 1, column: 1 }, offset)))),
            );
            return None;
        }
        // LiteLLM reads an empty included file as an empty mapping.
        Ok(None) => Node {
            value: Value::Map(Vec::new()),
            span: Span { line: 1, column: 1 },
        },
        Ok(Some(root)) => root,
    };
    let mut root = root;
    shift(&mut root, offset);
    if root.as_map().is_none() {
        findings.push(not_a_mapping(&root, &format!("included file `{shown}`")));
        return None;
    }
    Some(root)
}

fn shifted(span: Span, offset: u32) -> Span {
    Span {
        line: span.line + offset,
        column: span.column,
    }
}

/// Adds `offset` to every line in the tree (its depth is bounded by the YAML reader).
fn shift(node: &mut Node, offset: u32) {
    node.span = shifted(node.span, offset);
    match &mut node.value {
        Value::Seq(items) => items.iter_mut().for_each(|item| shift(item, offset)),
        Value::Map(pairs) => pairs.iter_mut().for_each(|(key, value)| {
            shift(key, offset);
            shift(value, offset);
        }),
        _ => {}
    }
}

fn without_include(mut root: Node) -> Node {
    if let Value::Map(pairs) = &mut root.value {
        pairs.retain(|(key, _)| key.as_str() != Some(INCLUDE_KEY));
    }
    root
}

/// LiteLLM's merge: the base's keys in order, then the included file's new ones; lists
/// concatenate, anything else is replaced. A key repeated inside one file counts once, with its
/// last value (PyYAML's reading).
fn merge(base: Node, included: Node) -> Node {
    let span = base.span;
    let mut pairs: Vec<(Node, Node)> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut put = |key: Node, value: Node, concatenate: bool| {
        let name = key.as_str().map(str::to_owned);
        match name.as_ref().and_then(|name| index.get(name)) {
            Some(&at) => {
                let slot = &mut pairs[at].1;
                match (&mut slot.value, value.value) {
                    (Value::Seq(base_items), Value::Seq(items)) if concatenate => {
                        base_items.extend(items);
                    }
                    (_, value_kind) => {
                        *slot = Node {
                            value: value_kind,
                            span: value.span,
                        };
                    }
                }
                pairs[at].0 = key;
            }
            None => {
                if let Some(name) = name {
                    index.insert(name, pairs.len());
                }
                pairs.push((key, value));
            }
        }
    };
    for (key, value) in into_pairs(base) {
        put(key, value, false);
    }
    for (key, value) in into_pairs(included) {
        put(key, value, true);
    }
    Node {
        value: Value::Map(pairs),
        span,
    }
}

fn into_pairs(node: Node) -> Vec<(Node, Node)> {
    match node.value {
        Value::Map(pairs) => pairs,
        _ => Vec::new(),
    }
}

fn include_error(at: &Node, message: String, help: &str) -> Diagnostic {
    Diagnostic::error(BAD_INCLUDE, message, help).at(Some(at.span))
}
