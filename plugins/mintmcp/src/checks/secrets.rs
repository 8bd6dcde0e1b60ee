//! The org key is a credential: a `secret("NAME")` reference, exported to Claude Code from the
//! developer's environment, never a value in a file. Messages name the option, never its value.

use super::codes::LITERAL_ORG_KEY;
use gwscript_plugin::Diagnostic;
use gwscript_plugin::model::Gateway;

pub fn check(gateway: &Gateway) -> Vec<Diagnostic> {
    let literal = gateway
        .option("org_key")
        .is_some_and(|value| value.secret_name().is_none());
    if !literal {
        return Vec::new();
    }
    vec![
        Diagnostic::error(
            LITERAL_ORG_KEY,
            "gateway option `org_key` is a literal value where a secret belongs; the MintMCP org \
             key reaches Claude Code through the environment, never a file",
            "write org_key: secret(\"MINTMCP_ORG_KEY\") (or leave it out) and provision that \
             variable on developers' machines",
        )
        .at(gateway.option_span("org_key"))
        .sensitive(),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::gateway_with_options;
    use gwscript_plugin::testing::{codes_of, literal, secret};

    const LEAKY: &str = "mint-org-DO-NOT-PRINT-51c2";

    #[test]
    fn gw4301_refuses_a_literal_org_key_without_repeating_it() {
        let gateway = gateway_with_options([("org_key", literal(LEAKY))]);
        let diagnostics = check(&gateway);
        assert_eq!(codes_of(&diagnostics), ["GW4301"]);
        let found = &diagnostics[0];
        assert!(found.is_error() && found.sensitive);
        assert_eq!(found.span, gateway.options["org_key"].span);
        assert!(!found.message.contains(LEAKY) && !found.help.contains(LEAKY));
    }

    #[test]
    fn a_reference_or_the_default_passes() {
        assert!(check(&gateway_with_options([("org_key", secret("MINT_KEY"))])).is_empty());
        assert!(check(&gateway_with_options([])).is_empty());
    }
}
