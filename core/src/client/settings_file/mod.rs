//! Claude Code settings files as people write them (`gwscript check .claude/settings.json`, any
//! scope, `managed-settings.json` included): JSON syntax (GW5012), keys given twice (GW5014),
//! Claude Code's settings schema (GW5013), then what Claude Code will make of the file's `env`,
//! judged alone or, with `--env`, together with the shell it starts from (GW5015–GW5030).
//!
//! One rule set, two inputs: the rules read the knowledge the recipe checks read (provider
//! precedence, credential words, `NO_PROXY` matching, flags Node reads at start-up), so a recipe
//! and a hand-written file are judged alike, and every file `gwscript run` writes passes.

mod auth;
pub mod document;
mod flags;
mod helper;
mod layers;
mod network;
mod providers;
mod schema;

use document::Document;
use gwscript_plugin::model::{Scope, Span};
use gwscript_plugin::{Diagnostic, Severity};
use jsonc_parser::ast::Value as Node;
use jsonc_parser::common::Ranged;
use layers::Env;
use std::collections::BTreeMap;
use std::path::Path;

/// Which of Claude Code's settings files a file is (claude-code.md §4).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SettingsScope {
    /// `~/.claude/settings.json`: this user's, every project.
    User,
    /// `.claude/settings.json`: committed with the project and shared.
    Project,
    /// `.claude/settings.local.json`: this user's, this project, not committed.
    Local,
    /// `managed-settings.json`: the administrator's, above every other.
    Managed,
}

impl SettingsScope {
    /// The scope a file has by where it is: `managed-settings.json` is managed,
    /// `…/.claude/settings.local.json` local, `~/.claude/settings.json` the user's; any other
    /// file is taken for a project's, the scope whose rules are strictest.
    pub fn of_path(path: &Path) -> SettingsScope {
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        let in_claude_dir = path
            .parent()
            .and_then(Path::file_name)
            .is_some_and(|dir| dir == ".claude");
        if name == "managed-settings.json" {
            return SettingsScope::Managed;
        }
        if name == "settings.local.json" && in_claude_dir {
            return SettingsScope::Local;
        }
        let user = dirs::home_dir().map(|home| home.join(".claude").join("settings.json"));
        if name == "settings.json"
            && in_claude_dir
            && user.is_some_and(|user| same_file(path, &user))
        {
            return SettingsScope::User;
        }
        SettingsScope::Project
    }

    pub fn name(self) -> &'static str {
        match self {
            SettingsScope::User => "user",
            SettingsScope::Project => "project",
            SettingsScope::Local => "local",
            SettingsScope::Managed => "managed",
        }
    }
}

/// The scope a recipe emits its settings for.
impl From<Scope> for SettingsScope {
    fn from(scope: Scope) -> SettingsScope {
        match scope {
            Scope::User => SettingsScope::User,
            Scope::Project => SettingsScope::Project,
            Scope::Local => SettingsScope::Local,
            Scope::Managed => SettingsScope::Managed,
        }
    }
}

/// Whether two paths name one file: compared resolved when both exist, else made absolute.
fn same_file(a: &Path, b: &Path) -> bool {
    let resolve = |p: &Path| p.canonicalize().or_else(|_| std::path::absolute(p)).ok();
    resolve(a).is_some_and(|a| Some(a) == resolve(b))
}

/// One settings file to check.
#[derive(Debug, Clone, Copy)]
pub struct SettingsCheck<'a> {
    /// The path as the user gave it.
    pub path: &'a str,
    pub text: &'a str,
    pub scope: SettingsScope,
    /// With `--env`: the environment the check runs in, to judge the settings together with the
    /// shell that starts Claude Code. Values are read, never shown.
    pub environment: Option<&'a BTreeMap<String, String>>,
    /// The directory the file is in. For a file in a `.claude/` directory, Claude Code starts in
    /// its parent, and a relative `apiKeyHelper` path is taken from there.
    pub base_dir: &'a Path,
}

/// Every finding on `file`, spans at 1-based lines and columns in the file. An `apiKeyHelper` that
/// cannot run here is a warning: the file may be deployed on another machine.
pub fn check(file: &SettingsCheck<'_>) -> Vec<Diagnostic> {
    check_with(file, Severity::Warning)
}

