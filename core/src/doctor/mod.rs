//! `gwscript doctor`: the configuration Claude Code will actually use on this machine. Its
//! settings files and the shell are read in Claude Code's precedence order (`layers`); each
//! variable and setting is resolved to the layer it comes from and the ones it shadows
//! (`resolve`); the settings rules judge the merged view (`rules`); `--online` adds live checks of
//! the gateway and the proxy (`online`). Values are shown redacted (`redact`), like
//! `git config --show-origin` (`print`).

mod layers;
pub(crate) mod online;
pub mod print;
mod redact;
mod resolve;
mod rules;

use crate::check::Finding;
use gwscript_plugin::Diagnostic;
use gwscript_plugin::model::Span;
use std::collections::BTreeMap;
use std::path::PathBuf;

pub use layers::{Layer, Source, State};

/// What to look at.
#[derive(Debug)]
pub struct Request {
    /// The directory Claude Code starts in: its `.claude/` holds the project's settings.
    pub project: PathBuf,
    /// The file Claude Code's `--settings` would name.
    pub settings: Option<PathBuf>,
    /// Where the managed settings are.
    pub managed: PathBuf,
    /// The user's home directory, for `~/.claude/settings.json`.
    pub home: Option<PathBuf>,
    /// The shell's environment Claude Code starts from. Values are compared and used for the
    /// online checks, never shown unredacted.
    pub shell: BTreeMap<String, String>,
    /// Whether to add the live checks of the gateway and the proxy.
    pub online: bool,
}

/// A value as a settings file or the shell gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    Text(String),
    /// A value that is not a JSON string, as compact JSON text (the schema rules flag it in `env`).
    Json(String),
}

impl Value {
    /// The value as the file or the shell gives it (JSON text for a non-string).
    pub fn as_str(&self) -> &str {
        match self {
            Value::Text(text) | Value::Json(text) => text,
        }
    }
}

/// Where in a file an entry is: its name and its value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct At {
    pub name: Span,
    pub value: Span,
}

/// A name and value a layer sets.
#[derive(Debug, Clone)]
pub struct Entry {
    pub name: String,
    pub value: Value,
    pub at: Option<At>,
}

/// Which layer a value comes from (an index into [`Report::layers`]) and, in a file, where.
#[derive(Debug, Clone, Copy)]
pub struct Origin {
    pub layer: usize,
    pub at: Option<At>,
}

/// A value a higher layer replaces.
#[derive(Debug, Clone)]
pub struct Shadowed {
    pub origin: Origin,
    pub value: Value,
}

/// A variable or setting as Claude Code will see it.
#[derive(Debug, Clone)]
pub struct Effective {
    pub name: String,
    pub value: Value,
    pub origin: Origin,
    /// The lower layers that set it too, highest first.
    pub shadowed: Vec<Shadowed>,
}

impl Effective {
    /// The value, safe to print.
    pub fn shown(&self) -> String {
        redact::shown(&self.name, &self.value)
    }

    /// The value as text, when it is a non-empty string: what Claude Code uses.
    pub fn text(&self) -> Option<&str> {
        match &self.value {
            Value::Text(text) if !text.is_empty() => Some(text),
            _ => None,
        }
    }
}

/// What doctor found.
#[derive(Debug)]
pub struct Report {
    /// Every layer, highest first; the last is the environment.
    pub layers: Vec<Layer>,
    /// Every variable Claude Code gets, by name.
    pub variables: Vec<Effective>,
    /// The top-level settings that matter here (`apiKeyHelper`, `model`, `forceLoginMethod`).
    pub settings: Vec<Effective>,
    pub findings: Vec<Finding>,
}

impl Report {
    pub fn has_errors(&self) -> bool {
        self.findings.iter().any(|f| f.diagnostic.is_error())
    }

    /// Where a value comes from, as `git config --show-origin` says it: `file:PATH:LINE`, `env`.
    pub fn origin(&self, origin: Origin) -> String {
        let layer = &self.layers[origin.layer];
        match (&layer.path, origin.at) {
            (Some(path), Some(at)) => format!("file:{path}:{}", at.name.line),
            (Some(path), None) => format!("file:{path}"),
            (None, _) => "env".to_owned(),
        }
    }
}

/// Resolves the configuration of `request`. `Err` is a usage error: a `--settings` file that
/// cannot be read.
pub fn run(request: &Request) -> Result<Report, Diagnostic> {
    let (layers, mut findings) = layers::read(request)?;
    let (variables, settings) = resolve::resolve(&layers, &request.shell);
    findings.extend(resolve::conflicts(&variables, &layers));
    findings.extend(rules::check(
        &layers,
        &variables,
        &settings,
        &request.shell,
        &request.project,
    ));
    if request.online {
        findings.extend(online::check(&layers, &variables, &settings));
    }
    Ok(Report {
        layers,
        variables,
        settings,
        findings,
    })
}

/// A value's place for a message: `PATH:LINE`, or `the environment`.
fn place(layer: &Layer, at: Option<At>) -> String {
    match (&layer.path, at) {
        (Some(path), Some(at)) => format!("{path}:{}", at.name.line),
        (Some(path), None) => path.clone(),
        (None, _) => "the environment".to_owned(),
    }
}
