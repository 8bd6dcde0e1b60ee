//! The report's prose: facts about this setup a person must know, what TrueFoundry does not do
//! or document for Claude Code, and what its error answers mean. Each line is short and specific.

use crate::accounts::{Platform, placements};
use crate::credentials::{PLACEHOLDER_GROUP, secret_group};
use crate::manifest::PROVIDER_ACCOUNTS_PATH;
use crate::plan::Plan;
use gwscript_plugin::Setup;
use gwscript_plugin::model::Gateway;

pub fn notes(setup: &Setup, gateway: &Gateway, plan: &Plan) -> Vec<String> {
    let mut notes = vec![
        format!(
            "Claude Code sends the model group names, which are TrueFoundry model ids \
             <account>/<model>: {}. Its opus, sonnet and haiku aliases are pinned to the first \
             group of each family (ANTHROPIC_DEFAULT_*_MODEL); an alias whose family has no group \
             asks for a model TrueFoundry does not serve.",
            gateway.model_groups().join(", ")
        ),
        format!(
            "Claude Code presents a TrueFoundry API key ({}): a personal access token, or a \
             virtual account token for shared use. Provider keys are not accepted.",
            setup
                .client
                .auth_token
                .as_ref()
                .map_or("from the apiKeyHelper", |token| token.secret.as_str())
        ),
        "Before applying, log the tfy CLI in to the control plane: tfy login --host \
         https://<tenant>.truefoundry.cloud (or set TFY_HOST and TFY_API_KEY); the manifests are \
         applied as that user."
            .into(),
    ];
    notes.push(secrets_note(gateway));
    if plan.model_access.is_empty() {
        notes.push(
            "The provider accounts have no collaborators: until users or teams are added \
             (model_access, or AI Gateway → Models in TrueFoundry), only their creator and tenant \
             admins can use their models."
                .into(),
        );
    } else {
        notes.push(format!(
            "{} may use the accounts' models (role provider-account-access).",
            plan.model_access.join(", ")
        ));
    }
    let tenant_wide: Vec<&str> = plan
        .files()
        .into_iter()
        .filter(|file| *file != PROVIDER_ACCOUNTS_PATH)
        .collect();
    if !tenant_wide.is_empty() {
        notes.push(format!(
            "TrueFoundry keeps one config of each kind per tenant: applying {} replaces the \
             tenant's current config of that kind, so merge its existing rules in first.",
            tenant_wide.join(", ")
        ));
    }
    if !plan.routes.is_empty() {
        notes.push(
            "TrueFoundry recommends virtual models over the tenant-wide load-balancing config for \
             new setups; the config gwscript writes remains supported."
                .into(),
        );
    }
    notes
}

fn secrets_note(gateway: &Gateway) -> String {
    match secret_group(gateway) {
        Some(group) => format!(
            "Create every key the accounts reference in TrueFoundry secret group {group} before \
             applying: secret(\"NAME\") is written as tfy-secret://{group}:NAME."
        ),
        None => format!(
            "Replace {PLACEHOLDER_GROUP} in {PROVIDER_ACCOUNTS_PATH} with the TrueFoundry secret \
             group holding the keys, or set the gateway's secret_group, before applying."
        ),
    }
}

