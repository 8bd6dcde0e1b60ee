//! The provider Claude Code talks to with these settings, by its precedence (the recipe checks'
//! GW5009 reads the same rule): variables it ignores under that provider (GW5016), a skip-auth
//! flag for another provider (GW5017), and the cloud settings the provider needs (GW5018, GW5019).

use super::Settings;
use super::layers::Var;
use crate::client::precedence::{self, ClientProvider};
use gwscript_plugin::Diagnostic;

pub(super) fn check(settings: &Settings<'_>) -> Vec<Diagnostic> {
    let provider = settings.env.provider();
    let mut found = ignored(settings, provider);
    found.extend(
        settings
            .env
            .in_file()
            .filter_map(|var| skip_without_provider(var, provider)),
    );
    found.extend(bedrock_region(settings, provider));
    found.extend(vertex_project(settings, provider));
    found
}

/// GW5016: a base URL or provider switch Claude Code ignores under the provider it talks to, at
/// the variable when the file sets it, else at the switch that wins when the file sets that.
fn ignored(settings: &Settings<'_>, provider: ClientProvider) -> Vec<Diagnostic> {
    let env = &settings.env;
    let winner = env.switch_for(provider);
    let mut ignored: Vec<&Var<'_>> = env
        .all()
        .filter(|var| precedence::ignored_by(provider, var.name, var.value))
        .filter(|var| var.in_file() || winner.is_some_and(Var::in_file))
        .collect();
    ignored.sort_by_key(|var| var.name);
    ignored
        .into_iter()
        .map(|var| {
            let because = match winner {
                Some(switch) => format!(
                    "{} is on{}, so it talks to {}",
                    switch.name,
                    if switch.in_file() {
                        ""
                    } else {
                        " in the environment"
                    },
                    provider.name()
                ),
                None => format!(
                    "no provider switch is on, so it talks to {}",
                    provider.name()
                ),
            };
            let help = ignored_help(var.name, winner.map(|w| w.name));
            let at = if var.in_file() {
                var.name_span()
            } else {
                winner.and_then(Var::name_span)
            };
            Diagnostic::error(
                "GW5016",
                format!(
                    "Claude Code ignores {}{}: {because}",
                    var.name,
                    if var.in_file() {
                        ""
                    } else {
                        " (set in the environment)"
                    }
                ),
                help,
            )
            .at(at)
        })
        .collect()
}

/// How to make Claude Code use the ignored variable `name`, or drop it; `winner` is the switch
/// that selects the provider in use, if any.
fn ignored_help(name: &str, winner: Option<&str>) -> String {
    // The switch of the provider that reads `name`, when `name` is a base URL.
    let wanted = precedence::read_by(name).map(precedence::switch_of);
    match (wanted, winner) {
        (None, _) => "Claude Code uses the first switch that is on (Bedrock, Foundry, Anthropic on AWS, Mantle, Vertex AI): keep only the one you mean".to_owned(),
        (Some(None), Some(winner)) => format!(
            "to send requests to {name}, remove {winner} (or set it to \"0\"); otherwise remove {name}"
        ),
        (Some(Some(switch)), Some(winner)) => format!(
            "to send requests to {name}, set {switch} to \"1\" and remove {winner}; otherwise remove {name}"
        ),
        (Some(Some(switch)), None) => format!(
            "set {switch} to \"1\" to send requests to {name}; otherwise remove {name}"
        ),
        // The first-party API's base URL is ignored only under another provider's switch.
        (Some(None), None) => format!("remove {name}"),
    }
}

/// GW5017: `CLAUDE_CODE_SKIP_<P>_AUTH` only matters when Claude Code talks to provider P.
fn skip_without_provider(var: &Var<'_>, provider: ClientProvider) -> Option<Diagnostic> {
    let skipped = precedence::auth_skipped_by(var.name)?;
    if !precedence::is_on(var.value) || skipped == provider {
        return None;
    }
    let switch = precedence::switch_of(skipped)?;
    Some(
        Diagnostic::warning(
            "GW5017",
            format!(
                "{} has no effect: Claude Code talks to {}, not {}",
                var.name,
                provider.name(),
                skipped.name()
            ),
            format!(
                "set {switch} to \"1\" as well to send requests to the gateway's {} endpoint, or remove {}",
                skipped.name(),
                var.name
            ),
        )
        .at(var.name_span()),
    )
}

