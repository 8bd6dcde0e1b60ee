//! The plugin's part of the guidance report: how to start the chosen server, its routes, how to
//! verify it keeps Claude Code's contract, and what it cannot do. One module per server; the
//! routes and the request-level verification steps are shared.

mod checklist;
mod kong;
mod nginx;

use crate::options::Server;
use crate::plan::Plan;
use gwscript_plugin::ReportContribution;
use gwscript_plugin::report::Route;

pub fn build(plan: &Plan<'_>) -> ReportContribution {
    let mut report = match plan.server() {
        Server::Nginx => nginx::report(plan),
        Server::Kong => kong::report(plan),
        Server::Checklist => checklist::report(plan),
    };
    report.routes = routes(plan);
    report
}

/// Each route's full URL, as clients use it.
fn routes(plan: &Plan<'_>) -> Vec<Route> {
    let served = plan.routes();
    // Kong's route is the Messages route alone; count_tokens answers 404 there.
    let served = match plan.server() {
        Server::Kong => &served[..1],
        _ => &served[..],
    };
    served
        .iter()
        .map(|route| Route {
            path: plan.gateway_url.join(route.suffix),
            serves: route.serves.to_owned(),
        })
        .collect()
}

/// The name a note uses for a credential variable.
fn variable(name: Option<&str>) -> &str {
    name.unwrap_or("(none)")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::custom_gateway;
    use gwscript_plugin::testing::{anthropic, literal, setup_for, with_gateway_options};

    #[test]
    fn routes_are_full_urls_and_kong_serves_messages_only() {
        let mut gateway = custom_gateway(vec![anthropic("s", "m")]);
        gateway.url = "https://gw.example/team".into();
        let setup = setup_for(gateway.clone());
        let report = build(&Plan::new(&setup, &gateway).unwrap());
        let paths: Vec<&str> = report.routes.iter().map(|r| r.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "https://gw.example/team/v1/messages",
                "https://gw.example/team/v1/messages/count_tokens"
            ]
        );
        let kong = with_gateway_options(gateway, [("server", literal("kong"))]);
        let setup = setup_for(kong.clone());
        assert_eq!(build(&Plan::new(&setup, &kong).unwrap()).routes.len(), 1);
    }
}
