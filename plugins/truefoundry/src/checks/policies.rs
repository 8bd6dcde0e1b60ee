//! The gateway's rate limits and budgets: the model groups they name must exist, and a budget
//! placed after a broader one never decides anything (TrueFoundry lets the first matching budget
//! allow or block a request).

use super::codes::{BUDGET_SHADOWED, UNSERVED_GROUP};
use super::served_groups;
use crate::policies::{budgets, rate_limits};
use gwscript_plugin::Diagnostic;
use gwscript_plugin::model::Gateway;
use gwscript_plugin::suggest::did_you_mean;

pub fn check(gateway: &Gateway) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    // The option schemas guarantee the shapes; a failure here is reported by render.
    let limits = rate_limits(gateway).unwrap_or_default();
    let budgets = budgets(gateway).unwrap_or_default();
    let named = limits
        .iter()
        .map(|rule| ("rate_limits", &rule.when))
        .chain(budgets.iter().map(|rule| ("budgets", &rule.when)));
    let served = served_groups(gateway);
    for (option, when) in named {
        for group in when.models.iter().filter(|g| !served.contains(g.as_str())) {
            diagnostics.push(
                Diagnostic::error(
                    UNSERVED_GROUP,
                    format!("gateway option {option} names model group `{group}`, which no deployment serves"),
                    format!(
                        "name a deployed model group{}",
                        did_you_mean(group, gateway.model_groups())
                    ),
                )
                .at(gateway.option_span(option)),
            );
        }
    }
    for (later, budget) in budgets.iter().enumerate() {
        if let Some(earlier) = budgets[..later]
            .iter()
            .position(|b| b.when.covers(&budget.when))
        {
            diagnostics.push(
                Diagnostic::warning(
                    BUDGET_SHADOWED,
                    format!(
                        "budget {} can never block or allow a request: budget {} comes first and \
                         matches every request it matches",
                        later + 1,
                        earlier + 1
                    ),
                    "put the narrower budget before the broader one; TrueFoundry lets the first \
                     matching budget decide",
                )
                .at(budget.span),
            );
        }
    }
    diagnostics
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::tfy_gateway;
    use gwscript_plugin::testing::{anthropic, codes_of, list, literal, map, with_gateway_option};

    const SONNET: &str = "anthropic-main/claude-sonnet-4-6";

    fn budget(
        entries: Vec<(&str, gwscript_plugin::model::Param)>,
    ) -> gwscript_plugin::model::Param {
        let mut all = vec![("limit_usd", literal(10)), ("period", literal("day"))];
        all.extend(entries);
        map(all)
    }

    #[test]
    fn gw4107_policies_must_name_served_groups() {
        let gateway = with_gateway_option(
            with_gateway_option(
                tfy_gateway(vec![anthropic(SONNET, "m")]),
                "rate_limits",
                list([map([
                    ("limit", literal(5)),
                    ("unit", literal("requests_per_day")),
                    (
                        "models",
                        list([literal(SONNET), literal("anthropic-main/claude-sonet-4-6")]),
                    ),
                ])]),
            ),
            "budgets",
            list([budget(vec![(
                "models",
                list([literal("claude-sonnet-4-6")]),
            )])]),
        );
        let diagnostics = check(&gateway);
        assert_eq!(codes_of(&diagnostics), ["GW4107", "GW4107"]);
        assert!(
            diagnostics[0]
                .message
                .starts_with("gateway option rate_limits names")
        );
        assert!(
            diagnostics[0]
                .help
                .contains(&format!("did you mean `{SONNET}`"))
        );
        assert_eq!(diagnostics[1].span, gateway.options["budgets"].span);
    }

    #[test]
    fn gw4115_a_budget_after_a_broader_one() {
        let gateway = with_gateway_option(
            tfy_gateway(vec![anthropic(SONNET, "m")]),
            "budgets",
            list([
                budget(vec![("subjects", list([literal("team:ml")]))]),
                budget(vec![("per", list([literal("user")]))]),
                budget(vec![
                    ("subjects", list([literal("team:ml")])),
                    ("models", list([literal(SONNET)])),
                ]),
            ]),
        );
        let diagnostics = check(&gateway);
        assert_eq!(codes_of(&diagnostics), ["GW4115"]);
        assert!(diagnostics[0].message.starts_with("budget 3 can never"));
        assert!(diagnostics[0].message.contains("budget 1 comes first"));
    }
}
