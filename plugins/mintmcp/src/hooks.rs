//! Claude Code's side of the monitoring: the settings.json `hooks` block that runs the emitted
//! script on each event, and where that script is installed for each settings scope.
//!
//! The block has Claude Code's shape: event name → matcher groups → command hooks. Tool events
//! match every tool (`*`); `UserPromptSubmit` takes no matcher.

use gwscript_plugin::model::Scope;
use gwscript_plugin::quote::shell_quote;
use serde_json::{Map, Value, json};

/// The hook events MintMCP's Claude Code integration posts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    PreToolUse,
    PostToolUse,
    UserPromptSubmit,
}

impl Event {
    pub const ALL: [Event; 3] = [
        Event::PreToolUse,
        Event::PostToolUse,
        Event::UserPromptSubmit,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Event::PreToolUse => "PreToolUse",
            Event::PostToolUse => "PostToolUse",
            Event::UserPromptSubmit => "UserPromptSubmit",
        }
    }

    fn takes_tool_matcher(self) -> bool {
        !matches!(self, Event::UserPromptSubmit)
    }
}

/// Seconds Claude Code waits for the hook beyond curl's own limit before killing it.
const KILL_MARGIN_SECONDS: u64 = 5;

/// The `hooks` value: every event runs `command`, and Claude Code stops waiting a little after
/// curl has given up on its own.
pub fn settings_block(events: &[Event], command: &str, max_time_seconds: f64) -> Value {
    let timeout = max_time_seconds.ceil() as u64 + KILL_MARGIN_SECONDS;
    let handler = json!({ "type": "command", "command": command, "timeout": timeout });
    let block: Map<String, Value> = events
        .iter()
        .map(|event| {
            let mut group = Map::new();
            if event.takes_tool_matcher() {
                group.insert("matcher".into(), json!("*"));
            }
            group.insert("hooks".into(), json!([handler]));
            (event.name().to_owned(), json!([group]))
        })
        .collect();
    Value::Object(block)
}

/// Where the hook script is installed: a path below an anchor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub anchor: Anchor,
    /// Absolute for [`Anchor::Root`], else relative to the anchor.
    pub path: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Anchor {
    /// An absolute path (managed scope, or the recipe's `hook_path`).
    Root,
    /// The developer's home directory (user scope).
    Home,
    /// The project's root (project and local scope): `$CLAUDE_PROJECT_DIR` in hooks.
    Project,
}

/// Beside the settings of each scope, where gwscript also installs the apiKeyHelper.
const MANAGED_PATH: &str = "/etc/claude-code/mintmcp-hook.sh";
const SETTINGS_DIR_PATH: &str = ".claude/mintmcp-hook.sh";

impl Location {
    /// The recipe's `hook_path`, else the default for the scope.
    pub fn for_scope(scope: Scope, hook_path: Option<&str>) -> Location {
        let (anchor, path) = match (hook_path, scope) {
            (Some(path), _) => (Anchor::Root, path),
            (None, Scope::Managed) => (Anchor::Root, MANAGED_PATH),
            (None, Scope::User) => (Anchor::Home, SETTINGS_DIR_PATH),
            (None, Scope::Project | Scope::Local) => (Anchor::Project, SETTINGS_DIR_PATH),
        };
        Location {
            anchor,
            path: path.to_owned(),
        }
    }

    /// The command settings.json runs. Through `bash`, so the hook works even if an MDM drops
    /// the executable bit; the path is one shell word whatever it holds.
    pub fn command(&self) -> String {
        let path = match self.anchor {
            Anchor::Project => format!("\"$CLAUDE_PROJECT_DIR\"/{}", shell_quote(&self.path)),
            _ => self.shell_path(),
        };
        format!("bash {path}")
    }

    /// The path as one shell word, for commands a person runs (from the project's root).
    pub fn shell_path(&self) -> String {
        match self.anchor {
            Anchor::Root | Anchor::Project => shell_quote(&self.path),
            Anchor::Home => format!("\"$HOME\"/{}", shell_quote(&self.path)),
        }
    }

