//! Zuplo's AI Gateway: providers, teams, apps and usage limits live in the Zuplo Portal, so the
//! report gives them as numbered portal steps (teams before their sub-teams, apps last) instead of
//! files.

use super::{REQUEST_DURATION, client_model, key_variable, post_step};
use crate::hierarchy::Tree;
use crate::options::{self, Level, UsageLimit};
use crate::upstream;
use gwscript_plugin::model::Gateway;
use gwscript_plugin::report::{Route, Step};
use gwscript_plugin::{ReportContribution, Setup};
use serde_json::json;
use std::collections::BTreeSet;

pub fn build(setup: &Setup, gateway: &Gateway) -> ReportContribution {
    let mut notes = vec![
        "Zuplo's AI Gateway keeps providers, teams, apps and usage limits in the Zuplo Portal: \
         gwscript writes no Zuplo files for it. Set it up with the portal steps below."
            .to_owned(),
    ];
    let steps = portal_steps(setup, gateway);
    let count = steps.len();
    notes.extend(
        steps
            .into_iter()
            .enumerate()
            .map(|(i, step)| format!("Portal step {} of {count}: {step}", i + 1)),
    );
    ReportContribution {
        notes,
        verification: vec![verification(setup, gateway)],
        routes: vec![Route {
            path: gateway.url_for("/v1/messages"),
            serves: "Anthropic Messages through the AI Gateway app (Claude Code uses this route)"
                .into(),
        }],
        limitations: limitations(),
        troubleshooting: troubleshooting(setup),
        ..ReportContribution::default()
    }
}

fn portal_steps(setup: &Setup, gateway: &Gateway) -> Vec<String> {
    let (limits, _) = options::usage_limits(gateway);
    let key = upstream::anthropic(gateway)
        .find_map(upstream::key_name)
        .unwrap_or("ANTHROPIC_API_KEY");
    let models = gateway.model_groups();
    let models = if models.is_empty() {
        client_model(setup, gateway).to_owned()
    } else {
        models.join(", ")
    };
    let mut steps = vec![format!(
        "AI Providers settings > Add Provider > Anthropic: paste the value of {key} as its API key \
         and select the models Claude Code sends ({models})."
    )];
    steps.extend(
        limits
            .iter()
            .filter(|limit| limit.level == Level::Gateway)
            .map(|limit| {
                format!(
                    "Teams > the root team (the whole gateway) > Usage & Limits: {}.",
                    setting(limit)
                )
            }),
    );
    // The checks refuse an inconsistent hierarchy, so the tree exists when the report is built.
    let tree = Tree::of(&limits).ok();
    for team in teams_parents_first(&limits, tree.as_ref()) {
        steps.push(team_step(team, &limits));
    }
    steps.extend(app_steps(setup, &limits));
    steps
}

/// Every team the limits name (with limits, as a parent, or as an app's owner), each before the
/// teams below it.
fn teams_parents_first<'a>(limits: &[UsageLimit<'a>], tree: Option<&Tree<'a>>) -> Vec<&'a str> {
    let named: BTreeSet<&str> = limits
        .iter()
        .flat_map(|limit| {
            let own = match limit.level {
                Level::Team { name, .. } => Some(name),
                _ => None,
            };
            own.into_iter().chain(limit.level.parent_team())
        })
        .collect();
    let mut teams: Vec<&str> = named.into_iter().collect();
    teams.sort_by_key(|team| tree.map_or(0, |tree| tree.depth(team)));
    teams
}

