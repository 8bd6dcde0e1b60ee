//! Capability checks: what the chosen server cannot do for Claude Code, what would make its config
//! unsafe or unusable, and what it silently ignores. One module per concern.

pub mod codes;
mod credentials;
mod ignored;
mod kong;
mod limits;
mod providers;
mod tls;
mod urls;

use gwscript_plugin::model::Gateway;
use gwscript_plugin::{Diagnostic, Setup};

pub fn run(setup: &Setup, gateway: &Gateway) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    diagnostics.extend(urls::check(gateway));
    diagnostics.extend(limits::check(gateway));
    diagnostics.extend(tls::check(gateway));
    diagnostics.extend(credentials::check(setup, gateway));
    diagnostics.extend(providers::check(gateway));
    diagnostics.extend(ignored::check(gateway));
    diagnostics.extend(kong::check(setup, gateway));
    diagnostics
}
