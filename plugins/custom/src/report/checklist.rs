//! The report for the checklist server: nothing to start, the checklist to work through, and the
//! requests that show whether the managed gateway keeps Claude Code's contract.

use crate::manifest::CHECKLIST_PATH;
use crate::plan::Plan;
use gwscript_plugin::ReportContribution;

pub fn report(plan: &Plan<'_>) -> ReportContribution {
    let probes = plan.probes();
    ReportContribution {
        install: None,
        start: None,
        notes: vec![
            format!(
                "Configure your gateway by hand with {CHECKLIST_PATH}: every item says what to set \
                 on AWS API Gateway and on Apigee, and how to verify it."
            ),
            format!(
                "Aim for a read timeout of {} s: AWS API Gateway stops an integration after 29 s \
                 unless the response streams (responseTransferMode STREAM), and Apigee's \
                 io.timeout.millis defaults to 55 s.",
                plan.options.read_timeout_s()
            ),
        ],
        verification: vec![
            probes.without_token(),
            probes.streams(),
            probes.forwards_betas(),
            probes.counts_tokens(),
        ],
        routes: Vec::new(),
        limitations: vec![
            "gwscript cannot read a managed gateway's configuration: the checklist's verify \
             commands are the only test."
                .into(),
        ],
        troubleshooting: vec![
            "504 after about 29 s on AWS API Gateway: the integration buffers; switch it to \
             responseTransferMode STREAM."
                .into(),
            "The whole answer arrives at once: a hop buffers or compresses text/event-stream."
                .into(),
            "400 naming a beta or an extra body field: a hop strips or allow-lists anthropic-beta."
                .into(),
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::custom_gateway;
    use gwscript_plugin::testing::{literal, setup_for, with_gateway_options};

    #[test]
    fn points_at_the_checklist_and_its_requests() {
        let setup = setup_for(with_gateway_options(
            custom_gateway(vec![]),
            [("server", literal("checklist"))],
        ));
        let report = report(&Plan::new(&setup, setup.gateway.as_ref().unwrap()).unwrap());
        assert_eq!(
            (report.install.as_deref(), report.start.as_deref()),
            (None, None)
        );
        assert!(report.notes[0].contains("custom/CHECKLIST.md"));
        assert!(report.notes[1].contains("29 s"));
        assert_eq!(report.verification.len(), 4);
    }
}
