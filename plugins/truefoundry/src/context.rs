//! The template context: the [`Plan`] laid out as the manifests' fields. Templates only place
//! these values; every decision is made here and in the modules the plan draws on.
//!
//! Shape: `{ accounts: [...], load_balancing: {name, rules}, rate_limiting: {name, rules},
//! budgets: {name, rules} }`, each rule already in TrueFoundry's field names.

use crate::plan::Plan;
use crate::policies::When;
use crate::routing::Routing;
use serde::Serialize;
use serde_json::{Map, Value};

/// Config names: TrueFoundry uses them only in logs.
const LOAD_BALANCING_NAME: &str = "gwscript-load-balancing-config";
const RATE_LIMITING_NAME: &str = "gwscript-rate-limiting-config";
const BUDGETS_NAME: &str = "gwscript-budget-config";

/// The role that lets a subject use an account's models (TrueFoundry's role id for provider
/// account access, as its own gateway skills write collaborators).
const ACCESS_ROLE: &str = "provider-account-access";

/// What every integration serves: Claude Code speaks Messages to chat models.
const MODEL_TYPES: &[&str] = &["chat"];

#[derive(Debug, Serialize)]
struct Context {
    accounts: Vec<AccountDoc>,
    load_balancing: Config<RouteDoc>,
    rate_limiting: Config<RateLimitDoc>,
    budgets: Config<BudgetDoc>,
}

#[derive(Debug, Serialize)]
struct Config<R> {
    name: &'static str,
    rules: Vec<R>,
}

#[derive(Debug, Serialize)]
struct AccountDoc {
    #[serde(rename = "type")]
    kind: &'static str,
    name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    project_id: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    base_url: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    auth_data: Option<Map<String, Value>>,
    collaborators: Vec<Collaborator>,
    integrations: Vec<IntegrationDoc>,
}

#[derive(Debug, Serialize)]
struct Collaborator {
    subject: String,
    role_id: &'static str,
}

#[derive(Debug, Serialize)]
struct IntegrationDoc {
    #[serde(rename = "type")]
    kind: &'static str,
    name: String,
    model_id: String,
    model_types: &'static [&'static str],
}

#[derive(Debug, Serialize)]
struct RouteDoc {
    id: String,
    #[serde(rename = "type")]
    kind: &'static str,
    models: Vec<String>,
    targets: Vec<TargetDoc>,
}

#[derive(Debug, Serialize)]
struct TargetDoc {
    target: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    weight: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    priority: Option<u32>,
}

#[derive(Debug, Serialize)]
struct RateLimitDoc {
    id: String,
    when: When,
    limit_to: u64,
    unit: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    rate_limit_applies_per: Vec<String>,
}

#[derive(Debug, Serialize)]
struct BudgetDoc {
    id: String,
    when: When,
    limit_to: f64,
    unit: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    budget_applies_per: Vec<String>,
    audit_mode: bool,
}

pub fn build(plan: &Plan) -> Value {
    let context = Context {
        accounts: plan
            .accounts
            .iter()
            .map(|account| AccountDoc {
                kind: account.platform.account_type(),
                name: account.name.clone(),
                project_id: account.settings.get("project_id").cloned(),
                region: account.settings.get("region").cloned(),
                base_url: account.settings.get("base_url").cloned(),
                auth_data: account.auth_data.clone(),
                collaborators: plan
                    .model_access
                    .iter()
                    .map(|subject| Collaborator {
                        subject: subject.clone(),
                        role_id: ACCESS_ROLE,
                    })
                    .collect(),
                integrations: account
                    .integrations
                    .iter()
                    .map(|integration| IntegrationDoc {
                        kind: account.platform.integration_type(),
                        name: integration.name.clone(),
                        model_id: integration.model_id.clone(),
                        model_types: MODEL_TYPES,
                    })
                    .collect(),
            })
            .collect(),
        load_balancing: Config {
            name: LOAD_BALANCING_NAME,
            rules: plan
                .routes
                .iter()
                .map(|rule| RouteDoc {
                    id: rule.id.clone(),
                    kind: rule.routing.type_name(),
                    models: vec![rule.group.clone()],
                    targets: match &rule.routing {
                        Routing::Weighted(targets) => targets
                            .iter()
                            .map(|(target, weight)| TargetDoc {
                                target: target.clone(),
                                weight: Some(*weight),
                                priority: None,
                            })
                            .collect(),
                        Routing::Prioritized(targets) => targets
                            .iter()
                            .map(|(target, priority)| TargetDoc {
                                target: target.clone(),
                                weight: None,
                                priority: Some(*priority),
                            })
                            .collect(),
                    },
                })
                .collect(),
        },
        rate_limiting: Config {
            name: RATE_LIMITING_NAME,
            rules: plan
                .rate_limits
                .iter()
                .map(|rule| RateLimitDoc {
                    id: rule.id.clone(),
                    when: rule.when.clone(),
                    limit_to: rule.limit_to,
                    unit: rule.unit.clone(),
                    rate_limit_applies_per: rule.applies_per.clone(),
                })
                .collect(),
        },
        budgets: Config {
            name: BUDGETS_NAME,
            rules: plan
                .budgets
                .iter()
                .map(|rule| BudgetDoc {
                    id: rule.id.clone(),
                    when: rule.when.clone(),
                    limit_to: rule.limit_to,
                    unit: rule.unit.clone(),
                    budget_applies_per: rule.applies_per.clone(),
                    audit_mode: rule.audit_mode,
                })
                .collect(),
        },
    };
    serde_json::to_value(context).unwrap_or(Value::Null)
}

