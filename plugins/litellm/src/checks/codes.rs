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
// Findings of `gwscript check` on a hand-written config.yaml (and GW4027, GW4030 and GW4033,
// which recipes get too).
pub const UNREADABLE_YAML: &str = "GW4017";
pub const BAD_STRUCTURE: &str = "GW4018";
pub const REJECTED_TYPE: &str = "GW4019";
pub const UNCHECKED_TYPE: &str = "GW4020";
pub const UNKNOWN_KEY: &str = "GW4021";
pub const REFUSED_KEY: &str = "GW4022";
pub const IGNORED_SETTING: &str = "GW4023";
pub const BAD_INCLUDE: &str = "GW4024";
pub const REDIS_WITHOUT_HOST: &str = "GW4025";
pub const MISSING_PREREQUISITE: &str = "GW4026";
pub const PER_INSTANCE_STATE: &str = "GW4027";
pub const DUPLICATE_KEY: &str = "GW4028";
pub const CLAUDE_CODE_COMPATIBILITY: &str = "GW4029";
pub const MASTER_KEY_REFUSED: &str = "GW4030";
pub const UNSET_ENV_REFERENCE: &str = "GW4031";
pub const UNRESOLVED_ENV_REFERENCE: &str = "GW4032";
pub const MODEL_WITHOUT_PROVIDER_PREFIX: &str = "GW4033";

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
    include_str!("../../diagnostics/GW4017.md"),
    include_str!("../../diagnostics/GW4018.md"),
    include_str!("../../diagnostics/GW4019.md"),
    include_str!("../../diagnostics/GW4020.md"),
    include_str!("../../diagnostics/GW4021.md"),
    include_str!("../../diagnostics/GW4022.md"),
    include_str!("../../diagnostics/GW4023.md"),
    include_str!("../../diagnostics/GW4024.md"),
    include_str!("../../diagnostics/GW4025.md"),
    include_str!("../../diagnostics/GW4026.md"),
    include_str!("../../diagnostics/GW4027.md"),
    include_str!("../../diagnostics/GW4028.md"),
    include_str!("../../diagnostics/GW4029.md"),
    include_str!("../../diagnostics/GW4030.md"),
    include_str!("../../diagnostics/GW4031.md"),
    include_str!("../../diagnostics/GW4032.md"),
    include_str!("../../diagnostics/GW4033.md"),
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
                (UNREADABLE_YAML, Severity::Error),
                (BAD_STRUCTURE, Severity::Error),
                (REJECTED_TYPE, Severity::Error),
                (UNCHECKED_TYPE, Severity::Warning),
                (UNKNOWN_KEY, Severity::Warning),
                (REFUSED_KEY, Severity::Error),
                (IGNORED_SETTING, Severity::Warning),
                (BAD_INCLUDE, Severity::Error),
                (REDIS_WITHOUT_HOST, Severity::Error),
                (MISSING_PREREQUISITE, Severity::Warning),
                (PER_INSTANCE_STATE, Severity::Note),
                (DUPLICATE_KEY, Severity::Warning),
                (CLAUDE_CODE_COMPATIBILITY, Severity::Note),
                (MASTER_KEY_REFUSED, Severity::Error),
                (UNSET_ENV_REFERENCE, Severity::Warning),
                (UNRESOLVED_ENV_REFERENCE, Severity::Warning),
                (MODEL_WITHOUT_PROVIDER_PREFIX, Severity::Warning),
            ],
            &["GW4012"],
        );
    }
}
