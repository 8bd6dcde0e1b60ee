//! What Claude Code will use: for each variable and top-level setting, the highest layer that
//! sets it, and the lower ones it shadows. A settings `env` value replaces the shell's variable;
//! `""` in settings cancels a shell export (claude-code.md §4). A lower layer's value replaced by a
//! different one, where that moves Claude Code to another provider, gateway or proxy, is a
//! conflict worth a word (GW5050).

use super::layers::{Layer, State};
use super::redact::shown;
use super::{Effective, Entry, Origin, Shadowed, Value};
use crate::check::Finding;
use gwscript_plugin::Diagnostic;
use std::collections::BTreeMap;

/// Shell variables Claude Code reads, by prefix, beside those named in [`SHELL_NAMES`]
/// (claude-code.md §3).
const SHELL_PREFIXES: [&str; 5] = [
    "ANTHROPIC_",
    "CLAUDE_",
    "DISABLE_",
    "VERTEX_REGION_CLAUDE_",
    "OTEL_",
];

/// Shell variables Claude Code (or Node under it) reads that no prefix covers.
const SHELL_NAMES: [&str; 24] = [
    "AWS_REGION",
    "AWS_DEFAULT_REGION",
    "AWS_PROFILE",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_BEARER_TOKEN_BEDROCK",
    "CLOUD_ML_REGION",
    "GCLOUD_PROJECT",
    "GOOGLE_CLOUD_PROJECT",
    "GOOGLE_APPLICATION_CREDENTIALS",
    "HTTPS_PROXY",
    "https_proxy",
    "HTTP_PROXY",
    "http_proxy",
    "NO_PROXY",
    "no_proxy",
    "NODE_EXTRA_CA_CERTS",
    "NODE_TLS_REJECT_UNAUTHORIZED",
    "NODE_OPTIONS",
    "API_TIMEOUT_MS",
    "MAX_THINKING_TOKENS",
    "MCP_TIMEOUT",
    "BASH_DEFAULT_TIMEOUT_MS",
];

/// Whether Claude Code reads shell variable `name`: only these are shown when no settings file
/// sets them (the shell holds much else).
pub fn read_by_claude_code(name: &str) -> bool {
    SHELL_NAMES.contains(&name) || SHELL_PREFIXES.iter().any(|p| name.starts_with(p))
}

/// The effective variables, then the effective top-level settings, each sorted by name.
/// `layers` are highest first; the last is the environment, holding `shell`.
pub fn resolve(
    layers: &[Layer],
    shell: &BTreeMap<String, String>,
) -> (Vec<Effective>, Vec<Effective>) {
    let mut variables = stack(layers, |state| match state {
        State::Read { env, .. } => env.as_slice(),
        _ => &[],
    });
    let from_shell = Origin {
        layer: layers.len().saturating_sub(1),
        at: None,
    };
    for effective in variables.values_mut() {
        if let Some(value) = shell.get(&effective.name) {
            effective.shadowed.push(Shadowed {
                origin: from_shell,
                value: Value::Text(value.clone()),
            });
        }
    }
    for (name, value) in shell.iter().filter(|(name, _)| read_by_claude_code(name)) {
        variables.entry(name.clone()).or_insert_with(|| Effective {
            name: name.clone(),
            value: Value::Text(value.clone()),
            origin: from_shell,
            shadowed: Vec::new(),
        });
    }
    let settings = stack(layers, |state| match state {
        State::Read { top, .. } => top.as_slice(),
        _ => &[],
    });
    (
        variables.into_values().collect(),
        settings.into_values().collect(),
    )
}

/// The entries `of` each settings layer gives, stacked: the first layer (highest) to set a name
/// wins, the others are shadowed, highest first.
fn stack(layers: &[Layer], of: impl Fn(&State) -> &[Entry]) -> BTreeMap<String, Effective> {
    let mut stacked: BTreeMap<String, Effective> = BTreeMap::new();
    for (index, layer) in layers.iter().enumerate() {
        for entry in of(&layer.state) {
            let origin = Origin {
                layer: index,
                at: entry.at,
            };
            match stacked.get_mut(&entry.name) {
                Some(effective) => effective.shadowed.push(Shadowed {
                    origin,
                    value: entry.value.clone(),
                }),
                None => {
                    stacked.insert(
                        entry.name.clone(),
                        Effective {
                            name: entry.name.clone(),
                            value: entry.value.clone(),
                            origin,
                            shadowed: Vec::new(),
                        },
                    );
                }
            }
        }
    }
    stacked
}

/// Whether a variable decides where Claude Code's requests go: a provider switch, a base URL,
/// a proxy.
fn routes_requests(name: &str) -> bool {
    name.starts_with("CLAUDE_CODE_USE_")
        || (name.starts_with("ANTHROPIC_") && name.ends_with("BASE_URL"))
        || name.eq_ignore_ascii_case("HTTPS_PROXY")
        || name.eq_ignore_ascii_case("HTTP_PROXY")
        || name.eq_ignore_ascii_case("NO_PROXY")
}

