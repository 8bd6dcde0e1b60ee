//! The diagnostic codes this plugin emits, and their pages (`diagnostics/<code>.md`), which
//! `gwscript explain` shows. Codes are never reused for another meaning: a code the plugin no
//! longer raises keeps its page, marked retired.

use gwscript_plugin::Codes;

pub const CIRCULAR_FALLBACK: &str = "GW4001";
pub const FALLBACK_TO_UNSERVED_GROUP: &str = "GW4002";
pub const UNKNOWN_ROUTING_STRATEGY: &str = "GW4003";
pub const UNKNOWN_PROVIDER_PREFIX: &str = "GW4004";
pub const LITERAL_SECRET: &str = "GW4005";
pub const CLIENT_MODEL_NOT_SERVED: &str = "GW4006";
pub const BEDROCK_WITHOUT_REGION: &str = "GW4007";
pub const VERTEX_WITHOUT_PROJECT_OR_LOCATION: &str = "GW4008";
pub const MIXED_ORDERED_AND_UNORDERED: &str = "GW4009";
pub const NO_MASTER_KEY: &str = "GW4010";
pub const UNKNOWN_PROVIDER_OPTION: &str = "GW4011";
// GW4012 (unknown gateway option) is retired: the host validates gateway options itself.
pub const DUPLICATE_DEPLOYMENT: &str = "GW4013";
pub const NO_DEPLOYMENTS: &str = "GW4014";

/// The prefix every code of this plugin starts with.
const PREFIX: &str = "GW40";

/// Every page, retired codes included, embedded so the library is the whole plugin.
pub const PAGES: &[&str] = &[
    include_str!("../../diagnostics/GW4001.md"),
    include_str!("../../diagnostics/GW4002.md"),
    include_str!("../../diagnostics/GW4003.md"),
    include_str!("../../diagnostics/GW4004.md"),
    include_str!("../../diagnostics/GW4005.md"),
    include_str!("../../diagnostics/GW4006.md"),
    include_str!("../../diagnostics/GW4007.md"),
    include_str!("../../diagnostics/GW4008.md"),
    include_str!("../../diagnostics/GW4009.md"),
    include_str!("../../diagnostics/GW4010.md"),
    include_str!("../../diagnostics/GW4011.md"),
    include_str!("../../diagnostics/GW4012.md"),
    include_str!("../../diagnostics/GW4013.md"),
    include_str!("../../diagnostics/GW4014.md"),
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
    const LIVE: [(&str, Severity); 13] = [
        (CIRCULAR_FALLBACK, Severity::Error),
        (FALLBACK_TO_UNSERVED_GROUP, Severity::Error),
        (UNKNOWN_ROUTING_STRATEGY, Severity::Error),
        (UNKNOWN_PROVIDER_PREFIX, Severity::Error),
        (LITERAL_SECRET, Severity::Error),
        (CLIENT_MODEL_NOT_SERVED, Severity::Error),
        (BEDROCK_WITHOUT_REGION, Severity::Warning),
        (VERTEX_WITHOUT_PROJECT_OR_LOCATION, Severity::Warning),
        (MIXED_ORDERED_AND_UNORDERED, Severity::Warning),
        (NO_MASTER_KEY, Severity::Warning),
        (UNKNOWN_PROVIDER_OPTION, Severity::Warning),
        (DUPLICATE_DEPLOYMENT, Severity::Warning),
        (NO_DEPLOYMENTS, Severity::Error),
    ];

    const RETIRED: &str = "- **Status:** retired";

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
    fn every_page_on_disk_is_embedded_and_parses() {
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

    /// `gwscript explain` prints these pages; the manifest takes code, title and severity from them.
    #[test]
    fn every_live_code_has_its_page_and_every_page_a_code() {
        let index = index().expect("every page parses");
        for (code, severity) in LIVE {
            let info = index
                .get(code)
                .unwrap_or_else(|| panic!("{code} has no page"));
            assert_eq!(info.severity, severity, "{code}");
            assert!(info.title.len() > 3, "{code}: {}", info.title);
        }
        for (code, page) in pages_on_disk() {
            let live = LIVE.iter().any(|(live, _)| *live == code);
            assert!(
                live != page.contains(RETIRED),
                "{code} must be either raised by a check or marked retired"
            );
            assert!(page.starts_with(&format!("# {code}: ")), "{code}");
            for section in ["## What it means", "## How to fix", "## Verify"] {
                assert!(page.contains(section), "{code} lacks {section}");
            }
            assert!(
                !page.contains("```sh")
                    && !page.contains("```console")
                    && !page.contains("```bash"),
                "{code} has shell commands"
            );
        }
    }
}
