//! Capability checks: what would make LiteLLM refuse the config, drop part of it silently, or
//! serve Claude Code badly. One module per concern; each returns its own diagnostics.

mod client;
pub mod codes;
mod fallbacks;
mod groups;
mod providers;
mod routing;
mod secrets;

use gwscript_plugin::model::Gateway;
use gwscript_plugin::{Diagnostic, Setup};
use std::collections::HashSet;

pub fn run(setup: &Setup, gateway: &Gateway) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    diagnostics.extend(fallbacks::check(gateway));
    diagnostics.extend(routing::check(gateway));
    diagnostics.extend(providers::check(gateway));
    diagnostics.extend(secrets::check(gateway));
    diagnostics.extend(groups::check(gateway));
    diagnostics.extend(client::check(setup, gateway));
    diagnostics
}

/// The model names LiteLLM routes to a deployment: exact `model_name`s, and groups whose `*`
/// wildcards match a name (LiteLLM turns each `*` into `(.*)` and takes everything else
/// literally). Built once per check, so a lookup costs one hash probe plus the wildcard groups.
struct Served<'a> {
    exact: HashSet<&'a str>,
    wildcards: Vec<&'a str>,
}

impl<'a> Served<'a> {
    fn by(gateway: &'a Gateway) -> Self {
        let (wildcards, exact): (Vec<&str>, Vec<&str>) = gateway
            .model_groups()
            .into_iter()
            .partition(|group| group.contains('*'));
        Served {
            exact: exact.into_iter().collect(),
            wildcards,
        }
    }

    fn contains(&self, model: &str) -> bool {
        self.exact.contains(model)
            || self
                .wildcards
                .iter()
                .any(|pattern| wildcard_matches(pattern, model))
    }
}

fn wildcard_matches(pattern: &str, name: &str) -> bool {
    let mut parts = pattern.split('*');
    let first = parts.next().unwrap_or_default();
    let Some(mut rest) = name.strip_prefix(first) else {
        return false;
    };
    let mut parts: Vec<&str> = parts.collect();
    let Some(last) = parts.pop() else {
        return rest.is_empty();
    };
    for part in parts {
        match rest.find(part) {
            Some(at) => rest = &rest[at + part.len()..],
            None => return false,
        }
    }
    rest.len() >= last.len() && rest.ends_with(last)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::gateway_with;
    use gwscript_plugin::testing::anthropic;

    #[test]
    fn served_names_are_exact_groups_and_wildcard_matches() {
        let gateway = gateway_with(
            vec![
                anthropic("claude-sonnet-4-5", "claude-sonnet-4-5"),
                anthropic("gpt-*", "openai/gpt-*"),
            ],
            vec![],
        );
        let served = Served::by(&gateway);
        assert_eq!(served.wildcards, ["gpt-*"]);
        assert!(served.contains("claude-sonnet-4-5"));
        assert!(served.contains("gpt-4o"));
        assert!(!served.contains("claude-haiku-4-5"));
    }

    #[test]
    fn wildcards_match_like_litellm() {
        assert!(wildcard_matches("claude-sonnet-4-5", "claude-sonnet-4-5"));
        assert!(!wildcard_matches(
            "claude-sonnet-4-5",
            "claude-sonnet-4-5-20250929"
        ));
        assert!(wildcard_matches("claude-*", "claude-haiku-4-5"));
        assert!(wildcard_matches("claude-*", "claude-"));
        assert!(wildcard_matches("*", "anything"));
        assert!(wildcard_matches(
            "anthropic/*-4-5",
            "anthropic/claude-opus-4-5"
        ));
        assert!(wildcard_matches("a*b*c", "a-b-b-c"));
        assert!(!wildcard_matches("claude-*", "gpt-4o"));
        assert!(!wildcard_matches("a*bc", "abc-bc-x"));
        assert!(!wildcard_matches("ab*ba", "aba"));
    }
}
