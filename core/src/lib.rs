//! gwscript: recipes that configure Claude Code behind an LLM gateway.
//!
//! The binary is thin (`cli`); everything else is a library so the tests and benchmarks drive the
//! same code paths the command line does.

pub mod catalog;
pub mod check;
pub mod cli;
pub mod client;
pub mod diag;
pub mod doctor;
pub mod emit;
pub mod plugin;
pub mod probe;
pub mod report;
pub mod run;
pub mod script;
