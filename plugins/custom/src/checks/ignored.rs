//! Settings the recipe makes that the chosen server does nothing with, so nobody relies on them:
//! TLS files outside nginx, fallbacks (there is one upstream), and provider options other than the
//! key (the gateway's `upstream` decides where requests go).

use super::codes::IGNORED_SETTING;
use crate::options::{Options, Server};
use gwscript_plugin::Diagnostic;
use gwscript_plugin::model::{Gateway, ProviderKind};

/// Provider options the plugin reads: the upstream key, and the model id the host resolves.
const USED_PROVIDER_OPTIONS: [&str; 2] = ["api_key", "model"];

pub fn check(gateway: &Gateway) -> Vec<Diagnostic> {
    let server = Options::of(gateway).server();
    let mut diagnostics = Vec::new();
    if server != Server::Nginx {
        for key in ["tls_certificate", "tls_certificate_key"] {
            if gateway.option(key).is_some() {
                diagnostics.push(
                    ignored(
                        format!(
                            "gateway option `{key}` does nothing with server \"{}\"",
                            server.name()
                        ),
                        "configure TLS on that gateway itself, or drop the option",
                    )
                    .at(gateway.option_span(key)),
                );
            }
        }
    }
    for fallback in &gateway.fallbacks {
        diagnostics.push(
            ignored(
                format!(
                    "the fallback from `{}` is ignored: this gateway sends every request to its one \
                     upstream",
                    fallback.from
                ),
                "drop gw.fallback(…), or use a gateway plugin with fallbacks (litellm)",
            )
            .at(fallback.span),
        );
    }
    for deployment in &gateway.deployments {
        if deployment.provider.kind != ProviderKind::Anthropic {
            continue; // refused outright by the provider check
        }
        for key in deployment.provider.options.keys() {
            if !USED_PROVIDER_OPTIONS.contains(&key.as_str()) {
                diagnostics.push(
                    ignored(
                        format!(
                            "anthropic provider option `{key}` of model group `{}` is ignored: \
                             requests go to the gateway's upstream",
                            deployment.model_group
                        ),
                        "set the gateway option `upstream` instead, and drop the provider option",
                    )
                    .at(deployment.provider.span.or(deployment.span)),
                );
            }
        }
    }
    diagnostics
}

fn ignored(message: String, help: &str) -> Diagnostic {
    Diagnostic::warning(IGNORED_SETTING, message, help)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::custom_gateway;
    use gwscript_plugin::testing::{
        anthropic, bedrock, codes_of, fallback, literal, with_gateway_options, with_option,
    };

    #[test]
    fn gw4413_names_tls_options_outside_nginx() {
        let tls = [
            ("tls_certificate", literal("/c")),
            ("tls_certificate_key", literal("/k")),
        ];
        assert!(check(&with_gateway_options(custom_gateway(vec![]), tls.clone())).is_empty());
        let kong = with_gateway_options(
            custom_gateway(vec![]),
            tls.into_iter().chain([("server", literal("kong"))]),
        );
        let diagnostics = check(&kong);
        assert_eq!(codes_of(&diagnostics), ["GW4413"; 2]);
        assert!(diagnostics.iter().all(|d| !d.is_error()));
        assert_eq!(
            diagnostics[0].message,
            "gateway option `tls_certificate` does nothing with server \"kong\""
        );
    }

    #[test]
    fn gw4413_names_fallbacks_and_unused_provider_options() {
        let mut gateway = custom_gateway(vec![
            with_option(anthropic("a", "m"), "api_base", literal("https://other")),
            bedrock("b", "m", Some("us-east-1")),
        ]);
        gateway.fallbacks = vec![fallback("a", &["b"])];
        let diagnostics = check(&gateway);
        assert_eq!(codes_of(&diagnostics), ["GW4413"; 2]);
        assert!(
            diagnostics[0]
                .message
                .starts_with("the fallback from `a` is ignored")
        );
        assert!(
            diagnostics[1]
                .message
                .starts_with("anthropic provider option `api_base` of model group `a`")
        );
        assert!(check(&custom_gateway(vec![anthropic("a", "m")])).is_empty());
    }
}
