//! Names of host features a plugin may list in its manifest's `requires`.
//!
//! Everything in ABI 2 with JSON version 1 is the baseline and needs no entry. A feature added
//! later gets a name here; a plugin that cannot work without it lists the name, and a host that
//! predates it refuses the plugin instead of misbehaving.

/// Features every ABI 2 host offers.
pub const BASELINE: &[&str] = &[
    "option-schemas",
    "client-contract",
    "report-contributions",
    "diagnostic-pages",
    "template-purposes",
];
