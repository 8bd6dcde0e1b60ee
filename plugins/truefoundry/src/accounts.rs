//! Where each deployment lives on TrueFoundry, and the provider accounts that follow from that.
//!
//! A deployment is placed on an account: the provider's `account` option, else the account named
//! in its model group (`anthropic-main` for `anthropic-main/claude-sonnet-4-6`). On that account
//! it is a model integration named after the model part of the group, so its TrueFoundry id is
//! `<account>/<model>`. Every deployment on one account must describe the account the same way;
//! the first one defines it and later disagreements are [`Conflict`]s.

use crate::credentials;
use crate::names::{self, parse_model_id};
use gwscript_plugin::model::{Deployment, Gateway, Param, ProviderKind, Span};
use serde_json::{Map, Value};
use std::collections::HashMap;

/// The provider-account types this plugin writes (truefoundry-sdk 0.6.0 manifest types).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Platform {
    Anthropic,
    Bedrock,
    Vertex,
}

impl Platform {
    /// `None` for `raw`: gwscript cannot tell which TrueFoundry account type serves it.
    pub fn of(kind: ProviderKind) -> Option<Platform> {
        match kind {
            ProviderKind::Anthropic => Some(Platform::Anthropic),
            ProviderKind::Bedrock => Some(Platform::Bedrock),
            ProviderKind::Vertex => Some(Platform::Vertex),
            ProviderKind::Raw => None,
        }
    }

    pub fn account_type(self) -> &'static str {
        match self {
            Platform::Anthropic => "provider-account/anthropic",
            Platform::Bedrock => "provider-account/aws-bedrock",
            Platform::Vertex => "provider-account/google-vertex",
        }
    }

    pub fn integration_type(self) -> &'static str {
        match self {
            Platform::Anthropic => "integration/model/anthropic",
            Platform::Bedrock => "integration/model/bedrock",
            Platform::Vertex => "integration/model/vertex",
        }
    }
}

/// One deployment's place on TrueFoundry.
#[derive(Debug, Clone, PartialEq)]
pub struct Placement<'a> {
    pub deployment: &'a Deployment,
    pub account: String,
    /// The model integration's name on that account.
    pub model: String,
}

impl Placement<'_> {
    /// The id TrueFoundry serves this deployment under.
    pub fn model_id(&self) -> String {
        names::model_id(&self.account, &self.model)
    }

    pub fn platform(&self) -> Option<Platform> {
        Platform::of(self.deployment.provider.kind)
    }
}

/// Where `deployment` goes: its `account` option (when a string), else the group's account, else
/// the provider kind's name; the model name is the group's model part, else the whole group.
pub fn place(deployment: &Deployment) -> Placement<'_> {
    let group = parse_model_id(&deployment.model_group);
    let account = deployment
        .provider
        .option("account")
        .and_then(Param::as_str)
        .or(group.map(|id| id.account))
        .unwrap_or(deployment.provider.kind.name());
    Placement {
        deployment,
        account: account.to_owned(),
        model: group
            .map_or(deployment.model_group.as_str(), |id| id.model)
            .to_owned(),
    }
}

pub fn placements(gateway: &Gateway) -> Vec<Placement<'_>> {
    gateway.deployments.iter().map(place).collect()
}

