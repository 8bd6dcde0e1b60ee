//! Builds the [`Node`] tree from the parser's events, one event at a time, counting as it goes:
//! a bound is checked before the work it limits is done, so hostile input stops early.

use super::scalar::{bool_value, float_value, int_value, resolve_plain};
use super::{MAX_DEPTH, MAX_EXPANDED_BYTES, MAX_NODES, Node, Value, YamlError};
use crate::model::Span;
use saphyr_parser::{Event, Parser, ScalarStyle, Tag};
use std::collections::{HashMap, HashSet};

/// PyYAML's reader refuses every character outside YAML's printable set before parsing; so do
/// we, which also keeps NUL and other control bytes away from the parser.
pub(crate) fn check_characters(text: &str) -> Result<(), YamlError> {
    if all_printable(text) {
        return Ok(());
    }
    let Some(at) = text.find(|c: char| !is_printable(c)) else {
        return Ok(());
    };
    let before = &text[..at];
    let line = before.matches('\n').count() + 1;
    let column = before[before.rfind('\n').map_or(0, |n| n + 1)..]
        .chars()
        .count()
        + 1;
    let found = text[at..].chars().next().map_or(0, u32::from);
    Err(YamlError {
        message: format!("YAML does not allow the control character U+{found:04X} here"),
        span: Some(span(line, column)),
    })
}

/// Whether [`check_characters`] accepts `text`; a byte scan when it is ASCII, as configs are.
pub(crate) fn all_printable(text: &str) -> bool {
    text.bytes()
        .all(|b| matches!(b, b'\t' | b'\n' | b'\r' | b' '..=b'~'))
        || text.chars().all(is_printable)
}

fn is_printable(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | ' '..='~' | '\u{85}' | '\u{A0}'..='\u{FFFD}')
        || u32::from(c) >= 0x1_0000
}

/// A node kept for its aliases, with what copying it costs.
struct Anchored {
    node: Node,
    cost: Cost,
}

/// What a subtree holds: nodes, scalar bytes and nesting height (0 for a scalar).
#[derive(Clone, Copy, Default)]
struct Cost {
    nodes: usize,
    bytes: usize,
    height: usize,
}

impl Cost {
    fn add_child(&mut self, child: Cost) {
        self.nodes += child.nodes;
        self.bytes += child.bytes;
        self.height = self.height.max(child.height + 1);
    }
}

/// An open list or mapping.
struct Frame {
    span: Span,
    anchor: usize,
    cost: Cost,
    kind: FrameKind,
}

enum FrameKind {
    Seq(Vec<Node>),
    Map {
        pairs: Vec<(Node, Node)>,
        /// The key read, waiting for its value, and whether it is a merge key (`<<`).
        key: Option<(Node, bool)>,
        /// Indexes in `pairs` of merge keys, flattened when the mapping ends.
        merges: Vec<usize>,
    },
}

#[derive(Default)]
pub(super) struct Builder {
    stack: Vec<Frame>,
    anchors: HashMap<usize, Anchored>,
    /// Nodes made so far, each alias counting every node it copies.
    nodes: usize,
    /// Scalar bytes copied by aliases (and kept for them).
    expanded_bytes: usize,
    documents: usize,
    root: Option<Node>,
}

impl Builder {
    pub(super) fn run(mut self, text: &str) -> Result<Option<Node>, YamlError> {
        let mut parser = Parser::new_from_str(text);
        while let Some(event) = parser.next_event() {
            let (event, at) = event?;
            let at = marker_span(&at.start);
            match event {
                Event::DocumentStart(_) => {
                    self.documents += 1;
                    if self.documents > 1 {
                        return Err(error_at(
                            "expected a single document in the stream, but found another document",
                            at,
                        ));
                    }
                }
                Event::Scalar(text, style, anchor, tag) => {
                    let empty_root = self.stack.is_empty()
                        && text.is_empty()
                        && style == ScalarStyle::Plain
                        && tag.is_none()
                        && anchor == 0;
                    if empty_root {
                        continue;
                    }
                    let merge = style == ScalarStyle::Plain && tag.is_none() && text == "<<"
                        || tag
                            .as_deref()
                            .is_some_and(|t| core_suffix(t) == Some("merge"));
                    let value = scalar_value(&text, style, tag.as_deref(), at)?;
                    let cost = Cost {
                        nodes: 1,
                        bytes: text.len(),
                        height: 0,
                    };
                    self.count(1, 0, at)?;
                    self.complete(Node { value, span: at }, cost, anchor, merge)?;
                }
                Event::SequenceStart(anchor, tag) => {
                    self.open(at, anchor, tag.as_deref(), FrameKind::Seq(Vec::new()))?;
                }
                Event::MappingStart(anchor, tag) => {
                    let kind = FrameKind::Map {
                        pairs: Vec::new(),
                        key: None,
                        merges: Vec::new(),
                    };
                    self.open(at, anchor, tag.as_deref(), kind)?;
                }
                Event::SequenceEnd | Event::MappingEnd => self.close()?,
                Event::Alias(id) => self.alias(id, at)?,
                Event::StreamStart | Event::DocumentEnd | Event::Nothing | Event::StreamEnd => {}
            }
        }
        Ok(self.root)
    }

