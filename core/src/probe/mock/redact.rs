//! Credentials in what the mock records. The records are served to any local client, so the
//! value of every header, query parameter or form field that carries a credential is kept only as
//! a fingerprint: enough to check which key a gateway forwarded, useless to anyone who reads it.

use sha2::{Digest, Sha256};
use std::borrow::Cow;

/// Hex digits of the SHA-256 a fingerprint keeps: enough to tell keys apart.
const FINGERPRINT_HEX_DIGITS: usize = 16;

/// A header, parameter or field name holding one of these words (split at `-`, `_`, `.` and
/// camelCase humps, compared case-insensitively) carries a credential: `x-api-key`,
/// `authorization`, `proxy-authorization`, `x-goog-api-key`, `cookie`, `x-amz-security-token`,
/// `X-Amz-Signature`, `access_token`, `client_secret`, a JWT-bearer grant's `assertion`…
const CREDENTIAL_WORDS: &[&str] = &[
    "apikey",
    "assertion",
    "auth",
    "authorization",
    "cookie",
    "credential",
    "credentials",
    "key",
    "passwd",
    "password",
    "secret",
    "sig",
    "signature",
    "token",
];

/// The auth scheme of an AWS Signature Version 4 `Authorization` header.
const SIGV4_SCHEME: &str = "AWS4-HMAC-SHA256";

/// `sha256:` and the first 16 hex digits of the SHA-256 of `credential`: what the mock records in
/// place of a credential. A test that expects key `K` to arrive compares with
/// `credential_fingerprint(K)` (after the auth scheme, e.g. `Bearer sha256:…`).
pub fn credential_fingerprint(credential: &str) -> String {
    let digest = Sha256::digest(credential.as_bytes());
    let hex: String = digest
        .iter()
        .take(FINGERPRINT_HEX_DIGITS / 2)
        .map(|byte| format!("{byte:02x}"))
        .collect();
    format!("sha256:{hex}")
}

/// Header `name`'s value as recorded.
pub(super) fn header_value<'a>(name: &str, value: &'a str) -> Cow<'a, str> {
    if is_credential_name(name) {
        Cow::Owned(credential(value))
    } else {
        Cow::Borrowed(value)
    }
}

/// A query string or form body (`a=1&key=…`) as recorded.
pub(super) fn parameters(encoded: &str) -> String {
    let pairs: Vec<String> = encoded
        .split('&')
        .map(|pair| match pair.split_once('=') {
            Some((name, value)) if !value.is_empty() && is_credential_name(name) => {
                format!("{name}={}", credential(value))
            }
            _ => pair.to_owned(),
        })
        .collect();
    pairs.join("&")
}

/// Whether one of `name`'s words is in [`CREDENTIAL_WORDS`]. Words are split at non-alphanumerics
/// and where a lower-case letter meets an upper-case one. A plain loop over the bytes, because
/// every recorded header's name goes through here.
fn is_credential_name(name: &str) -> bool {
    let bytes = name.as_bytes();
    let mut start = 0;
    for at in 0..=bytes.len() {
        let ends_word = match bytes.get(at) {
            None => true,
            Some(byte) if !byte.is_ascii_alphanumeric() => true,
            Some(byte) => {
                at > start && byte.is_ascii_uppercase() && bytes[at - 1].is_ascii_lowercase()
            }
        };
        if !ends_word {
            continue;
        }
        let word = &bytes[start..at];
        if CREDENTIAL_WORDS
            .iter()
            .any(|credential| word.eq_ignore_ascii_case(credential.as_bytes()))
        {
            return true;
        }
        // A hump starts the next word; a separator is left out of it.
        start = if bytes.get(at).is_some_and(u8::is_ascii_alphanumeric) {
            at
        } else {
            at + 1
        };
    }
    false
}

/// A credential value as recorded. The auth scheme stays (`Bearer sha256:…`); a SigV4 signature
/// keeps its credential scope and signed headers; a JWT keeps its header and claims. Only what
/// proves possession (the key, the signature) is replaced by its fingerprint.
fn credential(value: &str) -> String {
    match value.split_once(' ') {
        Some((scheme, rest)) if is_scheme(scheme) && !rest.trim().is_empty() => {
            if scheme.eq_ignore_ascii_case(SIGV4_SCHEME) {
                format!("{scheme} {}", sigv4_parameters(rest))
            } else {
                format!("{scheme} {}", token(rest.trim()))
            }
        }
        _ => token(value),
    }
}

