//! GW5030: an `apiKeyHelper` whose program is missing or not executable on this machine. Claude
//! Code runs the helper through the shell, from the directory it starts in; only the program (the
//! command's first word) is judged, and only when the shell would not compute it (`$TOOL`).
//!
//! Only a file where Claude Code reads it is judged: one in a `.claude/` directory, or
//! `managed-settings.json`. Any other (a copy, what `gwscript run` wrote to `--out`) is still to
//! be deployed, with its helper, and is judged where it lands. A relative path is taken from the
//! project root, the parent of `.claude/`.

use super::Settings;
use gwscript_plugin::{Diagnostic, Severity};
use std::path::{Path, PathBuf};

/// Shell builtins and keywords a helper may start with: no file to look for.
const BUILTINS: &[&str] = &[
    ".", ":", "[", "builtin", "cd", "command", "echo", "eval", "exec", "export", "false", "if",
    "printf", "read", "set", "source", "test", "true",
];

pub(super) fn check(settings: &Settings<'_>, severity: Severity) -> Option<Diagnostic> {
    let helper = settings.api_key_helper()?;
    let start = start_dir(settings.file.base_dir);
    let managed = Path::new(settings.file.path)
        .file_name()
        .is_some_and(|name| name == "managed-settings.json");
    if start.is_none() && !managed {
        return None;
    }
    let word = first_word(helper.value)?;
    let shell = settings.file.environment;
    let (path, looked) = if word.contains('/') {
        let home = match shell {
            Some(shell) => shell.get("HOME").map(PathBuf::from),
            None => dirs::home_dir(),
        };
        let path = match word.strip_prefix("~/") {
            Some(rest) => home?.join(rest),
            None if Path::new(&word).is_absolute() => PathBuf::from(&word),
            None => start?.join(&word),
        };
        (Some(path), String::new())
    } else {
        // A bare name is looked up on PATH: only the shell's, with --env.
        let path_var = shell?.get("PATH").map_or("", String::as_str);
        if BUILTINS.contains(&word.as_str()) {
            return None;
        }
        let found = std::env::split_paths(path_var)
            .map(|dir| dir.join(&word))
            .find(|candidate| candidate.is_file());
        (found, " on the environment's PATH".to_owned())
    };
    let problem = match &path {
        None => "is not found".to_owned(),
        Some(path) => match unusable(path) {
            Some(problem) => problem.to_owned(),
            None => return None,
        },
    };
    let resolved = match &path {
        Some(path) if path != Path::new(&word) => format!(" ({})", path.display()),
        _ => String::new(),
    };
    let mut diagnostic = Diagnostic::warning(
        "GW5030",
        format!("apiKeyHelper runs `{word}`{resolved}, which {problem}{looked}: Claude Code gets no key from it"),
        "install the helper there and make it executable (chmod +x); a file deployed to other machines is checked there with `gwscript check --env` or `gwscript doctor`",
    )
    .at(Some(helper.at));
    diagnostic.severity = severity;
    Some(diagnostic)
}

/// The directory Claude Code starts in for a settings file in `settings_dir`: the project root
/// when that is a `.claude/` directory; unknown otherwise.
fn start_dir(settings_dir: &Path) -> Option<&Path> {
    if settings_dir.file_name()? != ".claude" {
        return None;
    }
    match settings_dir.parent() {
        Some(root) if !root.as_os_str().is_empty() => Some(root),
        _ => Some(Path::new(".")),
    }
}

/// Why the file at `path` cannot run, if it cannot.
fn unusable(path: &Path) -> Option<&'static str> {
    let Ok(metadata) = std::fs::metadata(path) else {
        return Some("does not exist");
    };
    if metadata.is_dir() {
        return Some("is a directory");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if metadata.permissions().mode() & 0o111 == 0 {
            return Some("is not executable");
        }
    }
    None
}

/// The first word of a shell command, unquoted: `'/opt/my tools/key.sh' --team a` gives
/// `/opt/my tools/key.sh`. `None` when the shell would compute it (`$TOOL`, `` `…` ``, `$(…)`) or it
/// is a variable assignment (`VAR=x tool`).
fn first_word(command: &str) -> Option<String> {
    let mut word = String::new();
    let mut chars = command.trim_start().chars();
    let mut quote: Option<char> = None;
    while let Some(c) = chars.next() {
        match (quote, c) {
            (None, c) if c.is_whitespace() || ";|&<>()".contains(c) => break,
            (None, '\'' | '"') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None | Some('"'), '\\') => word.push(chars.next()?),
            (None | Some('"'), '$' | '`') => return None,
            (None, '=') => return None,
            (_, c) => word.push(c),
        }
    }
    (!word.is_empty()).then_some(word)
}

#[cfg(test)]
mod tests {
    use super::super::tests_support::with_env;
    use super::super::{SettingsCheck, SettingsScope, check_with};
    use super::*;
    use std::collections::BTreeMap;

