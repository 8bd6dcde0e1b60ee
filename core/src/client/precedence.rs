//! Claude Code's provider precedence (claude-code.md §3): the first provider switch that is on
//! wins, else the first-party API; each provider reads its own base URL and ignores the others'.
//! What a recipe's `env` variable becomes under that rule: kept, replaced by the setup's own
//! value, or dropped because Claude Code would ignore it or it would switch the provider away
//! from the pattern's.

use super::env::{EnvValue, EnvVar};

/// The provider Claude Code talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClientProvider {
    Bedrock,
    Foundry,
    AnthropicAws,
    Mantle,
    Vertex,
    FirstParty,
}

/// The switches, highest precedence first.
const SWITCHES: [(&str, ClientProvider); 5] = [
    ("CLAUDE_CODE_USE_BEDROCK", ClientProvider::Bedrock),
    ("CLAUDE_CODE_USE_FOUNDRY", ClientProvider::Foundry),
    (
        "CLAUDE_CODE_USE_ANTHROPIC_AWS",
        ClientProvider::AnthropicAws,
    ),
    ("CLAUDE_CODE_USE_MANTLE", ClientProvider::Mantle),
    ("CLAUDE_CODE_USE_VERTEX", ClientProvider::Vertex),
];

/// Base URLs each provider reads, and only it.
const BASE_URLS: [(&str, ClientProvider); 6] = [
    ("ANTHROPIC_BASE_URL", ClientProvider::FirstParty),
    ("ANTHROPIC_BEDROCK_BASE_URL", ClientProvider::Bedrock),
    ("ANTHROPIC_VERTEX_BASE_URL", ClientProvider::Vertex),
    ("ANTHROPIC_FOUNDRY_BASE_URL", ClientProvider::Foundry),
    ("ANTHROPIC_AWS_BASE_URL", ClientProvider::AnthropicAws),
    ("ANTHROPIC_BEDROCK_MANTLE_BASE_URL", ClientProvider::Mantle),
];

impl ClientProvider {
    pub fn name(self) -> &'static str {
        match self {
            ClientProvider::Bedrock => "Bedrock",
            ClientProvider::Foundry => "Microsoft Foundry",
            ClientProvider::AnthropicAws => "Anthropic on AWS",
            ClientProvider::Mantle => "Mantle",
            ClientProvider::Vertex => "Vertex AI",
            ClientProvider::FirstParty => "the first-party API",
        }
    }
}

/// A boolean flag as Claude Code reads it: `1`, `true`, `yes`, `on` in any case.
fn is_on(value: &str) -> bool {
    matches!(
        value.trim().to_ascii_lowercase().as_str(),
        "1" | "true" | "yes" | "on"
    )
}

/// The provider Claude Code uses with these (name, value) pairs set.
fn provider_of<'a>(vars: impl Iterator<Item = (&'a str, &'a str)> + Clone) -> ClientProvider {
    SWITCHES
        .iter()
        .find(|(switch, _)| {
            vars.clone()
                .any(|(name, value)| name == *switch && is_on(value))
        })
        .map_or(ClientProvider::FirstParty, |(_, provider)| *provider)
}

fn literals(vars: &[EnvVar]) -> impl Iterator<Item = (&str, &str)> + Clone {
    vars.iter().filter_map(|v| match &v.value {
        EnvValue::Literal(value) => Some((v.name.as_str(), value.as_str())),
        _ => None,
    })
}

/// The provider the setup's own variables select.
pub fn setup_provider(setup_vars: &[EnvVar]) -> ClientProvider {
    provider_of(literals(setup_vars))
}

/// What becomes of one variable of the recipe's `env`.
#[derive(Debug, Clone, PartialEq)]
pub enum Fate<'a> {
    /// Written as the recipe gives it.
    Kept,
    /// The setup sets the variable itself, to this; the setup's value is written.
    Replaced(&'a EnvVar),
    /// Claude Code ignores it under the setup's provider; not written.
    Ignored(ClientProvider),
    /// It would switch Claude Code from the pattern's provider to another; not written.
    Switches {
        from: ClientProvider,
        to: ClientProvider,
    },
}

/// The fate of the recipe's `name=value` beside the setup's own variables.
pub fn fate<'a>(name: &str, value: &str, setup_vars: &'a [EnvVar]) -> Fate<'a> {
    if let Some(own) = setup_vars.iter().find(|v| v.name == name) {
        return Fate::Replaced(own);
    }
    let from = setup_provider(setup_vars);
    if SWITCHES.iter().any(|(switch, _)| *switch == name) && is_on(value) {
        let to = provider_of(literals(setup_vars).chain([(name, value)]));
        return if to == from {
            Fate::Ignored(from)
        } else {
            Fate::Switches { from, to }
        };
    }
    match BASE_URLS.iter().find(|(url, _)| *url == name) {
        Some((_, reader)) if *reader != from => Fate::Ignored(from),
        _ => Fate::Kept,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flag(name: &str) -> EnvVar {
        EnvVar {
            name: name.into(),
            value: EnvValue::Literal("1".into()),
            why: "".into(),
        }
    }

    #[test]
    fn the_first_switch_that_is_on_wins() {
        assert_eq!(setup_provider(&[]), ClientProvider::FirstParty);
        let both = [
            flag("CLAUDE_CODE_USE_VERTEX"),
            flag("CLAUDE_CODE_USE_BEDROCK"),
        ];
        assert_eq!(setup_provider(&both), ClientProvider::Bedrock);
        let off = EnvVar {
            value: EnvValue::Literal("off".into()),
            ..flag("CLAUDE_CODE_USE_BEDROCK")
        };
        assert_eq!(setup_provider(&[off]), ClientProvider::FirstParty);
    }

    #[test]
    fn each_provider_reads_its_own_base_url_only() {
        let bedrock = [flag("CLAUDE_CODE_USE_BEDROCK")];
        assert_eq!(
            fate("ANTHROPIC_BASE_URL", "https://gw", &bedrock),
            Fate::Ignored(ClientProvider::Bedrock)
        );
        assert_eq!(
            fate("ANTHROPIC_BEDROCK_BASE_URL", "https://vpce", &bedrock),
            Fate::Kept
        );
        assert_eq!(fate("ANTHROPIC_BASE_URL", "https://gw", &[]), Fate::Kept);
        assert_eq!(
            fate("ANTHROPIC_VERTEX_BASE_URL", "https://x", &[]),
            Fate::Ignored(ClientProvider::FirstParty)
        );
    }

    #[test]
    fn a_switch_either_loses_or_takes_over() {
        let bedrock = [flag("CLAUDE_CODE_USE_BEDROCK")];
        assert_eq!(
            fate("CLAUDE_CODE_USE_VERTEX", "1", &bedrock),
            Fate::Ignored(ClientProvider::Bedrock)
        );
        let vertex = [flag("CLAUDE_CODE_USE_VERTEX")];
        assert_eq!(
            fate("CLAUDE_CODE_USE_BEDROCK", "true", &vertex),
            Fate::Switches {
                from: ClientProvider::Vertex,
                to: ClientProvider::Bedrock
            }
        );
        assert_eq!(fate("CLAUDE_CODE_USE_BEDROCK", "0", &vertex), Fate::Kept);
        assert_eq!(
            fate("CLAUDE_CODE_USE_VERTEX", "1", &vertex),
            Fate::Replaced(&vertex[0])
        );
    }
}
