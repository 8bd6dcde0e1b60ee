//! The plugin's part of the guidance report: how to install and start this proxy, its routes, how
//! to verify it, and the LiteLLM facts that decide whether Claude Code works through it.

mod database;
mod notes;
mod steps;

use crate::listen::Listen;
use crate::{catalog, manifest};
use gwscript_plugin::model::{Endpoint, Gateway};
use gwscript_plugin::quote::shell_quote;
use gwscript_plugin::report::Route;
use gwscript_plugin::{ReportContribution, Setup};

pub fn build(setup: &Setup, gateway: &Gateway, listen: &Listen) -> ReportContribution {
    let database = database::has_database(gateway);
    let mut notes = notes::notes(setup, gateway, listen);
    if database {
        notes.push(database::note());
    }
    ReportContribution {
        install: Some(if database {
            database::install_commands(gateway)
        } else {
            catalog::install_command(gateway)
        }),
        start: Some(start_command(listen, database)),
        notes,
        verification: steps::verification(setup, gateway),
        routes: routes(setup, gateway),
        limitations: notes::limitations(setup, gateway),
        troubleshooting: notes::troubleshooting(setup, gateway),
    }
}

/// Runs the proxy in the foreground from the output directory; `start.sh` does the same after
/// checking the environment (and, with a database, the Prisma client).
fn start_command(listen: &Listen, database: bool) -> String {
    let command = format!(
        "litellm --config {} --host {} --port {}",
        shell_quote(manifest::CONFIG_PATH),
        shell_quote(&listen.bind),
        listen.port
    );
    if database {
        format!("{command} {}", catalog::ENFORCE_MIGRATIONS_FLAG)
    } else {
        command
    }
}

/// Every route the manifest declares, the one this setup uses marked.
fn routes(setup: &Setup, gateway: &Gateway) -> Vec<Route> {
    Endpoint::ALL
        .into_iter()
        .map(|endpoint| {
            let serves = match endpoint {
                Endpoint::Unified => {
                    "Anthropic Messages (/v1/messages), routed by model_name with fallbacks"
                }
                Endpoint::Anthropic => {
                    "Anthropic pass-through: any model id, straight to Anthropic with the proxy's \
                     own key; no model_list routing or fallbacks"
                }
                Endpoint::Bedrock => {
                    "Bedrock InvokeModel pass-through: a model id equal to a model_name uses that \
                     deployment's credentials and region"
                }
                Endpoint::Vertex => {
                    "Vertex AI rawPredict pass-through: a model id equal to a model_name uses that \
                     deployment's project and location"
                }
            };
            let used = if endpoint == setup.client.endpoint {
                " (Claude Code uses this route)"
            } else {
                ""
            };
            Route {
                path: gateway.url_for(manifest::endpoint_path(endpoint)),
                serves: format!("{serves}{used}"),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::listen;
    use crate::test_support::gateway_with;
    use gwscript_plugin::testing::{anthropic, setup_for};

    #[test]
    fn start_command_quotes_what_it_takes_from_the_url() {
        let listen = listen::from_gateway_url("http://litellm.internal:4100").unwrap();
        assert_eq!(
            start_command(&listen, false),
            "litellm --config 'litellm/config.yaml' --host '0.0.0.0' --port 4100"
        );
    }

    #[test]
    fn one_route_per_declared_endpoint_with_its_full_url() {
        let mut gateway = gateway_with(vec![anthropic("s", "claude-sonnet-4-5")], vec![]);
        gateway.url = "https://llm.corp.example/".into();
        let mut setup = setup_for(gateway.clone());
        setup.client.endpoint = Endpoint::Bedrock;
        let routes = routes(&setup, &gateway);
        let declared = manifest::manifest().client.endpoints;
        assert_eq!(routes.len(), declared.len());
        let paths: Vec<&str> = routes.iter().map(|r| r.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "https://llm.corp.example",
                "https://llm.corp.example/anthropic",
                "https://llm.corp.example/bedrock",
                "https://llm.corp.example/vertex_ai/v1",
            ]
        );
        let used: Vec<&Route> = routes
            .iter()
            .filter(|r| r.serves.ends_with("(Claude Code uses this route)"))
            .collect();
        assert_eq!(used.len(), 1);
        assert!(used[0].path.ends_with("/bedrock"));
    }
}