    #[test]
    fn the_program_is_the_first_word_unquoted() {
        for (command, word) in [
            ("~/.claude/key.sh", Some("~/.claude/key.sh")),
            (
                "  '/opt/my tools/key.sh' --team a",
                Some("/opt/my tools/key.sh"),
            ),
            ("\"/opt/a\\\"b\" x", Some("/opt/a\"b")),
            ("/opt/key\\ helper|tr -d x", Some("/opt/key helper")),
            ("vault kv get -field=key secret/claude", Some("vault")),
            ("$HOME/key.sh", None),
            ("\"$(which key)\"", None),
            ("TEAM=a /opt/key.sh", None),
            ("", None),
        ] {
            assert_eq!(first_word(command).as_deref(), word, "{command}");
        }
    }

    /// The findings on `{"apiKeyHelper": helper}` in `dir/settings.json`.
    fn helper_findings(
        helper: &str,
        dir: &Path,
        env: Option<&BTreeMap<String, String>>,
        severity: Severity,
    ) -> Vec<Diagnostic> {
        let text = serde_json::json!({ "apiKeyHelper": helper }).to_string();
        let path = dir.join("settings.json");
        let file = SettingsCheck {
            path: path.to_str().expect("utf-8"),
            text: &text,
            scope: SettingsScope::Project,
            environment: env,
            base_dir: dir,
        };
        check_with(&file, severity)
    }

    fn warnings(helper: &str, dir: &Path, env: Option<&BTreeMap<String, String>>) -> usize {
        helper_findings(helper, dir, env, Severity::Warning).len()
    }

    #[cfg(unix)]
    #[test]
    fn gw5030_a_helper_that_is_missing_or_not_executable() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("temp dir");
        let scripts = dir.path().join("bin");
        std::fs::create_dir(&scripts).expect("mkdir");
        let runnable = scripts.join("key.sh");
        std::fs::write(&runnable, "#!/bin/sh\necho k\n").expect("write");
        std::fs::set_permissions(&runnable, std::fs::Permissions::from_mode(0o755)).expect("chmod");
        let plain = scripts.join("plain.sh");
        std::fs::write(&plain, "echo k\n").expect("write");
        std::fs::set_permissions(&plain, std::fs::Permissions::from_mode(0o644)).expect("chmod");

        // The project's .claude/settings.json: Claude Code starts in the project.
        let claude_dir = dir.path().join(".claude");
        let home = with_env(&[("HOME", dir.path().to_str().expect("utf-8"))]);
        assert_eq!(warnings("bin/key.sh --team a", &claude_dir, None), 0);
        assert_eq!(warnings("~/bin/key.sh", &claude_dir, Some(&home)), 0);
        for (helper, problem) in [
            ("bin/missing.sh", "does not exist"),
            ("'bin/plain.sh'", "is not executable"),
            ("./bin", "is a directory"),
            ("/nonexistent/gwscript-key.sh", "does not exist"),
        ] {
            let found = helper_findings(helper, &claude_dir, None, Severity::Warning);
            assert_eq!(found.len(), 1, "{helper}: {found:#?}");
            let d = &found[0];
            assert_eq!((d.code.as_str(), d.severity), ("GW5030", Severity::Warning));
            assert!(d.message.contains(problem), "{}", d.message);
            assert_eq!(d.span.map(|s| (s.line, s.column)), Some((1, 17)));
        }
        assert_eq!(warnings("~/bin/missing.sh", &claude_dir, Some(&home)), 1);
        // doctor judges this machine: the same finding is an error there.
        let found = helper_findings("bin/missing.sh", &claude_dir, None, Severity::Error);
        assert!(found[0].is_error());
        // A copy outside .claude/ (what `gwscript run` writes) is still to be deployed, helper
        // and all: not judged here.
        for helper in [
            "bin/missing.sh",
            "~/bin/missing.sh",
            "/nonexistent/gwscript-key.sh",
        ] {
            assert_eq!(warnings(helper, dir.path(), Some(&home)), 0, "{helper}");
        }
        // Bare names: looked up on the environment's PATH, with --env only.
        assert_eq!(warnings("key.sh", &claude_dir, None), 0);
        let path = with_env(&[("PATH", scripts.to_str().expect("utf-8"))]);
        assert_eq!(warnings("key.sh -x", &claude_dir, Some(&path)), 0);
        assert_eq!(warnings("echo k", &claude_dir, Some(&path)), 0);
        let found = helper_findings("vault kv get", &claude_dir, Some(&path), Severity::Warning);
        assert!(
            found[0]
                .message
                .contains("`vault`, which is not found on the environment's PATH"),
            "{}",
            found[0].message
        );
    }

    #[cfg(unix)]
    #[test]
    fn gw5030_managed_settings_are_judged_where_they_are() {
        let dir = tempfile::tempdir().expect("temp dir");
        let text =
            serde_json::json!({ "apiKeyHelper": "/nonexistent/gwscript-key.sh" }).to_string();
        let path = dir.path().join("managed-settings.json");
        let file = SettingsCheck {
            path: path.to_str().expect("utf-8"),
            text: &text,
            scope: SettingsScope::Managed,
            environment: None,
            base_dir: dir.path(),
        };
        let found = check_with(&file, Severity::Warning);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].code, "GW5030");
        let relative = serde_json::json!({ "apiKeyHelper": "bin/key.sh" }).to_string();
        let file = SettingsCheck {
            text: &relative,
            ..file
        };
        assert!(
            check_with(&file, Severity::Warning).is_empty(),
            "no known start directory"
        );
    }
}
