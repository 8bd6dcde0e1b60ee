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
    use crate::MintMcp;
    use gwscript_plugin::Severity;
    use gwscript_plugin::testing::assert_pages;

    /// `gwscript explain` prints these pages, and the manifest takes code, title and severity from
    /// them. Every code the checks raise is listed with the severity they raise it at.
    #[test]
    fn every_page_is_served_indexed_and_raised_at_its_severity() {
        assert_pages::<MintMcp>(
            concat!(env!("CARGO_MANIFEST_DIR"), "/diagnostics"),
            &[
                (LITERAL_ORG_KEY, Severity::Error),
                (NOT_MANAGED_SCOPE, Severity::Warning),
                (PROXY_UNVERIFIED, Severity::Warning),
                (HOOKS_ONLY, Severity::Error),
                (INVALID_EVENTS_PATH, Severity::Error),
                (KEY_SENT_NOWHERE, Severity::Error),
                (RELATIVE_HOOK_PATH, Severity::Error),
                (PLAIN_HTTP_EVENTS, Severity::Warning),
            ],
            &[],
        );
    }
}
