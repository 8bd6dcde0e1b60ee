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
pub const PASS_THROUGH_MIXES_PROVIDERS: &str = "GW4015";
pub const BAD_ENV_REFERENCE: &str = "GW4016";

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
    include_str!("../../diagnostics/GW4015.md"),
    include_str!("../../diagnostics/GW4016.md"),
];

/// The manifest's code index, read from the pages' headings and severity lines.
pub fn index() -> Result<Codes, String> {
    Codes::from_pages(PREFIX, PAGES)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::LiteLlm;
    use gwscript_plugin::Severity;
    use gwscript_plugin::testing::assert_pages;

    /// `gwscript explain` prints these pages, and the manifest takes code, title and severity from
    /// them. Every code the checks raise is listed with the severity they raise it at.
    #[test]
    fn every_page_is_served_indexed_and_raised_at_its_severity() {
        assert_pages::<LiteLlm>(
            concat!(env!("CARGO_MANIFEST_DIR"), "/diagnostics"),
            &[
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
                (PASS_THROUGH_MIXES_PROVIDERS, Severity::Error),
                (BAD_ENV_REFERENCE, Severity::Error),
            ],
            &["GW4012"],
        );
    }
}
