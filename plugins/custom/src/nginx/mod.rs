//! The nginx server: a config template whose every recipe-derived value is quoted for nginx
//! ([`quote`]), with `${NAME}` placeholders for the two credentials, and a start script that fills
//! them in from the environment. The nginx config is a `text` template (the SDK has no nginx
//! escaping), so this module hands the template finished, quoted strings only.

pub mod quote;

use crate::options::Options;
use crate::routes::routes;
use crate::url::HttpUrl;
use quote::{env_placeholder, is_placeholder_name, nginx_quote};
use serde_json::{Value, json};

/// The variables the config reads, by role.
#[derive(Debug, Clone, Copy)]
pub struct Credentials<'a> {
    pub upstream_key: &'a str,
    pub gateway_token: &'a str,
}

/// `{ "nginx": { … } }`: what both nginx templates are rendered with.
pub fn context(
    options: Options<'_>,
    gateway_url: &HttpUrl,
    upstream: &HttpUrl,
    credentials: Credentials<'_>,
) -> Result<Value, String> {
    for name in [credentials.upstream_key, credentials.gateway_token] {
        if !is_placeholder_name(name) {
            return Err(format!("`{name}` cannot be an nginx placeholder"));
        }
    }
    let quoted = |what: &str, text: &str| {
        nginx_quote(text)
            .map_err(|why| format!("{what} cannot be written into nginx's config: {why}"))
    };
    let tls = match (options.tls_certificate(), options.tls_certificate_key()) {
        (Some(certificate), Some(key)) => json!({
            "certificate": quoted("tls_certificate", certificate)?,
            "key": quoted("tls_certificate_key", key)?,
        }),
        _ => Value::Null,
    };
    let routes = routes(gateway_url, upstream)
        .into_iter()
        .map(|route| {
            Ok(json!({
                "path": quoted("the route", &route.path)?,
                "upstream": quoted("the upstream", &route.upstream)?,
            }))
        })
        .collect::<Result<Vec<_>, String>>()?;
    Ok(json!({
        "nginx": {
            "listen": quoted("the listen address", &listen_address(gateway_url))?,
            "server_name": quoted("the server name", &gateway_url.host)?,
            "tls": tls,
            "max_body": format!("{}m", options.max_body_mb()),
            "timeout": format!("{}s", options.read_timeout_s()),
            "upstream_tls": upstream.https,
            "upstream_key": env_placeholder("", credentials.upstream_key),
            "token_check": env_placeholder("Bearer ", credentials.gateway_token),
            "routes": routes,
            // The start script's list: every placeholder it fills in, each once.
            "env": env_names(credentials),
        }
    }))
}

/// Where nginx listens: the gateway URL's own address on loopback, every interface otherwise
/// (a public name reaches this machine through its own address or a load balancer).
pub fn listen_address(url: &HttpUrl) -> String {
    let port = url.effective_port();
    if url.is_loopback() {
        format!("{}:{port}", url.host_for_url())
    } else if url.host.contains(':') {
        format!("[::]:{port}")
    } else {
        format!("0.0.0.0:{port}")
    }
}

