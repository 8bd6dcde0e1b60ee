//! The report for the Kong server: syncing kong.yaml with decK, where each credential must be,
//! and what this repository could not verify about Kong.

use super::variable;
use crate::kong::deck_variable;
use crate::manifest::KONG_PATH;
use crate::plan::Plan;
use gwscript_plugin::ReportContribution;
use gwscript_plugin::quote::shell_quote;
use gwscript_plugin::report::Step;

pub fn report(plan: &Plan<'_>) -> ReportContribution {
    let probes = plan.probes();
    let token = variable(plan.gateway_token);
    // The name is a plain identifier (the checks refuse others), so it can stand unquoted.
    let with_token = format!("{}=\"${token}\"", deck_variable(token));
    let file = shell_quote(KONG_PATH);
    ReportContribution {
        install: None,
        start: Some(format!("{with_token} deck gateway sync {file}")),
        notes: vec![
            "Needs Kong Gateway 3.13 or later (ai-proxy with llm_format: anthropic) and decK."
                .into(),
            format!(
                "Kong reads the upstream key from {} in its own environment through its env vault; \
                 restart Kong after setting it.",
                variable(plan.upstream_key)
            ),
            format!(
                "decK reads the gateway token from {} when syncing and stores `Bearer <token>` as \
                 the key of consumer claude-code; Claude Code sends {token}.",
                deck_variable(token)
            ),
            format!(
                "Claude Code's base URL, {}, must be Kong's proxy listener (port 8000 unless \
                 proxy_listen says otherwise).",
                plan.gateway.url
            ),
        ],
        verification: vec![
            Step {
                title: "Kong accepts the configuration".into(),
                command: Some(format!("{with_token} deck gateway validate {file}")),
                expect: "no errors (decK checks every entity against the running Kong)".into(),
            },
            probes.without_token(),
            probes.streams(),
            probes.forwards_betas(),
        ],
        routes: Vec::new(),
        limitations: vec![
            "gwscript's tests do not run Kong: kong.yaml is checked with decK's offline \
             validation and a YAML parser only. Whether ai-proxy passes every anthropic-beta value \
             and body field through, and streams unbuffered, is unverified."
                .into(),
            format!(
                "ai-proxy is configured for one model, {}: other model ids may be refused.",
                plan.model().unwrap_or("(none)")
            ),
            "Only /v1/messages is routed: token counting gets a 404 and Claude Code estimates \
             locally."
                .into(),
        ],
        troubleshooting: vec![
            "401 \"No API key found in request\" or \"Invalid authentication credentials\": the \
             token does not match the consumer key decK synced."
                .into(),
            "\"could not get value from external vault\": Kong's environment lacks the upstream \
             key variable, or Kong was not restarted after it was set."
                .into(),
            "400 from ai-proxy naming the model: Claude Code sent another model id than the one \
             ai-proxy is configured for."
                .into(),
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::custom_gateway;
    use gwscript_plugin::testing::{anthropic, literal, setup_for, spanned, with_gateway_options};

    #[test]
    fn syncs_with_the_token_in_its_deck_variable() {
        let mut setup = setup_for(with_gateway_options(
            custom_gateway(vec![anthropic("claude-sonnet-4-5", "m")]),
            [("server", literal("kong"))],
        ));
        setup.client.model = Some(spanned("claude-sonnet-4-5".into(), 2));
        let report = report(&Plan::new(&setup, setup.gateway.as_ref().unwrap()).unwrap());
        assert_eq!(
            report.start.as_deref(),
            Some("DECK_GATEWAY_KEY=\"$GATEWAY_KEY\" deck gateway sync 'kong/kong.yaml'")
        );
        assert!(report.notes[1].contains("ANTHROPIC_API_KEY"));
        assert!(report.limitations[1].contains("claude-sonnet-4-5"));
    }
}
