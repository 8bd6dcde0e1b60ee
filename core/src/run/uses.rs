//! Which plugin each part of a setup needs, and whether that plugin may play the part: the
//! pattern's gateway needs a plugin that can be a gateway, each monitor one that can monitor.

use gwscript_plugin::model::{Gateway, Setup};
use gwscript_plugin::{Diagnostic, Manifest, PluginRole};

/// A plugin the setup uses, the role it plays, and its part of the setup.
#[derive(Debug)]
pub struct Use<'s, P> {
    pub plugin: &'s P,
    pub role: PluginRole,
    pub gateway: &'s Gateway,
}

/// The plugin for each of the setup's gateways, the pattern's gateway first, then the monitors.
/// Every kind no plugin serves (GW2008) and every role a plugin does not declare (GW2016) is
/// reported, not only the first. `manifest` reads a plugin's manifest, so tests can pass
/// manifests themselves.
pub fn find<'s, P>(
    setup: &'s Setup,
    plugins: &'s [P],
    manifest: impl Fn(&P) -> &Manifest,
) -> Result<Vec<Use<'s, P>>, Vec<Diagnostic>> {
    let mut uses = Vec::new();
    let mut refusals = Vec::new();
    for (role, gateway) in setup.plugin_gateways() {
        match plugins
            .iter()
            .find(|p| manifest(p).gateway_kind == gateway.kind)
        {
            None => refusals.push(unserved(gateway, plugins.iter().map(&manifest))),
            Some(plugin) if !manifest(plugin).serves(role) => {
                refusals.push(wrong_role(manifest(plugin), role, gateway));
            }
            Some(plugin) => uses.push(Use {
                plugin,
                role,
                gateway,
            }),
        }
    }
    if refusals.is_empty() {
        Ok(uses)
    } else {
        Err(refusals)
    }
}

fn unserved<'m>(gateway: &Gateway, installed: impl Iterator<Item = &'m Manifest>) -> Diagnostic {
    let kinds: Vec<&str> = installed.map(|m| m.gateway_kind.as_str()).collect();
    Diagnostic::error(
        "GW2008",
        format!(
            "no plugin serves gateway kind \"{}\"",
            gateway.kind.escape_debug()
        ),
        if kinds.is_empty() {
            "no plugins were found: run `gwscript plugins list` to see where they are looked for"
                .to_owned()
        } else {
            format!("installed gateway kinds: {}", kinds.join(", "))
        },
    )
    .at(gateway.span)
}

/// GW2016: the recipe puts a plugin where its manifest says it cannot go.
fn wrong_role(manifest: &Manifest, role: PluginRole, gateway: &Gateway) -> Diagnostic {
    let kind = gateway.kind.escape_debug();
    let (message, help) = match role {
        PluginRole::Monitor => (
            format!(
                "{} (gateway kind \"{kind}\") cannot be a monitor: it carries Claude Code's model traffic",
                manifest.display_name
            ),
            "make it the pattern's `gateway:` (pattern \"gateway\" or \"proxy+gateway\"), or take it out of `monitors:`",
        ),
        _ => (
            format!(
                "{} (gateway kind \"{kind}\") cannot be the gateway: it only monitors Claude Code and carries no model traffic",
                manifest.display_name
            ),
            "put it in `monitors: [ … ]`, and give the pattern a gateway that carries the traffic, or a provider (pattern \"direct\" or \"proxy\")",
        ),
    };
    Diagnostic::error("GW2016", message, help).at(gateway.span)
}

#[cfg(test)]
mod tests {
    use super::*;
    use gwscript_plugin::testing::{anthropic, direct_monitored_by, gateway, manifest, setup_for};

    fn monitor_only(kind: &str) -> Manifest {
        Manifest {
            roles: vec![PluginRole::Monitor],
            client: gwscript_plugin::ClientContract::monitor_only(),
            ..manifest(kind)
        }
    }

    fn found<'s>(
        setup: &'s Setup,
        plugins: &'s [Manifest],
    ) -> Result<Vec<(&'s str, PluginRole)>, Vec<Diagnostic>> {
        find(setup, plugins, |m| m).map(|uses| {
            uses.iter()
                .map(|u| (u.plugin.name.as_str(), u.role))
                .collect()
        })
    }

    #[test]
    fn the_gateway_comes_first_then_the_monitors_in_recipe_order() {
        let mut setup = setup_for(gateway("litellm", vec![anthropic("a", "m")], vec![]));
        setup.monitors = vec![
            gateway("watcher", vec![], vec![]),
            gateway("mintmcp", vec![], vec![]),
        ];
        let mut mintmcp = manifest("mintmcp");
        mintmcp.roles = vec![PluginRole::Gateway, PluginRole::Monitor];
        let plugins = [monitor_only("watcher"), mintmcp, manifest("litellm")];
        assert_eq!(
            found(&setup, &plugins).expect("all served"),
            [
                ("litellm", PluginRole::Gateway),
                ("watcher", PluginRole::Monitor),
                ("mintmcp", PluginRole::Monitor),
            ]
        );
    }

    #[test]
    fn gw2016_a_plugin_outside_its_roles_and_gw2008_every_unserved_kind() {
        let mut setup = setup_for(gateway("watcher", vec![], vec![]));
        setup.monitors = vec![
            gateway("litellm", vec![], vec![]),
            gateway("kong", vec![], vec![]),
        ];
        let plugins = [manifest("litellm"), monitor_only("watcher")];
        let refusals = found(&setup, &plugins).expect_err("refused");
        let codes: Vec<&str> = refusals.iter().map(|d| d.code.as_str()).collect();
        assert_eq!(codes, ["GW2016", "GW2016", "GW2008"]);
        assert!(
            refusals[0].message.contains("cannot be the gateway"),
            "{}",
            refusals[0].message
        );
        assert!(
            refusals[0].help.contains("monitors:"),
            "{}",
            refusals[0].help
        );
        assert!(
            refusals[1]
                .message
                .starts_with("litellm (gateway kind \"litellm\") cannot be a monitor"),
            "{}",
            refusals[1].message
        );
        assert_eq!(refusals[1].span, setup.monitors[0].span);
        assert_eq!(
            refusals[2].help,
            "installed gateway kinds: litellm, watcher"
        );
    }

    #[test]
    fn a_direct_pattern_with_a_monitor_uses_only_the_monitor() {
        let setup = direct_monitored_by(vec![gateway("watcher", vec![], vec![])]);
        let plugins = [monitor_only("watcher")];
        assert_eq!(
            found(&setup, &plugins).expect("served"),
            [("watcher", PluginRole::Monitor)]
        );
        assert_eq!(found(&setup, &[]).expect_err("none").len(), 1);
    }
}
