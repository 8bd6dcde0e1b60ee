//! The places Claude Code reads its configuration from, highest precedence first (claude-code.md
//! §4): managed settings, the command line's `--settings`, the project's local and shared
//! settings, the user's, then the shell. Each settings file is read, judged parseable the way
//! Claude Code judges it, and taken apart into the entries doctor reports, each with its place.

use super::{At, Entry, Request, Value};
use crate::check::Finding;
use crate::client::settings_file::SettingsScope;
use crate::client::settings_file::document::{self, Step};
use gwscript_plugin::{Diagnostic, Severity};
use jsonc_parser::common::Ranged;
use std::path::{Path, PathBuf};

/// Top-level settings doctor reports beside `env`: the ones that decide how Claude Code
/// authenticates and which model it asks for.
const TOP_KEYS: [&str; 3] = ["apiKeyHelper", "model", "forceLoginMethod"];

/// Where a layer comes from, in Claude Code's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Managed,
    CommandLine,
    Local,
    Project,
    User,
    /// The shell's environment Claude Code starts from.
    Env,
}

impl Source {
    /// The name output uses: `managed`, `command line`, …, `env`.
    pub fn name(self) -> &'static str {
        match self {
            Source::Managed => "managed",
            Source::CommandLine => "command line",
            Source::Local => "local",
            Source::Project => "project",
            Source::User => "user",
            Source::Env => "env",
        }
    }
}

/// One layer and what doctor could make of it.
#[derive(Debug)]
pub struct Layer {
    pub source: Source,
    /// The file, as shown; `None` for the environment.
    pub path: Option<String>,
    pub state: State,
}

#[derive(Debug)]
pub enum State {
    /// No file there (or no `--settings`).
    Absent,
    /// A file Claude Code cannot use: unreadable, not text, not JSON. It counts for nothing.
    Ignored,
    /// Read and parsed: its text (for showing source lines), its `env` and top-level entries.
    Read {
        text: String,
        env: Vec<Entry>,
        top: Vec<Entry>,
    },
    /// The shell's variables.
    Env,
}

impl Layer {
    pub fn present(&self) -> bool {
        !matches!(self.state, State::Absent)
    }

    /// Where a file layer is, for diagnostics: its path as shown, or `""` for the environment.
    pub fn file(&self) -> &str {
        self.path.as_deref().unwrap_or_default()
    }

    /// The scope the settings rules judge this file as. The command line's file is judged by
    /// its path, as `gwscript check` would judge it.
    pub fn scope(&self) -> Option<SettingsScope> {
        Some(match self.source {
            Source::Managed => SettingsScope::Managed,
            Source::CommandLine => SettingsScope::of_path(Path::new(self.path.as_deref()?)),
            Source::Local => SettingsScope::Local,
            Source::Project => SettingsScope::Project,
            Source::User => SettingsScope::User,
            Source::Env => return None,
        })
    }
}

/// Every layer of `request`, highest first, and the findings reading them made (an unreadable
/// file, a file that is not JSON). `Err` when the file named by `--settings` cannot be read: a
/// usage error, as for any file named on the command line.
pub fn read(request: &Request) -> Result<(Vec<Layer>, Vec<Finding>), Diagnostic> {
    let places = [
        (Source::Managed, Some(request.managed.clone())),
        (Source::CommandLine, request.settings.clone()),
        (
            Source::Local,
            Some(project_file(&request.project, "settings.local.json")),
        ),
        (
            Source::Project,
            Some(project_file(&request.project, "settings.json")),
        ),
        (
            Source::User,
            request
                .home
                .as_ref()
                .map(|home| home.join(".claude").join("settings.json")),
        ),
    ];
    let mut layers = Vec::new();
    let mut found = Vec::new();
    for (source, path) in places {
        let mut layer = Layer {
            source,
            path: path.as_ref().map(|p| p.display().to_string()),
            state: State::Absent,
        };
        let (Some(path), Some(shown)) = (path, layer.path.clone()) else {
            layers.push(layer);
            continue;
        };
        let mut skip = |diagnostic| {
            found.push(Finding {
                file: shown.clone(),
                diagnostic,
            });
            State::Ignored
        };
        layer.state = match read_file(&path) {
            Ok(None) if source == Source::CommandLine => {
                return Err(unreadable(&shown, "it does not exist", Severity::Error));
            }
            Ok(None) => State::Absent,
            Ok(Some(text)) => match parse(&text) {
                Ok((env, top)) => State::Read { text, env, top },
                Err(not_json) => skip(not_json),
            },
            Err(why) if source == Source::CommandLine => {
                return Err(unreadable(&shown, &why, Severity::Error));
            }
            Err(why) => skip(unreadable(&shown, &why, Severity::Warning)),
        };
        layers.push(layer);
    }
    layers.push(Layer {
        source: Source::Env,
        path: None,
        state: State::Env,
    });
    Ok((layers, found))
}