    fn count(&mut self, nodes: usize, bytes: usize, at: Span) -> Result<(), YamlError> {
        self.nodes += nodes;
        self.expanded_bytes += bytes;
        if self.nodes > MAX_NODES {
            return Err(error_at(
                &format!(
                    "the document has more than {MAX_NODES} nodes, counting what aliases repeat"
                ),
                at,
            ));
        }
        if self.expanded_bytes > MAX_EXPANDED_BYTES {
            return Err(error_at(
                &format!("aliases repeat more than {MAX_EXPANDED_BYTES} bytes of text"),
                at,
            ));
        }
        Ok(())
    }

    fn open(
        &mut self,
        at: Span,
        anchor: usize,
        tag: Option<&Tag>,
        kind: FrameKind,
    ) -> Result<(), YamlError> {
        if let Some(tag) = tag.filter(|tag| !tag.is_yaml_core_schema()) {
            return Err(unsupported_tag(tag, at));
        }
        if self.stack.len() >= MAX_DEPTH {
            return Err(too_deep(at));
        }
        self.count(1, 0, at)?;
        self.stack.push(Frame {
            span: at,
            anchor,
            cost: Cost {
                nodes: 1,
                bytes: 0,
                height: 1,
            },
            kind,
        });
        Ok(())
    }

    fn close(&mut self) -> Result<(), YamlError> {
        let Some(frame) = self.stack.pop() else {
            return Ok(());
        };
        let value = match frame.kind {
            FrameKind::Seq(items) => Value::Seq(items),
            FrameKind::Map { pairs, merges, .. } if merges.is_empty() => Value::Map(pairs),
            FrameKind::Map { pairs, merges, .. } => Value::Map(flatten_merges(pairs, &merges)?),
        };
        let node = Node {
            value,
            span: frame.span,
        };
        self.complete(node, frame.cost, frame.anchor, false)
    }

    fn alias(&mut self, id: usize, at: Span) -> Result<(), YamlError> {
        // An anchor is stored when its node ends, so an alias inside its own anchor finds nothing.
        let Some(anchored) = self.anchors.get(&id) else {
            return Err(error_at("an alias refers to a node that contains it", at));
        };
        let cost = anchored.cost;
        if self.stack.len() + cost.height > MAX_DEPTH {
            return Err(too_deep(at));
        }
        self.count(cost.nodes, cost.bytes, at)?;
        let mut node = self.anchors[&id].node.clone();
        node.span = at;
        self.complete(node, cost, 0, false)
    }

    /// Puts a finished node into the open collection (or makes it the root), and keeps a copy
    /// for the aliases of its anchor.
    fn complete(
        &mut self,
        node: Node,
        cost: Cost,
        anchor: usize,
        merge: bool,
    ) -> Result<(), YamlError> {
        if anchor != 0 {
            self.count(cost.nodes, cost.bytes, node.span)?;
            self.anchors.insert(
                anchor,
                Anchored {
                    node: node.clone(),
                    cost,
                },
            );
        }
        let Some(frame) = self.stack.last_mut() else {
            self.root = Some(node);
            return Ok(());
        };
        frame.cost.add_child(cost);
        match &mut frame.kind {
            FrameKind::Seq(items) => items.push(node),
            FrameKind::Map {
                pairs, key, merges, ..
            } => match key.take() {
                None => *key = Some((node, merge)),
                Some((key_node, is_merge)) => {
                    if is_merge {
                        merges.push(pairs.len());
                    }
                    pairs.push((key_node, node));
                }
            },
        }
        Ok(())
    }
}