/// A provider account as its manifest describes it.
#[derive(Debug, Clone, PartialEq)]
pub struct Account {
    pub name: String,
    pub platform: Platform,
    /// Top-level manifest fields besides type, name and auth: `region`, `project_id`, `base_url`.
    pub settings: Map<String, Value>,
    pub auth_data: Option<Map<String, Value>>,
    pub integrations: Vec<Integration>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Integration {
    pub name: String,
    /// The provider's model id (`Deployment::provider_model`).
    pub model_id: String,
}

/// Two deployments that describe one account, or one model of it, differently.
#[derive(Debug, Clone, PartialEq)]
pub enum Conflict {
    Account {
        account: String,
        /// What differs: `provider kind`, `auth_data`, or a setting's manifest field.
        field: String,
        span: Option<Span>,
    },
    Model {
        model_id: String,
        first: String,
        second: String,
        span: Option<Span>,
    },
}

/// The accounts the deployments need, in first-use order, and every disagreement among them.
#[derive(Debug, Default)]
pub struct Accounts {
    pub accounts: Vec<Account>,
    pub conflicts: Vec<Conflict>,
}

/// The manifest fields each platform's provider options fill (besides credentials).
fn settings(platform: Platform, deployment: &Deployment) -> Map<String, Value> {
    let fields: &[(&str, &str)] = match platform {
        Platform::Anthropic => &[("api_base", "base_url")],
        Platform::Bedrock => &[("region", "region"), ("api_base", "base_url")],
        Platform::Vertex => &[
            ("project", "project_id"),
            ("location", "region"),
            ("api_base", "base_url"),
        ],
    };
    fields
        .iter()
        .filter_map(|(option, field)| {
            let value = deployment.provider.option(option)?.as_str()?;
            Some(((*field).to_owned(), Value::from(value)))
        })
        .collect()
}

/// Builds the accounts of every non-raw deployment; `secret_group` is the gateway option.
pub fn collect(gateway: &Gateway, secret_group: Option<&str>) -> Accounts {
    let mut found = Accounts::default();
    // Where each account is in `found.accounts`, and each (account, model) in its integrations.
    let mut account_at: HashMap<String, usize> = HashMap::new();
    let mut integration_at: HashMap<(usize, String), usize> = HashMap::new();
    for placement in placements(gateway) {
        let Some(platform) = placement.platform() else {
            continue;
        };
        let deployment = placement.deployment;
        let span = deployment.provider.span.or(deployment.span);
        let wanted = Account {
            name: placement.account.clone(),
            platform,
            settings: settings(platform, deployment),
            auth_data: credentials::auth_data(platform, &deployment.provider, secret_group),
            integrations: Vec::new(),
        };
        let index = match account_at.get(&wanted.name).copied() {
            Some(index) => {
                if let Some(field) = first_difference(&found.accounts[index], &wanted) {
                    found.conflicts.push(Conflict::Account {
                        account: wanted.name,
                        field,
                        span,
                    });
                    continue;
                }
                index
            }
            None => {
                account_at.insert(wanted.name.clone(), found.accounts.len());
                found.accounts.push(wanted);
                found.accounts.len() - 1
            }
        };
        let account = &mut found.accounts[index];
        let existing = integration_at
            .get(&(index, placement.model.clone()))
            .map(|&at| &account.integrations[at]);
        match existing {
            Some(existing) if existing.model_id != deployment.provider_model => {
                found.conflicts.push(Conflict::Model {
                    model_id: placement.model_id(),
                    first: existing.model_id.clone(),
                    second: deployment.provider_model.clone(),
                    span,
                });
            }
            Some(_) => {}
            None => {
                integration_at.insert((index, placement.model.clone()), account.integrations.len());
                account.integrations.push(Integration {
                    name: placement.model,
                    model_id: deployment.provider_model.clone(),
                });
            }
        }
    }
    found
}

/// The first field in which `wanted` describes `existing`'s account differently.
fn first_difference(existing: &Account, wanted: &Account) -> Option<String> {
    if existing.platform != wanted.platform {
        return Some("provider kind".into());
    }
    let mut keys = existing.settings.keys().chain(wanted.settings.keys());
    if let Some(key) = keys.find(|key| existing.settings.get(*key) != wanted.settings.get(*key)) {
        return Some(key.clone());
    }
    (existing.auth_data != wanted.auth_data).then(|| "auth_data".into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::tfy_gateway;
    use gwscript_plugin::testing::{anthropic, bedrock, literal, raw, secret, vertex, with_option};

    #[test]
    fn deployments_go_to_the_groups_account_unless_they_name_one() {
        let own = anthropic("anthropic-main/claude-sonnet-4-6", "claude-sonnet-4-6");
        let named = with_option(
            bedrock(
                "anthropic-main/claude-sonnet-4-6",
                "us.anthropic.claude-sonnet-4-6",
                Some("us-east-1"),
            ),
            "account",
            literal("bedrock-main"),
        );
        let malformed = anthropic("claude-sonnet-4-6", "claude-sonnet-4-6");
        let ids: Vec<String> = [&own, &named, &malformed]
            .into_iter()
            .map(|d| place(d).model_id())
            .collect();
        assert_eq!(
            ids,
            [
                "anthropic-main/claude-sonnet-4-6",
                "bedrock-main/claude-sonnet-4-6",
                "anthropic/claude-sonnet-4-6",
            ]
        );
    }

    #[test]
    fn accounts_gather_their_models_in_first_use_order() {
        let gateway = tfy_gateway(vec![
            anthropic("anthropic-main/claude-sonnet-4-6", "claude-sonnet-4-6"),
            with_option(
                vertex(
                    "anthropic-main/claude-sonnet-4-6",
                    "claude-sonnet-4-6",
                    Some("acme-ai"),
                    Some("us-east5"),
                ),
                "account",
                literal("vertex-main"),
            ),
            anthropic(
                "anthropic-main/claude-haiku-4-5",
                "claude-haiku-4-5-20251001",
            ),
            anthropic(
                "anthropic-main/claude-haiku-4-5",
                "claude-haiku-4-5-20251001",
            ),
            raw("gpt/gpt-4o", "openai/gpt-4o"),
        ]);
        let found = collect(&gateway, Some("acme:keys"));
        assert_eq!(found.conflicts, []);
        let summary: Vec<(&str, Platform, Vec<&str>)> = found
            .accounts
            .iter()
            .map(|a| {
                let models = a.integrations.iter().map(|i| i.name.as_str()).collect();
                (a.name.as_str(), a.platform, models)
            })
            .collect();
        assert_eq!(
            summary,
            [
                (
                    "anthropic-main",
                    Platform::Anthropic,
                    vec!["claude-sonnet-4-6", "claude-haiku-4-5"]
                ),
                ("vertex-main", Platform::Vertex, vec!["claude-sonnet-4-6"]),
            ]
        );
        let vertex = &found.accounts[1];
        assert_eq!(
            Value::Object(vertex.settings.clone()),
            serde_json::json!({ "project_id": "acme-ai", "region": "us-east5" })
        );
        assert_eq!(
            found.accounts[0].auth_data.as_ref().unwrap()["api_key"],
            "tfy-secret://acme:keys:ANTHROPIC_API_KEY"
        );
    }

    #[test]
    fn disagreements_are_conflicts() {
        let gateway = tfy_gateway(vec![
            bedrock("bedrock-main/claude-sonnet-4-6", "m1", Some("us-east-1")),
            bedrock("bedrock-main/claude-haiku-4-5", "m2", Some("eu-west-1")),
            anthropic("bedrock-main/claude-opus-4-6", "claude-opus-4-6"),
            bedrock("bedrock-main/claude-sonnet-4-6", "other", Some("us-east-1")),
            with_option(
                anthropic("anthropic-main/claude-opus-4-6", "claude-opus-4-6"),
                "api_key",
                secret("OTHER_KEY"),
            ),
            anthropic("anthropic-main/claude-opus-4-6", "claude-opus-4-6"),
        ]);
        let conflicts = collect(&gateway, None).conflicts;
        let described: Vec<String> = conflicts
            .iter()
            .map(|c| match c {
                Conflict::Account { account, field, .. } => format!("{account}: {field}"),
                Conflict::Model { model_id, .. } => format!("model {model_id}"),
            })
            .collect();
        assert_eq!(
            described,
            [
                "bedrock-main: region",
                "bedrock-main: provider kind",
                "model bedrock-main/claude-sonnet-4-6",
                "anthropic-main: auth_data",
            ]
        );
    }
}