fn team_step(team: &str, limits: &[UsageLimit<'_>]) -> String {
    let parent = limits.iter().find_map(|limit| match limit.level {
        Level::Team { name, parent } if name == team => parent,
        _ => None,
    });
    let placed = parent
        .map(|parent| format!(" as a sub-team of `{parent}`"))
        .unwrap_or_default();
    let own: Vec<String> = limits
        .iter()
        .filter(|limit| matches!(limit.level, Level::Team { name, .. } if name == team))
        .map(setting)
        .collect();
    let mut step = format!("Teams > Create Team `{team}`{placed}");
    if !own.is_empty() {
        step.push_str(&format!(", then its Usage & Limits: {}", own.join("; ")));
    }
    step.push('.');
    step
}

fn app_steps(setup: &Setup, limits: &[UsageLimit<'_>]) -> Vec<String> {
    let key = key_variable(setup);
    let mut seen = BTreeSet::new();
    let apps: Vec<(&str, &str)> = limits
        .iter()
        .filter_map(|limit| match limit.level {
            Level::App { name, team } => Some((name, team)),
            _ => None,
        })
        .filter(|app| seen.insert(*app))
        .collect();
    let copy_key = format!(
        "copy the app's API key into {key} where Claude Code runs, and the Gateway URL into the \
         recipe's url"
    );
    if apps.is_empty() {
        return vec![format!(
            "Apps > Create App for Claude Code (for example claude-code), owned by the team that \
             should pay for it, with the Anthropic provider; {copy_key}."
        )];
    }
    apps.into_iter()
        .map(|(app, team)| {
            let own: Vec<String> = limits
                .iter()
                .filter(|limit| matches!(limit.level, Level::App { name, .. } if name == app))
                .map(setting)
                .collect();
            format!(
                "Apps > Create App `{app}` owned by team `{team}`, with the Anthropic provider, \
                 and set its usage limits: {}; {copy_key}.",
                own.join("; ")
            )
        })
        .collect()
}

/// `monthly cost $500 (USD), enforce`.
fn setting(limit: &UsageLimit<'_>) -> String {
    format!(
        "{} {} {}, {}",
        limit.period.name(),
        limit.meter.name(),
        limit.meter.amount(limit.limit),
        if limit.warn_only { "warn" } else { "enforce" }
    )
}

fn verification(setup: &Setup, gateway: &Gateway) -> Step {
    let body = json!({
        "model": client_model(setup, gateway),
        "max_tokens": 16,
        "messages": [{ "role": "user", "content": "Reply with OK" }],
    });
    post_step(
        setup,
        gateway,
        "/v1/messages",
        &body,
        "The app key reaches Anthropic through the AI Gateway",
        format!(
            "HTTP 200 with a message; a 401 means {} holds no AI Gateway app key, a 429 names the \
             level, limit type and period that blocked it",
            key_variable(setup)
        ),
    )
}

fn limitations() -> Vec<String> {
    vec![
        "Team and gateway limits are enforced by Zuplo outside the app's policies and exist only \
         in the portal; app limits come from its Budgets and Costs policy, whose options are in \
         beta. gwscript therefore writes no file for them."
            .into(),
        "The portal's labels for token and request limits are not publicly documented (the \
         Daily Budget field for cost is); look for them next to it under Usage & Limits."
            .into(),
        "An AI Gateway app is set up with a model in the portal; whether that replaces the model \
         id Claude Code sends, and whether every anthropic-beta value is forwarded, is not \
         publicly documented."
            .into(),
        REQUEST_DURATION.into(),
    ]
}

fn troubleshooting(setup: &Setup) -> Vec<String> {
    vec![
        format!(
            "401: {} is not the API key of an app in this AI Gateway.",
            key_variable(setup)
        ),
        "429 naming a level, limit type and period: that app's, team's or the gateway's limit is \
         spent; daily limits reset the next day, monthly ones on the first day of the month."
            .into(),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{limit_entry, zuplo_gateway};
    use gwscript_plugin::testing::{anthropic, list, literal, setup_for, with_gateway_options};

    fn ai_gateway(entries: Vec<gwscript_plugin::model::Param>) -> Gateway {
        with_gateway_options(
            zuplo_gateway(vec![anthropic(
                "claude-sonnet-4-5",
                "claude-sonnet-4-5-20250929",
            )]),
            [
                ("product", literal("ai-gateway")),
                ("usage_limits", list(entries)),
            ],
        )
    }

    #[test]
    fn steps_go_provider_root_teams_parents_first_then_apps() {
        let gateway = ai_gateway(vec![
            limit_entry(
                &[
                    ("scope", "app"),
                    ("name", "claude-code"),
                    ("team", "ml"),
                    ("kind", "cost"),
                    ("period", "daily"),
                ],
                20.0,
            ),
            limit_entry(
                &[
                    ("scope", "team"),
                    ("name", "ml"),
                    ("parent", "platform"),
                    ("kind", "tokens"),
                    ("period", "monthly"),
                    ("mode", "warn"),
                ],
                1e8,
            ),
            limit_entry(
                &[
                    ("scope", "team"),
                    ("name", "platform"),
                    ("kind", "cost"),
                    ("period", "monthly"),
                ],
                1000.0,
            ),
            limit_entry(
                &[
                    ("scope", "gateway"),
                    ("kind", "cost"),
                    ("period", "monthly"),
                ],
                5000.0,
            ),
        ]);
        let report = build(&setup_for(gateway.clone()), &gateway);
        assert!(report.install.is_none() && report.start.is_none());
        let notes = &report.notes;
        assert_eq!(notes.len(), 6, "{notes:#?}");
        assert!(notes[1].starts_with("Portal step 1 of 5: AI Providers settings > Add Provider > Anthropic: paste the value of ANTHROPIC_API_KEY"));
        assert!(notes[1].contains("(claude-sonnet-4-5)"));
        assert_eq!(
            notes[2],
            "Portal step 2 of 5: Teams > the root team (the whole gateway) > Usage & Limits: monthly cost $5000 (USD), enforce."
        );
        assert_eq!(
            notes[3],
            "Portal step 3 of 5: Teams > Create Team `platform`, then its Usage & Limits: monthly cost $1000 (USD), enforce."
        );
        assert_eq!(
            notes[4],
            "Portal step 4 of 5: Teams > Create Team `ml` as a sub-team of `platform`, then its Usage & Limits: monthly tokens 100000000 tokens, warn."
        );
        assert!(
            notes[5].starts_with(
                "Portal step 5 of 5: Apps > Create App `claude-code` owned by team `ml`"
            )
        );
        assert!(
            notes[5]
                .contains("daily cost $20 (USD), enforce; copy the app's API key into GATEWAY_KEY")
        );
        assert_eq!(report.verification.len(), 1);
        assert!(
            report.verification[0]
                .command
                .as_deref()
                .unwrap()
                .contains("\"max_tokens\":16")
        );
    }

    #[test]
    fn without_limits_the_steps_still_set_up_an_app() {
        let gateway = ai_gateway(vec![]);
        let report = build(&setup_for(gateway.clone()), &gateway);
        assert_eq!(report.notes.len(), 3);
        assert!(report.notes[2].contains("Apps > Create App for Claude Code"));
        assert_eq!(report.routes.len(), 1);
        assert!(report.limitations.iter().any(|l| l.contains("30 seconds")));
        assert!(troubleshooting(&setup_for(gateway))[0].starts_with("401: GATEWAY_KEY"));
    }
}