/// GW5018: Bedrock without a region: Claude Code falls back to us-east-1, and picks the model's
/// inference profile (`us.`, `eu.`, …) from the region. Only with `--env`: the shell may set it.
fn bedrock_region(settings: &Settings<'_>, provider: ClientProvider) -> Option<Diagnostic> {
    let env = &settings.env;
    let switch = env
        .switch_for(provider)
        .filter(|_| provider == ClientProvider::Bedrock)?;
    let region = env.first(&["AWS_REGION", "AWS_DEFAULT_REGION", "AWS_PROFILE"]);
    if !env.with_shell() || !switch.in_file() || region.is_some() {
        return None;
    }
    Some(
        Diagnostic::warning(
            "GW5018",
            "Claude Code uses Bedrock with no AWS_REGION in the settings or the environment: it sends requests to us-east-1 and picks model ids for that region",
            "add \"AWS_REGION\": \"<region>\" to env, the region of your Bedrock models (or of the gateway's Bedrock endpoint)",
        )
        .at(switch.name_span()),
    )
}

/// GW5019: Vertex AI without a project. Request paths name the project: with
/// `CLAUDE_CODE_SKIP_VERTEX_AUTH` (a gateway holds the Google credentials) nothing else can
/// supply it, so every request fails; otherwise Google's credentials may. Only with `--env`: the
/// shell may set it.
fn vertex_project(settings: &Settings<'_>, provider: ClientProvider) -> Option<Diagnostic> {
    let env = &settings.env;
    let switch = env
        .switch_for(provider)
        .filter(|_| provider == ClientProvider::Vertex)?;
    let project = env.first(&[
        "ANTHROPIC_VERTEX_PROJECT_ID",
        "GCLOUD_PROJECT",
        "GOOGLE_CLOUD_PROJECT",
    ]);
    if !env.with_shell() || !switch.in_file() || project.is_some() {
        return None;
    }
    let skipped = env
        .get("CLAUDE_CODE_SKIP_VERTEX_AUTH")
        .is_some_and(|skip| precedence::is_on(skip.value));
    let message = "Claude Code uses Vertex AI with no ANTHROPIC_VERTEX_PROJECT_ID in the settings or the environment";
    let help = "add \"ANTHROPIC_VERTEX_PROJECT_ID\": \"<project>\" to env: Claude Code names the project in every request path";
    let diagnostic = if skipped {
        Diagnostic::error(
            "GW5019",
            format!(
                "{message}: with CLAUDE_CODE_SKIP_VERTEX_AUTH nothing else names one, and every request fails"
            ),
            help,
        )
    } else {
        Diagnostic::warning(
            "GW5019",
            format!("{message}: it must come from Google's credentials"),
            help,
        )
    };
    Some(diagnostic.at(switch.name_span()))
}

#[cfg(test)]
mod tests {
    use super::super::SettingsScope;
    use super::super::tests_support::{codes, findings, with_env};

    #[test]
    fn gw5016_a_base_url_or_switch_ignored_under_the_provider_claude_code_uses() {
        let text = "{\"env\": {\n  \"CLAUDE_CODE_USE_BEDROCK\": \"1\",\n  \"AWS_REGION\": \"us-east-1\",\n  \"ANTHROPIC_BASE_URL\": \"https://llm.corp.example\",\n  \"CLAUDE_CODE_USE_VERTEX\": \"1\",\n  \"ANTHROPIC_BEDROCK_BASE_URL\": \"https://llm.corp.example/bedrock\"\n}}";
        let found = findings(text, SettingsScope::Project, None);
        let gw5016: Vec<(String, u32)> = found
            .iter()
            .filter(|d| d.code == "GW5016")
            .map(|d| {
                assert!(d.is_error());
                (d.message.clone(), d.span.expect("span").line)
            })
            .collect();
        assert_eq!(
            gw5016,
            [
                (
                    "Claude Code ignores ANTHROPIC_BASE_URL: CLAUDE_CODE_USE_BEDROCK is on, so it talks to Bedrock".to_owned(),
                    4
                ),
                (
                    "Claude Code ignores CLAUDE_CODE_USE_VERTEX: CLAUDE_CODE_USE_BEDROCK is on, so it talks to Bedrock".to_owned(),
                    5
                ),
            ]
        );
        let without_switch = r#"{"env": {"ANTHROPIC_VERTEX_BASE_URL": "https://gw/vertex_ai/v1"}}"#;
        let found = findings(without_switch, SettingsScope::Project, None);
        assert_eq!(found.len(), 1);
        assert!(
            found[0]
                .message
                .ends_with("no provider switch is on, so it talks to the first-party API")
        );
        assert_eq!(
            found[0].help,
            "set CLAUDE_CODE_USE_VERTEX to \"1\" to send requests to ANTHROPIC_VERTEX_BASE_URL; otherwise remove ANTHROPIC_VERTEX_BASE_URL"
        );
        // The shell's switch wins over the file's base URL: found with --env.
        let base_url = r#"{"env": {"ANTHROPIC_BASE_URL": "https://gw"}}"#;
        assert!(codes(base_url, None).is_empty());
        let shell = with_env(&[
            ("CLAUDE_CODE_USE_BEDROCK", "true"),
            ("ANTHROPIC_AUTH_TOKEN", "t"),
        ]);
        let found = findings(base_url, SettingsScope::Project, Some(&shell));
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!(found[0].code, "GW5016");
        assert!(
            found[0]
                .message
                .contains("CLAUDE_CODE_USE_BEDROCK is on in the environment")
        );
        // Off means off.
        assert!(
            codes(
                r#"{"env": {"CLAUDE_CODE_USE_BEDROCK": "0", "ANTHROPIC_BASE_URL": "https://gw"}}"#,
                None
            )
            .is_empty()
        );
    }

