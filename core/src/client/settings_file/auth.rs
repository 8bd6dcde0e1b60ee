//! How Claude Code authenticates with these settings: literal credentials in the file (GW5015),
//! a gateway base URL with no credential (GW5020), two credentials sent at once (GW5021), a
//! Bedrock token that replaces the gateway's (GW5022), and a forced login a gateway cannot
//! satisfy (GW5029).

use super::layers::Var;
use super::{Settings, SettingsScope};
use crate::client::checks::literal_credential_in_env;
use crate::client::credentials::credential_in;
use crate::client::precedence::ClientProvider;
use gwscript_plugin::Diagnostic;

const AUTH_TOKEN: &str = "ANTHROPIC_AUTH_TOKEN";
const API_KEY: &str = "ANTHROPIC_API_KEY";
const BEDROCK_TOKEN: &str = "AWS_BEARER_TOKEN_BEDROCK";

pub(super) fn check(settings: &Settings<'_>) -> Vec<Diagnostic> {
    let mut found: Vec<Diagnostic> = settings
        .env
        .in_file()
        .filter_map(|var| literal_credential(settings, var))
        .collect();
    found.extend(no_credential(settings));
    found.extend(both_credentials(settings));
    found.extend(bedrock_token_beside_gateways(settings));
    found.extend(forced_login(settings));
    found
}

/// GW5015: a credential written into the file, by the words GW5001 refuses in a recipe's `env`,
/// or inside a URL. Every scope is a plain-text file; the project's is committed and shared, so
/// there it is an error.
fn literal_credential(settings: &Settings<'_>, var: &Var<'_>) -> Option<Diagnostic> {
    let message = literal_credential_in_env(var.name, var.value).or_else(|| {
        credential_in(var.value).map(|why| {
            format!(
                "`{}` holds a URL with {why}, written as a literal into the settings env",
                var.name
            )
        })
    })?;
    let scope = settings.file.scope;
    let (help, severity_error) = match scope {
        SettingsScope::Project => (
            "this file is committed and shared: remove the value, export it in the shell or hand it out through an apiKeyHelper, and rotate it if it was ever pushed",
            true,
        ),
        SettingsScope::Managed => (
            "managed settings are readable by every user of the machine: hand the credential out through an apiKeyHelper, or have each user export their own",
            false,
        ),
        SettingsScope::User | SettingsScope::Local => (
            "settings files are plain text that backups and dotfile repositories copy: export the credential in the shell or print it from an apiKeyHelper",
            false,
        ),
    };
    let message = format!("{message} ({} settings)", scope.name());
    let diagnostic = if severity_error {
        Diagnostic::error("GW5015", message, help)
    } else {
        Diagnostic::warning("GW5015", message, help)
    };
    Some(diagnostic.at(var.name_span()).sensitive())
}

/// GW5020: a gateway base URL, and nothing Claude Code could authenticate with: it stops with
/// `Not logged in`. Only with `--env`: without it the credential is expected in the shell, where
/// gwscript's own exports put it.
fn no_credential(settings: &Settings<'_>) -> Option<Diagnostic> {
    let env = &settings.env;
    if !env.with_shell() || env.provider() != ClientProvider::FirstParty {
        return None;
    }
    let base_url = env.get("ANTHROPIC_BASE_URL").filter(|v| v.in_file())?;
    let credential = env.first(&[AUTH_TOKEN, API_KEY, "CLAUDE_CODE_OAUTH_TOKEN"]);
    if credential.is_some() || settings.api_key_helper().is_some() {
        return None;
    }
    Some(
        Diagnostic::error(
            "GW5020",
            "ANTHROPIC_BASE_URL sends Claude Code to a gateway, and no credential is set in the settings or the environment: claude stops with `Not logged in`",
            "export ANTHROPIC_AUTH_TOKEN (sent as Authorization: Bearer) or ANTHROPIC_API_KEY (x-api-key) in the shell, or set an apiKeyHelper that prints the gateway key",
        )
        .at(base_url.name_span()),
    )
}