/// What TrueFoundry does not do, or does not document, for Claude Code.
pub fn limitations(gateway: &Gateway) -> Vec<String> {
    let on = |platform: Platform| {
        placements(gateway)
            .iter()
            .any(|p| p.platform() == Some(platform))
    };
    let mut limitations = vec![
        "TrueFoundry does not document passing anthropic-beta and anthropic-version through to \
         providers: send one real Claude Code request before rolling out, and set \
         CLAUDE_CODE_DISABLE_EXPERIMENTAL_BETAS=1 if betas are rejected."
            .into(),
        "TrueFoundry publishes no naming rule for provider accounts and models; gwscript applies \
         the rule its CLI uses for resource names (unverified for accounts)."
            .into(),
        "Rate limits match the model a request asks for; whether TrueFoundry also counts requests \
         routed to a model as another group's fallback target is not documented."
            .into(),
        "TrueFoundry documents no unauthenticated health route: the gateway is checked with the \
         model list and the key."
            .into(),
    ];
    if on(Platform::Bedrock) || on(Platform::Vertex) {
        limitations.push(
            "Claude Code through Bedrock or Vertex accounts relies on TrueFoundry translating \
             Messages requests: its Claude quick start says they work, its Messages API page \
             lists Anthropic accounts only (unverified)."
                .into(),
        );
    }
    if on(Platform::Vertex) {
        limitations.push(
            "Vertex model ids are written as Vertex names them (claude-…@date); TrueFoundry's \
             schema also shows anthropic/claude-…@date, and which it expects for Claude is \
             unverified."
                .into(),
        );
    }
    limitations
}

/// TrueFoundry's answers to a failing request or apply, and what each means here.
pub fn troubleshooting(gateway: &Gateway) -> Vec<String> {
    vec![
        "401 from the gateway: the key is not a valid TrueFoundry API key (provider keys are \
         refused), or it expired."
            .into(),
        format!(
            "403 or model not found for one of {}: the key's user has no access to that account \
             (collaborators), or the provider accounts are not applied; the /models step shows \
             what the key sees.",
            gateway.model_groups().join(", ")
        ),
        "429 naming a rule id (rpm-…, tpm-…, rate-limit-…, budget-…): that rule in \
         rate-limiting.yaml or budgets.yaml matched."
            .into(),
        "tfy apply failing at \"index N\" of a file: document N of that file was refused; a secret \
         that does not exist in the secret group, or a left-over <tenant>:<secret-group> \
         placeholder, fails the same way."
            .into(),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{ordered, tfy_gateway, with_secret_group};
    use gwscript_plugin::testing::{
        anthropic, list, literal, setup_for, vertex, with_gateway_option,
    };

    #[test]
    fn notes_follow_the_setup() {
        let gateway = tfy_gateway(vec![ordered(anthropic("a-main/claude-x", "m"), 1)]);
        let plan = Plan::of(&gateway).unwrap();
        let lines = notes(&setup_for(gateway.clone()), &gateway, &plan);
        assert!(lines[0].contains(": a-main/claude-x."));
        assert!(lines[1].contains("(GATEWAY_KEY)"));
        assert!(
            lines
                .iter()
                .any(|n| n.starts_with("Replace <tenant>:<secret-group>"))
        );
        assert!(lines.iter().any(|n| n.contains("have no collaborators")));
        assert!(
            lines
                .iter()
                .any(|n| n.contains("applying truefoundry/load-balancing.yaml replaces"))
        );

        let shared = with_gateway_option(
            with_secret_group(tfy_gateway(vec![anthropic("a-main/claude-x", "m")])),
            "model_access",
            list([literal("team:everyone")]),
        );
        let plan = Plan::of(&shared).unwrap();
        let lines = notes(&setup_for(shared.clone()), &shared, &plan);
        assert!(
            lines
                .iter()
                .any(|n| n.contains("secret group acme:llm-keys"))
        );
        assert!(lines.iter().any(|n| n.starts_with("team:everyone may use")));
        assert!(!lines.iter().any(|n| n.contains("replaces")));
    }

    #[test]
    fn limitations_name_the_backends_in_use() {
        let anthropic_only = tfy_gateway(vec![anthropic("a-main/claude-x", "m")]);
        assert_eq!(limitations(&anthropic_only).len(), 4);
        let with_vertex = tfy_gateway(vec![vertex("v-main/claude-x", "m", Some("p"), Some("l"))]);
        let lines = limitations(&with_vertex);
        assert_eq!(lines.len(), 6);
        assert!(lines[5].contains("claude-…@date"));
        assert!(troubleshooting(&anthropic_only)[1].contains("a-main/claude-x"));
    }
}
