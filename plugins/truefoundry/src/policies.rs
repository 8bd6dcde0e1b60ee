//! The rate-limiting and budget rules: from deployments' `rpm`/`tpm` and from the gateway's
//! `rate_limits` and `budgets` options (whose shapes the manifest's schemas guarantee).
//!
//! TrueFoundry applies every matching rate-limit rule, so their order is only for reading. Budget
//! rules are tracked when they match, but the first matching rule alone decides whether a request
//! goes through, so budgets keep the recipe's order (checks warn when one can never decide).

use crate::names::{UniqueIds, slug};
use gwscript_plugin::model::{Gateway, Span};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A rule's `when`: which requests it applies to. Empty lists and maps match everything.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct When {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub subjects: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub models: Vec<String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub metadata: BTreeMap<String, String>,
}

impl When {
    /// Whether every request `other` matches is also matched by `self`.
    pub fn covers(&self, other: &When) -> bool {
        let list_covers = |mine: &[String], theirs: &[String]| {
            mine.is_empty() || (!theirs.is_empty() && theirs.iter().all(|t| mine.contains(t)))
        };
        list_covers(&self.subjects, &other.subjects)
            && list_covers(&self.models, &other.models)
            && self
                .metadata
                .iter()
                .all(|(key, value)| other.metadata.get(key) == Some(value))
    }
}

/// A `gateway-rate-limiting-config` rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RateLimit {
    pub id: String,
    pub when: When,
    pub limit_to: u64,
    pub unit: String,
    pub applies_per: Vec<String>,
}

/// A `gateway-budget-config` rule.
#[derive(Debug, Clone, PartialEq)]
pub struct Budget {
    pub id: String,
    pub when: When,
    /// US dollars per period.
    pub limit_to: f64,
    pub unit: String,
    pub applies_per: Vec<String>,
    pub audit_mode: bool,
    pub span: Option<Span>,
}

/// One entry of the gateway's `rate_limits` option.
#[derive(Debug, Deserialize)]
struct RateLimitOption {
    limit: u64,
    unit: String,
    #[serde(default)]
    subjects: Vec<String>,
    #[serde(default)]
    models: Vec<String>,
    #[serde(default)]
    metadata: BTreeMap<String, String>,
    #[serde(default)]
    per: Vec<String>,
}

/// One entry of the gateway's `budgets` option.
#[derive(Debug, Deserialize)]
struct BudgetOption {
    limit_usd: f64,
    period: String,
    #[serde(default)]
    subjects: Vec<String>,
    #[serde(default)]
    models: Vec<String>,
    #[serde(default)]
    metadata: BTreeMap<String, String>,
    #[serde(default)]
    per: Vec<String>,
    #[serde(default)]
    audit: bool,
}

/// The entries of list option `key`, read as `T`; an entry the schema let through but `T` does
/// not read is an error naming it.
fn entries<T: for<'de> Deserialize<'de>>(gateway: &Gateway, key: &str) -> Result<Vec<T>, String> {
    let Some(option) = gateway.option(key) else {
        return Ok(Vec::new());
    };
    serde_json::from_value(option.to_json()).map_err(|e| format!("gateway option `{key}`: {e}"))
}

/// Deployment limits first (one rule per limit, matching the deployment's model group), then
/// the gateway's `rate_limits` in order.
pub fn rate_limits(gateway: &Gateway) -> Result<Vec<RateLimit>, String> {
    let mut ids = UniqueIds::default();
    let mut push = |rules: &mut Vec<RateLimit>, base: String, rule: RateLimit| {
        let id = ids.claim(base);
        rules.push(RateLimit { id, ..rule });
    };
    let mut rules: Vec<RateLimit> = Vec::new();
    for deployment in &gateway.deployments {
        for (option, unit) in [("rpm", "requests_per_minute"), ("tpm", "tokens_per_minute")] {
            let Some(limit) = deployment.option(option).and_then(|l| l.as_i64()) else {
                continue;
            };
            let rule = RateLimit {
                id: String::new(),
                when: When {
                    models: vec![deployment.model_group.clone()],
                    ..When::default()
                },
                limit_to: u64::try_from(limit).unwrap_or(0),
                unit: unit.into(),
                applies_per: Vec::new(),
            };
            push(
                &mut rules,
                format!("{option}-{}", slug(&deployment.model_group)),
                rule,
            );
        }
    }
    let options: Vec<RateLimitOption> = entries(gateway, "rate_limits")?;
    for (n, option) in options.into_iter().enumerate() {
        let rule = RateLimit {
            id: String::new(),
            when: When {
                subjects: option.subjects,
                models: option.models,
                metadata: option.metadata,
            },
            limit_to: option.limit,
            unit: option.unit,
            applies_per: option.per,
        };
        push(&mut rules, format!("rate-limit-{}", n + 1), rule);
    }
    Ok(rules)
}

