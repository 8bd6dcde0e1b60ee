//! Putting the plugins' renderings together: each plugin's templates rendered with its own
//! context, and its additions to Claude Code's side, in setup order (the gateway, then the
//! monitors). A plugin breaking the host's rules is GW2009; a file, client variable or settings
//! key that two plugins both claim, each fine on its own, is GW2017.

use crate::client::{self, EnvVar};
use crate::emit::Artifact;
use crate::emit::fill_checked;
use gwscript_plugin::{Diagnostic, Manifest, PluginRole, Rendering};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// One plugin's rendering for the setup, and the role it plays in it.
#[derive(Debug)]
pub struct Rendered<'a> {
    pub manifest: &'a Manifest,
    pub role: PluginRole,
    pub rendering: Rendering<minijinja::Value>,
}

/// Every plugin's files and additions to Claude Code's side, merged.
#[derive(Debug, Default)]
pub struct Composed {
    pub artifacts: Vec<Artifact>,
    /// Each variable a plugin adds, with the name of that plugin.
    pub vars: Vec<(String, EnvVar)>,
    /// The top-level settings.json keys the plugins add.
    pub settings: Map<String, Value>,
}

pub fn compose(rendered: &[Rendered<'_>]) -> Result<Composed, Diagnostic> {
    let mut composed = Composed::default();
    let mut claims = Claims::default();
    for Rendered {
        manifest,
        rendering,
        ..
    } in rendered
    {
        let plugin = manifest.name.as_str();
        for artifact in artifacts(manifest, rendering)? {
            claims.claim("file", &artifact.path, plugin)?;
            composed.artifacts.push(artifact);
        }
        for var in client::plugin_vars(&rendering.client, plugin)? {
            claims.claim("client variable", &var.name, plugin)?;
            composed.vars.push((plugin.to_owned(), var));
        }
        for (key, value) in client::plugin_settings(&rendering.client, plugin)? {
            claims.claim("settings.json key", &key, plugin)?;
            composed.settings.insert(key, value);
        }
    }
    Ok(composed)
}

/// The templates a plugin applies to this setup, rendered with its context.
fn artifacts(
    manifest: &Manifest,
    rendering: &Rendering<minijinja::Value>,
) -> Result<Vec<Artifact>, Diagnostic> {
    let templates = &manifest.templates;
    if let Some(unknown) = rendering
        .omit
        .iter()
        .find(|path| !templates.iter().any(|t| &t.path == *path))
    {
        return Err(Diagnostic::error(
            "GW2009",
            format!(
                "plugin {} omitted a template it never declared: {unknown:?}",
                manifest.name
            ),
            "report this to the plugin's author",
        ));
    }
    templates
        .iter()
        .filter(|template| !rendering.omit.contains(&template.path))
        .map(|template| {
            let contents = fill_checked(template, &rendering.context)?;
            Ok(Artifact {
                path: template.path.clone(),
                purpose: template.purpose.clone(),
                contents,
                executable: template.executable,
            })
        })
        .collect()
}

/// Who claimed each file, variable and settings key so far.
#[derive(Default)]
struct Claims<'a> {
    owners: BTreeMap<(&'static str, String), &'a str>,
}

impl<'a> Claims<'a> {
    fn claim(&mut self, what: &'static str, name: &str, plugin: &'a str) -> Result<(), Diagnostic> {
        match self.owners.get(&(what, name.to_owned())) {
            Some(first) => Err(Diagnostic::error(
                "GW2017",
                format!("plugins {first} and {plugin} both claim the {what} `{name}`"),
                format!(
                    "the two cannot be used in one setup: take one out of the recipe, or ask the plugins' authors for a {what} of each plugin's own"
                ),
            )),
            None => {
                self.owners.insert((what, name.to_owned()), plugin);
                Ok(())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use gwscript_plugin::manifest::{Template, TemplateFormat};
    use gwscript_plugin::testing::manifest;
    use gwscript_plugin::{ClientContribution, ClientValue, ClientVar};
    use serde_json::json;

    fn with_template(kind: &str, path: &str) -> Manifest {
        Manifest {
            templates: vec![Template::new(
                path,
                TemplateFormat::Text,
                format!("{kind}: {{{{ greeting }}}}\n"),
                format!("{kind}'s file"),
            )],
            ..manifest(kind)
        }
    }

    fn rendering(vars: &[&str], settings: &[&str]) -> Rendering<minijinja::Value> {
        Rendering {
            context: minijinja::context! { greeting => "hello" },
            client: ClientContribution {
                env: vars
                    .iter()
                    .map(|name| ClientVar {
                        name: (*name).into(),
                        value: ClientValue::Literal("1".into()),
                        why: "test".into(),
                    })
                    .collect(),
                settings: settings
                    .iter()
                    .map(|key| ((*key).to_owned(), json!({ "from": key })))
                    .collect(),
            },
            ..Rendering::default()
        }
    }

    fn rendered<'a>(
        manifest: &'a Manifest,
        role: PluginRole,
        r: Rendering<minijinja::Value>,
    ) -> Rendered<'a> {
        Rendered {
            manifest,
            role,
            rendering: r,
        }
    }

    #[test]
    fn every_plugins_files_and_client_additions_are_kept_in_setup_order() {
        let gateway = with_template("acme", "acme/config.txt");
        let monitor = with_template("watcher", "watcher/hook.sh");
        let composed = compose(&[
            rendered(
                &gateway,
                PluginRole::Gateway,
                rendering(&["ACME_FLAG"], &["statusLine"]),
            ),
            rendered(
                &monitor,
                PluginRole::Monitor,
                rendering(&["WATCHER_URL", "WATCHER_USER"], &["hooks"]),
            ),
        ])
        .expect("composes");
        let files: Vec<(&str, &str)> = composed
            .artifacts
            .iter()
            .map(|a| (a.path.as_str(), a.contents.as_str()))
            .collect();
        assert_eq!(
            files,
            [
                ("acme/config.txt", "acme: hello\n"),
                ("watcher/hook.sh", "watcher: hello\n")
            ]
        );
        let vars: Vec<(&str, &str)> = composed
            .vars
            .iter()
            .map(|(plugin, var)| (plugin.as_str(), var.name.as_str()))
            .collect();
        assert_eq!(
            vars,
            [
                ("acme", "ACME_FLAG"),
                ("watcher", "WATCHER_URL"),
                ("watcher", "WATCHER_USER")
            ]
        );
        let keys: Vec<&String> = composed.settings.keys().collect();
        assert_eq!(keys, ["hooks", "statusLine"]);
        assert_eq!(composed.settings["hooks"], json!({ "from": "hooks" }));
    }

    #[test]
    fn gw2017_two_plugins_claiming_one_file_variable_or_settings_key() {
        let gateway = with_template("acme", "shared/file.txt");
        let clashing_file = with_template("watcher", "shared/file.txt");
        let own_file = with_template("watcher", "watcher/hook.sh");
        for (monitor, monitor_rendering, what) in [
            (
                &clashing_file,
                rendering(&[], &[]),
                "the file `shared/file.txt`",
            ),
            (
                &own_file,
                rendering(&["SHARED"], &[]),
                "the client variable `SHARED`",
            ),
            (
                &own_file,
                rendering(&[], &["hooks"]),
                "the settings.json key `hooks`",
            ),
        ] {
            let found = compose(&[
                rendered(
                    &gateway,
                    PluginRole::Gateway,
                    rendering(&["SHARED"], &["hooks"]),
                ),
                rendered(monitor, PluginRole::Monitor, monitor_rendering),
            ])
            .expect_err("refused");
            assert_eq!(found.code, "GW2017");
            assert_eq!(
                found.message,
                format!("plugins acme and watcher both claim {what}")
            );
        }
    }

    #[test]
    fn one_plugin_breaking_the_rules_is_still_gw2009() {
        let plugin = with_template("acme", "acme/config.txt");
        let mut omits_unknown = rendering(&[], &[]);
        omits_unknown.omit = vec!["acme/other.txt".into()];
        let mut host_key = rendering(&[], &[]);
        host_key.client.settings.insert("env".into(), json!({}));
        for broken in [omits_unknown, host_key, rendering(&["A", "A"], &[])] {
            let found =
                compose(&[rendered(&plugin, PluginRole::Monitor, broken)]).expect_err("refused");
            assert_eq!(found.code, "GW2009", "{}", found.message);
        }
    }
}
