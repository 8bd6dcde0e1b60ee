//! LiteLLM reads any string starting `os.environ/` as an environment variable's name, and
//! `start.sh` checks each such variable before starting. A name that is not a variable name
//! (`os.environ/a[$(cmd)]`) can never be set, and bash would evaluate it inside `${!name}`: such a
//! literal is refused, never written.

use super::Input;
use super::codes::BAD_ENV_REFERENCE;
use crate::params::ENV_REFERENCE_PREFIX;
use gwscript_plugin::Diagnostic;
use gwscript_plugin::model::{Gateway, Span, is_env_name};

pub fn check(gateway: &Gateway) -> Vec<Diagnostic> {
    gateway
        .every_option()
        .filter(|(_, _, value, _)| value.strings().into_iter().any(is_bad_reference))
        .map(|(_, key, _, span)| refusal(key, span, Input::Recipe))
        .collect()
}

pub fn is_bad_reference(text: &str) -> bool {
    text.strip_prefix(ENV_REFERENCE_PREFIX)
        .is_some_and(|name| !is_env_name(name))
}

pub fn refusal(key: &str, span: Option<Span>, input: Input<'_>) -> Diagnostic {
    Diagnostic::error(
        BAD_ENV_REFERENCE,
        format!(
            "option `{key}` holds an `{ENV_REFERENCE_PREFIX}…` reference whose name is not an environment variable name"
        ),
        input.say(
            "name the variable with secret(\"NAME\") (letters, digits and `_`, not starting with a digit); gwscript writes the os.environ/NAME reference itself",
            "write `os.environ/NAME` with a variable name: letters, digits and `_`, not starting with a digit",
        ),
    )
    .at(span)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::gateway_with;
    use gwscript_plugin::testing::{anthropic, codes_of, list, literal, with_option};

    #[test]
    fn gw4016_refuses_a_reference_that_is_no_variable_name() {
        let hostile = with_option(
            anthropic("s", "claude-sonnet-4-5"),
            "api_base",
            literal("os.environ/a[$(touch PWNED)]"),
        );
        let gateway = gateway_with(vec![hostile], vec![]);
        let found = check(&gateway);
        assert_eq!(codes_of(&found), ["GW4016"]);
        assert!(!found[0].message.contains("PWNED"), "{}", found[0].message);

        let nested = with_option(
            anthropic("s", "claude-sonnet-4-5"),
            "tags",
            list(vec![literal("os.environ/1X")]),
        );
        assert_eq!(
            codes_of(&check(&gateway_with(vec![nested], vec![]))),
            ["GW4016"]
        );

        let fine = with_option(
            anthropic("s", "claude-sonnet-4-5"),
            "api_base",
            literal("os.environ/ANTHROPIC_BASE"),
        );
        assert!(check(&gateway_with(vec![fine], vec![])).is_empty());
    }
}
