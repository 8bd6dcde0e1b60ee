//! All plugins found in the search directories, and the ones refused with why.

use super::discovery::{SearchDir, candidates};
use super::library::LoadedPlugin;
use super::location;
use super::manifest_rules::{self, prefixes_overlap};
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
    /// a later claimant is refused. Within one directory, a library named after the kind it
    /// claims (`libgwscript_<kind>.so`) comes before the others, which follow in name order. A
    /// library reached twice (e.g. through a symlink) loads once.
    pub fn discover(dirs: &[SearchDir], trust: &Trust) -> Registry {
        let mut registry = Registry::default();
        let mut seen = Vec::new();
        for dir in dirs {
            if !registry.admits_dir(dir) {
                continue;
            }
            let loaded = registry.load_all(dir, &candidates(&dir.path), trust, &mut seen);
            registry.admit_named_first(loaded);
        }
        registry
    }

    /// Only what a run needs: the plugins serving `kinds`, by the same precedence as
    /// [`Registry::discover`], loading as few libraries as that allows. A directory's library
    /// named after a wanted kind is tried first; the directory's other libraries are loaded only
    /// when that does not settle the kind. A kind nobody serves leaves every library loaded, so
    /// the diagnostic can name what is installed.
    pub fn for_kinds(dirs: &[SearchDir], trust: &Trust, kinds: &[&str]) -> Registry {
        let mut registry = Registry::default();
        let mut seen = Vec::new();
        for dir in dirs {
            let unserved = |r: &Registry| kinds.iter().any(|k| r.for_kind(k).is_none());
            if !unserved(&registry) {
                break;
            }
            if !registry.admits_dir(dir) {
                continue;
            }
            let all = candidates(&dir.path);
            let named: Vec<PathBuf> = all
                .iter()
                .filter(|path| kinds.iter().any(|k| is_named_for(path, k)))
                .cloned()
                .collect();
            let loaded = registry.load_all(dir, &named, trust, &mut seen);
            registry.admit_named_first(loaded);
            if unserved(&registry) {
                let rest: Vec<PathBuf> = all.into_iter().filter(|p| !named.contains(p)).collect();
                let loaded = registry.load_all(dir, &rest, trust, &mut seen);
                registry.admit_named_first(loaded);
            }
        }
        registry
    }

    /// Loads libraries one at a time, in search order and by name within a directory, until
    /// `enough` holds of what is loaded: `check` needs only the plugins that claim its files, and
    /// loading the others would cost more than the check. Conflicts are refused as in
    /// [`Registry::discover`], except that within a directory the library loaded first keeps a
    /// contested gateway kind; option schemas are not checked. (`check` uses neither.)
    pub fn discover_until(
        dirs: &[SearchDir],
        trust: &Trust,
        mut enough: impl FnMut(&Registry) -> bool,
    ) -> Registry {
        let mut registry = Registry::default();
        let mut seen = Vec::new();
        if enough(&registry) {
            return registry;
        }
        for dir in dirs {
            if !registry.admits_dir(dir) {
                continue;
            }
            for path in candidates(&dir.path) {
                for plugin in registry.load(dir, &[path], trust, &mut seen, Options::Unread) {
                    registry.admit(plugin);
                }
                if enough(&registry) {
                    return registry;
                }
            }
        }
        registry
    }

    /// Whether `dir` names a fixed place to look for plugins; if not, it is recorded as refused.
    fn admits_dir(&mut self, dir: &SearchDir) -> bool {
        let Err(diagnostic) = location::check_dir(dir) else {
            return true;
        };
        self.refusals.push(Refusal {
            path: dir.path.clone(),
            diagnostic,
        });
        false
    }

    /// Loads `paths` of `dir` (each real file once), recording the libraries refused at load:
    /// first those in a location others could have changed, then those the host cannot use.
    fn load_all(
        &mut self,
        dir: &SearchDir,
        paths: &[PathBuf],
        trust: &Trust,
        seen: &mut Vec<PathBuf>,
    ) -> Vec<LoadedPlugin> {
        self.load(dir, paths, trust, seen, Options::Checked)
    }

    /// As [`Registry::load_all`]; with [`Options::Unread`] the option schemas are not checked.
    fn load(
        &mut self,
        dir: &SearchDir,
        paths: &[PathBuf],
        trust: &Trust,
        seen: &mut Vec<PathBuf>,
        options: Options,
    ) -> Vec<LoadedPlugin> {
        let mut loaded = Vec::new();
        for path in paths {
            let real = path.canonicalize().unwrap_or_else(|_| path.clone());
            if seen.contains(&real) {
                continue;
            }
            seen.push(real);
            let outcome = location::check_library(path)
                .and_then(|()| LoadedPlugin::load(path, dir.origin, trust))
                .and_then(|plugin| match options {
                    Options::Checked => {
                        let shown = path.display().to_string();
                        manifest_rules::option_schemas(&plugin.manifest, &shown).map(|()| plugin)
                    }
                    Options::Unread => Ok(plugin),
                });
            match outcome {
                Ok(plugin) => loaded.push(plugin),
                Err(diagnostic) => self.refusals.push(Refusal {
                    path: path.clone(),
                    diagnostic,
                }),
            }
        }
        loaded
    }

    /// Admits one directory's plugins: those named after their kind first, then the rest, each
    /// group in name order.
    fn admit_named_first(&mut self, mut loaded: Vec<LoadedPlugin>) {
        loaded.sort_by_key(|p| !is_named_for(&p.path, &p.manifest.gateway_kind));
        for plugin in loaded {
            self.admit(plugin);
        }
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

/// Whether loading checks the plugin's option schemas (GW2012).
#[derive(Debug, Clone, Copy)]
enum Options {
    Checked,
    Unread,
}

/// Whether `path` is `libgwscript_<kind>.so` (the platform's library naming).
fn is_named_for(path: &std::path::Path, kind: &str) -> bool {
    let wanted = format!(
        "{}gwscript_{kind}{}",
        std::env::consts::DLL_PREFIX,
        std::env::consts::DLL_SUFFIX
    );
    path.file_name().is_some_and(|name| name == wanted.as_str())
}
