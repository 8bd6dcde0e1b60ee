//! An API project route has one upstream and one upstream key: both must be known, agree across
//! the recipe, and be safe to write into routes.oas.json and policies.json.

use super::codes::{CONFLICTING_UPSTREAMS, NO_UPSTREAM_KEY, UPSTREAM_NOT_HTTPS};
use crate::upstream::{self, OPTION};
use gwscript_plugin::Diagnostic;
use gwscript_plugin::model::{Gateway, Param, Span};
use std::collections::BTreeSet;

pub fn check(gateway: &Gateway) -> Vec<Diagnostic> {
    let candidates = url_candidates(gateway);
    let mut diagnostics: Vec<Diagnostic> = candidates
        .iter()
        .filter_map(|(what, url, span)| unusable_url(what, url).map(|d| d.at(*span)))
        .collect();
    let urls: BTreeSet<&str> = candidates
        .iter()
        .map(|(_, url, _)| url.trim_end_matches('/'))
        .collect();
    if urls.len() > 1 {
        diagnostics.push(conflict(
            "upstream URLs",
            &urls,
            "give every Anthropic deployment the same api_base (or set the gateway's `upstream` \
             and drop api_base): one Zuplo route forwards to one upstream",
            gateway.option_span(OPTION),
        ));
    }
    let keys: BTreeSet<&str> = upstream::anthropic(gateway)
        .filter_map(upstream::key_name)
        .collect();
    if keys.len() > 1 {
        diagnostics.push(conflict(
            "upstream key variables",
            &keys,
            "give every Anthropic deployment the same api_key: secret(…): the route sends one key",
            gateway.span,
        ));
    }
    let any_key = upstream::anthropic(gateway).any(|d| d.provider.option("api_key").is_some());
    if !any_key {
        diagnostics.push(
            Diagnostic::error(
                NO_UPSTREAM_KEY,
                "no Anthropic deployment names the key Zuplo should send upstream; the route \
                 would forward Claude Code's requests without one",
                "deploy a model with its key by reference: gw.deploy(\"claude-sonnet-4-5\", \
                 provider(\"anthropic\", #{ api_key: secret(\"ANTHROPIC_API_KEY\") }))",
            )
            .at(gateway.span),
        );
    }
    diagnostics
}

/// Every URL the recipe gives for the upstream, with what it is and where it was written.
fn url_candidates(gateway: &Gateway) -> Vec<(String, &str, Option<Span>)> {
    let option = gateway.option(OPTION).and_then(Param::as_str).map(|url| {
        (
            "gateway option `upstream`".to_owned(),
            url,
            gateway.option_span(OPTION),
        )
    });
    let bases = upstream::anthropic(gateway).filter_map(|d| {
        let url = upstream::api_base(d)?;
        let what = format!("api_base of model group `{}`", d.model_group);
        Some((what, url, d.provider.span.or(d.span)))
    });
    option.into_iter().chain(bases).collect()
}

/// Zuplo reaches upstreams from its edge over the internet, and interpolates `${…}` and `$env(…)`
/// in handler options, so only a plain https URL is written.
fn unusable_url(what: &str, url: &str) -> Option<Diagnostic> {
    let host = url
        .strip_prefix("https://")
        .map(|rest| rest.split(['/', '?', '#']).next().unwrap_or_default());
    let problem = match host {
        None => "does not start with https://",
        Some("") => "names no host",
        Some(_) if url.chars().any(|c| c.is_whitespace() || c.is_control()) => {
            "contains whitespace"
        }
        Some(_) if url.contains("${") || url.contains("$env(") => {
            "contains ${…} or $env(…), which Zuplo would substitute"
        }
        Some(_) => return None,
    };
    Some(Diagnostic::error(
        UPSTREAM_NOT_HTTPS,
        format!("{what} `{}` {problem}", url.escape_debug()),
        "give a plain https URL without /v1, e.g. https://api.anthropic.com: Zuplo forwards from \
         its edge, over the internet, and appends /v1/messages itself",
    ))
}

