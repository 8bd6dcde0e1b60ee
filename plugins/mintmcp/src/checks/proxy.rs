//! The model traffic, when MintMCP is the gateway. A gateway pattern always sends Claude Code's
//! model traffic to the gateway URL, here MintMCP's LLM proxy, which is not publicly documented;
//! and a MintMCP gateway without deployments most likely means "monitoring only", which is what
//! `monitors:` is for: as the gateway it would send that traffic to MintMCP anyway.

use super::codes::{HOOKS_ONLY, PROXY_UNVERIFIED};
use gwscript_plugin::Diagnostic;
use gwscript_plugin::model::Gateway;

pub fn check(gateway: &Gateway) -> Vec<Diagnostic> {
    let groups = gateway.model_groups();
    let diagnostic = if groups.is_empty() {
        Diagnostic::error(
            HOOKS_ONLY,
            format!(
                "MintMCP is the gateway but has no deployments, as if meant for monitoring only; \
                 as the gateway it would still get Claude Code's model traffic, at {}",
                gateway.url
            ),
            "for monitoring only, list it in the pattern's `monitors: [ … ]` with Claude Code's \
             own provider or gateway; to route the traffic through MintMCP's LLM proxy \
             (unverified), deploy the models Claude Code uses",
        )
    } else {
        let fallbacks = if gateway.fallbacks.is_empty() {
            ""
        } else {
            " or its fallbacks"
        };
        Diagnostic::warning(
            PROXY_UNVERIFIED,
            format!(
                "Claude Code's model traffic goes to MintMCP's LLM proxy at {}, which is not \
                 publicly documented: its route, Bearer authentication, model names ({}), \
                 streaming and timeouts are unverified, and gwscript writes no MintMCP-side \
                 configuration for the deployments{fallbacks}",
                gateway.url,
                groups.join(", ")
            ),
            "confirm each with MintMCP before the rollout; `gwscript plugins info mintmcp` lists \
             the unverified criteria",
        )
    };
    vec![diagnostic.at(gateway.span)]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::gateway_with_options;
    use gwscript_plugin::testing::{codes_of, fallback};

    #[test]
    fn gw4303_every_proxied_setup_is_told_the_proxy_is_unverified() {
        let mut gateway = gateway_with_options([]);
        let diagnostics = check(&gateway);
        assert_eq!(codes_of(&diagnostics), ["GW4303"]);
        assert!(!diagnostics[0].is_error());
        assert!(
            diagnostics[0]
                .message
                .contains("model names (claude-sonnet-4-5)")
        );
        assert!(!diagnostics[0].message.contains("fallbacks"));
        gateway
            .fallbacks
            .push(fallback("claude-sonnet-4-5", &["claude-haiku-4-5"]));
        assert!(
            check(&gateway)[0]
                .message
                .ends_with("for the deployments or its fallbacks")
        );
    }

    #[test]
    fn gw4304_refuses_a_gateway_without_deployments() {
        let mut gateway = gateway_with_options([]);
        gateway.deployments.clear();
        let diagnostics = check(&gateway);
        assert_eq!(codes_of(&diagnostics), ["GW4304"]);
        assert!(diagnostics[0].is_error());
        assert!(diagnostics[0].message.contains("http://127.0.0.1:4000"));
        assert!(diagnostics[0].help.contains("`monitors: [ … ]`"));
        assert_eq!(diagnostics[0].span, gateway.span);
    }
}
