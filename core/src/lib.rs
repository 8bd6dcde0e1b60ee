//! gwscript: recipes that configure Claude Code behind an LLM gateway.
//!
//! The binary is thin (`cli`); everything else is a library so the tests and benchmarks drive the
//! same code paths the command line does.

pub mod cli;
pub mod probe;
