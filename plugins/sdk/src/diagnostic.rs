//! Diagnostics: every user-facing finding has a stable code, a severity, a help line and, where a
//! source exists, a span. Plugins return them from `check`; the host renders them at the edge.

use crate::model::Span;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Note,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Note => "note",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Diagnostic {
    /// A code of the manifest's [`crate::Codes`] (`HELLO0001`), or the host's (`GW` and four
    /// digits); never reused for another meaning. Every code a plugin raises needs a page.
    pub code: String,
    pub severity: Severity,
    pub message: String,
    /// One line telling the user what to do about it.
    pub help: String,
    /// Where in the recipe the finding is: shown with the source line and a caret. Take it from
    /// the value the finding is about (`Gateway::option_span`, `Deployment::span`, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub span: Option<Span>,
    /// The source at `span` may hold a secret value: renderers mask its string literals.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub sensitive: bool,
    /// For a file check: the file `span` points into, when it is not the file checked (one that
    /// file includes). Absent for recipe findings and for the checked file itself.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
}

impl Diagnostic {
    pub fn error(code: &str, message: impl Into<String>, help: impl Into<String>) -> Self {
        Self::new(code, Severity::Error, message, help)
    }

    pub fn warning(code: &str, message: impl Into<String>, help: impl Into<String>) -> Self {
        Self::new(code, Severity::Warning, message, help)
    }

    pub fn note(code: &str, message: impl Into<String>, help: impl Into<String>) -> Self {
        Self::new(code, Severity::Note, message, help)
    }

    fn new(
        code: &str,
        severity: Severity,
        message: impl Into<String>,
        help: impl Into<String>,
    ) -> Self {
        Diagnostic {
            code: code.to_owned(),
            severity,
            message: message.into(),
            help: help.into(),
            span: None,
            sensitive: false,
            file: None,
        }
    }

    pub fn at(mut self, span: Option<Span>) -> Self {
        self.span = span;
        self
    }

    /// Places the finding in `file` (an included file) rather than the file checked.
    pub fn in_file(mut self, file: impl Into<String>) -> Self {
        self.file = Some(file.into());
        self
    }

    /// Marks the spanned source as possibly holding a secret value, so it is never echoed.
    pub fn sensitive(mut self) -> Self {
        self.sensitive = true;
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}