fn conflict(what: &str, values: &BTreeSet<&str>, help: &str, span: Option<Span>) -> Diagnostic {
    let listed: Vec<String> = values.iter().map(|v| format!("`{v}`")).collect();
    Diagnostic::error(
        CONFLICTING_UPSTREAMS,
        format!(
            "the recipe gives {} different {what} ({}), but a Zuplo route has one",
            values.len(),
            listed.join(", ")
        ),
        help,
    )
    .at(span)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::zuplo_gateway;
    use gwscript_plugin::testing::{
        anthropic, codes_of, literal, secret, with_gateway_options, with_option,
    };

    fn based(group: &str, base: &str) -> gwscript_plugin::model::Deployment {
        with_option(
            anthropic(group, &format!("{group}-20250929")),
            "api_base",
            literal(base),
        )
    }

    #[test]
    fn a_plain_anthropic_deployment_passes() {
        let gateway = zuplo_gateway(vec![anthropic("claude-sonnet-4-5", "m")]);
        assert!(check(&gateway).is_empty());
    }

    #[test]
    fn gw4203_only_plain_https_urls() {
        for (url, problem) in [
            ("http://api.anthropic.com", "does not start with https://"),
            ("api.anthropic.com", "does not start with https://"),
            ("https:///v1", "names no host"),
            ("https://a.example/x y", "contains whitespace"),
            ("https://${env.HOST}", "which Zuplo would substitute"),
            (
                "https://a.example/$env(PATH)",
                "which Zuplo would substitute",
            ),
        ] {
            let gateway = zuplo_gateway(vec![based("claude-sonnet-4-5", url)]);
            let diagnostics = check(&gateway);
            assert_eq!(codes_of(&diagnostics), ["GW4203"], "{url}");
            assert!(
                diagnostics[0].message.contains(problem),
                "{url}: {}",
                diagnostics[0].message
            );
            assert!(
                diagnostics[0]
                    .message
                    .starts_with("api_base of model group `claude-sonnet-4-5`")
            );
        }
        let option = with_gateway_options(
            zuplo_gateway(vec![anthropic("claude-sonnet-4-5", "m")]),
            [(OPTION, literal("http://127.0.0.1:8080"))],
        );
        let diagnostics = check(&option);
        assert_eq!(codes_of(&diagnostics), ["GW4203"]);
        assert_eq!(diagnostics[0].span, option.options[OPTION].span);
    }

    #[test]
    fn gw4204_one_upstream_and_one_key() {
        let gateway = zuplo_gateway(vec![
            based("claude-sonnet-4-5", "https://a.example/"),
            based("claude-haiku-4-5", "https://a.example"),
        ]);
        assert!(
            check(&gateway).is_empty(),
            "a trailing slash is the same URL"
        );

        let split = with_gateway_options(
            zuplo_gateway(vec![based("claude-sonnet-4-5", "https://a.example")]),
            [(OPTION, literal("https://b.example"))],
        );
        let diagnostics = check(&split);
        assert_eq!(codes_of(&diagnostics), ["GW4204"]);
        assert!(
            diagnostics[0]
                .message
                .contains("2 different upstream URLs (`https://a.example`, `https://b.example`)")
        );

        let two_keys = zuplo_gateway(vec![
            anthropic("claude-sonnet-4-5", "m"),
            with_option(
                anthropic("claude-haiku-4-5", "m"),
                "api_key",
                secret("OTHER_KEY"),
            ),
        ]);
        let diagnostics = check(&two_keys);
        assert_eq!(codes_of(&diagnostics), ["GW4204"]);
        assert!(diagnostics[0].message.contains("upstream key variables"));
    }

    #[test]
    fn gw4205_the_route_needs_a_key() {
        let mut keyless = anthropic("claude-sonnet-4-5", "m");
        keyless.provider.options.clear();
        let diagnostics = check(&zuplo_gateway(vec![keyless]));
        assert_eq!(codes_of(&diagnostics), ["GW4205"]);
        assert_eq!(codes_of(&check(&zuplo_gateway(vec![]))), ["GW4205"]);
        // A literal key is GW4202's business, not a missing one.
        let literal_key = with_option(anthropic("claude-sonnet-4-5", "m"), "api_key", literal("x"));
        assert!(check(&zuplo_gateway(vec![literal_key])).is_empty());
    }
}