    #[test]
    fn gw5017_a_skip_auth_flag_for_a_provider_not_in_use() {
        let text = r#"{"env": {"ANTHROPIC_BASE_URL": "https://gw", "CLAUDE_CODE_SKIP_BEDROCK_AUTH": "1"}}"#;
        let found = findings(text, SettingsScope::Project, None);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].code, "GW5017");
        assert!(!found[0].is_error());
        assert_eq!(
            found[0].message,
            "CLAUDE_CODE_SKIP_BEDROCK_AUTH has no effect: Claude Code talks to the first-party API, not Bedrock"
        );
        assert!(
            found[0]
                .help
                .starts_with("set CLAUDE_CODE_USE_BEDROCK to \"1\"")
        );
        let matched = r#"{"env": {"CLAUDE_CODE_USE_VERTEX": "1", "CLAUDE_CODE_SKIP_VERTEX_AUTH": "1", "ANTHROPIC_VERTEX_PROJECT_ID": "p"}}"#;
        assert!(codes(matched, None).is_empty());
        assert!(codes(r#"{"env": {"CLAUDE_CODE_SKIP_VERTEX_AUTH": "0"}}"#, None).is_empty());
    }

    #[test]
    fn gw5018_bedrock_without_a_region_with_env_only() {
        let text = r#"{"env": {"CLAUDE_CODE_USE_BEDROCK": "1"}}"#;
        assert!(
            codes(text, None).is_empty(),
            "without --env the shell may set it"
        );
        let found = findings(text, SettingsScope::Project, Some(&with_env(&[])));
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].code, "GW5018");
        assert!(!found[0].is_error());
        assert!(
            found[0]
                .message
                .contains("in the settings or the environment:")
        );
        assert_eq!(found[0].span.map(|s| s.column), Some(10), "at the switch");
        assert!(codes(text, Some(&with_env(&[("AWS_REGION", "eu-west-1")]))).is_empty());
        assert!(codes(text, Some(&with_env(&[("AWS_PROFILE", "dev")]))).is_empty());
        // Bedrock switched on by the shell: nothing in this file to point at.
        assert!(codes("{}", Some(&with_env(&[("CLAUDE_CODE_USE_BEDROCK", "1")]))).is_empty());
    }

    #[test]
    fn gw5019_vertex_without_a_project_with_env_only() {
        let gateway = r#"{"env": {"CLAUDE_CODE_USE_VERTEX": "1", "CLAUDE_CODE_SKIP_VERTEX_AUTH": "1",
            "ANTHROPIC_VERTEX_BASE_URL": "https://gw/vertex_ai/v1"}}"#;
        assert!(
            codes(gateway, None).is_empty(),
            "without --env the shell may set it"
        );
        let found = findings(gateway, SettingsScope::Project, Some(&with_env(&[])));
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].code, "GW5019");
        assert!(found[0].is_error(), "no credentials can name the project");
        let direct = r#"{"env": {"CLAUDE_CODE_USE_VERTEX": "1"}}"#;
        let found = findings(direct, SettingsScope::Project, Some(&with_env(&[])));
        assert_eq!(found.len(), 1);
        assert!(!found[0].is_error());
        assert!(codes(direct, Some(&with_env(&[("GOOGLE_CLOUD_PROJECT", "p")]))).is_empty());
    }
}