#[cfg(test)]
mod tests {
    use crate::TrueFoundry;
    use crate::manifest::{
        BUDGETS_PATH, LOAD_BALANCING_PATH, PROVIDER_ACCOUNTS_PATH, RATE_LIMITING_PATH,
    };
    use crate::test_support::{ordered, tfy_gateway, weighted, with_secret_group};
    use gwscript_plugin::Setup;
    use gwscript_plugin::testing::{
        anthropic, bedrock, fallback, list, literal, map, render, setup_for, vertex,
        with_gateway_option, with_option, with_routing,
    };
    use serde::Deserialize;
    use serde_json::{Value, json};

    /// Every YAML document of a rendered file, as JSON.
    fn documents(yaml: &str) -> Vec<Value> {
        serde_norway::Deserializer::from_str(yaml)
            .map(|document| {
                Value::deserialize(document).unwrap_or_else(|e| panic!("not YAML: {e}\n{yaml}"))
            })
            .collect()
    }

    fn rendered(setup: &Setup, path: &str) -> Vec<Value> {
        documents(&render::<TrueFoundry>(setup, path))
    }

    #[test]
    fn one_document_per_account_with_its_models() {
        let gateway = with_gateway_option(
            with_secret_group(tfy_gateway(vec![
                anthropic("anthropic-main/claude-sonnet-4-6", "claude-sonnet-4-6"),
                with_option(
                    with_option(
                        bedrock(
                            "anthropic-main/claude-sonnet-4-6",
                            "us.anthropic.claude-sonnet-4-6",
                            Some("us-east-1"),
                        ),
                        "account",
                        literal("bedrock-main"),
                    ),
                    "aws_role_arn",
                    literal("arn:aws:iam::123456789012:role/tfy"),
                ),
                with_option(
                    vertex(
                        "vertex-main/claude-haiku-4-5",
                        "claude-haiku-4-5@20251001",
                        Some("acme-ai"),
                        Some("us-east5"),
                    ),
                    "api_base",
                    literal("https://psc.example/v1"),
                ),
            ])),
            "model_access",
            list([literal("team:everyone")]),
        );
        let access = json!([{ "subject": "team:everyone", "role_id": "provider-account-access" }]);
        assert_eq!(
            rendered(&setup_for(gateway), PROVIDER_ACCOUNTS_PATH),
            [
                json!({
                    "type": "provider-account/anthropic",
                    "name": "anthropic-main",
                    "auth_data": { "type": "api-key", "api_key": "tfy-secret://acme:llm-keys:ANTHROPIC_API_KEY" },
                    "collaborators": access,
                    "integrations": [{
                        "type": "integration/model/anthropic",
                        "name": "claude-sonnet-4-6",
                        "model_id": "claude-sonnet-4-6",
                        "model_types": ["chat"],
                    }],
                }),
                json!({
                    "type": "provider-account/aws-bedrock",
                    "name": "bedrock-main",
                    "region": "us-east-1",
                    "auth_data": { "type": "assumed-role-based", "assumed_role_arn": "arn:aws:iam::123456789012:role/tfy" },
                    "collaborators": access,
                    "integrations": [{
                        "type": "integration/model/bedrock",
                        "name": "claude-sonnet-4-6",
                        "model_id": "us.anthropic.claude-sonnet-4-6",
                        "model_types": ["chat"],
                    }],
                }),
                json!({
                    "type": "provider-account/google-vertex",
                    "name": "vertex-main",
                    "project_id": "acme-ai",
                    "region": "us-east5",
                    "base_url": "https://psc.example/v1",
                    "collaborators": access,
                    "integrations": [{
                        "type": "integration/model/vertex",
                        "name": "claude-haiku-4-5",
                        "model_id": "claude-haiku-4-5@20251001",
                        "model_types": ["chat"],
                    }],
                }),
            ]
        );
    }

    /// The accounts file is a text template (several documents): every value must still arrive
    /// as written, whatever it holds.
    #[test]
    fn hostile_values_cannot_inject_yaml() {
        let evil = "m\n---\ntype: provider-account/openai\nname: \"x\" # '{{ }}' \\ \t: [a]";
        // Secret references hold no whitespace, but may hold anything else.
        let key = "tfy-secret://a:b:\"x\"#'{{}}'\\:[a],{b}&*c";
        let gateway = tfy_gateway(vec![with_option(
            with_option(
                anthropic("anthropic-main/claude-x", evil),
                "account",
                literal(evil),
            ),
            "api_key",
            literal(key),
        )]);
        let docs = rendered(&setup_for(gateway), PROVIDER_ACCOUNTS_PATH);
        assert_eq!(docs.len(), 1, "{docs:?}");
        assert_eq!(docs[0]["name"], evil);
        assert_eq!(docs[0]["integrations"][0]["model_id"], evil);
        assert_eq!(docs[0]["auth_data"]["api_key"], key);
    }

