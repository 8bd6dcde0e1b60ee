//! The diagnostic codes this plugin emits, and their pages (`diagnostics/<code>.md`), which
//! `gwscript explain` shows. Codes are never reused for another meaning: a code the plugin no
//! longer raises keeps its page, marked retired.

use gwscript_plugin::Codes;

pub const LITERAL_ORG_KEY: &str = "GW4301";
pub const NOT_MANAGED_SCOPE: &str = "GW4302";
pub const PROXY_UNVERIFIED: &str = "GW4303";
pub const HOOKS_ONLY: &str = "GW4304";
pub const INVALID_EVENTS_PATH: &str = "GW4305";
pub const KEY_SENT_NOWHERE: &str = "GW4306";
pub const RELATIVE_HOOK_PATH: &str = "GW4307";
pub const PLAIN_HTTP_EVENTS: &str = "GW4308";

/// The prefix every code of this plugin starts with.
const PREFIX: &str = "GW43";

/// Every page, embedded so the library is the whole plugin.
pub const PAGES: &[&str] = &[
    include_str!("../../diagnostics/GW4301.md"),
    include_str!("../../diagnostics/GW4302.md"),
    include_str!("../../diagnostics/GW4303.md"),
    include_str!("../../diagnostics/GW4304.md"),
    include_str!("../../diagnostics/GW4305.md"),
    include_str!("../../diagnostics/GW4306.md"),
    include_str!("../../diagnostics/GW4307.md"),
    include_str!("../../diagnostics/GW4308.md"),
];

/// The manifest's code index, read from the pages' headings and severity lines.
pub fn index() -> Result<Codes, String> {
    Codes::from_pages(PREFIX, PAGES)
}

#[cfg(test)]
mod tests {
    use super::*;
    use gwscript_plugin::Severity;
    use std::collections::BTreeMap;

    /// Every code the checks raise, with the severity they raise it at.
    const LIVE: [(&str, Severity); 8] = [
        (LITERAL_ORG_KEY, Severity::Error),
        (NOT_MANAGED_SCOPE, Severity::Warning),
        (PROXY_UNVERIFIED, Severity::Warning),
        (HOOKS_ONLY, Severity::Error),
        (INVALID_EVENTS_PATH, Severity::Error),
        (KEY_SENT_NOWHERE, Severity::Error),
        (RELATIVE_HOOK_PATH, Severity::Error),
        (PLAIN_HTTP_EVENTS, Severity::Warning),
    ];

    /// The pages on disk, by code (the file name), with their text.
    fn pages_on_disk() -> BTreeMap<String, String> {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/diagnostics");
        std::fs::read_dir(dir)
            .unwrap_or_else(|e| panic!("{dir}: {e}"))
            .map(|entry| {
                let path = entry.expect("a directory entry").path();
                let code = path
                    .file_stem()
                    .and_then(|stem| stem.to_str())
                    .expect("a UTF-8 file name")
                    .to_owned();
                let text = std::fs::read_to_string(&path)
                    .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
                (code, text)
            })
            .collect()
    }

    #[test]
    fn every_page_on_disk_is_embedded_and_indexed() {
        let on_disk = pages_on_disk();
        assert_eq!(on_disk.len(), PAGES.len(), "a page is not in PAGES");
        for (code, text) in &on_disk {
            assert!(PAGES.contains(&text.as_str()), "{code}.md is not in PAGES");
        }
        let index = index().expect("every page parses");
        assert_eq!(index.prefix, PREFIX);
        let indexed: Vec<&str> = index.codes.iter().map(|c| c.code.as_str()).collect();
        assert_eq!(
            indexed,
            on_disk.keys().map(String::as_str).collect::<Vec<_>>()
        );
    }

    #[test]
    fn every_live_code_has_its_page_with_its_severity_and_sections() {
        let index = index().expect("every page parses");
        for (i, (code, severity)) in LIVE.iter().enumerate() {
            assert!(code.starts_with(PREFIX) && code.len() == 6, "{code}");
            assert!(LIVE[..i].iter().all(|(earlier, _)| earlier != code));
            let info = index
                .get(code)
                .unwrap_or_else(|| panic!("{code} has no page"));
            assert_eq!(info.severity, *severity, "{code}");
            assert!(!info.retired, "{code}");
        }
        assert_eq!(index.codes.len(), LIVE.len(), "a page has no live code");
        for (code, page) in pages_on_disk() {
            assert!(page.starts_with(&format!("# {code}: ")), "{code}");
            for section in ["## What it means", "## How to fix", "## Verify"] {
                assert!(page.contains(section), "{code} lacks {section}");
            }
            // The book runs ```console blocks; pages only show recipes.
            for fence in ["```sh", "```console", "```bash"] {
                assert!(!page.contains(fence), "{code} has a {fence} block");
            }
        }
    }
}
