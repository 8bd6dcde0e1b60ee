//! The AI Gateway's limits form a hierarchy: the gateway (root team) above teams, a team above its
//! sub-teams and apps. Zuplo does not let a child's limit exceed its parent's, so a recipe that
//! asks for it could never be entered in the portal as written.

use super::codes::{DAILY_ABOVE_MONTHLY, DUPLICATE_LIMIT, LIMIT_ABOVE_PARENT, TEAM_CYCLE};
use crate::hierarchy::{Node, Tree};
use crate::options::{self, Meter, Period, UsageLimit};
use gwscript_plugin::Diagnostic;
use gwscript_plugin::model::{Gateway, Span};
use std::collections::{BTreeMap, BTreeSet};

pub fn check(gateway: &Gateway) -> Vec<Diagnostic> {
    let (limits, span) = options::usage_limits(gateway);
    let mut diagnostics = Vec::new();
    let tree = match Tree::of(&limits) {
        Ok(tree) => tree,
        Err(problem) => {
            diagnostics.push(
                Diagnostic::error(
                    TEAM_CYCLE,
                    format!("the usage limits' team hierarchy is not a tree: {problem}"),
                    "give every team one parent (or none, for a top-level team) and every app \
                     one team, without a team above itself",
                )
                .at(span),
            );
            return diagnostics;
        }
    };
    let mut seen = BTreeSet::new();
    for limit in &limits {
        if !seen.insert((Node::of(&limit.level), limit.meter, limit.period)) {
            diagnostics.push(
                Diagnostic::error(
                    DUPLICATE_LIMIT,
                    format!(
                        "{} has two {} {} limits; the portal holds one",
                        limit.level.describe(),
                        limit.period.name(),
                        limit.meter.name()
                    ),
                    "keep one entry per level, kind and period",
                )
                .at(span),
            );
            continue;
        }
        if let Some(parent) = tree.nearest_above(limit, &limits)
            && limit.limit > parent.limit
        {
            diagnostics.push(
                Diagnostic::error(
                    LIMIT_ABOVE_PARENT,
                    format!(
                        "{} exceeds {}; Zuplo does not let a child's limit exceed its parent's",
                        limit.describe(),
                        parent.describe()
                    ),
                    format!(
                        "lower it to at most {}, or raise the parent's",
                        parent.meter.amount(parent.limit)
                    ),
                )
                .at(span),
            );
        }
    }
    diagnostics.extend(daily_above_monthly(&limits, span));
    diagnostics
}

