//! nginx's config language, which the SDK's template rules do not know: the one quoting function
//! every recipe-derived value goes through before it is written into the nginx config.

/// `text` as one nginx directive argument: in double quotes, with `\` and `"` escaped (nginx's
/// parser turns `\\` and `\"` back into the characters). Refuses what quoting cannot make inert:
/// `$`, which nginx expands as a variable even inside quotes (and which the start script's
/// `envsubst` would read as a placeholder), and control characters such as newlines.
pub fn nginx_quote(text: &str) -> Result<String, String> {
    if text.contains('$') {
        return Err("it contains `$`, which nginx would expand as a variable".into());
    }
    if let Some(control) = text.chars().find(|c| c.is_control()) {
        return Err(format!(
            "it contains the control character {control:?}, which nginx's config cannot carry"
        ));
    }
    Ok(format!(
        "\"{}\"",
        text.replace('\\', r"\\").replace('"', "\\\"")
    ))
}

/// The quoted `${NAME}` placeholder the start script fills in from the environment, after
/// `prefix`. `name` must be an upper-case variable name, which the checks guarantee: `envsubst`
/// would also replace nginx's own lower-case `$variables` of the same name.
pub fn env_placeholder(prefix: &str, name: &str) -> String {
    debug_assert!(is_placeholder_name(name), "{name}");
    format!("\"{prefix}${{{name}}}\"")
}

/// Whether `name` can be a placeholder: an environment variable name with no lower-case letter,
/// so it never collides with an nginx variable (`$http_authorization`, `$proxy_host`, …).
pub fn is_placeholder_name(name: &str) -> bool {
    gwscript_plugin::model::is_env_name(name) && !name.chars().any(|c| c.is_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;
    use std::process::Command;

    #[test]
    fn quotes_and_escapes_backslashes_and_quotes() {
        assert_eq!(
            nginx_quote("/etc/ssl/gw.pem").unwrap(),
            "\"/etc/ssl/gw.pem\""
        );
        assert_eq!(
            nginx_quote(r#"C:\certs\"a b"; deny all;"#).unwrap(),
            r#""C:\\certs\\\"a b\"; deny all;""#
        );
        assert_eq!(nginx_quote("").unwrap(), "\"\"");
    }

    #[test]
    fn refuses_variables_and_control_characters() {
        for text in [
            "$host",
            "${GATEWAY_TOKEN}",
            "a\nb",
            "a\rb",
            "tab\there",
            "\u{7f}",
        ] {
            assert!(nginx_quote(text).is_err(), "accepted {text:?}");
        }
    }

    #[test]
    fn placeholders_are_upper_case_names_only() {
        assert_eq!(
            env_placeholder("Bearer ", "GATEWAY_TOKEN"),
            "\"Bearer ${GATEWAY_TOKEN}\""
        );
        assert!(is_placeholder_name("ANTHROPIC_API_KEY"));
        for name in ["proxy_host", "Http_Key", "1KEY", "A-B", ""] {
            assert!(!is_placeholder_name(name), "{name}");
        }
    }

    /// nginx reads the quoted value back as the original text: an `include` of a file that does
    /// not exist makes `nginx -t` print the path exactly as it parsed it.
    #[test]
    fn nginx_parses_a_quoted_value_back_to_the_original() {
        let nginx = ["/usr/sbin/nginx", "/usr/bin/nginx"]
            .into_iter()
            .find(|p| Path::new(p).exists())
            .unwrap_or_else(|| {
                panic!("nginx is needed for this test: bash tests/peers/install.sh")
            });
        let text = r#"a\b"c; d{e}'f g #h"#;
        let dir = std::env::temp_dir().join(format!("gwscript-nginx-quote-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let conf = format!(
            "pid nginx.pid;\nerror_log stderr;\nevents {{}}\ninclude {};\n",
            nginx_quote(text).unwrap()
        );
        std::fs::write(dir.join("nginx.conf"), conf).unwrap();
        let output = Command::new(nginx)
            .arg("-t")
            .arg("-p")
            .arg(format!("{}/", dir.display()))
            .args(["-c", "nginx.conf", "-e", "stderr"])
            .output()
            .expect("nginx runs");
        std::fs::remove_dir_all(&dir).ok();
        let stderr = String::from_utf8_lossy(&output.stderr);
        let parsed = format!("open() \"{}/{text}\" failed", dir.display());
        assert!(stderr.contains(&parsed), "{stderr}");
    }
}
