//! The report for the nginx server: install, start, the checks that prove the config and the
//! contract, and what nginx's answers mean.

use super::variable;
use crate::manifest::NGINX_START_PATH;
use crate::nginx::listen_address;
use crate::plan::Plan;
use gwscript_plugin::ReportContribution;
use gwscript_plugin::quote::shell_quote;
use gwscript_plugin::report::Step;

pub fn report(plan: &Plan<'_>) -> ReportContribution {
    let probes = plan.probes();
    let start = format!("bash {}", shell_quote(NGINX_START_PATH));
    ReportContribution {
        install: Some("sudo apt-get install nginx-light gettext-base".into()),
        start: Some(start.clone()),
        notes: notes(plan),
        verification: vec![
            Step {
                title: "nginx accepts the rendered configuration".into(),
                command: Some(format!("{start} -t")),
                expect: "nginx: configuration file …/nginx.conf test is successful".into(),
            },
            probes.without_token(),
            probes.streams(),
            probes.forwards_betas(),
        ],
        routes: Vec::new(),
        limitations: vec![
            "One upstream and one gateway token: no fallbacks, load balancing, per-user keys, \
             budgets or rate limits (nginx's limit_req can be added by hand)."
                .into(),
            "Anthropic Messages only: Claude Code's Bedrock and Vertex AI formats are not served."
                .into(),
            "nginx's own errors (413, 502, 504) are HTML pages, not Anthropic's JSON error shape; \
             Claude Code still acts on the status."
                .into(),
        ],
        troubleshooting: vec![
            format!(
                "401 with \"invalid gateway token\": the token Claude Code sends does not match {} \
                 where nginx runs.",
                variable(plan.gateway_token)
            ),
            format!(
                "401 or 403 in Anthropic's JSON (authentication_error, permission_error): the upstream \
                 refused {}.",
                variable(plan.upstream_key)
            ),
            "413 Request Entity Too Large: the conversation outgrew max_body_size_mb; raise it."
                .into(),
            "502 Bad Gateway: nginx cannot reach the upstream (DNS, firewall, TLS); nginx's \
             stderr names the cause."
                .into(),
            "504 Gateway Time-out, or a stream that stops after a fixed time: raise read_timeout."
                .into(),
            "start.sh refuses to start: a variable is unset or holds characters other than \
             letters, digits and . _ ~ + / = -."
                .into(),
        ],
    }
}

fn notes(plan: &Plan<'_>) -> Vec<String> {
    let url = &plan.gateway_url;
    let mut notes = vec![
        format!(
            "start.sh reads {} (sent upstream as x-api-key) and {} (compared with Claude Code's \
             Authorization: Bearer) from its environment, renders the config into a private \
             temporary directory (mode 0600) and removes it when nginx stops.",
            variable(plan.upstream_key),
            variable(plan.gateway_token)
        ),
        format!(
            "nginx listens on {} and forwards to {} with a read timeout of {} s.",
            listen_address(url),
            plan.upstream.join(""),
            plan.options.read_timeout_s()
        ),
    ];
    if url.effective_port() < 1024 {
        notes.push(format!(
            "Port {} needs root or CAP_NET_BIND_SERVICE; start.sh works unprivileged on ports from \
             1024.",
            url.effective_port()
        ));
    }
    match (url.https, plan.options.tls_certificate()) {
        (true, Some(certificate)) => notes.push(format!(
            "nginx serves TLS 1.2 and 1.3 with {certificate}; the user running start.sh must be \
             able to read the key file."
        )),
        (true, None) => notes.push(format!(
            "Clients use {}, but nginx serves plain http: end TLS at a load balancer in front of \
             it, with buffering off and a read timeout of at least 300 s.",
            plan.gateway.url
        )),
        _ => {}
    }
    notes
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::custom_gateway;
    use gwscript_plugin::testing::{anthropic, literal, setup_for, with_gateway_options};

    #[test]
    fn starts_with_the_script_and_verifies_the_config_first() {
        let setup = setup_for(custom_gateway(vec![anthropic("s", "m")]));
        let report = report(&Plan::new(&setup, setup.gateway.as_ref().unwrap()).unwrap());
        assert_eq!(report.start.as_deref(), Some("bash 'nginx/start.sh'"));
        assert_eq!(
            report.verification[0].command.as_deref(),
            Some("bash 'nginx/start.sh' -t")
        );
        assert_eq!(report.verification.len(), 4);
        assert!(
            report.notes[0].contains("ANTHROPIC_API_KEY")
                && report.notes[0].contains("GATEWAY_KEY")
        );
        assert!(report.notes[1].starts_with(
            "nginx listens on 127.0.0.1:4000 and forwards to https://api.anthropic.com"
        ));
        assert!(report.troubleshooting[0].contains("GATEWAY_KEY"));
    }

    #[test]
    fn notes_privileged_ports_and_tls() {
        let mut gateway = with_gateway_options(
            custom_gateway(vec![anthropic("s", "m")]),
            [
                ("tls_certificate", literal("/etc/gw.pem")),
                ("tls_certificate_key", literal("/etc/gw.key")),
            ],
        );
        gateway.url = "https://gw.example".into();
        let setup = setup_for(gateway.clone());
        let notes = report(&Plan::new(&setup, &gateway).unwrap()).notes;
        assert!(
            notes.iter().any(|n| n.starts_with("Port 443 needs root")),
            "{notes:?}"
        );
        assert!(
            notes
                .iter()
                .any(|n| n.contains("TLS 1.2 and 1.3 with /etc/gw.pem")),
            "{notes:?}"
        );
    }
}