/// An auth scheme as HTTP writes it (`Bearer`, `Basic`, `AWS4-HMAC-SHA256`).
fn is_scheme(word: &str) -> bool {
    !word.is_empty()
        && word
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// `Credential=AKID/DATE/REGION/SERVICE/aws4_request, SignedHeaders=…, Signature=HEX` with the
/// signature fingerprinted: the access key id and scope name no secret.
fn sigv4_parameters(parameters: &str) -> String {
    let parts: Vec<String> = parameters
        .split(',')
        .map(|part| match part.split_once('=') {
            Some((name, value)) if name.trim().eq_ignore_ascii_case("Signature") => {
                format!("{name}={}", credential_fingerprint(value.trim()))
            }
            _ => part.to_owned(),
        })
        .collect();
    parts.join(",")
}

/// A signed JWT (`header.claims.signature`) keeps its readable header and claims, which name no
/// secret, with the signature fingerprinted; any other token is fingerprinted whole.
fn token(value: &str) -> String {
    let segments: Vec<&str> = value.split('.').collect();
    let signed_jwt = segments.len() == 3
        && segments[0].starts_with("eyJ")
        && segments.iter().all(|segment| {
            !segment.is_empty()
                && segment
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        });
    if signed_jwt {
        format!(
            "{}.{}.{}",
            segments[0],
            segments[1],
            credential_fingerprint(segments[2])
        )
    } else {
        credential_fingerprint(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fingerprint_is_a_short_stable_sha256() {
        // SHA-256("abc") = ba7816bf8f01cfea414140de5dae2223…
        assert_eq!(credential_fingerprint("abc"), "sha256:ba7816bf8f01cfea");
        assert_ne!(credential_fingerprint("abd"), credential_fingerprint("abc"));
    }

    #[test]
    fn credential_headers_are_named_by_their_words() {
        for name in [
            "x-api-key",
            "authorization",
            "proxy-authorization",
            "x-goog-api-key",
            "cookie",
            "x-amz-security-token",
            "x-hello-key",
            "X-Amz-Signature",
            "access_token",
            "client_secret",
            "apiKey",
            "accessToken",
            "APIKEY",
            "assertion",
            "xApiKey",
            "café-key",
            "my.Token_ab",
        ] {
            assert!(is_credential_name(name), "{name}");
        }
        for name in [
            "anthropic-version",
            "anthropic-beta",
            "keep-alive",
            "keyword",
            "monkey",
            "x-amz-content-sha256",
            "x-amz-date",
            "x-claude-code-session-id",
            "content-type",
            "host",
            "user-agent",
            "KEYword",
            "turkey",
            "",
        ] {
            assert!(!is_credential_name(name), "{name}");
        }
    }

    #[test]
    fn the_scheme_stays_and_the_credential_goes() {
        let fp = credential_fingerprint;
        assert_eq!(header_value("x-api-key", "sk-ant-1"), fp("sk-ant-1"));
        assert_eq!(
            header_value("authorization", "Bearer sk-1"),
            format!("Bearer {}", fp("sk-1"))
        );
        assert_eq!(
            header_value("Proxy-Authorization", "Basic dXNlcjpwYXNz"),
            format!("Basic {}", fp("dXNlcjpwYXNz"))
        );
        assert_eq!(header_value("cookie", "a=1; b=2"), fp("a=1; b=2"));
        assert_eq!(header_value("anthropic-beta", "a-1"), "a-1");
    }

    #[test]
    fn a_sigv4_signature_keeps_its_scope() {
        let signed = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20250101/us-east-1/bedrock/aws4_request, SignedHeaders=host;x-amz-date, Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7";
        assert_eq!(
            header_value("authorization", signed),
            format!(
                "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20250101/us-east-1/bedrock/aws4_request, SignedHeaders=host;x-amz-date, Signature={}",
                credential_fingerprint(
                    "5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7"
                )
            )
        );
    }

    #[test]
    fn a_jwt_keeps_header_and_claims() {
        let jwt = "eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJhQGIifQ.c2lnbmF0dXJl";
        assert_eq!(
            header_value("authorization", &format!("Bearer {jwt}")),
            format!(
                "Bearer eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJhQGIifQ.{}",
                credential_fingerprint("c2lnbmF0dXJl")
            )
        );
        // Unsigned, or not a JWT at all: the whole value goes.
        for whole in ["eyJhbGciOiJub25lIn0.eyJhIjoxfQ.", "ya29.a-token", "a.b.c"] {
            assert_eq!(
                header_value("authorization", whole),
                credential_fingerprint(whole)
            );
        }
    }

    #[test]
    fn credential_parameters_are_fingerprinted_in_place() {
        assert_eq!(
            parameters("beta=true&key=AIza-1&X-Amz-Signature=ab&empty_token=&token"),
            format!(
                "beta=true&key={}&X-Amz-Signature={}&empty_token=&token",
                credential_fingerprint("AIza-1"),
                credential_fingerprint("ab")
            )
        );
        assert_eq!(
            parameters("model=claude&keyword=x"),
            "model=claude&keyword=x"
        );
    }
}