/// `DIR/.claude/NAME`, shown without a leading `./` for the current directory.
pub fn project_file(project: &Path, name: &str) -> PathBuf {
    let claude = if project == Path::new(".") {
        PathBuf::from(".claude")
    } else {
        project.join(".claude")
    };
    if name.is_empty() {
        claude
    } else {
        claude.join(name)
    }
}

/// The file's text; `None` when there is no file; `Err` with why it cannot be read.
fn read_file(path: &Path) -> Result<Option<String>, String> {
    match std::fs::symlink_metadata(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        _ => {}
    }
    let bytes =
        crate::script::read_regular_file(path, crate::check::MAX_FILE_BYTES, "settings files")?;
    String::from_utf8(bytes)
        .map(Some)
        .map_err(|_| "it is not UTF-8 text".to_owned())
}

/// GW5051: a settings file Claude Code would read, that cannot be read. A warning for a file in
/// a usual place (Claude Code skips it too); an error, exit 2, for the file `--settings` names.
fn unreadable(shown: &str, why: &str, severity: Severity) -> Diagnostic {
    let mut diagnostic = Diagnostic::warning(
        "GW5051",
        format!("cannot read {shown}: {why}"),
        "Claude Code runs as the same user and cannot use it either: fix the file's permissions or type, or remove it",
    );
    diagnostic.severity = severity;
    diagnostic
}

/// The file's `env` entries and top-level entries, in file order (of a key given twice, the
/// last, as Claude Code keeps it), or the settings rules' GW5012 when Claude Code cannot parse it.
fn parse(text: &str) -> Result<(Vec<Entry>, Vec<Entry>), Diagnostic> {
    // The settings rules' own reading, which judges the syntax as Claude Code does (strict JSON).
    let document = document::parse(text)?;
    let entries = |path: &[Step<'_>], wanted: &dyn Fn(&str) -> bool| -> Vec<Entry> {
        document
            .properties(path)
            .into_iter()
            .filter(|property| wanted(property.name.as_str()))
            .map(|property| {
                let name = property.name.as_str();
                let value = path.iter().fold(&document.value, |value, step| match step {
                    Step::Key(key) => &value[*key],
                    Step::Index(at) => &value[*at],
                });
                Entry {
                    name: name.to_owned(),
                    value: match &value[name] {
                        serde_json::Value::String(text) => Value::Text(text.clone()),
                        other => Value::Json(other.to_string()),
                    },
                    at: Some(At {
                        name: document.span_at(property.name.start()),
                        value: document.span_at(property.value.start()),
                    }),
                }
            })
            .collect()
    };
    let top = entries(&[], &|name| TOP_KEYS.contains(&name));
    let env = entries(&[Step::Key("env")], &|_| true);
    Ok((env, top))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_carry_their_lines_and_the_last_of_a_key_given_twice_wins() {
        let text = "\u{feff}{\n  \"model\": \"opus\",\n  \"env\": {\n    \"A\": \"1\",\n    \"é\": 2,\n    \"A\": \"3\"\n  },\n  \"permissions\": {}\n}";
        let (env, top) = parse(text).expect("parses");
        let shown: Vec<(&str, &Value, u32, u32)> = env
            .iter()
            .map(|e| {
                let at = e.at.expect("in a file");
                (e.name.as_str(), &e.value, at.name.line, at.value.column)
            })
            .collect();
        assert_eq!(
            shown,
            [
                ("é", &Value::Json("2".into()), 5, 10),
                ("A", &Value::Text("3".into()), 6, 10)
            ]
        );
        assert_eq!(top.len(), 1);
        assert_eq!(top[0].name, "model");
        assert_eq!(
            top[0].at.map(|a| (a.name.line, a.name.column)),
            Some((2, 3))
        );
    }

    #[test]
    fn a_file_claude_code_cannot_parse_gets_the_settings_rules_verdict() {
        let not_json = parse("{\"env\": {\"A\": \"1\",}}").expect_err("a trailing comma");
        assert_eq!(not_json.code, "GW5012");
        let (env, top) = parse("[1, 2]").expect("JSON");
        assert!(
            env.is_empty() && top.is_empty(),
            "not an object: nothing to use"
        );
    }

    #[test]
    fn project_files_are_shown_without_a_leading_dot_slash() {
        assert_eq!(
            project_file(Path::new("."), "settings.json"),
            PathBuf::from(".claude/settings.json")
        );
        assert_eq!(
            project_file(Path::new("/srv/app"), "settings.local.json"),
            PathBuf::from("/srv/app/.claude/settings.local.json")
        );
    }
}
