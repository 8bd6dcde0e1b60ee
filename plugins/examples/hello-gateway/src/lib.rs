//! An example gwscript plugin for the Hello Gateway, a fictional gateway that forwards Claude
//! Code's Anthropic Messages requests to the Anthropic API and greets every client.
//!
//! It is built the way a third party builds a plugin: its own crate and workspace, depending only
//! on the `gwscript-plugin` SDK. Each module does one job:
//!
//! - [`manifest`]: what the plugin declares when it is loaded;
//! - [`options`]: the options recipes may give `gateway("hello", #{ … })`, as schemas and as
//!   typed values;
//! - [`checks`]: what the Hello Gateway cannot do with a setup, as `HELLO` diagnostics;
//! - [`rendering`]: the template context, the omitted templates and Claude Code's extra variable;
//! - [`report`]: the plugin's part of the guidance report.

mod assessments;
mod checks;
mod manifest;
mod options;
mod rendering;
mod report;

use gwscript_plugin::model::Gateway;
use gwscript_plugin::serde::Serialize;
use gwscript_plugin::{Diagnostic, Manifest, Plugin, Rendering, Setup, declare_plugin};

/// The kind recipes name in `gateway("hello", …)`.
const GATEWAY_KIND: &str = "hello";

/// The Hello Gateway plugin.
#[derive(Debug)]
pub struct HelloGateway;

impl Plugin for HelloGateway {
    fn manifest() -> Manifest {
        manifest::manifest()
    }

    /// The host calls this only for setups whose options passed the manifest's schemas.
    fn check(setup: &Setup) -> Vec<Diagnostic> {
        match hello_gateway(setup) {
            Ok(gateway) => checks::run(gateway),
            Err(_) => Vec::new(),
        }
    }

    fn render(setup: &Setup) -> Result<Rendering<impl Serialize>, String> {
        let gateway = hello_gateway(setup)?;
        Ok(rendering::build(setup, gateway))
    }

    fn pages() -> &'static [&'static str] {
        checks::PAGES
    }
}

/// The setup's gateway, if it is one this plugin builds.
fn hello_gateway(setup: &Setup) -> Result<&Gateway, String> {
    setup.require_gateway(GATEWAY_KIND)
}

declare_plugin!(HelloGateway);

#[cfg(test)]
mod tests {
    use super::*;
    use gwscript_plugin::testing::{assert_crosses_the_abi, gateway, rendered, setup_for};

    #[test]
    fn refuses_setups_it_does_not_serve() {
        let mut setup = setup_for(gateway("litellm", vec![], vec![]));
        assert!(HelloGateway::check(&setup).is_empty());
        assert!(
            rendered::<HelloGateway>(&setup)
                .unwrap_err()
                .contains("`litellm`")
        );
        setup.gateway = None;
        assert!(rendered::<HelloGateway>(&setup).is_err());
    }

    #[test]
    fn the_manifest_crosses_the_abi_as_json() {
        let manifest = HelloGateway::manifest();
        assert_crosses_the_abi(&manifest);
    }
}
