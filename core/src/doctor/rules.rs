//! The settings rules (`client::settings_file`) on the merged view: one settings document holding
//! the effective `env` and top-level settings, laid over the shell, judged as a whole, so a
//! conflict between layers (a base URL in the user's file, a provider switch in the project's) is
//! found as it would be in one file. Each finding is then moved back to the file and line the
//! entry it points at came from.
//!
//! The document has one entry per line, so a finding's line says which entry it is about. The
//! rules judge by scope (a credential is an error in the committed project file, a warning in the
//! user's): the document is judged once as each layer that contributes to it, and each finding is
//! kept from the pass whose scope is that of the file it points into.

use super::layers::Layer;
use super::{At, Effective, Value};
use crate::check::Finding;
use crate::client::settings_file::{self, SettingsCheck, SettingsScope};
use gwscript_plugin::Severity;
use gwscript_plugin::model::Span;
use std::collections::BTreeMap;
use std::path::Path;

/// Where an entry of the merged document came from.
#[derive(Debug, Clone, Copy)]
struct Line {
    layer: usize,
    at: At,
    /// The column its value starts at in the merged document.
    value_column: u32,
}

/// The merged document and, per line, the entry on it.
#[derive(Debug, Default)]
struct Merged {
    text: String,
    lines: Vec<Option<Line>>,
}

impl Merged {
    fn push(&mut self, text: &str, from: Option<Line>) {
        self.text.push_str(text);
        self.text.push('\n');
        self.lines.push(from);
    }

    fn entry(&mut self, effective: &Effective, last: bool) {
        let Some(at) = effective.origin.at else {
            return;
        };
        let name = serde_json::Value::String(effective.name.clone()).to_string();
        let value = match &effective.value {
            Value::Text(text) => serde_json::Value::String(text.clone()).to_string(),
            Value::Json(json) => json.clone(),
        };
        let comma = if last { "" } else { "," };
        let line = Line {
            layer: effective.origin.layer,
            at,
            value_column: u32::try_from(name.chars().count() + 3).unwrap_or(u32::MAX),
        };
        self.push(&format!("{name}: {value}{comma}"), Some(line));
    }

    /// The file and place a finding at `span` of the document is about.
    fn origin(&self, span: Option<Span>) -> Option<(usize, Span)> {
        let span = span?;
        let line = (*self.lines.get(span.line.checked_sub(1)? as usize)?)?;
        let at = if span.column >= line.value_column {
            line.at.value
        } else {
            line.at.name
        };
        Some((line.layer, at))
    }
}

/// The merged document of the entries that come from settings files (the shell's reach the rules
/// as their environment).
fn merged(variables: &[Effective], settings: &[Effective]) -> Merged {
    let in_file = |e: &&Effective| e.origin.at.is_some();
    let variables: Vec<&Effective> = variables.iter().filter(in_file).collect();
    let settings: Vec<&Effective> = settings.iter().filter(in_file).collect();
    let mut document = Merged::default();
    document.push("{", None);
    for setting in settings {
        document.entry(setting, false);
    }
    document.push("\"env\": {", None);
    for (index, variable) in variables.iter().enumerate() {
        document.entry(variable, index + 1 == variables.len());
    }
    document.push("}", None);
    document.push("}", None);
    document
}

/// What the settings rules find in the effective configuration, each finding in the file it is
/// about (none for one about the environment alone). An `apiKeyHelper` that cannot run here is an
/// error: doctor judges this machine.
pub fn check(
    layers: &[Layer],
    variables: &[Effective],
    settings: &[Effective],
    shell: &BTreeMap<String, String>,
    project: &Path,
) -> Vec<Finding> {
    let document = merged(variables, settings);
    let claude_dir = super::layers::project_file(project, "");
    let mut contributing: Vec<usize> = document.lines.iter().flatten().map(|l| l.layer).collect();
    contributing.sort_unstable();
    contributing.dedup();
    // With no file in the view, the rules still judge the shell: once, as a project would be.
    let passes: Vec<(Option<usize>, SettingsScope, &str)> = if contributing.is_empty() {
        vec![(None, SettingsScope::Project, "")]
    } else {
        contributing
            .iter()
            .map(|&index| {
                let layer = &layers[index];
                (
                    Some(index),
                    layer.scope().unwrap_or(SettingsScope::Project),
                    layer.file(),
                )
            })
            .collect()
    };
    let mut found = Vec::new();
    for (pass, (layer, scope, path)) in passes.into_iter().enumerate() {
        let file = SettingsCheck {
            path,
            text: &document.text,
            scope,
            environment: Some(shell),
            base_dir: &claude_dir,
        };
        for mut diagnostic in settings_file::check_with(&file, Severity::Error) {
            let origin = document.origin(diagnostic.span);
            let keep = match origin {
                Some((index, _)) => Some(index) == layer,
                None => pass == 0,
            };
            if !keep {
                continue;
            }
            let file = match origin {
                Some((index, span)) => {
                    diagnostic.span = Some(span);
                    layers[index].file().to_owned()
                }
                None => {
                    diagnostic.span = None;
                    String::new()
                }
            };
            found.push(Finding { file, diagnostic });
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doctor::Origin;

    fn effective(name: &str, value: Value, layer: usize, line: u32) -> Effective {
        let at = |column| Span { line, column };
        Effective {
            name: name.to_owned(),
            value,
            origin: Origin {
                layer,
                at: Some(At {
                    name: at(5),
                    value: at(20),
                }),
            },
            shadowed: Vec::new(),
        }
    }

    #[test]
    fn the_merged_document_has_one_entry_a_line_and_leads_back_to_each_file() {
        let shell_only = Effective {
            origin: Origin { layer: 3, at: None },
            ..effective("AWS_REGION", Value::Text("eu-west-1".into()), 3, 1)
        };
        let variables = [
            effective("ANTHROPIC_BASE_URL", Value::Text("https://gw".into()), 2, 7),
            shell_only,
            effective("API_TIMEOUT_MS", Value::Json("600000".into()), 0, 3),
        ];
        let settings = [effective(
            "apiKeyHelper",
            Value::Text("~/key \"x\"".into()),
            1,
            2,
        )];
        let document = merged(&variables, &settings);
        assert_eq!(
            document.text,
            "{\n\"apiKeyHelper\": \"~/key \\\"x\\\"\",\n\"env\": {\n\"ANTHROPIC_BASE_URL\": \"https://gw\",\n\"API_TIMEOUT_MS\": 600000\n}\n}\n",
            "the shell's variables are the rules' environment, not the document's"
        );
        assert!(serde_json::from_str::<serde_json::Value>(&document.text).is_ok());
        let at = |line, column| Some(Span { line, column });
        // On ANTHROPIC_BASE_URL's line: its name, then its value, in the user's file.
        assert_eq!(
            document.origin(at(4, 1)),
            Some((2, Span { line: 7, column: 5 }))
        );
        assert_eq!(
            document.origin(at(4, 23)),
            Some((
                2,
                Span {
                    line: 7,
                    column: 20
                }
            ))
        );
        assert_eq!(
            document.origin(at(2, 17)),
            Some((
                1,
                Span {
                    line: 2,
                    column: 20
                }
            ))
        );
        assert_eq!(document.origin(at(3, 1)), None, "`env` itself is no one's");
        assert_eq!(document.origin(None), None);
    }
}
