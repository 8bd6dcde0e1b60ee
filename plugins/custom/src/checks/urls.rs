//! The gateway URL and the upstream: both must be URLs the configs can carry verbatim, and the
//! upstream must not take the API key over plain http to another machine.

use super::codes::{PLAIN_HTTP_UPSTREAM, UNWRITABLE_VALUE};
use crate::options::Options;
use crate::url::HttpUrl;
use gwscript_plugin::Diagnostic;
use gwscript_plugin::model::Gateway;

pub fn check(gateway: &Gateway) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    if let Err(why) = HttpUrl::parse(&gateway.url) {
        diagnostics.push(
            Diagnostic::error(
                UNWRITABLE_VALUE,
                format!("the gateway url cannot be written into the gateway's config: {why}"),
                "use http(s)://host[:port][/path] with a plain host name or address",
            )
            .at(gateway.span),
        );
    }
    let upstream = Options::of(gateway).upstream();
    match HttpUrl::parse(upstream) {
        Err(why) => diagnostics.push(
            Diagnostic::error(
                UNWRITABLE_VALUE,
                format!("the gateway option `upstream` cannot be written into the gateway's config: {why}"),
                "use the upstream's base URL, e.g. https://api.anthropic.com",
            )
            .at(gateway.option_span("upstream")),
        ),
        Ok(url) if !url.https && !url.is_loopback() => diagnostics.push(
            Diagnostic::error(
                PLAIN_HTTP_UPSTREAM,
                format!(
                    "the upstream {upstream} is plain http to another machine: the upstream API key \
                     and every prompt would cross the network unencrypted"
                ),
                "use https:// for the upstream (plain http is for a loopback upstream only)",
            )
            .at(gateway.option_span("upstream")),
        ),
        Ok(_) => {}
    }
    diagnostics
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::custom_gateway;
    use gwscript_plugin::testing::{codes_of, literal, with_gateway_options};

    fn codes_for(url: &str, upstream: &str) -> Vec<String> {
        let mut gateway =
            with_gateway_options(custom_gateway(vec![]), [("upstream", literal(upstream))]);
        gateway.url = url.into();
        check(&gateway).into_iter().map(|d| d.code).collect()
    }

    #[test]
    fn gw4403_refuses_plain_http_upstreams_off_loopback() {
        assert_eq!(
            codes_for("http://127.0.0.1:8080", "http://llm.internal:8000"),
            ["GW4403"]
        );
        assert!(codes_for("http://127.0.0.1:8080", "http://127.0.0.1:9000").is_empty());
        assert!(codes_for("http://127.0.0.1:8080", "https://llm.internal").is_empty());
        let gateway = with_gateway_options(
            custom_gateway(vec![]),
            [("upstream", literal("http://10.1.1.1"))],
        );
        let diagnostics = check(&gateway);
        assert_eq!(diagnostics[0].span, gateway.options["upstream"].span);
        assert!(diagnostics[0].message.contains("http://10.1.1.1"));
    }

    #[test]
    fn gw4405_refuses_urls_the_configs_cannot_carry() {
        assert_eq!(
            codes_for("http://127.0.0.1:8080/a b", "https://api.anthropic.com"),
            ["GW4405"]
        );
        assert_eq!(
            codes_for("http://127.0.0.1:8080", "https://x/$host"),
            ["GW4405"]
        );
        let diagnostics = check(&with_gateway_options(
            custom_gateway(vec![]),
            [("upstream", literal("api.anthropic.com"))],
        ));
        assert_eq!(codes_of(&diagnostics), ["GW4405"]);
        assert!(
            diagnostics[0]
                .message
                .contains("not an http:// or https:// URL")
        );
    }
}
