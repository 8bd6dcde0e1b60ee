//! Criterion 6, authentication: a wrong token is refused with a clean 401; whether the gateway
//! accepts `x-api-key` (it decides between `ANTHROPIC_API_KEY` and `ANTHROPIC_AUTH_TOKEN`); and
//! that a gateway which authenticates upstream with a credential of its own does not pass the
//! client's on as well.

use super::evidence::{excerpt, header, is_html};
use super::{Check, Credential, Probe};
use crate::probe::mock::credential_fingerprint;
use serde_json::json;

const BAD_TOKEN: &str = "auth.bad_token";
const BAD_TOKEN_CRITERION: &str = "a wrong bearer token is answered 401 (not 200, 500 or HTML)";
const API_KEY: &str = "auth.x_api_key";
const API_KEY_CRITERION: &str = "whether the gateway accepts x-api-key";
const FORWARDED: &str = "auth.forwarded";
const FORWARDED_CRITERION: &str =
    "the client's credential does not travel upstream beside the gateway's own";

/// The request headers that carry a credential upstream, as the mock records them.
const CREDENTIAL_HEADERS: [&str; 2] = ["authorization", "x-api-key"];

/// A token no gateway issued.
const WRONG_TOKEN: &str = "gwscript-probe-wrong-token";

pub(super) async fn checks(probe: &Probe) -> Vec<Check> {
    vec![
        bad_token(probe).await,
        api_key(probe).await,
        forwarded(probe).await,
    ]
}

async fn bad_token(probe: &Probe) -> Check {
    let prompt = probe.prompt(json!({}), false);
    let wrong = Credential::Bearer(WRONG_TOKEN.to_owned());
    let sent = probe.request_as(&prompt, &wrong).send().await;
    let response = match sent {
        Ok(response) => response,
        Err(e) => return Check::fail(BAD_TOKEN, BAD_TOKEN_CRITERION, super::describe(&e)),
    };
    let status = response.status().as_u16();
    let content_type = header(&response, "content-type");
    let text = response.text().await.unwrap_or_default();
    if status == 401 && !is_html(content_type.as_deref(), &text) {
        return Check::pass(BAD_TOKEN, BAD_TOKEN_CRITERION, "401");
    }
    if status == 200 && forwarded_wrong_token(probe, &prompt.nonce).await {
        // Pass-through authentication: the upstream decides, and a real provider answers 401.
        return Check::warn(
            BAD_TOKEN,
            BAD_TOKEN_CRITERION,
            "200: the gateway forwarded the wrong token to the upstream unchecked (the mock \
             checks no credentials; a real provider would answer 401)",
        )
        .with_fix("if the gateway should authenticate clients itself, make it check the token");
    }
    if is_html(content_type.as_deref(), &text) {
        return Check::fail(
            BAD_TOKEN,
            BAD_TOKEN_CRITERION,
            format!("{status} (an HTML page): {}", excerpt(&text)),
        )
        .with_fix(BAD_TOKEN_FIX);
    }
    if (300..400).contains(&status) {
        return Check::fail(
            BAD_TOKEN,
            BAD_TOKEN_CRITERION,
            format!("{status}: a redirect (to a login page?), which Claude Code cannot follow"),
        )
        .with_fix(BAD_TOKEN_FIX);
    }
    if status >= 400 {
        // Refused, so nobody gets in; only the way Claude Code tells the user differs.
        let effect = if status >= 500 {
            "Claude Code retries it as a server error before showing it, instead of asking to log in again"
        } else {
            "Claude Code shows the error, but does not ask to log in again"
        };
        return Check::warn(
            BAD_TOKEN,
            BAD_TOKEN_CRITERION,
            format!(
                "refused with {status}, not 401: {effect}: {}",
                excerpt(&text)
            ),
        )
        .with_fix(BAD_TOKEN_FIX);
    }
    Check::fail(
        BAD_TOKEN,
        BAD_TOKEN_CRITERION,
        format!(
            "{status}: the gateway let a wrong token in: {}",
            excerpt(&text)
        ),
    )
    .with_fix(BAD_TOKEN_FIX)
}

