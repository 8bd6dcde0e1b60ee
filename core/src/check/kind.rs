//! Which kind a file is: Claude Code settings (the host's own kind), or a kind a plugin declares
//! in its manifest, recognised by extension, name and top-level keys.

use crate::plugin::{LoadedPlugin, Registry};
use gwscript_plugin::{Diagnostic, FileKind};
use std::path::Path;

/// The host's kind: Claude Code's `settings.json` at any scope.
pub const SETTINGS_KIND: &str = "claude-settings";

/// Settings file names Claude Code reads, at every scope.
const SETTINGS_NAMES: [&str; 3] = [
    "settings.json",
    "settings.local.json",
    "managed-settings.json",
];

/// Top-level keys that mark a JSON file of another name as Claude Code settings.
const SETTINGS_MARKERS: [&str; 8] = [
    "env",
    "permissions",
    "apiKeyHelper",
    "model",
    "hooks",
    "forceLoginMethod",
    "availableModels",
    "statusLine",
];

/// How many YAML events detection reads before giving up on finding a marker.
const MAX_DETECTION_EVENTS: usize = 1_000_000;

#[derive(Debug, Clone, Copy)]
pub enum Kind<'r> {
    Settings,
    Plugin(&'r LoadedPlugin, &'r FileKind),
}

impl Kind<'_> {
    pub fn id(&self) -> &str {
        match self {
            Kind::Settings => SETTINGS_KIND,
            Kind::Plugin(_, kind) => &kind.id,
        }
    }
}

/// Every file kind the installed plugins declare, with the plugin that checks it. The first
/// plugin to declare an id keeps it.
fn plugin_kinds(registry: &Registry) -> impl Iterator<Item = (&LoadedPlugin, &FileKind)> {
    let mut seen = std::collections::HashSet::new();
    registry
        .plugins
        .iter()
        .flat_map(|plugin| plugin.manifest.file_kinds.iter().map(move |k| (plugin, k)))
        .filter(move |(_, kind)| kind.id != SETTINGS_KIND && seen.insert(kind.id.as_str()))
}

/// The ids `--kind` accepts, for messages.
pub fn known_ids(registry: &Registry) -> Vec<&str> {
    std::iter::once(SETTINGS_KIND)
        .chain(plugin_kinds(registry).map(|(_, kind)| kind.id.as_str()))
        .collect()
}

/// The kind named `id` (`--kind`, `gwscript schema`), or a usage error listing the known ones.
pub fn by_id<'r>(id: &str, registry: &'r Registry) -> Result<Kind<'r>, Diagnostic> {
    if id == SETTINGS_KIND {
        return Ok(Kind::Settings);
    }
    plugin_kinds(registry)
        .find(|(_, kind)| kind.id == id)
        .map(|(plugin, kind)| Kind::Plugin(plugin, kind))
        .ok_or_else(|| {
            Diagnostic::error(
                "GW0010",
                format!("no file kind `{}`", id.escape_debug()),
                format!(
                    "the installed kinds are {}",
                    gwscript_plugin::suggest::first_few(&known_ids(registry), 8)
                ),
            )
        })
}

/// The kind that claims `path` by its name, or by its extension and a top-level key: what
/// settles a file's kind without knowing every installed plugin.
pub fn claimed<'r>(path: &Path, text: &str, registry: &'r Registry) -> Option<Kind<'r>> {
    let name = path.file_name()?.to_str()?;
    if SETTINGS_NAMES.contains(&name) {
        return Some(Kind::Settings);
    }
    let extension = path.extension()?.to_str()?.to_ascii_lowercase();
    let candidates: Vec<(&LoadedPlugin, &FileKind)> = candidates(&extension, registry).collect();
    let named = candidates
        .iter()
        .find(|(_, kind)| kind.default_names.iter().any(|n| n == name));
    let marked = || {
        candidates
            .iter()
            .find(|(_, kind)| has_any_top_level_key(text, &kind.markers))
    };
    named
        .or_else(marked)
        .map(|(plugin, kind)| Kind::Plugin(plugin, kind))
}

/// The kind of `path`: the one that claims it, else settings for a JSON file that looks like
/// them, else the one kind that reads its extension, when only one does.
pub fn detect<'r>(path: &Path, text: &str, registry: &'r Registry) -> Option<Kind<'r>> {
    if let Some(kind) = claimed(path, text, registry) {
        return Some(kind);
    }
    let extension = path.extension()?.to_str()?.to_ascii_lowercase();
    if extension == "json" && is_settings_json(path, text) {
        return Some(Kind::Settings);
    }
    let mut readers = candidates(&extension, registry);
    match (readers.next(), readers.next()) {
        (Some((plugin, kind)), None) => Some(Kind::Plugin(plugin, kind)),
        _ => None,
    }
}

/// The plugin kinds that read files ending in `extension`.
fn candidates<'r>(
    extension: &str,
    registry: &'r Registry,
) -> impl Iterator<Item = (&'r LoadedPlugin, &'r FileKind)> {
    plugin_kinds(registry).filter(move |(_, kind)| kind.extensions.iter().any(|e| e == extension))
}

/// A JSON file of another name is settings when it sits in a `.claude` directory or its
/// top-level object holds a settings key.
fn is_settings_json(path: &Path, text: &str) -> bool {
    let in_claude_dir = path
        .parent()
        .and_then(Path::file_name)
        .is_some_and(|dir| dir == ".claude");
    in_claude_dir || has_any_top_level_key(text, &SETTINGS_MARKERS)
}

/// Whether the document's top-level mapping has one of `markers` as a key. JSON is read as YAML
/// (its superset for this purpose). Reading stops at the first marker, so detection costs next to
/// nothing on a config that starts with one.
fn has_any_top_level_key(text: &str, markers: &[impl AsRef<str>]) -> bool {
    use saphyr_parser::{Event, Parser};
    let mut parser = Parser::new_from_str(text);
    // Depth 1 is the top-level mapping; at it, scalars alternate key, value.
    let mut depth = 0usize;
    let mut next_is_key = false;
    for _ in 0..MAX_DETECTION_EVENTS {
        let Some(Ok((event, _))) = parser.next() else {
            return false;
        };
        match event {
            Event::SequenceStart(..) if depth == 0 => return false,
            // At depth 1 a nested value completes a pair: the scalar after it is a key.
            Event::MappingStart(..) | Event::SequenceStart(..) => {
                depth += 1;
                next_is_key = true;
            }
            Event::MappingEnd | Event::SequenceEnd => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return false;
                }
            }
            Event::Scalar(value, ..) if depth == 1 => {
                if next_is_key && markers.iter().any(|m| m.as_ref() == value.as_ref()) {
                    return true;
                }
                next_is_key = !next_is_key;
            }
            Event::Alias(_) if depth == 1 => next_is_key = !next_is_key,
            Event::StreamEnd => return false,
            _ => {}
        }
    }
    false
}

/// GW0009: a file whose kind no rule recognises.
pub fn unknown(path: &Path, registry: &Registry) -> Diagnostic {
    Diagnostic::error(
        "GW0009",
        format!("cannot tell what kind of file {} is", path.display()),
        format!(
            "name the kind with --kind ({}); a gateway config is recognised by its top-level keys, Claude Code settings by the name settings.json",
            gwscript_plugin::suggest::first_few(&known_ids(registry), 8)
        ),
    )
    .at(Some(gwscript_plugin::model::Span { line: 1, column: 1 }))
}
