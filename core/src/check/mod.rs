//! `gwscript check`: offline checks of hand-written files. A gateway's config goes to the plugin
//! whose manifest declares its kind; Claude Code's settings go to `client::settings_file`, next to
//! the code that emits them. Every finding carries the file it is about.

pub mod format;
mod input;
mod kind;
mod places;

use crate::client::settings_file::{self, SettingsCheck, SettingsScope};
use crate::plugin::{Registry, SearchDir, Trust};
use gwscript_plugin::{Diagnostic, FileCheck};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub use kind::{Kind, SETTINGS_KIND, by_id as kind_by_id};
pub use places::{MANAGED_SETTINGS, usual_places};

/// The largest file `check` reads: the largest config `run` may write.
pub const MAX_FILE_BYTES: u64 = gwscript_plugin::render::limits::MAX_RENDER_BYTES as u64;

/// What to check, and how.
#[derive(Debug, Default)]
pub struct Request {
    /// The files named on the command line; empty means the usual places.
    pub files: Vec<PathBuf>,
    /// A file kind forced for every file (`--kind`), instead of detecting each one's.
    pub kind: Option<String>,
    /// Whether to judge `os.environ/` references and settings against this process's environment.
    pub env: bool,
}

/// One finding, and the file it is about (as the user named it, or as a plugin read it).
#[derive(Debug, Clone)]
pub struct Finding {
    pub file: String,
    pub diagnostic: Diagnostic,
}

/// What a check found, and the text of every file it read (for showing source lines).
#[derive(Debug, Default)]
pub struct Checked {
    /// Each file checked, and the kind it was checked as.
    pub files: Vec<(String, Option<String>)>,
    pub findings: Vec<Finding>,
    sources: BTreeMap<String, String>,
    /// The title of each code found, from its page (the host's or the plugin's manifest).
    titles: BTreeMap<String, String>,
}

impl Checked {
    /// The text of `file`, if it was read as UTF-8 text.
    pub fn source(&self, file: &str) -> Option<&str> {
        self.sources.get(file).map(String::as_str)
    }

    /// The title of `code`'s page, for codes among the findings.
    pub fn title(&self, code: &str) -> Option<&str> {
        self.titles.get(code).map(String::as_str)
    }

    fn add(&mut self, file: &str, diagnostics: impl IntoIterator<Item = Diagnostic>) {
        for mut diagnostic in diagnostics {
            let in_file = diagnostic.file.take().unwrap_or_else(|| file.to_owned());
            self.findings.push(Finding {
                file: in_file,
                diagnostic,
            });
        }
    }
}

/// Checks every file of `request`, loading plugins from `dirs` only until every file has a
/// kind. `Err` is a usage error: an unknown `--kind`, a named file that cannot be opened.
pub fn check(request: &Request, dirs: &[SearchDir], trust: &Trust) -> Result<Checked, Diagnostic> {
    let mut checked = Checked::default();
    // Every named file is read first: one that cannot be opened stops the check before any
    // plugin is loaded.
    let mut texts = Vec::new();
    for path in &request.files {
        match input::read(path) {
            Ok(text) => texts.push((path.clone(), text)),
            Err(input::Unreadable::Missing(diagnostic)) => return Err(diagnostic),
            Err(input::Unreadable::NotText(diagnostic)) => {
                let shown = path.display().to_string();
                checked.files.push((shown.clone(), None));
                checked.add(&shown, [diagnostic]);
            }
        }
    }
    let registry = Registry::discover_until(dirs, trust, |loaded| match &request.kind {
        Some(id) => kind::by_id(id, loaded).is_ok(),
        // The usual places include the configs every plugin names.
        None if request.files.is_empty() => false,
        None => texts
            .iter()
            .all(|(path, text)| kind::claimed(path, text, loaded).is_some()),
    });
    let forced = match &request.kind {
        Some(id) => Some(kind::by_id(id, &registry)?),
        None => None,
    };
    if request.files.is_empty() {
        let found = usual_places(&registry);
        if found.is_empty() {
            checked.add("", [places::nothing_found(&registry)]);
        }
        for path in found {
            match input::read(&path) {
                Ok(text) => texts.push((path, text)),
                Err(input::Unreadable::Missing(d) | input::Unreadable::NotText(d)) => {
                    checked.add(&path.display().to_string(), [d]);
                }
            }
        }
    }
    let environment = request.env.then(environment);
    for (path, text) in texts {
        let shown = path.display().to_string();
        let Some(kind) = forced.or_else(|| kind::detect(&path, &text, &registry)) else {
            checked.files.push((shown.clone(), None));
            checked.add(&shown, [kind::unknown(&path, &registry)]);
            checked.sources.insert(shown, text);
            continue;
        };
        checked
            .files
            .push((shown.clone(), Some(kind.id().to_owned())));
        let (text, found) = match kind {
            Kind::Settings => {
                let found = settings_file::check(&SettingsCheck {
                    path: &shown,
                    text: &text,
                    scope: SettingsScope::of_path(&path),
                    environment: environment.as_ref(),
                    base_dir: parent_dir(&path),
                });
                (text, found)
            }
            Kind::Plugin(plugin, file_kind) => {
                let request = FileCheck {
                    kind: file_kind.id.clone(),
                    path: shown.clone(),
                    text,
                    environment: environment
                        .as_ref()
                        .map(|env| env.keys().cloned().collect()),
                };
                let found = plugin
                    .check_file(&request)
                    .unwrap_or_else(|failure| vec![failure]);
                (request.text, found)
            }
        };
        checked.sources.insert(shown.clone(), text);
        checked.add(&shown, found);
    }
    checked.titles = titles(&checked.findings, &registry);
    input::read_included(&mut checked);
    Ok(checked)
}

fn titles(findings: &[Finding], registry: &Registry) -> BTreeMap<String, String> {
    let title = |code: &str| {
        crate::diag::page(code)
            .map(|page| page.title.to_owned())
            .or_else(|| {
                registry
                    .plugins
                    .iter()
                    .find_map(|plugin| Some(plugin.manifest.diagnostics.get(code)?.title.clone()))
            })
    };
    findings
        .iter()
        .filter_map(|f| Some((f.diagnostic.code.clone(), title(&f.diagnostic.code)?)))
        .collect()
}

/// The directory a relative path inside `path` is resolved from.
fn parent_dir(path: &Path) -> &Path {
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    }
}

/// This process's environment (`check --env`, and the shell `doctor` resolves): names and values
/// of the variables that are UTF-8. Values are only compared, never shown.
pub fn environment() -> BTreeMap<String, String> {
    std::env::vars_os()
        .filter_map(|(name, value)| Some((name.into_string().ok()?, value.into_string().ok()?)))
        .collect()
}
