//! The plugin's part of the guidance report: how to install the TrueFoundry CLI and apply the
//! emitted files, the route Claude Code uses, how to verify it, and the TrueFoundry facts that
//! decide whether Claude Code works through it.

mod notes;
mod steps;

use crate::manifest::TFY_CLI_VERSION;
use crate::plan::Plan;
use gwscript_plugin::model::Gateway;
use gwscript_plugin::quote::shell_quote;
use gwscript_plugin::report::Route;
use gwscript_plugin::{ReportContribution, Setup};

pub fn build(setup: &Setup, gateway: &Gateway, plan: &Plan) -> ReportContribution {
    ReportContribution {
        install: Some(install_command()),
        start: Some(apply_command(plan, false)),
        notes: notes::notes(setup, gateway, plan),
        verification: steps::verification(setup, gateway, plan),
        routes: routes(gateway),
        limitations: notes::limitations(gateway),
        troubleshooting: notes::troubleshooting(gateway),
    }
}

pub fn install_command() -> String {
    format!(
        "pip install {}",
        shell_quote(&format!("truefoundry=={TFY_CLI_VERSION}"))
    )
}

/// `tfy apply` of every emitted file, accounts first, from the output directory.
pub fn apply_command(plan: &Plan, dry_run: bool) -> String {
    let mut command = String::from("tfy apply");
    if dry_run {
        command.push_str(" --dry-run");
    }
    for file in plan.files() {
        command.push_str(" -f ");
        command.push_str(&shell_quote(file));
    }
    command
}

fn routes(gateway: &Gateway) -> Vec<Route> {
    vec![
        Route {
            path: gateway.url_for(""),
            serves: "Anthropic Messages (POST /v1/messages), the model being a TrueFoundry model \
                     id <account>/<model> (Claude Code uses this route)"
                .into(),
        },
        Route {
            path: gateway.url_for("/models"),
            serves: "model discovery: the model ids the key may use".into(),
        },
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{ordered, tfy_gateway};
    use gwscript_plugin::testing::{anthropic, assert_crosses_the_abi, setup_for, shell_words};

    #[test]
    fn apply_names_every_emitted_file_quoted_accounts_first() {
        let gateway = tfy_gateway(vec![ordered(anthropic("a-main/claude-x", "m"), 1)]);
        let plan = Plan::of(&gateway).unwrap();
        let command = apply_command(&plan, true);
        assert_eq!(
            command,
            "tfy apply --dry-run -f 'truefoundry/provider-accounts.yaml' -f 'truefoundry/load-balancing.yaml'"
        );
        assert_eq!(
            shell_words("tfy", &command),
            [
                "apply",
                "--dry-run",
                "-f",
                "truefoundry/provider-accounts.yaml",
                "-f",
                "truefoundry/load-balancing.yaml"
            ]
        );
        assert_eq!(install_command(), "pip install 'truefoundry==0.17.5'");
    }

    #[test]
    fn the_report_is_complete_and_crosses_the_abi() {
        let mut gateway = tfy_gateway(vec![anthropic("a-main/claude-x", "m")]);
        gateway.url = "https://gateway.truefoundry.ai/".into();
        let setup = setup_for(gateway.clone());
        let report = build(&setup, &gateway, &Plan::of(&gateway).unwrap());
        assert_eq!(
            report.start.as_deref(),
            Some("tfy apply -f 'truefoundry/provider-accounts.yaml'")
        );
        let paths: Vec<&str> = report.routes.iter().map(|r| r.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "https://gateway.truefoundry.ai",
                "https://gateway.truefoundry.ai/models"
            ]
        );
        assert!(!report.notes.is_empty() && !report.limitations.is_empty());
        assert!(!report.troubleshooting.is_empty() && !report.verification.is_empty());
        assert_crosses_the_abi(&report);
    }
}
