//! The guidance report: Quick Answer, Configuration Block, Verification Steps, Additional Context.
//! Built once as data, rendered as text, markdown or JSON.

mod build;
mod proxy;
mod render;

pub use build::{Contributor, ReportInput, build};
pub use render::{Format, render};

use crate::emit::Artifact;
use gwscript_plugin::Diagnostic;
pub use gwscript_plugin::report::{Route, Step};
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub title: String,
    pub quick_answer: Vec<String>,
    pub configuration: Vec<Block>,
    pub verification: Vec<Step>,
    pub additional_context: Context,
    pub artifacts: Vec<Artifact>,
    pub diagnostics: Vec<Diagnostic>,
}

/// A titled code block: a file's contents or a command.
#[derive(Debug, Clone, Serialize)]
pub struct Block {
    pub title: String,
    pub language: &'static str,
    pub body: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Context {
    /// One notice for each third-party plugin the setup uses.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub third_party_notices: Vec<String>,
    pub security: Vec<String>,
    pub notes: Vec<String>,
    /// The gateway's routes for Claude Code, from its plugin.
    pub routes: Vec<Route>,
    pub limitations: Vec<String>,
    pub troubleshooting: Vec<String>,
}
