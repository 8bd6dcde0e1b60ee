//! How the hooks reach developers: managed settings for an organisation, and a hook script at a
//! fixed place that no repository can substitute.

use super::codes::{NOT_MANAGED_SCOPE, RELATIVE_HOOK_PATH};
use gwscript_plugin::model::{Gateway, Scope};
use gwscript_plugin::{Diagnostic, Setup};

pub fn check(setup: &Setup, gateway: &Gateway) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    let scope = setup.client.scope;
    if scope != Scope::Managed {
        diagnostics.push(
            Diagnostic::warning(
                NOT_MANAGED_SCOPE,
                format!(
                    "the MintMCP hooks are written for {} scope, where each developer can edit or \
                     drop them; an organisation-wide rollout belongs in managed settings",
                    scope.name()
                ),
                "emit with scope: \"managed\" and install the settings with your device management",
            )
            .at(setup.span),
        );
    }
    if let Some(path) = gateway.option("hook_path").and_then(|value| value.as_str())
        && !path.starts_with('/')
    {
        diagnostics.push(
            Diagnostic::error(
                RELATIVE_HOOK_PATH,
                format!(
                    "hook_path `{}` is not absolute: Claude Code would run it from each project's \
                     directory, so a repository could supply the script that gets the org key",
                    path.escape_debug()
                ),
                "give the absolute path the hook is installed at, or leave hook_path out",
            )
            .at(gateway.option_span("hook_path")),
        );
    }
    diagnostics
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{gateway_with_options, managed_setup};
    use gwscript_plugin::testing::{codes_of, literal};

    #[test]
    fn a_managed_rollout_passes() {
        let setup = managed_setup(gateway_with_options([(
            "hook_path",
            literal("/opt/mintmcp/hook.sh"),
        )]));
        assert!(check(&setup, setup.gateway.as_ref().unwrap()).is_empty());
    }

    #[test]
    fn gw4302_warns_for_every_other_scope() {
        for scope in [Scope::User, Scope::Project, Scope::Local] {
            let mut setup = managed_setup(gateway_with_options([]));
            setup.client.scope = scope;
            let diagnostics = check(&setup, setup.gateway.as_ref().unwrap());
            assert_eq!(codes_of(&diagnostics), ["GW4302"]);
            assert!(!diagnostics[0].is_error());
            assert!(
                diagnostics[0]
                    .message
                    .contains(&format!("{} scope", scope.name()))
            );
        }
    }

    #[test]
    fn gw4307_refuses_a_relative_hook_path() {
        let setup = managed_setup(gateway_with_options([(
            "hook_path",
            literal(".claude/mintmcp-hook.sh"),
        )]));
        let gateway = setup.gateway.as_ref().unwrap();
        let diagnostics = check(&setup, gateway);
        assert_eq!(codes_of(&diagnostics), ["GW4307"]);
        assert_eq!(diagnostics[0].span, gateway.options["hook_path"].span);
    }
}
