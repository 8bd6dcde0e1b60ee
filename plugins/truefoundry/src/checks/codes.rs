//! The diagnostic codes this plugin raises, and their pages (`diagnostics/<code>.md`), which
//! `gwscript explain` shows. Codes are never reused for another meaning.

use gwscript_plugin::Codes;

pub const RAW_PROVIDER: &str = "GW4101";
pub const INVALID_ACCOUNT_NAME: &str = "GW4102";
pub const GROUP_NOT_A_MODEL_ID: &str = "GW4103";
pub const GROUP_ACCOUNT_NOT_DEPLOYED: &str = "GW4104";
pub const ACCOUNT_CONFLICT: &str = "GW4105";
pub const MODEL_CONFLICT: &str = "GW4106";
pub const UNSERVED_GROUP: &str = "GW4107";
pub const LITERAL_CREDENTIAL: &str = "GW4108";
pub const SECRET_WITHOUT_GROUP: &str = "GW4109";
pub const CLIENT_MODEL_NOT_SERVED: &str = "GW4110";
pub const DEPLOYMENT_LIMIT_NOT_EXPRESSIBLE: &str = "GW4111";
pub const WEIGHT_WITH_PRIORITY: &str = "GW4112";
pub const TOKEN_IS_PROVIDER_CREDENTIAL: &str = "GW4113";
pub const CLOUD_SETTING_MISSING: &str = "GW4114";
pub const BUDGET_SHADOWED: &str = "GW4115";
pub const UNKNOWN_PROVIDER_OPTION: &str = "GW4116";
pub const MODEL_NAME_HIDES_CLAUDE: &str = "GW4117";
pub const NO_DEPLOYMENTS: &str = "GW4118";
pub const FALLBACK_CHAIN_TOO_LONG: &str = "GW4119";

/// The prefix every code of this plugin starts with.
const PREFIX: &str = "GW41";

/// Every page, embedded so the library is the whole plugin.
pub const PAGES: &[&str] = &[
    include_str!("../../diagnostics/GW4101.md"),
    include_str!("../../diagnostics/GW4102.md"),
    include_str!("../../diagnostics/GW4103.md"),
    include_str!("../../diagnostics/GW4104.md"),
    include_str!("../../diagnostics/GW4105.md"),
    include_str!("../../diagnostics/GW4106.md"),
    include_str!("../../diagnostics/GW4107.md"),
    include_str!("../../diagnostics/GW4108.md"),
    include_str!("../../diagnostics/GW4109.md"),
    include_str!("../../diagnostics/GW4110.md"),
    include_str!("../../diagnostics/GW4111.md"),
    include_str!("../../diagnostics/GW4112.md"),
    include_str!("../../diagnostics/GW4113.md"),
    include_str!("../../diagnostics/GW4114.md"),
    include_str!("../../diagnostics/GW4115.md"),
    include_str!("../../diagnostics/GW4116.md"),
    include_str!("../../diagnostics/GW4117.md"),
    include_str!("../../diagnostics/GW4118.md"),
    include_str!("../../diagnostics/GW4119.md"),
];

/// The manifest's code index, read from the pages' headings and severity lines.
pub fn index() -> Result<Codes, String> {
    Codes::from_pages(PREFIX, PAGES)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::TrueFoundry;
    use gwscript_plugin::Severity;
    use gwscript_plugin::testing::assert_pages;

    /// `gwscript explain` prints these pages, and the manifest takes code, title and severity from
    /// them. Every code the checks raise is listed with the severity they raise it at.
    #[test]
    fn every_page_is_served_indexed_and_raised_at_its_severity() {
        assert_pages::<TrueFoundry>(
            concat!(env!("CARGO_MANIFEST_DIR"), "/diagnostics"),
            &[
                (RAW_PROVIDER, Severity::Error),
                (INVALID_ACCOUNT_NAME, Severity::Error),
                (GROUP_NOT_A_MODEL_ID, Severity::Error),
                (GROUP_ACCOUNT_NOT_DEPLOYED, Severity::Error),
                (ACCOUNT_CONFLICT, Severity::Error),
                (MODEL_CONFLICT, Severity::Error),
                (UNSERVED_GROUP, Severity::Error),
                (LITERAL_CREDENTIAL, Severity::Error),
                (SECRET_WITHOUT_GROUP, Severity::Warning),
                (CLIENT_MODEL_NOT_SERVED, Severity::Error),
                (DEPLOYMENT_LIMIT_NOT_EXPRESSIBLE, Severity::Error),
                (WEIGHT_WITH_PRIORITY, Severity::Error),
                (TOKEN_IS_PROVIDER_CREDENTIAL, Severity::Warning),
                (CLOUD_SETTING_MISSING, Severity::Error),
                (BUDGET_SHADOWED, Severity::Warning),
                (UNKNOWN_PROVIDER_OPTION, Severity::Warning),
                (MODEL_NAME_HIDES_CLAUDE, Severity::Warning),
                (NO_DEPLOYMENTS, Severity::Error),
                (FALLBACK_CHAIN_TOO_LONG, Severity::Error),
            ],
            &[],
        );
    }
}