/// The gateway's `budgets`, in order.
pub fn budgets(gateway: &Gateway) -> Result<Vec<Budget>, String> {
    let span = gateway.option_span("budgets");
    let options: Vec<BudgetOption> = entries(gateway, "budgets")?;
    Ok(options
        .into_iter()
        .enumerate()
        .map(|(n, option)| Budget {
            id: format!("budget-{}", n + 1),
            when: When {
                subjects: option.subjects,
                models: option.models,
                metadata: option.metadata,
            },
            limit_to: option.limit_usd,
            unit: format!("cost_per_{}", option.period),
            applies_per: option.per,
            audit_mode: option.audit,
            span,
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::tfy_gateway;
    use gwscript_plugin::testing::{
        anthropic, list, literal, map, with_gateway_option, with_routing,
    };

    #[test]
    fn deployment_limits_match_their_group() {
        let limited = with_routing(
            with_routing(anthropic("a-main/claude-x", "m"), "rpm", literal(60)),
            "tpm",
            literal(100_000),
        );
        let rules = rate_limits(&tfy_gateway(vec![limited])).unwrap();
        let summary: Vec<(&str, &[String], u64, &str)> = rules
            .iter()
            .map(|r| {
                (
                    r.id.as_str(),
                    r.when.models.as_slice(),
                    r.limit_to,
                    r.unit.as_str(),
                )
            })
            .collect();
        let models = ["a-main/claude-x".to_owned()];
        assert_eq!(
            summary,
            [
                (
                    "rpm-a-main-claude-x",
                    &models[..],
                    60,
                    "requests_per_minute"
                ),
                (
                    "tpm-a-main-claude-x",
                    &models[..],
                    100_000,
                    "tokens_per_minute"
                ),
            ]
        );
    }

    #[test]
    fn gateway_rate_limits_follow_in_order() {
        let gateway = with_gateway_option(
            tfy_gateway(vec![]),
            "rate_limits",
            list([
                map([
                    ("limit", literal(600)),
                    ("unit", literal("requests_per_minute")),
                    ("per", list([literal("user")])),
                ]),
                map([
                    ("limit", literal(1000)),
                    ("unit", literal("tokens_per_day")),
                    ("subjects", list([literal("team:eng")])),
                    ("metadata", map([("env", literal("prod"))])),
                ]),
            ]),
        );
        let rules = rate_limits(&gateway).unwrap();
        assert_eq!(rules.len(), 2);
        assert_eq!(rules[0].id, "rate-limit-1");
        assert_eq!(rules[0].applies_per, ["user"]);
        assert_eq!(rules[0].when, When::default());
        assert_eq!(rules[1].when.subjects, ["team:eng"]);
        assert_eq!(rules[1].when.metadata["env"], "prod");
    }

    #[test]
    fn budgets_become_cost_rules() {
        let gateway = with_gateway_option(
            tfy_gateway(vec![]),
            "budgets",
            list([map([
                ("limit_usd", literal(25.5)),
                ("period", literal("month")),
                ("models", list([literal("a/b")])),
                ("audit", literal(true)),
            ])]),
        );
        let budgets = budgets(&gateway).unwrap();
        assert_eq!(budgets[0].id, "budget-1");
        assert_eq!(budgets[0].unit, "cost_per_month");
        assert!((budgets[0].limit_to - 25.5).abs() < f64::EPSILON);
        assert!(budgets[0].audit_mode);
        assert_eq!(budgets[0].span, gateway.options["budgets"].span);
    }

    #[test]
    fn a_when_covers_narrower_ones() {
        let when = |subjects: &[&str], models: &[&str], metadata: &[(&str, &str)]| When {
            subjects: subjects.iter().map(|s| (*s).to_owned()).collect(),
            models: models.iter().map(|s| (*s).to_owned()).collect(),
            metadata: metadata
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
        };
        let everything = When::default();
        let eng = when(&["team:eng"], &[], &[]);
        let eng_sonnet = when(&["team:eng"], &["a/s"], &[("env", "prod")]);
        assert!(everything.covers(&eng));
        assert!(eng.covers(&eng_sonnet));
        assert!(!eng_sonnet.covers(&eng));
        assert!(!eng.covers(&everything));
        assert!(!when(&[], &[], &[("env", "prod")]).covers(&eng));
        assert!(when(&["team:eng", "team:ops"], &[], &[]).covers(&eng));
    }
}
