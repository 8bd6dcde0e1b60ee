//! All plugins found in the search directories, and the ones refused with why.

use super::discovery::{SearchDir, candidates};
use super::library::LoadedPlugin;
use super::manifest_rules::prefixes_overlap;
use super::trust::Trust;
use gwscript_plugin::Diagnostic;
use serde::Serialize;
use std::path::PathBuf;

#[derive(Debug, Serialize)]
pub struct Refusal {
    pub path: PathBuf,
    pub diagnostic: Diagnostic,
}

#[derive(Debug, Default)]
pub struct Registry {
    pub plugins: Vec<LoadedPlugin>,
    pub refusals: Vec<Refusal>,
}

impl Registry {
    /// Loads every candidate in search order. The first plugin to claim a gateway kind keeps it;
    /// a later claimant is refused. A library reached twice (e.g. through a symlink) loads once.
    pub fn discover(dirs: &[SearchDir], trust: &Trust) -> Registry {
        let mut registry = Registry::default();
        let mut seen: Vec<PathBuf> = Vec::new();
        for dir in dirs {
            for path in candidates(&dir.path) {
                let real = path.canonicalize().unwrap_or_else(|_| path.clone());
                if seen.contains(&real) {
                    continue;
                }
                seen.push(real);
                match LoadedPlugin::load(&path, dir.origin, trust) {
                    Ok(plugin) => registry.admit(plugin),
                    Err(diagnostic) => registry.refusals.push(Refusal { path, diagnostic }),
                }
            }
        }
        registry
    }

    /// Admits `plugin` unless an earlier one already owns its gateway kind or code prefix.
    fn admit(&mut self, plugin: LoadedPlugin) {
        match self.conflict(&plugin) {
            Some(diagnostic) => self.refusals.push(Refusal {
                path: plugin.path,
                diagnostic,
            }),
            None => self.plugins.push(plugin),
        }
    }

    fn conflict(&self, plugin: &LoadedPlugin) -> Option<Diagnostic> {
        let kind = &plugin.manifest.gateway_kind;
        if let Some(owner) = self.for_kind(kind) {
            return Some(Diagnostic::error(
                "GW2007",
                format!(
                    "{} claims gateway kind \"{kind}\", already served by {} ({})",
                    plugin.path.display(),
                    owner.manifest.name,
                    owner.path.display()
                ),
                "remove one of the two plugins; the one found first in the search order is used",
            ));
        }
        let prefix = &plugin.manifest.diagnostics.prefix;
        let owner = self.plugins.iter().find(|p| {
            let theirs = &p.manifest.diagnostics.prefix;
            !prefix.is_empty() && !theirs.is_empty() && prefixes_overlap(prefix, theirs)
        })?;
        Some(Diagnostic::error(
            "GW2013",
            format!(
                "{} declares diagnostic prefix {prefix}, which overlaps {}'s {} ({})",
                plugin.path.display(),
                owner.manifest.name,
                owner.manifest.diagnostics.prefix,
                owner.path.display()
            ),
            "two plugins may not share diagnostic codes: ask the plugin's author for a prefix of its own",
        ))
    }

    /// The page of a plugin's code, with the plugin that owns it.
    pub fn page(&self, code: &str) -> Option<(&LoadedPlugin, String)> {
        self.plugins
            .iter()
            .find_map(|p| p.page(code).map(|page| (p, page)))
    }

    pub fn for_kind(&self, kind: &str) -> Option<&LoadedPlugin> {
        self.plugins
            .iter()
            .find(|p| p.manifest.gateway_kind == kind)
    }
}