const BAD_TOKEN_FIX: &str = "answer a wrong credential with 401 and a JSON error body; Claude Code then asks to log in again (LiteLLM: give it its database, which its key checks need)";

/// Whether the mock got the request for `nonce` with the wrong token in `authorization`.
async fn forwarded_wrong_token(probe: &Probe, nonce: &str) -> bool {
    let expected = format!("Bearer {}", credential_fingerprint(WRONG_TOKEN));
    probe
        .arrived(nonce)
        .await
        .is_ok_and(|request| request.header("authorization") == Some(expected.as_str()))
}

async fn api_key(probe: &Probe) -> Check {
    // No credential given: any key shows whether the header is refused outright.
    let key = probe
        .target
        .credential
        .secret()
        .unwrap_or("gwscript-probe-key")
        .to_owned();
    let prompt = probe.prompt(json!({}), false);
    let sent = probe
        .request_as(&prompt, &Credential::ApiKey(key))
        .send()
        .await;
    let response = match sent {
        Ok(response) => response,
        Err(e) => return Check::fail(API_KEY, API_KEY_CRITERION, super::describe(&e)),
    };
    let status = response.status().as_u16();
    match status {
        200 => Check::pass(
            API_KEY,
            API_KEY_CRITERION,
            "x-api-key accepted: ANTHROPIC_API_KEY works",
        ),
        401 | 403 => Check::warn(
            API_KEY,
            API_KEY_CRITERION,
            format!(
                "x-api-key refused ({status}): emit ANTHROPIC_AUTH_TOKEN, not ANTHROPIC_API_KEY"
            ),
        ),
        _ => {
            let text = response.text().await.unwrap_or_default();
            Check::fail(
                API_KEY,
                API_KEY_CRITERION,
                format!("{status}: {}", excerpt(&text)),
            )
            .with_fix("answer x-api-key with 200 or a clean 401")
        }
    }
}

/// Pass-through authentication forwards the client's credential, which is then the provider's
/// key; a gateway that sends a credential of its own and the client's too hands the provider a
/// key meant for the gateway (LiteLLM 1.102.4's `/anthropic` route forwards its master key).
async fn forwarded(probe: &Probe) -> Check {
    let Some(secret) = probe.target.credential.secret() else {
        return Check::skip(FORWARDED, FORWARDED_CRITERION, "no credential given");
    };
    if !probe.has_mock() {
        return Check::needs_mock(FORWARDED, FORWARDED_CRITERION);
    }
    let prompt = probe.prompt(json!({}), false);
    let request = match probe.forwarded(probe.request(&prompt), &prompt.nonce).await {
        Ok(request) => request,
        Err(why) => return Check::fail(FORWARDED, FORWARDED_CRITERION, why),
    };
    let fingerprint = credential_fingerprint(secret);
    let carried: Vec<(&str, bool)> = CREDENTIAL_HEADERS
        .iter()
        .filter_map(|name| {
            let value = request.header(name)?;
            Some((*name, value.contains(&fingerprint)))
        })
        .collect();
    let client: Vec<&str> = carried
        .iter()
        .filter(|(_, c)| *c)
        .map(|(n, _)| *n)
        .collect();
    let own: Vec<&str> = carried
        .iter()
        .filter(|(_, c)| !*c)
        .map(|(n, _)| *n)
        .collect();
    match (client.is_empty(), own.is_empty()) {
        (false, false) => Check::warn(
            FORWARDED,
            FORWARDED_CRITERION,
            format!(
                "the upstream got the client's credential in {} beside the gateway's own in {}: \
                 the provider sees a key meant for the gateway",
                client.join(", "),
                own.join(", ")
            ),
        )
        .with_fix("strip the client's Authorization and x-api-key before adding the gateway's own"),
        (false, true) => Check::pass(
            FORWARDED,
            FORWARDED_CRITERION,
            format!(
                "pass-through authentication: the client's credential went upstream in {}, as the \
                 provider's key",
                client.join(", ")
            ),
        ),
        (true, _) => Check::pass(
            FORWARDED,
            FORWARDED_CRITERION,
            "the gateway kept the client's credential to itself",
        ),
    }
}
