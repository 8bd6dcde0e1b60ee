//! Names: every account must be a name TrueFoundry takes, and every model group must be a model
//! id TrueFoundry serves, because Claude Code sends the group name as its model.

use super::codes::{
    GROUP_ACCOUNT_NOT_DEPLOYED, GROUP_NOT_A_MODEL_ID, INVALID_ACCOUNT_NAME, MODEL_NAME_HIDES_CLAUDE,
};
use crate::accounts::{Placement, placements};
use crate::groups::by_group;
use crate::names::{is_account_name, is_model_name, parse_model_id};
use gwscript_plugin::Diagnostic;
use gwscript_plugin::model::{Gateway, Param};
use std::collections::HashSet;

pub fn check(gateway: &Gateway) -> Vec<Diagnostic> {
    let placements = placements(gateway);
    let mut diagnostics = account_names(&placements);
    for (group, members) in by_group(&placements, |p| p.deployment.model_group.as_str()) {
        diagnostics.extend(group_name(group, &members));
    }
    diagnostics
}

/// One diagnostic per invalid name, where it is first used.
fn account_names(placements: &[Placement]) -> Vec<Diagnostic> {
    let mut reported: HashSet<&str> = HashSet::new();
    let mut diagnostics = Vec::new();
    for placement in placements {
        let deployment = placement.deployment;
        if let Some(option) = deployment.provider.option("account")
            && option.as_str().is_none()
        {
            diagnostics.push(
                Diagnostic::error(
                    INVALID_ACCOUNT_NAME,
                    format!(
                        "the provider `account` option of model group `{}` is not a string",
                        deployment.model_group
                    ),
                    "write the account's name as a string, e.g. account: \"bedrock-main\"",
                )
                .at(deployment.provider.span),
            );
            continue;
        }
        let name = placement.account.as_str();
        if is_account_name(name) || !reported.insert(name) {
            continue;
        }
        let from_option = deployment
            .provider
            .option("account")
            .and_then(Param::as_str)
            == Some(name);
        let (source, span) = if from_option {
            ("its provider's `account` option", deployment.provider.span)
        } else {
            ("its model group's name", deployment.span)
        };
        diagnostics.push(
            Diagnostic::error(
                INVALID_ACCOUNT_NAME,
                format!(
                    "`{name}` (the account of model group `{}`, from {source}) is not a \
                     TrueFoundry account name",
                    deployment.model_group
                ),
                "use 3 to 32 lowercase letters, digits and single hyphens, starting with a letter \
                 and ending with a letter or digit, e.g. anthropic-main",
            )
            .at(span),
        );
    }
    diagnostics
}

