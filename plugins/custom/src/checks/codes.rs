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
    use crate::Custom;
    use gwscript_plugin::Severity;
    use gwscript_plugin::testing::assert_pages;

    /// `gwscript explain` prints these pages, and the manifest takes code, title and severity from
    /// them. Every code the checks raise is listed with the severity they raise it at.
    #[test]
    fn every_page_is_served_indexed_and_raised_at_its_severity() {
        assert_pages::<Custom>(
            concat!(env!("CARGO_MANIFEST_DIR"), "/diagnostics"),
            &[
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
            ],
            &[],
        );
    }
}
