//! What a plugin adds to Claude Code's side (`Rendering::client`), checked before it is used:
//! variable names are names, a plugin cannot replace a variable gwscript sets or a settings key
//! gwscript owns, and secrets stay references. (Two plugins claiming one name: `run::compose`.)

use super::env::{EnvValue, EnvVar};
use gwscript_plugin::model::is_env_name;
use gwscript_plugin::{ClientContribution, ClientValue, Diagnostic};
use serde_json::{Map, Value};

/// Top-level settings.json keys the host writes itself.
const HOST_SETTINGS: &[&str] = &["$schema", "env", "apiKeyHelper"];

/// The plugin's variables as [`EnvVar`]s, refused (GW2009) if any is malformed.
pub fn plugin_vars(
    contribution: &ClientContribution,
    plugin: &str,
) -> Result<Vec<EnvVar>, Diagnostic> {
    let mut seen = std::collections::HashSet::new();
    contribution
        .env
        .iter()
        .map(|var| {
            let secret = match &var.value {
                ClientValue::Secret(name) => Some(name.as_str()),
                ClientValue::Literal(_) => None,
            };
            let valid = is_env_name(&var.name) && secret.is_none_or(is_env_name);
            if !valid || !seen.insert(var.name.as_str()) {
                return Err(refused(
                    plugin,
                    format!(
                        "the client variable {:?} (a name twice, or not a variable name)",
                        var.name
                    ),
                ));
            }
            Ok(EnvVar {
                name: var.name.clone(),
                value: match &var.value {
                    ClientValue::Literal(text) => EnvValue::Literal(text.clone()),
                    ClientValue::Secret(name) => EnvValue::Secret(name.clone()),
                },
                why: var.why.clone().into(),
            })
        })
        .collect()
}

/// The plugin's extra settings keys, refused (GW2009) if one is the host's.
pub fn plugin_settings(
    contribution: &ClientContribution,
    plugin: &str,
) -> Result<Map<String, Value>, Diagnostic> {
    match contribution
        .settings
        .keys()
        .find(|key| HOST_SETTINGS.contains(&key.as_str()))
    {
        Some(key) => Err(refused(plugin, format!("the settings key {key:?}"))),
        None => Ok(contribution.settings.clone()),
    }
}

/// A variable a plugin (named beside it) set that gwscript also sets.
pub fn clashing(plugin_vars: &[(String, EnvVar)], host_vars: &[EnvVar]) -> Option<Diagnostic> {
    let (plugin, clash) = plugin_vars
        .iter()
        .find(|(_, p)| host_vars.iter().any(|h| h.name == p.name))?;
    Some(refused(
        plugin,
        format!("the client variable {} (gwscript sets it)", clash.name),
    ))
}

fn refused(plugin: &str, what: String) -> Diagnostic {
    Diagnostic::error(
        "GW2009",
        format!("plugin {plugin} returned a client contribution gwscript cannot use: {what}"),
        "report this to the plugin's author",
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use gwscript_plugin::ClientVar;

    fn contribution(vars: &[(&str, ClientValue)]) -> ClientContribution {
        ClientContribution {
            env: vars
                .iter()
                .map(|(name, value)| ClientVar {
                    name: (*name).into(),
                    value: value.clone(),
                    why: "test".into(),
                })
                .collect(),
            settings: Map::new(),
        }
    }

    #[test]
    fn variables_and_secrets_must_be_names() {
        let ok = contribution(&[
            ("ACME_URL", ClientValue::Literal("https://acme".into())),
            ("ACME_KEY", ClientValue::Secret("ACME_ORG_KEY".into())),
        ]);
        let vars = plugin_vars(&ok, "acme").expect("valid");
        assert_eq!(vars[1].value, EnvValue::Secret("ACME_ORG_KEY".into()));
        for bad in [
            contribution(&[("A B", ClientValue::Literal("x".into()))]),
            contribution(&[("A", ClientValue::Secret("$(id)".into()))]),
            contribution(&[
                ("A", ClientValue::Literal("1".into())),
                ("A", ClientValue::Literal("2".into())),
            ]),
        ] {
            assert_eq!(
                plugin_vars(&bad, "acme").expect_err("refused").code,
                "GW2009"
            );
        }
    }

    #[test]
    fn host_settings_keys_and_variables_stay_the_hosts() {
        let mut taken = contribution(&[]);
        taken
            .settings
            .insert("apiKeyHelper".into(), Value::from("x"));
        assert!(plugin_settings(&taken, "acme").is_err());
        let mut hooks = contribution(&[]);
        hooks.settings.insert("hooks".into(), serde_json::json!({}));
        assert!(plugin_settings(&hooks, "acme").is_ok());
        let host = plugin_vars(
            &contribution(&[("ANTHROPIC_BASE_URL", ClientValue::Literal("x".into()))]),
            "acme",
        )
        .expect("well-formed");
        let plugin: Vec<(String, EnvVar)> = host
            .iter()
            .map(|var| ("watcher".to_owned(), var.clone()))
            .collect();
        let clash = clashing(&plugin, &host).expect("refused");
        assert_eq!(clash.code, "GW2009");
        assert!(
            clash.message.starts_with("plugin watcher "),
            "{}",
            clash.message
        );
        assert!(clashing(&plugin, &[]).is_none());
    }
}
