//! The diagnostic codes this plugin raises, and their pages (`diagnostics/<code>.md`), which
//! `gwscript explain` shows. Codes are never reused for another meaning.

use gwscript_plugin::Codes;

pub const NOT_ANTHROPIC: &str = "GW4201";
pub const LITERAL_UPSTREAM_KEY: &str = "GW4202";
pub const UPSTREAM_NOT_HTTPS: &str = "GW4203";
pub const CONFLICTING_UPSTREAMS: &str = "GW4204";
pub const NO_UPSTREAM_KEY: &str = "GW4205";
pub const MODEL_NOT_AN_ANTHROPIC_ID: &str = "GW4206";
pub const IGNORED_PROVIDER_OPTION: &str = "GW4207";
pub const OPTION_OF_OTHER_PRODUCT: &str = "GW4208";
pub const LIMIT_ABOVE_PARENT: &str = "GW4209";
pub const DUPLICATE_LIMIT: &str = "GW4210";
pub const TEAM_CYCLE: &str = "GW4211";
pub const DAILY_ABOVE_MONTHLY: &str = "GW4212";
pub const FALLBACKS_NOT_EMITTED: &str = "GW4213";

/// The prefix every code of this plugin starts with.
const PREFIX: &str = "GW42";

/// Every page, embedded so the library is the whole plugin.
pub const PAGES: &[&str] = &[
    include_str!("../../diagnostics/GW4201.md"),
    include_str!("../../diagnostics/GW4202.md"),
    include_str!("../../diagnostics/GW4203.md"),
    include_str!("../../diagnostics/GW4204.md"),
    include_str!("../../diagnostics/GW4205.md"),
    include_str!("../../diagnostics/GW4206.md"),
    include_str!("../../diagnostics/GW4207.md"),
    include_str!("../../diagnostics/GW4208.md"),
    include_str!("../../diagnostics/GW4209.md"),
    include_str!("../../diagnostics/GW4210.md"),
    include_str!("../../diagnostics/GW4211.md"),
    include_str!("../../diagnostics/GW4212.md"),
    include_str!("../../diagnostics/GW4213.md"),
];

/// The manifest's code index, read from the pages' headings and severity lines.
pub fn index() -> Result<Codes, String> {
    Codes::from_pages(PREFIX, PAGES)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Zuplo;
    use gwscript_plugin::Severity;
    use gwscript_plugin::testing::assert_pages;

    /// `gwscript explain` prints these pages, and the manifest takes code, title and severity from
    /// them. Every code the checks raise is listed with the severity they raise it at.
    #[test]
    fn every_page_is_served_indexed_and_raised_at_its_severity() {
        assert_pages::<Zuplo>(
            concat!(env!("CARGO_MANIFEST_DIR"), "/diagnostics"),
            &[
                (NOT_ANTHROPIC, Severity::Error),
                (LITERAL_UPSTREAM_KEY, Severity::Error),
                (UPSTREAM_NOT_HTTPS, Severity::Error),
                (CONFLICTING_UPSTREAMS, Severity::Error),
                (NO_UPSTREAM_KEY, Severity::Error),
                (MODEL_NOT_AN_ANTHROPIC_ID, Severity::Warning),
                (IGNORED_PROVIDER_OPTION, Severity::Warning),
                (OPTION_OF_OTHER_PRODUCT, Severity::Error),
                (LIMIT_ABOVE_PARENT, Severity::Error),
                (DUPLICATE_LIMIT, Severity::Error),
                (TEAM_CYCLE, Severity::Error),
                (DAILY_ABOVE_MONTHLY, Severity::Warning),
                (FALLBACKS_NOT_EMITTED, Severity::Error),
            ],
            &[],
        );
    }
}