/// PyYAML's merge keys: `<<: *defaults` (or a list of them) adds the pairs of those mappings
/// whose keys the mapping does not set itself, where the `<<` stood; earlier mappings in the
/// list win over later ones.
fn flatten_merges(
    pairs: Vec<(Node, Node)>,
    merges: &[usize],
) -> Result<Vec<(Node, Node)>, YamlError> {
    let mut taken: HashSet<String> = pairs
        .iter()
        .enumerate()
        .filter(|(index, _)| !merges.contains(index))
        .filter_map(|(_, (key, _))| key.as_str().map(str::to_owned))
        .collect();
    let mut flat = Vec::with_capacity(pairs.len());
    for (index, (key, value)) in pairs.into_iter().enumerate() {
        if !merges.contains(&index) {
            flat.push((key, value));
            continue;
        }
        let sources = match value.value {
            Value::Map(_) => vec![value],
            Value::Seq(items) if items.iter().all(|item| item.as_map().is_some()) => items,
            _ => {
                return Err(error_at(
                    "expected a mapping or list of mappings for merging",
                    value.span,
                ));
            }
        };
        for source in sources {
            let Value::Map(source_pairs) = source.value else {
                continue;
            };
            for (merged_key, merged_value) in source_pairs {
                let fresh = match merged_key.as_str() {
                    Some(name) => taken.insert(name.to_owned()),
                    None => true,
                };
                if fresh {
                    flat.push((merged_key, merged_value));
                }
            }
        }
    }
    Ok(flat)
}

/// A scalar's value: quoted and block scalars are strings, plain ones resolve as PyYAML does,
/// and the core tags `yaml.safe_load` constructs (`!!str`, `!!int`, …) are honoured.
fn scalar_value(
    text: &str,
    style: ScalarStyle,
    tag: Option<&Tag>,
    at: Span,
) -> Result<Value, YamlError> {
    let Some(tag) = tag else {
        return Ok(if style == ScalarStyle::Plain {
            resolve_plain(text)
        } else {
            Value::String(text.to_owned())
        });
    };
    // The non-specific tag `!` means "a string".
    if tag.handle.is_empty() && tag.suffix == "!" || tag.handle == "!" && tag.suffix.is_empty() {
        return Ok(Value::String(text.to_owned()));
    }
    let Some(suffix) = core_suffix(tag) else {
        return Err(unsupported_tag(tag, at));
    };
    let invalid = || error_at(&format!("`{text}` is not a valid !!{suffix}"), at);
    Ok(match suffix {
        "int" => int_value(text).ok_or_else(invalid)?,
        // PyYAML's float constructor ends in Python's float(), which also takes `1e3` and `12`.
        "float" => Value::Float(
            float_value(text)
                .or_else(|| text.replace('_', "").parse().ok())
                .ok_or_else(invalid)?,
        ),
        "bool" => Value::Bool(bool_value(&text.to_ascii_lowercase()).ok_or_else(invalid)?),
        "null" => Value::Null,
        _ => Value::String(text.to_owned()),
    })
}

fn core_suffix(tag: &Tag) -> Option<&str> {
    tag.is_yaml_core_schema().then_some(tag.suffix.as_str())
}

fn unsupported_tag(tag: &Tag, at: Span) -> YamlError {
    error_at(
        &format!("yaml.safe_load cannot construct a value tagged `{tag}`"),
        at,
    )
}

fn too_deep(at: Span) -> YamlError {
    error_at(
        &format!("lists and mappings are nested more than {MAX_DEPTH} deep"),
        at,
    )
}

fn error_at(message: &str, at: Span) -> YamlError {
    YamlError {
        message: message.to_owned(),
        span: Some(at),
    }
}

#[cfg(feature = "render")]
impl YamlError {
    /// `message` about the text at `marker`, for the renderer's re-parse.
    pub(crate) fn at_marker(message: &str, marker: &saphyr_parser::Marker) -> YamlError {
        error_at(message, marker_span(marker))
    }
}

impl From<saphyr_parser::ScanError> for YamlError {
    fn from(error: saphyr_parser::ScanError) -> Self {
        YamlError {
            message: error.info().to_owned(),
            span: Some(marker_span(error.marker())),
        }
    }
}

fn marker_span(marker: &saphyr_parser::Marker) -> Span {
    span(marker.line(), marker.col() + 1)
}

fn span(line: usize, column: usize) -> Span {
    let clamp = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
    Span {
        line: clamp(line),
        column: clamp(column),
    }
}
