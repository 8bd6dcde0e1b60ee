//! Credentials inside URLs: `http://admin:sk-…@host` or `?token=…` in a gateway URL, a provider's
//! `api_base` or any other option would be written as-is into settings.json (committed at project
//! scope), env.sh, the gateway's config and the report. Every URL a recipe gives is checked once it
//! has run; the diagnostic names the option, never the URL.

use gwscript_plugin::Diagnostic;
use gwscript_plugin::model::{Gateway, OptionSite, Param, Setup, Span};

/// Query parameters that carry a credential, compared case-insensitively.
const SECRET_QUERY_KEYS: &[&str] = &[
    "token",
    "access_token",
    "api_key",
    "apikey",
    "key",
    "secret",
    "password",
    "passwd",
    "auth",
    "sig",
    "signature",
    "x-api-key",
];

/// Why `text`, if it is an http(s) URL, carries a credential.
pub fn credential_in(text: &str) -> Option<&'static str> {
    let rest = text
        .strip_prefix("http://")
        .or_else(|| text.strip_prefix("https://"))?;
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    if authority.contains('@') {
        return Some("a user name or password");
    }
    let query = rest
        .split_once('?')?
        .1
        .split('#')
        .next()
        .unwrap_or_default();
    query
        .split('&')
        .filter_map(|pair| pair.split('=').next())
        .any(|key| {
            SECRET_QUERY_KEYS
                .iter()
                .any(|secret| key.eq_ignore_ascii_case(secret))
        })
        .then_some("a credential in its query")
}

/// Every option of `setup` holding a URL with a credential.
pub fn find(setup: &Setup) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    for gateway in setup.gateway.iter().chain(&setup.monitors) {
        gateway_findings(gateway, &mut found);
    }
    if let Some(why) = setup.proxy.as_ref().and_then(|p| credential_in(&p.url)) {
        found.push(refusal("the proxy url", why, setup.span));
    }
    if let Some(provider) = &setup.provider {
        for (key, value) in &provider.options {
            check(
                &format!("provider option `{key}`"),
                value,
                provider.span,
                &mut found,
            );
        }
    }
    for (name, value) in &setup.client.env {
        if let Some(why) = credential_in(value) {
            let at = setup.client.env_span(name).or(setup.span);
            found.push(refusal(&format!("env variable {name}"), why, at));
        }
    }
    found
}

fn gateway_findings(gateway: &Gateway, found: &mut Vec<Diagnostic>) {
    if let Some(why) = credential_in(&gateway.url) {
        found.push(refusal(
            &format!("the {} gateway's url", gateway.kind),
            why,
            gateway.span,
        ));
    }
    for (site, key, value, at) in gateway.every_option() {
        let what = match site {
            OptionSite::Gateway => format!("gateway option `{key}`"),
            OptionSite::Provider(d) => {
                format!("provider option `{key}` of model group `{}`", d.model_group)
            }
            OptionSite::Deploy(d) => {
                format!("deploy option `{key}` of model group `{}`", d.model_group)
            }
        };
        check(&what, value, at, found);
    }
}

fn check(what: &str, value: &Param, at: Option<Span>, found: &mut Vec<Diagnostic>) {
    for text in value.strings() {
        if let Some(why) = credential_in(text) {
            found.push(refusal(what, why, at));
        }
    }
}

fn refusal(what: &str, why: &str, at: Option<Span>) -> Diagnostic {
    Diagnostic::error(
        "GW1024",
        format!("{what} is a URL with {why}"),
        "give the URL without credentials and the credential as its own option with secret(\"NAME\") (auth_token, api_key, a header); recipes never hold secret values",
    )
    .at(at)
    .sensitive()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_user_info_and_secret_query_parameters() {
        for url in [
            "http://admin:sk-123@llm.corp.example",
            "https://user@llm.corp.example:8443/v1",
            "https://llm.corp.example/?token=abc",
            "https://llm.corp.example/path?x=1&API_KEY=abc#frag",
        ] {
            assert!(credential_in(url).is_some(), "{url}");
        }
        for url in [
            "http://127.0.0.1:4000",
            "https://llm.corp.example/path@v2",
            "https://llm.corp.example/?model=claude&keyword=x",
            "not a url with user@host",
            "os.environ/API_BASE",
        ] {
            assert!(credential_in(url).is_none(), "{url}");
        }
    }
}
