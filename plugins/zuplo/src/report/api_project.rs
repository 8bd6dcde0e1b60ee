//! A Zuplo API project: deploy the emitted routes and policies, give Zuplo the upstream key and
//! Claude Code an API key consumer's key, and check that the route authenticates and forwards.

use super::{REQUEST_DURATION, client_model, key_variable, ping, post_step};
use crate::context::ROUTES;
use crate::manifest::{POLICIES_PATH, ROUTES_PATH};
use crate::options::{self, RateLimit};
use crate::policies::{DROP_CLIENT_KEY, RATE_LIMIT, UPSTREAM_KEY, UPSTREAM_KEY_HEADER};
use crate::upstream::{self, Upstream};
use gwscript_plugin::model::{Gateway, Param};
use gwscript_plugin::quote::shell_quote;
use gwscript_plugin::report::{Route, Step};
use gwscript_plugin::{ReportContribution, Setup};

/// Zuplo's CLI, from npm.
const INSTALL: &str = "npm install -g zuplo";

pub fn build(setup: &Setup, gateway: &Gateway) -> ReportContribution {
    let upstream = upstream::resolve(gateway);
    ReportContribution {
        install: Some(INSTALL.into()),
        start: Some(deploy_command(gateway)),
        notes: notes(setup, gateway, &upstream),
        verification: verification(setup, gateway),
        routes: routes(gateway, &upstream),
        limitations: limitations(),
        troubleshooting: troubleshooting(setup, &upstream),
    }
}

/// Deploys the project in the current directory (the Zuplo project the files were copied into).
fn deploy_command(gateway: &Gateway) -> String {
    match gateway.option("project").and_then(Param::as_str) {
        Some(project) => format!("zuplo deploy --project {}", shell_quote(project)),
        None => "zuplo deploy".into(),
    }
}

fn notes(setup: &Setup, gateway: &Gateway, upstream: &Upstream<'_>) -> Vec<String> {
    let key = upstream.key.unwrap_or("ANTHROPIC_API_KEY");
    let client_key = key_variable(setup);
    let bucket = gateway
        .option("api_key_bucket")
        .and_then(Param::as_str)
        .map(|bucket| format!(" in API key bucket `{bucket}`"))
        .unwrap_or_default();
    let mut notes = vec![
        format!(
            "Copy {ROUTES_PATH} and {POLICIES_PATH} into the config/ directory of your Zuplo \
             project's Git repository (npx create-zuplo-api@latest creates one), then deploy from \
             that directory, or push to the branch Zuplo deploys."
        ),
        format!(
            "In the Zuplo Portal, Settings > Environment Variables, add {key} as a secret holding \
             the upstream key, then redeploy: Zuplo applies variables only to new deployments. \
             The {UPSTREAM_KEY} policy sends it to {} as {UPSTREAM_KEY_HEADER} ($env({key})).",
            upstream.url
        ),
        format!(
            "In Settings > API Key Consumers, add a consumer for Claude Code{bucket} and put its \
             key in {client_key} where Claude Code runs: Claude Code sends it as Authorization: \
             Bearer, and the {DROP_CLIENT_KEY} policy removes it before forwarding, so it never \
             reaches {}.",
            upstream.url
        ),
        format!(
            "Zuplo forwards model ids unchanged: `{}` (and every other id Claude Code sends) \
             reaches {} as sent.",
            client_model(setup, gateway),
            upstream.url
        ),
    ];
    notes.extend(options::rate_limit(gateway).map(|limit| rate_limit_note(&limit)));
    notes
}

fn rate_limit_note(limit: &RateLimit<'_>) -> String {
    let per = match limit.by {
        "ip" => "client IP",
        "all" => "gateway, shared by all callers",
        _ => "API key consumer",
    };
    let minutes = match limit.window_minutes {
        1 => "minute".to_owned(),
        n => format!("{n} minutes"),
    };
    let mut note = format!(
        "The {RATE_LIMIT} policy allows {} requests per {minutes} per {per}; beyond that Zuplo \
         answers 429 with retry-after.",
        limit.requests
    );
    if limit.window_minutes > 1 {
        note.push_str(
            " With a window over a minute retry-after can exceed 60 seconds, and Claude Code then \
             stops retrying instead of waiting.",
        );
    }
    note
}

fn verification(setup: &Setup, gateway: &Gateway) -> Vec<Step> {
    let count_tokens = "/v1/messages/count_tokens";
    let key = key_variable(setup);
    vec![
        Step {
            title: "The route refuses a request without a Zuplo API key".into(),
            command: Some(format!(
                "curl -sS -o /dev/null -w '%{{http_code}}\\n' -X POST {}",
                shell_quote(&gateway.url_for(count_tokens))
            )),
            expect: "401 from the claude-code-api-key policy; a 404 means the routes are not \
                     deployed in this environment"
                .into(),
        },
        post_step(
            setup,
            gateway,
            count_tokens,
            &ping(client_model(setup, gateway)),
            "Claude Code's key passes Zuplo and the upstream key reaches the upstream",
            format!(
                "HTTP 200 with {{\"input_tokens\": …}}; a 401 problem+json body from Zuplo means \
                 {key} holds no API key consumer's key, a 401 authentication_error from the \
                 upstream means the project's upstream key variable is unset or wrong"
            ),
        ),
    ]
}

fn routes(gateway: &Gateway, upstream: &Upstream<'_>) -> Vec<Route> {
    ROUTES
        .iter()
        .map(|(path, _, summary)| Route {
            path: gateway.url_for(path),
            serves: format!("{summary}, to {}", upstream.url),
        })
        .collect()
}