fn env_names(credentials: Credentials<'_>) -> Vec<&str> {
    let mut names = vec![credentials.upstream_key, credentials.gateway_token];
    names.dedup();
    names
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Custom;
    use crate::manifest::{NGINX_CONF_PATH, NGINX_START_PATH};
    use crate::test_support::custom_gateway;
    use gwscript_plugin::testing::{anthropic, literal, render, setup_for, with_gateway_options};
    use std::process::Command;

    const CREDENTIALS: Credentials<'static> = Credentials {
        upstream_key: "ANTHROPIC_API_KEY",
        gateway_token: "GATEWAY_TOKEN",
    };

    fn url(text: &str) -> HttpUrl {
        HttpUrl::parse(text).unwrap()
    }

    #[test]
    fn listens_on_loopback_as_given_and_on_every_interface_otherwise() {
        assert_eq!(
            listen_address(&url("http://127.0.0.1:8080")),
            "127.0.0.1:8080"
        );
        assert_eq!(listen_address(&url("http://[::1]:8080")), "[::1]:8080");
        assert_eq!(listen_address(&url("https://gw.example")), "0.0.0.0:443");
        assert_eq!(listen_address(&url("http://[fd00::1]:81")), "[::]:81");
    }

    #[test]
    fn every_value_is_quoted_and_credentials_are_placeholders() {
        let gateway = with_gateway_options(
            custom_gateway(vec![]),
            [
                ("tls_certificate", literal("/etc/ssl/my \"gw\".pem")),
                ("tls_certificate_key", literal("/etc/ssl/private/gw.key")),
                ("read_timeout", literal(900)),
            ],
        );
        let context = context(
            Options::of(&gateway),
            &url("https://gw.example:8443/claude"),
            &url("https://api.anthropic.com"),
            CREDENTIALS,
        )
        .unwrap();
        let nginx = &context["nginx"];
        assert_eq!(nginx["listen"], "\"0.0.0.0:8443\"");
        assert_eq!(nginx["server_name"], "\"gw.example\"");
        assert_eq!(nginx["tls"]["certificate"], r#""/etc/ssl/my \"gw\".pem""#);
        assert_eq!(nginx["timeout"], "900s");
        assert_eq!(nginx["max_body"], "32m");
        assert_eq!(nginx["upstream_tls"], true);
        assert_eq!(nginx["upstream_key"], "\"${ANTHROPIC_API_KEY}\"");
        assert_eq!(nginx["token_check"], "\"Bearer ${GATEWAY_TOKEN}\"");
        assert_eq!(
            nginx["routes"][0],
            json!({
                "path": "\"/claude/v1/messages\"",
                "upstream": "\"https://api.anthropic.com/v1/messages\"",
            })
        );
        assert_eq!(nginx["env"], json!(["ANTHROPIC_API_KEY", "GATEWAY_TOKEN"]));
    }

    #[test]
    fn refuses_what_the_checks_would_have_refused() {
        let gateway = with_gateway_options(
            custom_gateway(vec![]),
            [
                ("tls_certificate", literal("/$x")),
                ("tls_certificate_key", literal("/k")),
            ],
        );
        let plain = url("http://127.0.0.1:1");
        let error = context(Options::of(&gateway), &plain, &plain, CREDENTIALS).unwrap_err();
        assert!(
            error.starts_with("tls_certificate cannot be written"),
            "{error}"
        );
        let lower = Credentials {
            upstream_key: "proxy_host",
            ..CREDENTIALS
        };
        let no_tls = custom_gateway(vec![]);
        assert!(context(Options::of(&no_tls), &plain, &plain, lower).is_err());
    }

    #[test]
    fn the_config_has_every_streaming_setting_and_no_credential() {
        let setup = setup_for(custom_gateway(vec![anthropic("s", "m")]));
        let conf = render::<Custom>(&setup, NGINX_CONF_PATH);
        for directive in [
            "proxy_buffering off;",
            "proxy_cache off;",
            "proxy_request_buffering off;",
            "proxy_http_version 1.1;",
            "proxy_set_header Connection \"\";",
            "proxy_read_timeout 600s;",
            "proxy_send_timeout 600s;",
            "gzip off;",
            "underscores_in_headers on;",
            "client_max_body_size 32m;",
            "add_header X-Accel-Buffering no always;",
            "proxy_ssl_server_name on;",
            "proxy_set_header Authorization \"\";",
            "proxy_set_header x-api-key \"${ANTHROPIC_API_KEY}\";",
            "if ($http_authorization != \"Bearer ${GATEWAY_KEY}\") {",
            "location = \"/v1/messages\" {",
            "proxy_pass \"https://api.anthropic.com/v1/messages/count_tokens\";",
            "listen \"127.0.0.1:4000\";",
        ] {
            assert!(conf.contains(directive), "missing {directive}\n{conf}");
        }
        assert!(
            !conf.contains("ssl_certificate"),
            "no TLS without a certificate"
        );
        assert_eq!(
            conf.matches("gzip off;").count(),
            3,
            "server and both locations"
        );
    }

    #[test]
    fn tls_is_served_with_tls_1_2_and_up_and_a_plain_upstream_gets_no_sni() {
        let mut gateway = with_gateway_options(
            custom_gateway(vec![anthropic("s", "m")]),
            [
                ("tls_certificate", literal("/etc/ssl/gw.pem")),
                ("tls_certificate_key", literal("/etc/ssl/private/gw.key")),
                ("upstream", literal("http://127.0.0.1:9000")),
            ],
        );
        gateway.url = "https://gw.example:8443".into();
        let conf = render::<Custom>(&setup_for(gateway), NGINX_CONF_PATH);
        for directive in [
            "listen \"0.0.0.0:8443\" ssl;",
            "ssl_certificate \"/etc/ssl/gw.pem\";",
            "ssl_certificate_key \"/etc/ssl/private/gw.key\";",
            "ssl_protocols TLSv1.2 TLSv1.3;",
            "proxy_pass \"http://127.0.0.1:9000/v1/messages\";",
        ] {
            assert!(conf.contains(directive), "missing {directive}\n{conf}");
        }
        assert!(!conf.contains("proxy_ssl_server_name"), "{conf}");
    }

    /// The start script, run by bash with an environment of its own.
    fn run_start_script(env: &[(&str, &str)]) -> std::process::Output {
        let script = render::<Custom>(
            &setup_for(custom_gateway(vec![anthropic("s", "m")])),
            NGINX_START_PATH,
        );
        Command::new("bash")
            .args(["-c", &script])
            .env_clear()
            .env("PATH", "/usr/bin:/bin")
            .envs(env.iter().copied())
            .output()
            .expect("bash runs")
    }

    #[test]
    fn the_start_script_refuses_unset_and_unsafe_values() {
        let missing = run_start_script(&[("GATEWAY_KEY", "tok")]);
        assert_eq!(missing.status.code(), Some(1));
        let stderr = String::from_utf8_lossy(&missing.stderr);
        assert!(stderr.contains("ANTHROPIC_API_KEY is not set"), "{stderr}");
        for unsafe_value in ["a\"b", "x; deny all", "${GATEWAY_KEY}", "line\nbreak"] {
            let output =
                run_start_script(&[("ANTHROPIC_API_KEY", "sk-1"), ("GATEWAY_KEY", unsafe_value)]);
            assert_eq!(output.status.code(), Some(1), "{unsafe_value:?}");
            let stderr = String::from_utf8_lossy(&output.stderr);
            assert!(stderr.contains("GATEWAY_KEY holds characters"), "{stderr}");
        }
    }
}