/// GW5050 for each variable that routes requests whose value replaces a different one set lower:
/// Claude Code follows the higher layer, and whoever reads the lower file is misled.
pub fn conflicts(variables: &[Effective], layers: &[Layer]) -> Vec<Finding> {
    variables
        .iter()
        .filter(|v| routes_requests(&v.name))
        .filter_map(|v| {
            let replaced: Vec<&Shadowed> =
                v.shadowed.iter().filter(|s| s.value != v.value).collect();
            let lower = replaced.first()?;
            let winner = &layers[v.origin.layer];
            let places: Vec<String> = replaced
                .iter()
                .map(|s| super::place(&layers[s.origin.layer], s.origin.at))
                .collect();
            let others = match &places[1..] {
                [] => String::new(),
                rest => format!(", and the values from {}", rest.join(", ")),
            };
            let diagnostic = Diagnostic::warning(
                "GW5050",
                format!(
                    "{} is {} in the {} settings, which replaces {} from {}{others}: Claude Code uses the {} settings' value",
                    v.name,
                    shown(&v.name, &v.value),
                    winner.source.name(),
                    shown(&v.name, &lower.value),
                    places[0],
                    winner.source.name(),
                ),
                format!(
                    "if that is what you mean, remove {} from {} so no one takes it for the one in use; if not, remove it from {}",
                    v.name,
                    places.join(", "),
                    winner.file()
                ),
            )
            .at(v.origin.at.map(|at| at.name));
            Some(Finding {
                file: winner.file().to_owned(),
                diagnostic,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::At;
    use super::super::layers::Source;
    use super::*;
    use gwscript_plugin::model::Span;

    fn at(line: u32) -> Option<At> {
        let span = Span { line, column: 3 };
        Some(At {
            name: span,
            value: span,
        })
    }

    fn file(source: Source, path: &str, env: &[(&str, &str, u32)]) -> Layer {
        let env = env
            .iter()
            .map(|(name, value, line)| Entry {
                name: (*name).to_owned(),
                value: Value::Text((*value).to_owned()),
                at: at(*line),
            })
            .collect();
        Layer {
            source,
            path: Some(path.to_owned()),
            state: State::Read {
                text: String::new(),
                env,
                top: Vec::new(),
            },
        }
    }

    fn shell_layer() -> Layer {
        Layer {
            source: Source::Env,
            path: None,
            state: State::Env,
        }
    }

    #[test]
    fn the_highest_layer_wins_and_the_shell_comes_last() {
        let layers = [
            file(
                Source::Project,
                ".claude/settings.json",
                &[
                    ("ANTHROPIC_BASE_URL", "https://b.example", 3),
                    ("ANTHROPIC_API_KEY", "", 4),
                ],
            ),
            file(
                Source::User,
                "/h/.claude/settings.json",
                &[("ANTHROPIC_BASE_URL", "https://a.example", 2)],
            ),
            shell_layer(),
        ];
        let shell: BTreeMap<String, String> = [
            ("ANTHROPIC_API_KEY", "k"),
            ("AWS_REGION", "eu-west-1"),
            ("PATH", "/usr/bin"),
        ]
        .into_iter()
        .map(|(n, v)| (n.to_owned(), v.to_owned()))
        .collect();
        let (variables, settings) = resolve(&layers, &shell);
        assert!(settings.is_empty());
        let summary: Vec<(&str, usize, Vec<usize>)> = variables
            .iter()
            .map(|v| {
                (
                    v.name.as_str(),
                    v.origin.layer,
                    v.shadowed.iter().map(|s| s.origin.layer).collect(),
                )
            })
            .collect();
        assert_eq!(
            summary,
            [
                ("ANTHROPIC_API_KEY", 0, vec![2]),
                ("ANTHROPIC_BASE_URL", 0, vec![1]),
                ("AWS_REGION", 2, vec![]),
            ],
            "PATH is not Claude Code's"
        );
        assert_eq!(variables[0].value, Value::Text(String::new()), "cancelled");

        let found = conflicts(&variables, &layers);
        assert_eq!(found.len(), 1, "{found:#?}");
        let gw5050 = &found[0];
        assert_eq!(gw5050.file, ".claude/settings.json");
        assert_eq!(gw5050.diagnostic.code, "GW5050");
        assert_eq!(gw5050.diagnostic.span.map(|s| s.line), Some(3));
        assert_eq!(
            gw5050.diagnostic.message,
            "ANTHROPIC_BASE_URL is https://b.example in the project settings, which replaces https://a.example from /h/.claude/settings.json:2: Claude Code uses the project settings' value"
        );
    }

    #[test]
    fn the_same_value_twice_or_a_variable_that_routes_nothing_is_no_conflict() {
        let layers = [
            file(
                Source::Local,
                ".claude/settings.local.json",
                &[
                    ("ANTHROPIC_BASE_URL", "https://a.example", 2),
                    ("ANTHROPIC_MODEL", "x", 3),
                ],
            ),
            file(
                Source::Project,
                ".claude/settings.json",
                &[
                    ("ANTHROPIC_BASE_URL", "https://a.example", 2),
                    ("ANTHROPIC_MODEL", "y", 3),
                ],
            ),
            shell_layer(),
        ];
        let (variables, _) = resolve(&layers, &BTreeMap::new());
        assert!(conflicts(&variables, &layers).is_empty());
    }

    #[test]
    fn shell_variables_claude_code_reads_are_told_from_the_rest() {
        for name in [
            "ANTHROPIC_AUTH_TOKEN",
            "CLAUDE_CODE_USE_BEDROCK",
            "HTTPS_PROXY",
            "no_proxy",
            "AWS_REGION",
        ] {
            assert!(read_by_claude_code(name), "{name}");
        }
        for name in ["PATH", "HOME", "AWS_SDK_LOAD_CONFIG_X", "MY_ANTHROPIC_KEY"] {
            assert!(!read_by_claude_code(name), "{name}");
        }
    }
}
