//! One manifest per account and one model per name: deployments that describe the same account
//! or model differently cannot both be written.

use super::codes::{ACCOUNT_CONFLICT, MODEL_CONFLICT};
use crate::accounts::{Conflict, collect};
use crate::credentials::secret_group;
use gwscript_plugin::Diagnostic;
use gwscript_plugin::model::Gateway;

pub fn check(gateway: &Gateway) -> Vec<Diagnostic> {
    collect(gateway, secret_group(gateway))
        .conflicts
        .into_iter()
        .map(|conflict| match conflict {
            Conflict::Account {
                account,
                field,
                span,
            } => Diagnostic::error(
                ACCOUNT_CONFLICT,
                format!(
                    "deployments describe TrueFoundry account `{account}` differently ({field}); \
                     one account has one manifest"
                ),
                "make their providers agree, or give one of them an account of its own with \
                 `account: \"…\"`",
            )
            .at(span),
            Conflict::Model {
                model_id,
                first,
                second,
                span,
            } => Diagnostic::error(
                MODEL_CONFLICT,
                format!(
                    "TrueFoundry model `{model_id}` would be both provider model `{first}` and \
                     `{second}`"
                ),
                "deploy the second one on another account (`account: \"…\"`) or under another \
                 model group",
            )
            .at(span),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::tfy_gateway;
    use gwscript_plugin::testing::{anthropic, bedrock, codes_of};

    #[test]
    fn gw4105_and_gw4106_name_what_differs() {
        let gateway = tfy_gateway(vec![
            bedrock("bedrock-main/claude-sonnet-4-6", "m1", Some("us-east-1")),
            bedrock("bedrock-main/claude-haiku-4-5", "m2", Some("eu-west-1")),
            bedrock("bedrock-main/claude-sonnet-4-6", "m3", Some("us-east-1")),
            anthropic("anthropic-main/claude-sonnet-4-6", "claude-sonnet-4-6"),
        ]);
        let diagnostics = check(&gateway);
        assert_eq!(codes_of(&diagnostics), ["GW4105", "GW4106"]);
        assert!(
            diagnostics[0]
                .message
                .contains("`bedrock-main` differently (region)")
        );
        assert_eq!(diagnostics[0].span, gateway.deployments[1].provider.span);
        assert!(diagnostics[1].message.contains(
            "`bedrock-main/claude-sonnet-4-6` would be both provider model `m1` and `m3`"
        ));
    }
}