fn limitations() -> Vec<String> {
    vec![
        REQUEST_DURATION.into(),
        "An API project has no token or cost budgets: they are an AI Gateway feature (product: \
         \"ai-gateway\")."
            .into(),
        "No public page lists the headers the URL Forward handler passes upstream; the route \
         itself only removes Authorization and sets x-api-key. Check that anthropic-beta arrives \
         with ANTHROPIC_LOG=debug before relying on beta features."
            .into(),
    ]
}

fn troubleshooting(setup: &Setup, upstream: &Upstream<'_>) -> Vec<String> {
    let key = upstream.key.unwrap_or("ANTHROPIC_API_KEY");
    vec![
        format!(
            "401 with an application/problem+json body from Zuplo: {} is not the key of an API \
             key consumer in the bucket this environment uses.",
            key_variable(setup)
        ),
        format!(
            "401 authentication_error from the upstream: {key} is unset or wrong in the Zuplo \
             environment, or the deployment predates it (redeploy after changing a variable)."
        ),
        "429: the claude-code-rate-limit policy, or the upstream's own limit; Claude Code retries \
         while retry-after is at most 60 seconds."
            .into(),
        "404 on /v1/messages: the routes are not deployed in this environment, or \
         ANTHROPIC_BASE_URL ends in /v1 (Claude Code appends /v1/messages itself)."
            .into(),
        "A stream that stops after 30 seconds: the plan's request duration limit.".into(),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::zuplo_gateway;
    use gwscript_plugin::testing::{
        anthropic, literal, map, setup_for, shell_words, with_gateway_options,
    };

    fn gateway() -> Gateway {
        zuplo_gateway(vec![anthropic(
            "claude-sonnet-4-5",
            "claude-sonnet-4-5-20250929",
        )])
    }

    #[test]
    fn install_and_deploy_with_the_zuplo_cli() {
        let report = build(&setup_for(gateway()), &gateway());
        assert_eq!(report.install.as_deref(), Some("npm install -g zuplo"));
        assert_eq!(report.start.as_deref(), Some("zuplo deploy"));
        let named = with_gateway_options(gateway(), [("project", literal("it's $(id)"))]);
        let command = deploy_command(&named);
        assert_eq!(
            shell_words("zuplo", &command),
            ["deploy", "--project", "it's $(id)"]
        );
    }

    #[test]
    fn notes_name_the_variables_and_the_policies() {
        let notes = notes(
            &setup_for(gateway()),
            &gateway(),
            &upstream::resolve(&gateway()),
        );
        assert_eq!(notes.len(), 4);
        assert!(
            notes[0]
                .starts_with("Copy zuplo/config/routes.oas.json and zuplo/config/policies.json")
        );
        assert!(
            notes[1].contains("add ANTHROPIC_API_KEY as a secret")
                && notes[1].contains("$env(ANTHROPIC_API_KEY)")
        );
        assert!(
            notes[2].contains("key in GATEWAY_KEY") && notes[2].contains("drop-claude-code-key")
        );
        assert!(
            notes[3].contains("`claude-sonnet-4-5`")
                && notes[3].contains("https://api.anthropic.com")
        );
    }

    #[test]
    fn the_rate_limit_note_warns_about_long_windows() {
        let limited = |window: i64, by: &str| {
            let gateway = with_gateway_options(
                gateway(),
                [(
                    "rate_limit",
                    map([
                        ("requests", literal(300)),
                        ("window_minutes", literal(window)),
                        ("by", literal(by)),
                    ]),
                )],
            );
            notes(
                &setup_for(gateway.clone()),
                &gateway,
                &upstream::resolve(&gateway),
            )
            .pop()
            .expect("a note")
        };
        let minute = limited(1, "user");
        assert!(
            minute.contains("300 requests per minute per API key consumer"),
            "{minute}"
        );
        assert!(!minute.contains("stops retrying"));
        let hour = limited(60, "ip");
        assert!(hour.contains("per 60 minutes per client IP") && hour.contains("stops retrying"));
    }

    #[test]
    fn verification_probes_both_sides_of_the_route() {
        let setup = setup_for(gateway());
        let steps = verification(&setup, &gateway());
        assert_eq!(steps.len(), 2);
        assert_eq!(
            steps[0].command.as_deref(),
            Some(
                "curl -sS -o /dev/null -w '%{http_code}\\n' -X POST 'https://claude-code-main-1a2b3c.zuplo.app/v1/messages/count_tokens'"
            )
        );
        let second = steps[1].command.as_deref().expect("a command");
        assert!(second.contains("\"Authorization: Bearer $GATEWAY_KEY\""));
        assert!(second.contains("\"model\":\"claude-sonnet-4-5\""));
    }

    #[test]
    fn routes_say_where_they_forward() {
        let routes = routes(&gateway(), &upstream::resolve(&gateway()));
        let paths: Vec<&str> = routes.iter().map(|r| r.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "https://claude-code-main-1a2b3c.zuplo.app/v1/messages",
                "https://claude-code-main-1a2b3c.zuplo.app/v1/messages/count_tokens"
            ]
        );
        assert!(routes[0].serves.ends_with("to https://api.anthropic.com"));
    }

    #[test]
    fn limitations_and_troubleshooting_cover_plans_keys_and_paths() {
        assert!(limitations()[0].contains("30 seconds"));
        let lines = troubleshooting(&setup_for(gateway()), &upstream::resolve(&gateway()));
        assert_eq!(lines.len(), 5);
        assert!(
            lines[0].starts_with("401 with an application/problem+json body")
                && lines[0].contains("GATEWAY_KEY")
        );
        assert!(lines[1].contains("ANTHROPIC_API_KEY is unset"));
    }
}
