//! Capability checks: what would make LiteLLM refuse the config, drop part of it silently, or
//! serve Claude Code badly. One module per concern; each returns its own diagnostics.
//!
//! The same rules check a recipe's gateway and a hand-written config.yaml turned into a gateway
//! (`crate::file`): [`gateway_rules`] takes an [`Input`] that says only what differs between the
//! two, the spelling of option keys, where each option sits, and how a fix is written.

mod client;
pub mod codes;
pub(crate) mod fallbacks;
mod groups;
mod instances;
pub(crate) mod passthrough;
mod providers;
pub(crate) mod references;
mod routing;
pub(crate) mod secrets;

use crate::params::Naming;
use foldhash::HashSet;
use gwscript_plugin::model::{Deployment, Gateway, Span};
use gwscript_plugin::suggest::did_you_mean;
use gwscript_plugin::{Diagnostic, Setup};
use std::cell::Cell;
use std::collections::HashMap;

pub fn run(setup: &Setup, gateway: &Gateway) -> Vec<Diagnostic> {
    let mut diagnostics = gateway_rules(gateway, Input::Recipe);
    diagnostics.extend(references::check(gateway));
    diagnostics.extend(client::check(setup, gateway));
    diagnostics.extend(passthrough::check(setup, gateway));
    diagnostics
}

/// The rules about the gateway itself, whichever input it came from.
pub fn gateway_rules(gateway: &Gateway, input: Input<'_>) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    diagnostics.extend(fallbacks::check(gateway));
    diagnostics.extend(routing::check(gateway));
    diagnostics.extend(providers::check(gateway, input));
    diagnostics.extend(secrets::check(gateway, input));
    diagnostics.extend(groups::check(gateway, input));
    diagnostics.extend(instances::check(gateway, input));
    diagnostics
}

/// Where the checked gateway was written.
#[derive(Debug, Clone, Copy)]
pub enum Input<'a> {
    /// A recipe: options under recipe names, fixes written in Rhai.
    Recipe,
    /// A config.yaml: options under LiteLLM's names, fixes written in YAML, and the position of
    /// each `litellm_params` key.
    ConfigFile(&'a ParamSpans),
}

/// Where each `litellm_params` key of each deployment sits in a config file, by the
/// deployment's index in the gateway.
#[derive(Debug, Default)]
pub struct ParamSpans(pub Vec<HashMap<String, Span>>);

impl Input<'_> {
    pub fn naming(self) -> Naming {
        match self {
            Input::Recipe => Naming::Recipe,
            Input::ConfigFile(_) => Naming::LiteLlm,
        }
    }

    /// The text for this input: how a recipe says it, or how a config file does.
    pub fn say<T>(self, recipe: T, file: T) -> T {
        match self {
            Input::Recipe => recipe,
            Input::ConfigFile(_) => file,
        }
    }

    /// Where provider option `key` of deployment number `index` was set.
    pub fn option_span(self, index: usize, deployment: &Deployment, key: &str) -> Option<Span> {
        let exact = match self {
            Input::Recipe => None,
            Input::ConfigFile(spans) => spans.0.get(index).and_then(|keys| keys.get(key)).copied(),
        };
        exact.or(deployment.provider.span).or(deployment.span)
    }

    /// How a finding names provider option `key` of `deployment`.
    pub fn option_name(self, deployment: &Deployment, key: &str) -> String {
        match self {
            Input::Recipe => format!(
                "{} provider option `{key}` of model group `{}`",
                deployment.provider.kind.name(),
                deployment.model_group
            ),
            Input::ConfigFile(_) => format!(
                "`litellm_params.{key}` of model group `{}`",
                deployment.model_group
            ),
        }
    }

    /// How to hold a credential by reference, naming the variable `env_name`.
    pub fn secret_fix(self, env_name: &str) -> String {
        self.say(
            format!(
                "use secret(\"NAME\") instead, e.g. secret(\"{env_name}\"), and set it in the proxy's environment"
            ),
            format!("write `os.environ/{env_name}` instead, and set {env_name} in the proxy's environment"),
        )
    }
}

/// How many "did you mean" suggestions one check computes: each compares the name with every
/// group, so a recipe naming thousands of unknown groups gets suggestions for the first few only
/// and the check stays linear.
const SUGGESTIONS_PER_CHECK: usize = 20;

/// The model names LiteLLM routes to a deployment: exact `model_name`s, and groups whose `*`
/// wildcards match a name (LiteLLM turns each `*` into `(.*)` and takes everything else
/// literally). Built once per check, so a lookup costs one hash probe plus the wildcard groups.
pub(crate) struct Served<'a> {
    groups: Vec<&'a str>,
    exact: HashSet<&'a str>,
    wildcards: Vec<&'a str>,
    suggestions_left: Cell<usize>,
}

impl<'a> Served<'a> {
    pub(crate) fn by(gateway: &'a Gateway) -> Self {
        let groups = gateway.model_groups();
        let (wildcards, exact): (Vec<&str>, Vec<&str>) =
            groups.iter().partition(|group| group.contains('*'));
        Served {
            exact: exact.into_iter().collect(),
            wildcards,
            groups,
            suggestions_left: Cell::new(SUGGESTIONS_PER_CHECK),
        }
    }

    /// ` (did you mean `GROUP`?)` for the served group nearest to `name`, while this check has
    /// suggestions left.
    fn did_you_mean(&self, name: &str) -> String {
        let left = self.suggestions_left.get();
        if left == 0 {
            return String::new();
        }
        self.suggestions_left.set(left - 1);
        did_you_mean(name, self.groups.iter().copied())
    }

    pub(crate) fn contains(&self, model: &str) -> bool {
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
    fn suggestions_stop_after_a_bounded_number() {
        let gateway = gateway_with(
            vec![anthropic("claude-sonnet-4-5", "claude-sonnet-4-5")],
            vec![],
        );
        let served = Served::by(&gateway);
        for _ in 0..SUGGESTIONS_PER_CHECK {
            assert_eq!(
                served.did_you_mean("claude-sonet-4-5"),
                " (did you mean `claude-sonnet-4-5`?)"
            );
        }
        assert_eq!(served.did_you_mean("claude-sonet-4-5"), "");
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