    /// The directory the script goes into.
    pub fn parent(&self) -> Location {
        let parent = match self.path.rsplit_once('/') {
            Some(("", _)) => "/",
            Some((parent, _)) => parent,
            None => ".",
        };
        Location {
            anchor: self.anchor,
            path: parent.to_owned(),
        }
    }

    /// The path as people write it.
    pub fn display(&self) -> String {
        match self.anchor {
            Anchor::Home => format!("~/{}", self.path),
            Anchor::Root | Anchor::Project => self.path.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use gwscript_plugin::testing::shell_words;

    /// Claude Code's settings schema from SchemaStore, vendored for the tests.
    const SETTINGS_SCHEMA: &str =
        include_str!("../../../tests/data/claude-code-settings.schema.json");

    fn schema_errors(settings: &Value) -> Vec<String> {
        let schema: Value = serde_json::from_str(SETTINGS_SCHEMA).expect("the schema is JSON");
        let validator = jsonschema::validator_for(&schema).expect("the schema compiles");
        validator
            .iter_errors(settings)
            .map(|e| format!("{e} at {}", e.instance_path()))
            .collect()
    }

    #[test]
    fn the_block_has_claude_codes_shape() {
        let block = settings_block(&Event::ALL, "bash '/etc/claude-code/mintmcp-hook.sh'", 5.0);
        let handler = json!({
            "type": "command",
            "command": "bash '/etc/claude-code/mintmcp-hook.sh'",
            "timeout": 10,
        });
        assert_eq!(
            block,
            json!({
                "PreToolUse": [{ "matcher": "*", "hooks": [handler] }],
                "PostToolUse": [{ "matcher": "*", "hooks": [handler] }],
                "UserPromptSubmit": [{ "hooks": [handler] }],
            })
        );
        assert_eq!(
            schema_errors(&json!({ "hooks": block })),
            Vec::<String>::new()
        );
    }

    #[test]
    fn only_the_chosen_events_get_a_hook_and_the_timeout_rounds_up() {
        let block = settings_block(&[Event::UserPromptSubmit], "bash x", 2.5);
        assert_eq!(
            block,
            json!({ "UserPromptSubmit": [{ "hooks": [{ "type": "command", "command": "bash x", "timeout": 8 }] }] })
        );
        assert_eq!(
            schema_errors(&json!({ "hooks": block })),
            Vec::<String>::new()
        );
    }

    #[test]
    fn each_scope_installs_the_hook_beside_its_settings() {
        let cases = [
            (
                Scope::Managed,
                "bash '/etc/claude-code/mintmcp-hook.sh'",
                "/etc/claude-code/mintmcp-hook.sh",
            ),
            (
                Scope::User,
                "bash \"$HOME\"/'.claude/mintmcp-hook.sh'",
                "~/.claude/mintmcp-hook.sh",
            ),
            (
                Scope::Project,
                "bash \"$CLAUDE_PROJECT_DIR\"/'.claude/mintmcp-hook.sh'",
                ".claude/mintmcp-hook.sh",
            ),
        ];
        for (scope, command, display) in cases {
            let location = Location::for_scope(scope, None);
            assert_eq!(location.command(), command);
            assert_eq!(location.display(), display);
        }
        let managed = Location::for_scope(Scope::Managed, None);
        assert_eq!(managed.parent().shell_path(), "'/etc/claude-code'");
        let user = Location::for_scope(Scope::User, None);
        assert_eq!(user.parent().shell_path(), "\"$HOME\"/'.claude'");
        assert_eq!(
            Location::for_scope(Scope::User, Some("/hook.sh"))
                .parent()
                .path,
            "/"
        );
    }

    #[test]
    fn a_hook_path_stays_one_word_whatever_it_holds() {
        let path = "/Library/Application Support/ClaudeCode/it's $(id).sh";
        let location = Location::for_scope(Scope::User, Some(path));
        assert_eq!(shell_words("bash", &location.command()), [path]);
        assert_eq!(
            shell_words("install", &format!("install {}", location.shell_path())),
            [path]
        );
        let home = Location::for_scope(Scope::User, None).command();
        let words = shell_words("bash", &format!("HOME='/home/a b'; {home}"));
        assert_eq!(words, ["/home/a b/.claude/mintmcp-hook.sh"]);
    }
}
