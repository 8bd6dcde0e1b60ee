//! Claude Code's provider precedence (claude-code.md §3): the first provider switch that is on
//! wins, else the first-party API; each provider reads its own base URL and ignores the others'.
//! What a recipe's `env` variable becomes under that rule: kept, replaced by the setup's own
//! value, or dropped because Claude Code would ignore it or it would switch the provider away
//! from the pattern's. The settings-file checks read the same tables, so a recipe and a
//! hand-written settings file are judged by one rule.

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

/// The variables that skip a provider's cloud authentication (the gateway holds the credentials),
/// each beside the provider it applies to; under any other provider it has no effect.
const SKIP_AUTH: [(&str, ClientProvider); 5] = [
    ("CLAUDE_CODE_SKIP_BEDROCK_AUTH", ClientProvider::Bedrock),
    ("CLAUDE_CODE_SKIP_FOUNDRY_AUTH", ClientProvider::Foundry),
    (
        "CLAUDE_CODE_SKIP_ANTHROPIC_AWS_AUTH",
        ClientProvider::AnthropicAws,
    ),
    ("CLAUDE_CODE_SKIP_MANTLE_AUTH", ClientProvider::Mantle),
    ("CLAUDE_CODE_SKIP_VERTEX_AUTH", ClientProvider::Vertex),
];

/// A boolean flag as Claude Code reads it: `Some(true)` for `1`, `true`, `yes`, `on` and
/// `Some(false)` for `0`, `false`, `no`, `off`, in any case; `None` for anything else (off).
pub fn flag_value(value: &str) -> Option<bool> {
    match value.trim().to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "on" => Some(true),
        "0" | "false" | "no" | "off" => Some(false),
        _ => None,
    }
}

/// Whether Claude Code reads a boolean flag as on.
pub fn is_on(value: &str) -> bool {
    flag_value(value) == Some(true)
}

/// The provider Claude Code uses with these (name, value) pairs set.
pub fn provider_of<'a>(vars: impl Iterator<Item = (&'a str, &'a str)> + Clone) -> ClientProvider {
    SWITCHES
        .iter()
        .find(|(switch, _)| {
            vars.clone()
                .any(|(name, value)| name == *switch && is_on(value))
        })
        .map_or(ClientProvider::FirstParty, |(_, provider)| *provider)
}

/// The provider `name` switches on, if it is a provider switch (`CLAUDE_CODE_USE_BEDROCK`).
pub fn switched_by(name: &str) -> Option<ClientProvider> {
    find(&SWITCHES, name)
}

/// The provider that reads base URL `name` (`ANTHROPIC_BEDROCK_BASE_URL`: Bedrock).
pub fn read_by(name: &str) -> Option<ClientProvider> {
    find(&BASE_URLS, name)
}

/// The provider whose authentication `name` skips (`CLAUDE_CODE_SKIP_BEDROCK_AUTH`).
pub fn auth_skipped_by(name: &str) -> Option<ClientProvider> {
    find(&SKIP_AUTH, name)
}

/// The switch that turns `provider` on; none for the first-party API, which needs none.
pub fn switch_of(provider: ClientProvider) -> Option<&'static str> {
    SWITCHES
        .iter()
        .find(|(_, p)| *p == provider)
        .map(|(switch, _)| *switch)
}

fn find(table: &[(&str, ClientProvider)], name: &str) -> Option<ClientProvider> {
    table
        .iter()
        .find(|(variable, _)| *variable == name)
        .map(|(_, provider)| *provider)
}

/// Whether Claude Code, talking to `provider`, ignores `name=value`: another provider's base URL,
/// or a switch that is on but loses to `provider`'s, which ranks higher.
pub fn ignored_by(provider: ClientProvider, name: &str, value: &str) -> bool {
    if let Some(switched) = switched_by(name) {
        return is_on(value) && switched != provider;
    }
    read_by(name).is_some_and(|reader| reader != provider)
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
    if switched_by(name).is_some() && is_on(value) {
        let to = provider_of(literals(setup_vars).chain([(name, value)]));
        return if to == from {
            Fate::Ignored(from)
        } else {
            Fate::Switches { from, to }
        };
    }
    if ignored_by(from, name, value) {
        Fate::Ignored(from)
    } else {
        Fate::Kept
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
    fn flags_read_as_claude_code_reads_them() {
        for on in ["1", "true", " YES ", "On"] {
            assert_eq!(flag_value(on), Some(true), "{on}");
        }
        for off in ["0", "false", "No", "OFF"] {
            assert_eq!(flag_value(off), Some(false), "{off}");
        }
        for neither in ["", "2", "enabled"] {
            assert_eq!(flag_value(neither), None, "{neither}");
        }
    }

    #[test]
    fn what_a_provider_ignores_and_which_switch_and_skip_belong_to_it() {
        use ClientProvider::*;
        assert!(ignored_by(Bedrock, "ANTHROPIC_BASE_URL", "https://gw"));
        assert!(!ignored_by(
            Bedrock,
            "ANTHROPIC_BEDROCK_BASE_URL",
            "https://gw"
        ));
        assert!(ignored_by(Bedrock, "CLAUDE_CODE_USE_VERTEX", "1"));
        assert!(!ignored_by(Bedrock, "CLAUDE_CODE_USE_VERTEX", "0"));
        assert!(!ignored_by(Bedrock, "CLAUDE_CODE_USE_BEDROCK", "1"));
        assert!(!ignored_by(FirstParty, "ANTHROPIC_MODEL", "m"));
        assert_eq!(switched_by("CLAUDE_CODE_USE_FOUNDRY"), Some(Foundry));
        assert_eq!(read_by("ANTHROPIC_VERTEX_BASE_URL"), Some(Vertex));
        assert_eq!(read_by("CLAUDE_CODE_USE_VERTEX"), None);
        assert_eq!(
            auth_skipped_by("CLAUDE_CODE_SKIP_VERTEX_AUTH"),
            Some(Vertex)
        );
        assert_eq!(auth_skipped_by("CLAUDE_CODE_USE_VERTEX"), None);
        assert_eq!(switch_of(Mantle), Some("CLAUDE_CODE_USE_MANTLE"));
        assert_eq!(switch_of(FirstParty), None);
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
