//! What the plugin adds to Claude Code's side: the `hooks` settings block, and the two variables
//! the hook reads. `MINTMCP_BASE_URL` is a literal, so it goes into settings.json; the org key is
//! a secret reference, so the host exports it in env.sh only and settings.json never holds it.

use crate::hooks;
use crate::options::{EVENTS_URL_VAR, Monitor, ORG_KEY_VAR};
use gwscript_plugin::{ClientContribution, ClientValue, ClientVar};

pub fn contribution(monitor: &Monitor) -> ClientContribution {
    let env = vec![
        ClientVar {
            name: EVENTS_URL_VAR.into(),
            value: ClientValue::Literal(monitor.events_url.clone()),
            why: "where the MintMCP hook posts Claude Code's hook events".into(),
        },
        ClientVar {
            name: ORG_KEY_VAR.into(),
            value: ClientValue::Secret(monitor.org_key_secret.clone()),
            why: "the MintMCP org key the hook sends; never written into settings".into(),
        },
    ];
    let block = hooks::settings_block(
        &monitor.events,
        &monitor.location.command(),
        monitor.timeout_seconds,
    );
    ClientContribution {
        env,
        settings: [("hooks".to_owned(), block)].into_iter().collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{gateway_with_options, managed_setup, monitor_of, monitored_setup};
    use gwscript_plugin::testing::secret;

    #[test]
    fn the_url_is_a_literal_the_key_a_reference_and_the_hooks_run_the_script() {
        let setup = managed_setup(gateway_with_options([(
            "org_key",
            secret("VAULT_MINT_KEY"),
        )]));
        let monitor = monitor_of(&setup);
        let contribution = contribution(&monitor);
        let vars: Vec<(&str, &ClientValue)> = contribution
            .env
            .iter()
            .map(|var| (var.name.as_str(), &var.value))
            .collect();
        assert_eq!(
            vars,
            [
                (
                    "MINTMCP_BASE_URL",
                    &ClientValue::Literal("https://app.mintmcp.com".into())
                ),
                (
                    "MINTMCP_ORG_KEY",
                    &ClientValue::Secret("VAULT_MINT_KEY".into())
                ),
            ]
        );
        let keys: Vec<&String> = contribution.settings.keys().collect();
        assert_eq!(keys, ["hooks"]);
        let hooks = &contribution.settings["hooks"];
        assert_eq!(
            hooks["UserPromptSubmit"][0]["hooks"][0]["command"],
            "bash '/etc/claude-code/mintmcp-hook.sh'"
        );
        assert_eq!(hooks.as_object().unwrap().len(), 3);
    }

    #[test]
    fn a_monitor_sends_the_hook_to_its_own_url() {
        let contribution = contribution(&monitor_of(&monitored_setup([])));
        assert_eq!(
            contribution.env[0].value,
            ClientValue::Literal("https://mintmcp.corp.example".into())
        );
    }
}
