//! nginx terminates TLS itself when the recipe gives a certificate: it needs both files, a gateway
//! URL that says https, and paths its config can carry. Kong and managed gateways configure TLS
//! on their own side, so these checks are nginx's.

use super::codes::{
    HTTPS_WITHOUT_CERTIFICATE, TLS_ON_HTTP_URL, TLS_PAIR_INCOMPLETE, UNWRITABLE_VALUE,
};
use crate::nginx::quote::nginx_quote;
use crate::options::{Options, Server};
use gwscript_plugin::Diagnostic;
use gwscript_plugin::model::Gateway;

const CERTIFICATE: &str = "tls_certificate";
const KEY: &str = "tls_certificate_key";

pub fn check(gateway: &Gateway) -> Vec<Diagnostic> {
    let options = Options::of(gateway);
    if options.server() != Server::Nginx {
        return Vec::new();
    }
    let https = gateway.url.starts_with("https://");
    let mut diagnostics = Vec::new();
    for (key, path) in [
        (CERTIFICATE, options.tls_certificate()),
        (KEY, options.tls_certificate_key()),
    ] {
        if let Some(Err(why)) = path.map(nginx_quote) {
            diagnostics.push(
                Diagnostic::error(
                    UNWRITABLE_VALUE,
                    format!(
                        "the gateway option `{key}` cannot be written into nginx's config: {why}"
                    ),
                    "use a plain file path",
                )
                .at(gateway.option_span(key)),
            );
        }
    }
    match (options.tls_certificate(), options.tls_certificate_key()) {
        (Some(_), None) | (None, Some(_)) => {
            let (given, missing) = if options.tls_certificate().is_some() {
                (CERTIFICATE, KEY)
            } else {
                (KEY, CERTIFICATE)
            };
            diagnostics.push(
                Diagnostic::error(
                    TLS_PAIR_INCOMPLETE,
                    format!("`{given}` is set without `{missing}`: nginx needs both to serve TLS"),
                    format!("add `{missing}` (a file path), or remove `{given}`"),
                )
                .at(gateway.option_span(given)),
            );
        }
        (Some(_), Some(_)) if !https => diagnostics.push(
            Diagnostic::error(
                TLS_ON_HTTP_URL,
                format!(
                    "the gateway url {} is http:// but a TLS certificate is set: nginx would answer \
                     TLS where Claude Code speaks plain http",
                    gateway.url
                ),
                "make the gateway url https://, or drop the certificate options",
            )
            .at(gateway.option_span(CERTIFICATE)),
        ),
        (None, None) if https => diagnostics.push(
            Diagnostic::warning(
                HTTPS_WITHOUT_CERTIFICATE,
                format!(
                    "the gateway url {} is https:// but nginx gets no certificate: it serves plain \
                     http, so TLS must end at a load balancer in front of it",
                    gateway.url
                ),
                "give tls_certificate and tls_certificate_key (file paths) to let nginx serve TLS",
            )
            .at(gateway.span),
        ),
        _ => {}
    }
    diagnostics
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::custom_gateway;
    use gwscript_plugin::testing::{codes_of, literal, with_gateway_options};

    fn tls_gateway(url: &str, options: &[(&str, &str)]) -> Gateway {
        let mut gateway = with_gateway_options(
            custom_gateway(vec![]),
            options.iter().map(|(k, v)| (*k, literal(*v))),
        );
        gateway.url = url.into();
        gateway
    }

    #[test]
    fn a_complete_pair_on_an_https_url_passes() {
        let gateway = tls_gateway(
            "https://gw.example:8443",
            &[
                (CERTIFICATE, "/etc/ssl/gw.pem"),
                (KEY, "/etc/ssl/private/gw.key"),
            ],
        );
        assert!(check(&gateway).is_empty());
        assert!(check(&tls_gateway("http://127.0.0.1:8080", &[])).is_empty());
    }

    #[test]
    fn gw4404_wants_both_files() {
        let only_cert = tls_gateway("https://gw.example", &[(CERTIFICATE, "/c.pem")]);
        let diagnostics = check(&only_cert);
        assert_eq!(codes_of(&diagnostics), ["GW4404"]);
        assert!(
            diagnostics[0]
                .message
                .starts_with("`tls_certificate` is set without `tls_certificate_key`")
        );
        assert_eq!(diagnostics[0].span, only_cert.options[CERTIFICATE].span);
        let only_key = tls_gateway("https://gw.example", &[(KEY, "/k.pem")]);
        assert_eq!(codes_of(&check(&only_key)), ["GW4404"]);
    }

    #[test]
    fn gw4411_refuses_a_certificate_on_an_http_url() {
        let gateway = tls_gateway("http://gw.example", &[(CERTIFICATE, "/c"), (KEY, "/k")]);
        assert_eq!(codes_of(&check(&gateway)), ["GW4411"]);
    }

    #[test]
    fn gw4412_warns_when_an_https_url_gets_no_certificate() {
        let diagnostics = check(&tls_gateway("https://gw.example", &[]));
        assert_eq!(codes_of(&diagnostics), ["GW4412"]);
        assert!(!diagnostics[0].is_error());
    }

    #[test]
    fn gw4405_refuses_paths_nginx_cannot_carry() {
        let gateway = tls_gateway(
            "https://gw.example",
            &[(CERTIFICATE, "/etc/$host.pem"), (KEY, "/k\n.pem")],
        );
        assert_eq!(codes_of(&check(&gateway)), ["GW4405", "GW4405"]);
    }

    #[test]
    fn other_servers_configure_tls_themselves() {
        let gateway = with_gateway_options(
            tls_gateway("https://gw.example", &[(CERTIFICATE, "/c.pem")]),
            [("server", literal("kong"))],
        );
        assert!(check(&gateway).is_empty());
    }
}