/// GW5021: both credential variables set; both headers go out, and some gateways refuse the pair.
fn both_credentials(settings: &Settings<'_>) -> Option<Diagnostic> {
    let env = &settings.env;
    let (token, key) = (env.get(AUTH_TOKEN)?, env.get(API_KEY)?);
    let at = [key, token].into_iter().find(|v| v.in_file())?;
    Some(
        Diagnostic::warning(
            "GW5021",
            format!(
                "both {AUTH_TOKEN} and {API_KEY} are set{}: Claude Code sends both Authorization: Bearer and x-api-key",
                origin_note(&[token, key])
            ),
            format!(
                "keep the one the gateway reads ({AUTH_TOKEN} for Bearer, {API_KEY} for x-api-key); set the other to \"\" in env to cancel a shell export"
            ),
        )
        .at(at.name_span())
        .sensitive(),
    )
}

/// GW5022: under Bedrock, `AWS_BEARER_TOKEN_BEDROCK` takes the Authorization header the
/// gateway's token (or apiKeyHelper key) needs: the gateway answers 403.
fn bedrock_token_beside_gateways(settings: &Settings<'_>) -> Option<Diagnostic> {
    let env = &settings.env;
    if env.provider() != ClientProvider::Bedrock {
        return None;
    }
    let bedrock = env.get(BEDROCK_TOKEN)?;
    let token = env.get(AUTH_TOKEN);
    let helper = settings.api_key_helper();
    let gateway = match (token, &helper) {
        (Some(_), _) => AUTH_TOKEN,
        (None, Some(_)) => "apiKeyHelper",
        (None, None) => return None,
    };
    // At a credential in the file (its line is masked), else at the helper.
    let (at, secret) = match (bedrock.in_file(), token.filter(|t| t.in_file()), &helper) {
        (true, _, _) => (bedrock.name_span(), true),
        (false, Some(token), _) => (token.name_span(), true),
        (false, None, Some(helper)) => (Some(helper.key), false),
        (false, None, None) => return None,
    };
    let diagnostic = Diagnostic::error(
        "GW5022",
        format!(
            "{BEDROCK_TOKEN} is set{} beside the gateway's {gateway}: Claude Code sends the Bedrock token in its place, and the gateway answers 403",
            if bedrock.in_file() { "" } else { " in the environment" }
        ),
        format!(
            "leave {BEDROCK_TOKEN} unset when a gateway holds the AWS credentials (set it to \"\" in env to cancel a shell export)"
        ),
    )
    .at(at);
    Some(if secret {
        diagnostic.sensitive()
    } else {
        diagnostic
    })
}

/// GW5029: `forceLoginMethod` makes Claude Code log in with a claude.ai or Console account,
/// which the gateway's credentials in these settings cannot be.
fn forced_login(settings: &Settings<'_>) -> Option<Diagnostic> {
    let at = settings.top_key("forceLoginMethod")?;
    let env = &settings.env;
    let mut credentials: Vec<&str> = [AUTH_TOKEN, API_KEY]
        .into_iter()
        .filter(|name| env.get(name).is_some())
        .collect();
    if settings.api_key_helper().is_some() {
        credentials.push("apiKeyHelper");
    }
    if credentials.is_empty() {
        return None;
    }
    Some(
        Diagnostic::error(
            "GW5029",
            format!(
                "forceLoginMethod makes Claude Code log in with an Anthropic account, which the gateway credentials ({}) cannot satisfy",
                credentials.join(", ")
            ),
            "remove forceLoginMethod from settings that send Claude Code to a gateway; keep it only where users log in to claude.ai or the Console",
        )
        .at(Some(at)),
    )
}