/// A daily limit above the same level's monthly one can never be reached.
fn daily_above_monthly(limits: &[UsageLimit<'_>], span: Option<Span>) -> Vec<Diagnostic> {
    let of = |period: Period| {
        limits
            .iter()
            .filter(move |l| l.period == period)
            .map(|l| ((Node::of(&l.level), l.meter), l))
    };
    let monthly: BTreeMap<(Node, Meter), &UsageLimit> = of(Period::Monthly).collect();
    of(Period::Daily)
        .filter_map(|(key, daily)| {
            let monthly = monthly.get(&key)?;
            (daily.limit > monthly.limit).then(|| {
                Diagnostic::warning(
                    DAILY_ABOVE_MONTHLY,
                    format!(
                        "{} is above its monthly limit of {}, so it can never be reached",
                        daily.describe(),
                        monthly.meter.amount(monthly.limit)
                    ),
                    "lower the daily limit below the monthly one, or drop it",
                )
                .at(span)
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{limit_entry, zuplo_gateway};
    use gwscript_plugin::testing::{codes_of, list, literal, with_gateway_options};

    fn gateway_with(entries: Vec<gwscript_plugin::model::Param>) -> Gateway {
        with_gateway_options(
            zuplo_gateway(vec![]),
            [
                ("product", literal("ai-gateway")),
                ("usage_limits", list(entries)),
            ],
        )
    }

    fn gateway_cost(limit: f64) -> gwscript_plugin::model::Param {
        limit_entry(
            &[
                ("scope", "gateway"),
                ("kind", "cost"),
                ("period", "monthly"),
            ],
            limit,
        )
    }

    fn team_cost(
        name: &'static str,
        parent: Option<&'static str>,
        limit: f64,
    ) -> gwscript_plugin::model::Param {
        let mut fields = vec![
            ("scope", "team"),
            ("name", name),
            ("kind", "cost"),
            ("period", "monthly"),
        ];
        fields.extend(parent.map(|p| ("parent", p)));
        limit_entry(&fields, limit)
    }

    fn app(
        name: &'static str,
        team: &'static str,
        kind: &'static str,
        period: &'static str,
        limit: f64,
    ) -> gwscript_plugin::model::Param {
        limit_entry(
            &[
                ("scope", "app"),
                ("name", name),
                ("team", team),
                ("kind", kind),
                ("period", period),
            ],
            limit,
        )
    }

    #[test]
    fn a_consistent_hierarchy_passes() {
        let gateway = gateway_with(vec![
            gateway_cost(5000.0),
            team_cost("platform", None, 1000.0),
            team_cost("ml", Some("platform"), 1000.0),
            app("claude-code", "ml", "cost", "monthly", 200.0),
            app("claude-code", "ml", "cost", "daily", 20.0),
            app("claude-code", "ml", "tokens", "daily", 5e6),
        ]);
        assert_eq!(check(&gateway), []);
    }

    #[test]
    fn gw4209_a_child_above_its_parent() {
        let gateway = gateway_with(vec![
            gateway_cost(500.0),
            team_cost("platform", None, 800.0),
            team_cost("ml", Some("platform"), 900.0),
            app("claude-code", "ml", "cost", "monthly", 1000.0),
        ]);
        let diagnostics = check(&gateway);
        assert_eq!(codes_of(&diagnostics), ["GW4209"; 3]);
        assert_eq!(
            diagnostics[0].message,
            "team `platform` monthly limit of $800 (USD) exceeds the gateway monthly limit of \
             $500 (USD); Zuplo does not let a child's limit exceed its parent's"
        );
        assert!(diagnostics[1].message.contains("exceeds team `platform`"));
        assert!(
            diagnostics[2].message.starts_with("app `claude-code`")
                && diagnostics[2].message.contains("exceeds team `ml`")
        );
        assert_eq!(
            diagnostics[2].help,
            "lower it to at most $900 (USD), or raise the parent's"
        );
        assert_eq!(diagnostics[0].span, gateway.options["usage_limits"].span);
    }

    #[test]
    fn gw4209_skips_levels_without_that_limit() {
        // ml has no cost limit: the app answers to platform's; another kind is not compared.
        let gateway = gateway_with(vec![
            team_cost("platform", None, 100.0),
            app("claude-code", "ml", "cost", "monthly", 150.0),
            app("claude-code", "ml", "tokens", "monthly", 1e9),
            limit_entry(
                &[
                    ("scope", "team"),
                    ("name", "ml"),
                    ("parent", "platform"),
                    ("kind", "requests"),
                    ("period", "daily"),
                ],
                10.0,
            ),
        ]);
        let diagnostics = check(&gateway);
        assert_eq!(codes_of(&diagnostics), ["GW4209"]);
        assert!(
            diagnostics[0]
                .message
                .contains("exceeds team `platform` monthly limit of $100 (USD)")
        );
    }

    #[test]
    fn gw4210_one_limit_per_level_kind_and_period() {
        let gateway = gateway_with(vec![
            app("claude-code", "ml", "cost", "daily", 10.0),
            app("claude-code", "ml", "cost", "daily", 20.0),
        ]);
        let diagnostics = check(&gateway);
        assert_eq!(codes_of(&diagnostics), ["GW4210"]);
        assert_eq!(
            diagnostics[0].message,
            "app `claude-code` has two daily cost limits; the portal holds one"
        );
    }

    #[test]
    fn gw4211_teams_form_a_tree() {
        let cycle = gateway_with(vec![
            team_cost("a", Some("b"), 10.0),
            team_cost("b", Some("a"), 10.0),
        ]);
        let diagnostics = check(&cycle);
        assert_eq!(codes_of(&diagnostics), ["GW4211"]);
        assert!(diagnostics[0].message.contains("is its own ancestor"));

        let two_parents = gateway_with(vec![
            team_cost("ml", Some("platform"), 10.0),
            limit_entry(
                &[
                    ("scope", "team"),
                    ("name", "ml"),
                    ("kind", "tokens"),
                    ("period", "daily"),
                ],
                10.0,
            ),
        ]);
        let diagnostics = check(&two_parents);
        assert_eq!(codes_of(&diagnostics), ["GW4211"]);
        assert!(
            diagnostics[0]
                .message
                .ends_with("team `ml` is placed under team `platform` and under no team")
        );

        let itself = gateway_with(vec![team_cost("a", Some("a"), 10.0)]);
        assert_eq!(codes_of(&check(&itself)), ["GW4211"]);
    }

    #[test]
    fn gw4212_a_daily_limit_above_the_monthly_one() {
        let gateway = gateway_with(vec![
            app("claude-code", "ml", "requests", "monthly", 1000.0),
            app("claude-code", "ml", "requests", "daily", 2000.0),
        ]);
        let diagnostics = check(&gateway);
        assert_eq!(codes_of(&diagnostics), ["GW4212"]);
        assert!(!diagnostics[0].is_error());
        assert_eq!(
            diagnostics[0].message,
            "app `claude-code` daily limit of 2000 requests is above its monthly limit of 1000 \
             requests, so it can never be reached"
        );
    }
}