    #[test]
    fn routing_rules_carry_weights_or_priorities() {
        let second = |d| with_option(d, "account", literal("bedrock-main"));
        let mut gateway = tfy_gateway(vec![
            weighted(
                anthropic("anthropic-main/claude-sonnet-4-6", "claude-sonnet-4-6"),
                4,
            ),
            second(bedrock(
                "anthropic-main/claude-sonnet-4-6",
                "m",
                Some("us-east-1"),
            )),
            ordered(
                anthropic("anthropic-main/claude-opus-4-6", "claude-opus-4-6"),
                1,
            ),
        ]);
        gateway.fallbacks = vec![fallback(
            "anthropic-main/claude-opus-4-6",
            &["anthropic-main/claude-sonnet-4-6"],
        )];
        assert_eq!(
            rendered(&setup_for(gateway), LOAD_BALANCING_PATH),
            [json!({
                "name": "gwscript-load-balancing-config",
                "type": "gateway-load-balancing-config",
                "rules": [
                    {
                        "id": "route-anthropic-main-claude-sonnet-4-6",
                        "type": "weight-based-routing",
                        "when": { "models": ["anthropic-main/claude-sonnet-4-6"] },
                        "load_balance_targets": [
                            { "target": "anthropic-main/claude-sonnet-4-6", "weight": 80 },
                            { "target": "bedrock-main/claude-sonnet-4-6", "weight": 20 },
                        ],
                    },
                    {
                        "id": "route-anthropic-main-claude-opus-4-6",
                        "type": "priority-based-routing",
                        "when": { "models": ["anthropic-main/claude-opus-4-6"] },
                        "load_balance_targets": [
                            { "target": "anthropic-main/claude-opus-4-6", "priority": 0 },
                            { "target": "anthropic-main/claude-sonnet-4-6", "priority": 1 },
                            { "target": "bedrock-main/claude-sonnet-4-6", "priority": 1 },
                        ],
                    },
                ],
            })]
        );
    }

    #[test]
    fn rate_limits_and_budgets_render_in_truefoundrys_fields() {
        let limited = with_routing(
            anthropic("anthropic-main/claude-opus-4-6", "claude-opus-4-6"),
            "rpm",
            literal(60),
        );
        let gateway = with_gateway_option(
            with_gateway_option(
                tfy_gateway(vec![limited]),
                "rate_limits",
                list([map([
                    ("limit", literal(100_000)),
                    ("unit", literal("tokens_per_day")),
                    ("metadata", map([("team \"x\"", literal("a: b"))])),
                    ("per", list([literal("user")])),
                ])]),
            ),
            "budgets",
            list([map([
                ("limit_usd", literal(50)),
                ("period", literal("month")),
                ("subjects", list([literal("team:eng")])),
                ("per", list([literal("user")])),
            ])]),
        );
        let setup = setup_for(gateway);
        assert_eq!(
            rendered(&setup, RATE_LIMITING_PATH),
            [json!({
                "name": "gwscript-rate-limiting-config",
                "type": "gateway-rate-limiting-config",
                "rules": [
                    {
                        "id": "rpm-anthropic-main-claude-opus-4-6",
                        "when": { "models": ["anthropic-main/claude-opus-4-6"] },
                        "limit_to": 60,
                        "unit": "requests_per_minute",
                    },
                    {
                        "id": "rate-limit-1",
                        "when": { "metadata": { "team \"x\"": "a: b" } },
                        "limit_to": 100_000,
                        "unit": "tokens_per_day",
                        "rate_limit_applies_per": ["user"],
                    },
                ],
            })]
        );
        assert_eq!(
            rendered(&setup, BUDGETS_PATH),
            [json!({
                "name": "gwscript-budget-config",
                "type": "gateway-budget-config",
                "rules": [{
                    "id": "budget-1",
                    "when": { "subjects": ["team:eng"] },
                    "limit_to": 50.0,
                    "unit": "cost_per_month",
                    "budget_applies_per": ["user"],
                    "audit_mode": false,
                }],
            })]
        );
    }

    #[test]
    fn a_rule_without_conditions_matches_everything() {
        let gateway = with_gateway_option(
            tfy_gateway(vec![anthropic("a-main/claude-x", "m")]),
            "budgets",
            list([map([("limit_usd", literal(5)), ("period", literal("day"))])]),
        );
        let docs = rendered(&setup_for(gateway), BUDGETS_PATH);
        assert_eq!(docs[0]["rules"][0]["when"], json!({}));
        assert!(docs[0]["rules"][0].get("budget_applies_per").is_none());
    }
}
