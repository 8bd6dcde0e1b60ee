//! MintMCP against the spec's compatibility criteria and the gateway features, each with where the
//! fact comes from. MintMCP publicly documents its Claude Code hooks (its monitor plugin) but not
//! its LLM proxy, so every criterion, which is about the model traffic, is "unverified".

use gwscript_plugin::manifest::{Assessment, Criterion, Feature};

/// MintMCP's public Claude Code monitor plugin: the hook events, the route they are posted to,
/// `MINTMCP_BASE_URL`, `MINTMCP_ORG_KEY` and `MINTMCP_USER`, and the managed-settings rollout.
pub const MONITOR_PLUGIN: &str = "github.com/mintmcp/mintmcp-claude-code: monitor/hooks";
/// MintMCP's documentation of its admin operations (connectors, guardrail rules, audit trail).
const ADMIN_DOCS: &str = "mintmcp.com/docs/admin-mcp";
/// No public source was found.
const UNVERIFIED: &str = "unverified";

/// The criteria concern the model traffic, i.e. MintMCP's LLM proxy: none is publicly documented.
pub fn compatibility() -> Vec<Assessment<Criterion>> {
    let unverified = |id, note: &str| {
        Assessment::depends(
            id,
            UNVERIFIED,
            format!("MintMCP's LLM proxy is not publicly documented: {note}"),
        )
    };
    vec![
        unverified(
            Criterion::MessagesApi,
            "confirm with MintMCP that the gateway URL serves POST /v1/messages",
        ),
        unverified(
            Criterion::HeaderForwarding,
            "confirm that anthropic-version and every anthropic-beta value reach the provider \
             verbatim",
        ),
        unverified(
            Criterion::BodyPreserved,
            "confirm that request bodies reach the provider unmodified",
        ),
        unverified(
            Criterion::StatusCodes,
            "confirm that provider status codes and error bodies come back unchanged",
        ),
        unverified(
            Criterion::SseStreaming,
            "confirm that responses stream as unbuffered server-sent events",
        ),
        unverified(
            Criterion::BearerAuth,
            "gwscript sends the gateway key as Authorization: Bearer (ANTHROPIC_AUTH_TOKEN); \
             confirm that MintMCP reads it there",
        ),
        unverified(
            Criterion::LongTimeouts,
            "confirm that streams of 300 s and more are not cut",
        ),
    ]
}

pub fn features() -> Vec<Assessment<Feature>> {
    let proxy_feature = |id| {
        Assessment::depends(
            id,
            UNVERIFIED,
            "a feature of MintMCP's LLM proxy, which is not publicly documented",
        )
    };
    vec![
        proxy_feature(Feature::RateLimits),
        proxy_feature(Feature::Budgets),
        proxy_feature(Feature::Fallbacks),
        proxy_feature(Feature::LoadBalancing),
        proxy_feature(Feature::VirtualKeys),
        Assessment::yes(Feature::AuditLogs, MONITOR_PLUGIN).note(
            "through the hooks: every prompt and every tool call, before and after it runs, \
             attributed to MINTMCP_USER",
        ),
        Assessment::depends(
            Feature::Guardrails,
            ADMIN_DOCS,
            "guardrail rules apply to the MCP servers MintMCP runs or proxies; whether MintMCP's \
             answer to a hook event can deny a Claude Code tool call is not documented, and \
             gwscript's hook ignores it",
        ),
        proxy_feature(Feature::BedrockBackend),
        proxy_feature(Feature::VertexBackend),
        Assessment::no(Feature::ConfigAsFiles, UNVERIFIED).note(
            "no public configuration file format: MintMCP is configured in its web console and \
             Admin MCP; gwscript writes only Claude Code's side",
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use gwscript_plugin::manifest::Support;
    use gwscript_plugin::testing::assert_assessments;

    #[test]
    fn every_criterion_is_assessed_once_and_every_one_is_unverified() {
        let assessed = compatibility();
        assert_assessments(&assessed, &features());
        for criterion in &assessed {
            assert_eq!(criterion.source, "unverified", "{:?}", criterion.id);
            assert!(
                criterion
                    .note
                    .starts_with("MintMCP's LLM proxy is not publicly documented")
            );
        }
    }

    #[test]
    fn every_feature_is_assessed_with_the_audit_trail_from_the_hooks() {
        let features = features();
        assert_eq!(features.len(), 10);
        let audit = features
            .iter()
            .find(|f| f.id == Feature::AuditLogs)
            .unwrap();
        assert_eq!(
            (audit.status, audit.source.as_str()),
            (Support::Yes, MONITOR_PLUGIN)
        );
    }
}
