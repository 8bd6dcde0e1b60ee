//! Where `gwscript check` looks when given no file: the gateway configs the installed plugins
//! name, in the working directory, and Claude Code's settings at every scope.

use crate::plugin::Registry;
use gwscript_plugin::Diagnostic;
use std::path::{Path, PathBuf};

/// Claude Code's managed settings on Linux (`/Library/Application Support/ClaudeCode/` on macOS).
#[cfg(target_os = "macos")]
pub const MANAGED_SETTINGS: &str = "/Library/Application Support/ClaudeCode/managed-settings.json";
#[cfg(not(target_os = "macos"))]
pub const MANAGED_SETTINGS: &str = "/etc/claude-code/managed-settings.json";

/// The usual places, in the order Claude Code ranks settings (managed first), that exist. A file
/// reached twice (`~/.claude/settings.json` from the home directory itself) is checked once.
pub fn usual_places(registry: &Registry) -> Vec<PathBuf> {
    let mut seen = std::collections::HashSet::new();
    candidates(registry, dirs::home_dir().as_deref())
        .into_iter()
        .filter(|path| path.is_file())
        .filter(|path| std::fs::canonicalize(path).is_ok_and(|real| seen.insert(real)))
        .collect()
}

fn candidates(registry: &Registry, home: Option<&Path>) -> Vec<PathBuf> {
    let mut places: Vec<PathBuf> = Vec::new();
    for plugin in &registry.plugins {
        for kind in &plugin.manifest.file_kinds {
            places.extend(kind.default_names.iter().map(PathBuf::from));
        }
    }
    places.push(PathBuf::from(MANAGED_SETTINGS));
    places.push(PathBuf::from(".claude/settings.local.json"));
    places.push(PathBuf::from(".claude/settings.json"));
    if let Some(home) = home {
        places.push(home.join(".claude/settings.json"));
    }
    let mut seen = std::collections::HashSet::new();
    places.retain(|place| seen.insert(place.clone()));
    places
}

/// GW0011: none of the usual places holds a file.
pub fn nothing_found(registry: &Registry) -> Diagnostic {
    let looked: Vec<String> = candidates(registry, dirs::home_dir().as_deref())
        .iter()
        .map(|p| p.display().to_string())
        .collect();
    let looked: Vec<&str> = looked.iter().map(String::as_str).collect();
    Diagnostic::warning(
        "GW0011",
        "found no file to check",
        format!(
            "name the files to check, or run where they are; looked for {}",
            looked.join(", ")
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_come_in_claude_codes_order_after_gateway_configs() {
        let places = candidates(&Registry::default(), Some(Path::new("/home/u")));
        let shown: Vec<String> = places.iter().map(|p| p.display().to_string()).collect();
        assert_eq!(
            shown,
            [
                MANAGED_SETTINGS,
                ".claude/settings.local.json",
                ".claude/settings.json",
                "/home/u/.claude/settings.json"
            ]
        );
    }
}