/// [`check`], with `missing_helper` the severity of an `apiKeyHelper` that cannot run on this
/// machine (GW5030): `doctor`, which judges this machine, makes it an error.
pub fn check_with(file: &SettingsCheck<'_>, missing_helper: Severity) -> Vec<Diagnostic> {
    let document = match document::parse(file.text) {
        Ok(document) => document,
        Err(syntax) => return vec![syntax],
    };
    let settings = Settings {
        file,
        document: &document,
        env: Env::new(&document, file.environment),
    };
    let mut found = document.duplicate_keys();
    found.extend(schema::violations(&document));
    found.extend(auth::check(&settings));
    found.extend(providers::check(&settings));
    found.extend(network::check(&settings));
    found.extend(flags::check(&settings));
    found.extend(helper::check(&settings, missing_helper));
    // In file order; findings without a place last.
    found.sort_by_key(|d| d.span.map_or((u32::MAX, u32::MAX), |s| (s.line, s.column)));
    found
}

/// The JSON Schema the settings are validated against (`gwscript schema claude-settings`).
pub fn schema() -> &'static str {
    schema::text()
}

/// A parsed settings file and the environment it gives Claude Code: what the rules read.
struct Settings<'a> {
    file: &'a SettingsCheck<'a>,
    document: &'a Document<'a>,
    env: Env<'a>,
}

/// A top-level setting with a string value.
struct TopString<'a> {
    value: &'a str,
    key: Span,
    at: Span,
}

impl<'a> Settings<'a> {
    fn top_string(&self, key: &str) -> Option<TopString<'a>> {
        let document: &'a Document<'a> = self.document;
        let property = document.property(&[], key)?;
        let Node::StringLit(text) = &property.value else {
            return None;
        };
        Some(TopString {
            value: text.value.as_ref(),
            key: document.span_at(property.name.start()),
            at: document.span_at(text.start()),
        })
    }

    /// Where a top-level key is, whatever its value.
    fn top_key(&self, key: &str) -> Option<Span> {
        let property = self.document.property(&[], key)?;
        Some(self.document.span_at(property.name.start()))
    }

    /// The `apiKeyHelper` command, when one is set.
    fn api_key_helper(&self) -> Option<TopString<'a>> {
        self.top_string("apiKeyHelper")
            .filter(|helper| !helper.value.trim().is_empty())
    }
}

/// What the rule modules' tests share: a file's findings, and an environment for `--env`.
#[cfg(test)]
mod tests_support {
    use super::*;

    pub fn with_env(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
            .collect()
    }

    pub fn findings(
        text: &str,
        scope: SettingsScope,
        environment: Option<&BTreeMap<String, String>>,
    ) -> Vec<Diagnostic> {
        check(&SettingsCheck {
            path: "settings.json",
            text,
            scope,
            environment,
            base_dir: Path::new("."),
        })
    }

    /// The codes found in a project's `text`.
    pub fn codes(text: &str, environment: Option<&BTreeMap<String, String>>) -> Vec<String> {
        findings(text, SettingsScope::Project, environment)
            .into_iter()
            .map(|d| d.code)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_scope_of_a_file_is_read_from_its_path() {
        for (path, scope) in [
            (
                "/etc/claude-code/managed-settings.json",
                SettingsScope::Managed,
            ),
            ("managed-settings.json", SettingsScope::Managed),
            ("/srv/app/.claude/settings.local.json", SettingsScope::Local),
            ("/srv/app/.claude/settings.json", SettingsScope::Project),
            ("out/claude/settings.json", SettingsScope::Project),
            ("settings.local.json", SettingsScope::Project),
        ] {
            assert_eq!(SettingsScope::of_path(Path::new(path)), scope, "{path}");
        }
        if let Some(home) = dirs::home_dir() {
            let user = home.join(".claude").join("settings.json");
            assert_eq!(SettingsScope::of_path(&user), SettingsScope::User);
        }
    }

    #[test]
    fn findings_come_in_file_order_and_a_syntax_error_stops_the_rest() {
        let text = "{\n  \"env\": {\"CLAUDE_CODE_USE_BEDROCK\": \"true\"},\n  \"cleanupPeriodDays\": \"x\",\n  \"env\": {}\n}";
        let file = SettingsCheck {
            path: "s.json",
            text,
            scope: SettingsScope::Project,
            environment: None,
            base_dir: Path::new("."),
        };
        let found: Vec<(String, u32)> = check(&file)
            .into_iter()
            .map(|d| (d.code, d.span.map_or(0, |s| s.line)))
            .collect();
        // The second `env` replaces the first, flag and all.
        assert_eq!(found, [("GW5014".into(), 2), ("GW5013".into(), 3)]);
        let broken = SettingsCheck {
            text: "{\"cleanupPeriodDays\": \"x\",}",
            ..file
        };
        let found = check(&broken);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].code, "GW5012");
    }
}
