//! Secret values written into a recipe, which would be written as-is into settings.json
//! (committed at project scope), env.sh, the gateway's config and the report. Checked once the
//! recipe has run; each diagnostic names the option, never the value.
//!
//! - GW1024: a URL with a credential inside (`http://admin:sk-…@host`, `?token=…`), in any option,
//!   the gateway or proxy URL, or an `env` value.
//! - GW1026: a literal under a credential's name (`client_secret: "…"`, a header map's
//!   `Authorization`) among a gateway deployment's provider options, which are open-ended: no
//!   schema types them, and the gateway's plugin may pass an option it does not know through to
//!   its config. The options core's provider tables know (`api_key`, `aws_secret_access_key`, …)
//!   are left to the direct patterns' GW5005 and to each plugin, which knows its own reference
//!   syntax (TrueFoundry's `tfy-secret://…`). The recipe's `env` is the client checks' (GW5001).

use super::errors::key_span;
use crate::client::credentials::{credential_header, credential_in, is_credential_key};
use crate::client::direct;
use gwscript_plugin::Diagnostic;
use gwscript_plugin::model::{Deployment, Gateway, OptionSite, Param, Setup, Span};

/// Every option of `setup` holding a secret value; `lines` are the recipe's, to point at keys.
pub fn find(setup: &Setup, lines: &[&str]) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    for gateway in setup.gateway.iter().chain(&setup.monitors) {
        gateway_findings(gateway, lines, &mut found);
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

fn gateway_findings(gateway: &Gateway, lines: &[&str], found: &mut Vec<Diagnostic>) {
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
                found.extend(provider_credential(d, key, value, at, lines));
                format!("provider option `{key}` of model group `{}`", d.model_group)
            }
            OptionSite::Deploy(d) => {
                format!("deploy option `{key}` of model group `{}`", d.model_group)
            }
        };
        check(&what, value, at, found);
    }
}

/// GW1026 for a deployment's provider option `key` when it holds a literal credential. `at` is
/// the `provider(…)` call; the finding points at the key.
fn provider_credential(
    deployment: &Deployment,
    key: &str,
    value: &Param,
    at: Option<Span>,
    lines: &[&str],
) -> Option<Diagnostic> {
    if direct::is_known_option(key) {
        return None;
    }
    let holder = literal_credential(key, value)?;
    let what = if holder == key {
        format!("`{key}`")
    } else {
        format!("`{key}` (its `{}`)", holder.escape_debug())
    };
    Some(
        Diagnostic::error(
            "GW1026",
            format!(
                "provider option {what} of model group `{}` is a literal credential",
                deployment.model_group
            ),
            format!(
                "write `{key}: secret(\"NAME\")` with the variable that holds it, set where the gateway runs; recipes never hold secret values"
            ),
        )
        .at(at.map(|call| key_span(lines, call, key).unwrap_or(call)))
        .sensitive(),
    )
}

/// The name a literal credential in `value` (given under `key`) is held by: `key` itself, a key
/// of a map inside it, or the name of a header written into one of its strings.
fn literal_credential<'a>(key: &'a str, value: &'a Param) -> Option<&'a str> {
    match value {
        Param::Literal(serde_json::Value::String(text)) if !text.is_empty() => {
            if is_credential_key(key) {
                Some(key)
            } else {
                credential_header(text)
            }
        }
        Param::List(items) => items.iter().find_map(|item| literal_credential(key, item)),
        Param::Map(entries) => entries
            .iter()
            .find_map(|(inner, item)| literal_credential(inner, item)),
        Param::Literal(_) | Param::Secret(_) => None,
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