fn group_name(group: &str, members: &[&Placement]) -> Option<Diagnostic> {
    let span = members.first().and_then(|p| p.deployment.span);
    let Some(id) = parse_model_id(group) else {
        return Some(
            Diagnostic::error(
                GROUP_NOT_A_MODEL_ID,
                format!(
                    "model group `{group}` is not a TrueFoundry model id: Claude Code sends the \
                     group name as its model, and TrueFoundry serves only `<account>/<model>`"
                ),
                format!(
                    "name the group after the account that serves it, e.g. \
                     gw.deploy(\"anthropic-main/{}\", …)",
                    group.rsplit('/').next().unwrap_or(group)
                ),
            )
            .at(span),
        );
    };
    if !is_model_name(id.model) {
        return Some(
            Diagnostic::error(
                GROUP_NOT_A_MODEL_ID,
                format!(
                    "model group `{group}`: `{}` is not a TrueFoundry model name",
                    id.model
                ),
                "use letters, digits, `.`, `_` and `-` after the `/`, starting with a letter or \
                 digit, e.g. claude-sonnet-4-6",
            )
            .at(span),
        );
    }
    if !members.iter().any(|p| p.account == id.account) {
        let accounts: Vec<&str> = members.iter().map(|p| p.account.as_str()).collect();
        return Some(
            Diagnostic::error(
                GROUP_ACCOUNT_NOT_DEPLOYED,
                format!(
                    "model group `{group}` names account `{}`, but its deployments are on {}: \
                     TrueFoundry serves no model `{group}`, so Claude Code's requests for it fail",
                    id.account,
                    accounts.join(", ")
                ),
                format!(
                    "put one deployment on `{}` (drop its provider's `account` option), or name \
                     the group `{}/{}`",
                    id.account, accounts[0], id.model
                ),
            )
            .at(span),
        );
    }
    (!id.model.to_ascii_lowercase().contains("claude")).then(|| {
        Diagnostic::warning(
            MODEL_NAME_HIDES_CLAUDE,
            format!(
                "model group `{group}` does not carry a Claude model id: Claude Code reads what a \
                 model can do (context window, thinking) from its id"
            ),
            format!(
                "name the model part after the Claude model, e.g. `{}/claude-sonnet-4-6`",
                id.account
            ),
        )
        .at(span)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::tfy_gateway;
    use gwscript_plugin::testing::{anthropic, bedrock, codes_of, literal, with_option};

    fn on(
        account: &str,
        deployment: gwscript_plugin::model::Deployment,
    ) -> gwscript_plugin::model::Deployment {
        with_option(deployment, "account", literal(account))
    }

    #[test]
    fn well_named_groups_pass() {
        let gateway = tfy_gateway(vec![
            anthropic("anthropic-main/claude-sonnet-4-6", "claude-sonnet-4-6"),
            on(
                "bedrock-main",
                bedrock("anthropic-main/claude-sonnet-4-6", "m", Some("us-east-1")),
            ),
        ]);
        assert_eq!(check(&gateway), []);
    }

    #[test]
    fn gw4102_invalid_account_names_once_each() {
        let gateway = tfy_gateway(vec![
            on(
                "Bedrock_Main",
                bedrock("anthropic-main/claude-a", "m", None),
            ),
            on(
                "Bedrock_Main",
                bedrock("anthropic-main/claude-a", "m", None),
            ),
            anthropic("anthropic-main/claude-a", "m"),
            anthropic("AB/claude-b", "m"),
        ]);
        let diagnostics = check(&gateway);
        assert_eq!(codes_of(&diagnostics), ["GW4102", "GW4102"]);
        assert!(
            diagnostics[0]
                .message
                .contains("from its provider's `account` option")
        );
        assert_eq!(diagnostics[0].span, gateway.deployments[0].provider.span);
        assert!(
            diagnostics[1].message.contains("`AB`")
                && diagnostics[1].message.contains("group's name")
        );
        assert_eq!(diagnostics[1].span, gateway.deployments[3].span);

        let numbered = tfy_gateway(vec![with_option(
            anthropic("anthropic-main/claude-a", "m"),
            "account",
            literal(7),
        )]);
        let diagnostics = check(&numbered);
        assert_eq!(codes_of(&diagnostics), ["GW4102"]);
        assert!(diagnostics[0].message.ends_with("is not a string"));
    }

    #[test]
    fn gw4103_groups_must_be_account_slash_model() {
        let gateway = tfy_gateway(vec![
            anthropic("claude-sonnet-4-6", "claude-sonnet-4-6"),
            anthropic("anthropic-main/claude sonnet", "claude-sonnet-4-6"),
        ]);
        let diagnostics = check(&gateway);
        assert_eq!(codes_of(&diagnostics), ["GW4103", "GW4103"]);
        assert!(
            diagnostics[0]
                .help
                .contains("gw.deploy(\"anthropic-main/claude-sonnet-4-6\", …)")
        );
        assert!(
            diagnostics[1]
                .message
                .contains("`claude sonnet` is not a TrueFoundry model name")
        );
    }

    #[test]
    fn gw4104_the_groups_account_must_serve_it() {
        let gateway = tfy_gateway(vec![on(
            "bedrock-main",
            bedrock("anthropic-main/claude-sonnet-4-6", "m", Some("us-east-1")),
        )]);
        let diagnostics = check(&gateway);
        assert_eq!(codes_of(&diagnostics), ["GW4104"]);
        assert!(diagnostics[0].message.contains("are on bedrock-main"));
        assert!(
            diagnostics[0]
                .help
                .contains("`bedrock-main/claude-sonnet-4-6`")
        );
    }

    #[test]
    fn gw4117_model_names_should_say_claude() {
        let gateway = tfy_gateway(vec![anthropic(
            "anthropic-main/sonnet",
            "claude-sonnet-4-6",
        )]);
        let diagnostics = check(&gateway);
        assert_eq!(codes_of(&diagnostics), ["GW4117"]);
        assert!(!diagnostics[0].is_error());
    }
}