/// " (… from the environment)" naming those of `vars` that the shell sets, for `--env` findings.
fn origin_note(vars: &[&Var<'_>]) -> String {
    let from_shell: Vec<&str> = vars
        .iter()
        .filter(|v| !v.in_file())
        .map(|v| v.name)
        .collect();
    if from_shell.is_empty() {
        String::new()
    } else {
        format!(" ({} from the environment)", from_shell.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests_support::{codes, findings, with_env};
    use super::*;

    #[test]
    fn gw5015_a_credential_in_the_file_by_name_header_or_url() {
        let text = r#"{"env": {
  "ANTHROPIC_AUTH_TOKEN": "sk-team-7f3a",
  "ANTHROPIC_CUSTOM_HEADERS": "x-team: a\nx-api-key: k-1",
  "HTTPS_PROXY": "http://user:hunter2@proxy.corp.example:3128",
  "ANTHROPIC_API_KEY": "",
  "GOOGLE_APPLICATION_CREDENTIALS": "/etc/gcp/claude.json",
  "CLAUDE_CODE_API_KEY_HELPER_TTL_MS": "60000"
}}"#;
        let found = findings(text, SettingsScope::Project, None);
        let ours: Vec<&Diagnostic> = found.iter().filter(|d| d.code == "GW5015").collect();
        assert_eq!(ours.len(), 3, "{found:#?}");
        assert!(ours.iter().all(|d| d.is_error() && d.sensitive));
        let lines: Vec<u32> = ours.iter().map(|d| d.span.expect("span").line).collect();
        assert_eq!(lines, [2, 3, 4]);
        assert!(
            ours[2]
                .message
                .contains("HTTPS_PROXY` holds a URL with a user name or password")
        );
        for d in &found {
            for secret in ["sk-team-7f3a", "k-1", "hunter2"] {
                assert!(
                    !d.message.contains(secret) && !d.help.contains(secret),
                    "{d:?}"
                );
            }
        }
        for scope in [
            SettingsScope::User,
            SettingsScope::Local,
            SettingsScope::Managed,
        ] {
            let found = findings(text, scope, None);
            let ours: Vec<&Diagnostic> = found.iter().filter(|d| d.code == "GW5015").collect();
            assert_eq!(ours.len(), 3);
            assert!(
                ours.iter().all(|d| !d.is_error()),
                "a warning at {scope:?} scope"
            );
        }
    }

    #[test]
    fn gw5020_a_base_url_with_no_credential_anywhere_with_env_only() {
        let gateway = r#"{"env": {"ANTHROPIC_BASE_URL": "https://llm.corp.example"}}"#;
        assert!(
            codes(gateway, None).is_empty(),
            "without --env the shell may hold it"
        );
        let found = findings(
            gateway,
            SettingsScope::Project,
            Some(&with_env(&[("HOME", "/h")])),
        );
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!(found[0].code, "GW5020");
        assert!(found[0].is_error());
        assert!(
            found[0]
                .message
                .contains("in the settings or the environment")
        );
        assert_eq!(found[0].span.map(|s| (s.line, s.column)), Some((1, 10)));
        for shell in [
            [("ANTHROPIC_AUTH_TOKEN", "t")],
            [("ANTHROPIC_API_KEY", "k")],
        ] {
            assert!(codes(gateway, Some(&with_env(&shell))).is_empty());
        }
        let helper = r#"{"apiKeyHelper": "echo k", "env": {"ANTHROPIC_BASE_URL": "https://gw"}}"#;
        assert!(!codes(helper, Some(&with_env(&[]))).contains(&"GW5020".to_owned()));
        // A settings value of "" cancels the shell's token.
        let cancelled =
            r#"{"env": {"ANTHROPIC_BASE_URL": "https://gw", "ANTHROPIC_AUTH_TOKEN": ""}}"#;
        assert_eq!(
            codes(cancelled, Some(&with_env(&[("ANTHROPIC_AUTH_TOKEN", "t")]))),
            ["GW5020"]
        );
    }

    #[test]
    fn gw5021_both_credential_variables() {
        let both = r#"{"env": {"ANTHROPIC_AUTH_TOKEN": "a", "ANTHROPIC_API_KEY": "b"}}"#;
        let found = findings(both, SettingsScope::Local, None);
        let gw5021: Vec<&Diagnostic> = found.iter().filter(|d| d.code == "GW5021").collect();
        assert_eq!(gw5021.len(), 1);
        assert!(!gw5021[0].is_error());
        let key_only = r#"{"env": {"ANTHROPIC_API_KEY": ""}}"#;
        assert!(codes(key_only, Some(&with_env(&[("ANTHROPIC_AUTH_TOKEN", "t")]))).is_empty());
        let token_in_file = r#"{"apiKeyHelper": "x", "env": {"ANTHROPIC_BASE_URL": "https://gw"}}"#;
        let shell = with_env(&[("ANTHROPIC_AUTH_TOKEN", "t"), ("ANTHROPIC_API_KEY", "k")]);
        assert!(
            !codes(token_in_file, Some(&shell)).contains(&"GW5021".to_owned()),
            "nothing in the file to point at"
        );
        let one_in_file = r#"{"env": {"ANTHROPIC_AUTH_TOKEN": "x"}}"#;
        let found = findings(
            one_in_file,
            SettingsScope::User,
            Some(&with_env(&[("ANTHROPIC_API_KEY", "k")])),
        );
        let gw5021 = found.iter().find(|d| d.code == "GW5021").expect("GW5021");
        assert!(
            gw5021
                .message
                .contains("(ANTHROPIC_API_KEY from the environment)"),
            "{}",
            gw5021.message
        );
    }

    #[test]
    fn gw5022_a_bedrock_token_beside_the_gateways() {
        let text = r#"{"env": {"CLAUDE_CODE_USE_BEDROCK": "1", "CLAUDE_CODE_SKIP_BEDROCK_AUTH": "1",
            "ANTHROPIC_BEDROCK_BASE_URL": "https://gw/bedrock", "AWS_REGION": "us-east-1"},
            "apiKeyHelper": "/bin/true"}"#;
        assert!(!codes(text, None).contains(&"GW5022".to_owned()));
        let shell = with_env(&[("AWS_BEARER_TOKEN_BEDROCK", "abc")]);
        let found = findings(text, SettingsScope::Project, Some(&shell));
        let gw5022 = found.iter().find(|d| d.code == "GW5022").expect("GW5022");
        assert!(gw5022.is_error());
        assert!(
            gw5022.message.starts_with("AWS_BEARER_TOKEN_BEDROCK is set in the environment beside the gateway's apiKeyHelper"),
            "{}",
            gw5022.message
        );
        assert_eq!(gw5022.span.map(|s| s.line), Some(3), "at the helper");
        assert!(!gw5022.sensitive, "the helper's line holds no secret");
        let in_file = r#"{"env": {"CLAUDE_CODE_USE_BEDROCK": "1", "AWS_REGION": "us-east-1",
            "ANTHROPIC_AUTH_TOKEN": "t", "AWS_BEARER_TOKEN_BEDROCK": "b"}}"#;
        let found = findings(in_file, SettingsScope::Local, None);
        let gw5022 = found.iter().find(|d| d.code == "GW5022").expect("GW5022");
        assert!(
            gw5022.sensitive
                && gw5022.message.starts_with(
                    "AWS_BEARER_TOKEN_BEDROCK is set beside the gateway's ANTHROPIC_AUTH_TOKEN"
                )
        );
        let first_party = r#"{"env": {"ANTHROPIC_AUTH_TOKEN": "t"}}"#;
        assert!(!codes(first_party, Some(&shell)).contains(&"GW5022".to_owned()));
    }

    #[test]
    fn gw5029_a_forced_login_beside_gateway_credentials() {
        let text = r#"{"forceLoginMethod": "claudeai", "apiKeyHelper": "~/.claude/key.sh"}"#;
        let found = findings(text, SettingsScope::User, None);
        let gw5029 = found.iter().find(|d| d.code == "GW5029").expect("GW5029");
        assert!(gw5029.is_error());
        assert_eq!(gw5029.span.map(|s| (s.line, s.column)), Some((1, 2)));
        assert!(gw5029.message.contains("(apiKeyHelper)"));
        assert!(codes(r#"{"forceLoginMethod": "console"}"#, None).is_empty());
    }
}
