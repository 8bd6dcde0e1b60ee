//! The diagnostic codes this plugin raises, and their pages (`diagnostics/<code>.md`), which
//! `gwscript explain` shows. Codes are never reused for another meaning.

use gwscript_plugin::Codes;

pub const READ_TIMEOUT_TOO_SHORT: &str = "GW4401";
pub const BODY_LIMIT_TOO_SMALL: &str = "GW4402";
pub const PLAIN_HTTP_UPSTREAM: &str = "GW4403";
pub const TLS_PAIR_INCOMPLETE: &str = "GW4404";
pub const UNWRITABLE_VALUE: &str = "GW4405";
pub const UNREACHABLE_PROVIDER: &str = "GW4406";
pub const LITERAL_SECRET: &str = "GW4407";
pub const NO_UPSTREAM_KEY: &str = "GW4408";
pub const NO_GATEWAY_TOKEN: &str = "GW4409";
pub const CONFLICTING_UPSTREAM_KEYS: &str = "GW4410";
pub const TLS_ON_HTTP_URL: &str = "GW4411";
pub const HTTPS_WITHOUT_CERTIFICATE: &str = "GW4412";
pub const IGNORED_SETTING: &str = "GW4413";
pub const KONG_WITHOUT_MODEL: &str = "GW4414";
pub const KONG_SECOND_MODEL: &str = "GW4415";

/// The prefix every code of this plugin starts with.
const PREFIX: &str = "GW44";

/// Every page, embedded so the library is the whole plugin.
pub const PAGES: &[&str] = &[
    include_str!("../../diagnostics/GW4401.md"),
    include_str!("../../diagnostics/GW4402.md"),
    include_str!("../../diagnostics/GW4403.md"),
    include_str!("../../diagnostics/GW4404.md"),
    include_str!("../../diagnostics/GW4405.md"),
    include_str!("../../diagnostics/GW4406.md"),
    include_str!("../../diagnostics/GW4407.md"),
    include_str!("../../diagnostics/GW4408.md"),
    include_str!("../../diagnostics/GW4409.md"),
    include_str!("../../diagnostics/GW4410.md"),
    include_str!("../../diagnostics/GW4411.md"),
    include_str!("../../diagnostics/GW4412.md"),
    include_str!("../../diagnostics/GW4413.md"),
    include_str!("../../diagnostics/GW4414.md"),
    include_str!("../../diagnostics/GW4415.md"),
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
    const LIVE: [(&str, Severity); 15] = [
        (READ_TIMEOUT_TOO_SHORT, Severity::Error),
        (BODY_LIMIT_TOO_SMALL, Severity::Error),
        (PLAIN_HTTP_UPSTREAM, Severity::Error),
        (TLS_PAIR_INCOMPLETE, Severity::Error),
        (UNWRITABLE_VALUE, Severity::Error),
        (UNREACHABLE_PROVIDER, Severity::Error),
        (LITERAL_SECRET, Severity::Error),
        (NO_UPSTREAM_KEY, Severity::Error),
        (NO_GATEWAY_TOKEN, Severity::Error),
        (CONFLICTING_UPSTREAM_KEYS, Severity::Error),
        (TLS_ON_HTTP_URL, Severity::Error),
        (HTTPS_WITHOUT_CERTIFICATE, Severity::Warning),
        (IGNORED_SETTING, Severity::Warning),
        (KONG_WITHOUT_MODEL, Severity::Error),
        (KONG_SECOND_MODEL, Severity::Warning),
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
    fn codes_are_distinct_and_in_the_plugins_range() {
        for (i, (code, _)) in LIVE.iter().enumerate() {
            assert!(code.starts_with(PREFIX) && code.len() == 6, "{code}");
            assert!(
                LIVE[..i].iter().all(|(earlier, _)| earlier != code),
                "{code} reused"
            );
        }
    }

    #[test]
    fn every_page_on_disk_is_embedded_parses_and_has_its_sections() {
        let on_disk = pages_on_disk();
        assert_eq!(on_disk.len(), PAGES.len(), "a page is not in PAGES");
        let index = index().expect("every page parses");
        for (code, page) in &on_disk {
            assert!(PAGES.contains(&page.as_str()), "{code}.md is not in PAGES");
            assert!(page.starts_with(&format!("# {code}: ")), "{code}");
            for section in ["## What it means", "## How to fix", "## Verify"] {
                assert!(page.contains(section), "{code} lacks {section}");
            }
            assert!(
                !page.contains("```console") && !page.contains("```sh"),
                "{code}: the book executes console blocks"
            );
        }
        let indexed: Vec<&str> = index.codes.iter().map(|c| c.code.as_str()).collect();
        assert_eq!(
            indexed,
            on_disk.keys().map(String::as_str).collect::<Vec<_>>()
        );
    }

    #[test]
    fn every_live_code_has_its_page_at_its_severity() {
        let index = index().expect("every page parses");
        assert_eq!(index.codes.len(), LIVE.len(), "a page without a live code");
        for (code, severity) in LIVE {
            let info = index
                .get(code)
                .unwrap_or_else(|| panic!("{code} has no page"));
            assert_eq!(info.severity, severity, "{code}");
            assert!(!info.retired, "{code}");
        }
    }
}
