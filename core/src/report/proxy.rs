//! The corporate proxy's verification step: Claude Code's first hop (the gateway, or the provider
//! in the proxy pattern) reached the way the emitted exports set it up, through the proxy unless
//! `NO_PROXY` covers it, trusting the CA the exports name.

use super::Step;
use crate::client::{EnvValue, EnvVar, SHELL_PATH, no_proxy_covers};
use crate::emit::shell_quote;
use gwscript_plugin::model::{CorporateProxy, ProviderKind, Setup};

/// The step for `setup`'s proxy, if it has one. `env` is what the exports set; `first_hop` the URL
/// Claude Code calls when it is not one of the provider URLs `env` names (the gateway's).
pub fn step(setup: &Setup, env: &[EnvVar], first_hop: Option<&str>) -> Option<Step> {
    let proxy = setup.proxy.as_ref()?;
    let (target, what, what_title) = match first_hop {
        Some(url) => (url.to_owned(), "the gateway", "The gateway"),
        None => (provider_url(setup, env)?, "the provider", "The provider"),
    };
    let bypassed = no_proxy_covers(gwscript_plugin::url::host(&target), &proxy.no_proxy);
    let mut command = format!(". {SHELL_PATH} && curl -sS -o /dev/null -w '%{{http_code}}\\n'");
    if bypassed {
        command.push_str(" --noproxy '*'");
    } else {
        command.push_str(" --proxy \"$HTTPS_PROXY\"");
    }
    if proxy.ca_cert.is_some() && target.starts_with("https://") {
        command.push_str(" --cacert \"$NODE_EXTRA_CA_CERTS\"");
    }
    command.push(' ');
    command.push_str(&shell_quote(&target));
    let (title, expect) = if bypassed {
        (
            format!("{what_title} is reached without the proxy (NO_PROXY)"),
            format!(
                "a status from {what} (401, 403 or 404 are its answers: no key is sent); 000, that it is unreachable from this host without the proxy"
            ),
        )
    } else {
        (
            format!("The corporate proxy lets {what} through"),
            format!(
                "a status from {what} (401, 403 or 404 are its answers: no key is sent). 407, or a 401 whose Server header (curl -i) names the proxy, means the proxy refused the credentials{}; 000, that the proxy is unreachable",
                ca_meaning(proxy)
            ),
        )
    };
    Some(Step {
        title,
        command: Some(command),
        expect,
    })
}

fn ca_meaning(proxy: &CorporateProxy) -> &'static str {
    if proxy.ca_cert.is_some() {
        "; a certificate error, that the proxy's TLS inspection is signed by a CA other than ca_cert"
    } else {
        "; a certificate error (SELF_SIGNED_CERT_IN_CHAIN), that the proxy inspects TLS: give its CA as ca_cert"
    }
}

/// The provider endpoint Claude Code calls in the proxy pattern: the base URL the exports set, or
/// the provider's public endpoint for the exported region.
fn provider_url(setup: &Setup, env: &[EnvVar]) -> Option<String> {
    let literal = |name: &str| {
        env.iter().find_map(|v| match &v.value {
            EnvValue::Literal(value) if v.name == name => Some(value.clone()),
            _ => None,
        })
    };
    match setup.provider.as_ref()?.kind {
        ProviderKind::Anthropic => {
            Some(literal("ANTHROPIC_BASE_URL").unwrap_or("https://api.anthropic.com".into()))
        }
        ProviderKind::Bedrock => literal("ANTHROPIC_BEDROCK_BASE_URL").or_else(|| {
            let region = literal("AWS_REGION").unwrap_or("us-east-1".into());
            Some(format!("https://bedrock-runtime.{region}.amazonaws.com"))
        }),
        ProviderKind::Vertex => literal("ANTHROPIC_VERTEX_BASE_URL").or_else(|| {
            Some(match literal("CLOUD_ML_REGION").as_deref() {
                None | Some("global") => "https://aiplatform.googleapis.com".into(),
                Some(region) => format!("https://{region}-aiplatform.googleapis.com"),
            })
        }),
        ProviderKind::Raw => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn proxy(no_proxy: &[&str], ca: bool) -> CorporateProxy {
        CorporateProxy {
            url: "http://proxy.corp.example:3128".into(),
            username: None,
            password: None,
            no_proxy: no_proxy.iter().map(|s| (*s).to_owned()).collect(),
            ca_cert: ca.then(|| "/etc/ssl/corp.pem".to_owned()),
        }
    }

    fn with_proxy(proxy: CorporateProxy) -> Setup {
        let mut setup = gwscript_plugin::testing::setup_for(gwscript_plugin::testing::gateway(
            "litellm",
            vec![],
            vec![],
        ));
        setup.proxy = Some(proxy);
        setup
    }

    #[test]
    fn goes_through_the_proxy_with_the_ca_for_https() {
        let setup = with_proxy(proxy(&["localhost"], true));
        let step = step(&setup, &[], Some("https://llm.corp.example")).expect("a step");
        assert_eq!(
            step.command.as_deref(),
            Some(
                ". claude/env.sh && curl -sS -o /dev/null -w '%{http_code}\\n' --proxy \"$HTTPS_PROXY\" --cacert \"$NODE_EXTRA_CA_CERTS\" 'https://llm.corp.example'"
            )
        );
        assert!(step.expect.contains("407"), "{}", step.expect);
    }

    #[test]
    fn a_host_in_no_proxy_is_checked_without_the_proxy() {
        let setup = with_proxy(proxy(&[".corp.example"], false));
        let step = step(&setup, &[], Some("http://llm.corp.example:4000")).expect("a step");
        assert!(step.title.contains("without the proxy"), "{}", step.title);
        let command = step.command.expect("a command");
        assert!(command.contains("--noproxy '*'"), "{command}");
        assert!(!command.contains("--cacert"), "{command}");
    }

    #[test]
    fn the_proxy_pattern_checks_the_provider_endpoint() {
        let mut setup = with_proxy(proxy(&[], false));
        setup.gateway = None;
        setup.provider = Some(gwscript_plugin::model::Provider {
            kind: ProviderKind::Bedrock,
            options: Default::default(),
            span: None,
        });
        let region = EnvVar {
            name: "AWS_REGION".into(),
            value: EnvValue::Literal("eu-central-1".into()),
            why: "".into(),
        };
        let step = step(&setup, &[region], None).expect("a step");
        assert!(
            step.command
                .expect("command")
                .ends_with("'https://bedrock-runtime.eu-central-1.amazonaws.com'")
        );
    }
}
