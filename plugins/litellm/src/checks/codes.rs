//! The diagnostic codes this plugin emits. Each has a page `book/src/diagnostics/<code>.md`;
//! codes are never reused for another meaning.

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
pub const UNKNOWN_GATEWAY_OPTION: &str = "GW4012";
pub const DUPLICATE_DEPLOYMENT: &str = "GW4013";
pub const NO_DEPLOYMENTS: &str = "GW4014";

#[cfg(test)]
mod tests {
    use super::*;
    use gwscript_plugin::Severity;

    /// Every code with the severity its check uses.
    const ALL: [(&str, Severity); 14] = [
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
        (UNKNOWN_GATEWAY_OPTION, Severity::Warning),
        (DUPLICATE_DEPLOYMENT, Severity::Warning),
        (NO_DEPLOYMENTS, Severity::Error),
    ];

    #[test]
    fn codes_are_distinct_and_in_the_gateway_config_range() {
        for (i, (code, _)) in ALL.iter().enumerate() {
            assert!(code.starts_with("GW40") && code.len() == 6, "{code}");
            assert!(
                ALL[..i].iter().all(|(earlier, _)| earlier != code),
                "{code} reused"
            );
        }
    }

    /// `gwscript explain` prints these pages and parses their first line.
    #[test]
    fn every_code_has_its_book_page() {
        let book = concat!(env!("CARGO_MANIFEST_DIR"), "/../../book/src/diagnostics");
        for (code, severity) in ALL {
            let page = std::fs::read_to_string(format!("{book}/{code}.md"))
                .unwrap_or_else(|e| panic!("{code}: {e}"));
            let title = page.lines().next().unwrap_or_default();
            assert!(
                title.starts_with(&format!("# {code}: ")) && title.len() > 10,
                "{code}: {title}"
            );
            let severity_line = format!("- **Severity:** {}", severity.as_str());
            assert!(
                page.contains(&severity_line),
                "{code} should say {severity_line}"
            );
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
