//! Fallback chains. LiteLLM accepts both defects below at startup and only misbehaves at request
//! time: a cycle retries the same failing groups (bounded only by `max_fallbacks`), an unknown
//! group turns a fallback into a second error.

use super::Served;
use super::codes::{CIRCULAR_FALLBACK, FALLBACK_TO_UNSERVED_GROUP};
use gwscript_plugin::Diagnostic;
use gwscript_plugin::model::{Fallback, Gateway, Span};
use gwscript_plugin::suggest::did_you_mean;
use std::collections::HashMap;

/// The catch-all key LiteLLM applies to every group without its own chain.
const ANY_GROUP: &str = "*";

pub fn check(gateway: &Gateway) -> Vec<Diagnostic> {
    let mut diagnostics = unserved_groups(gateway);
    diagnostics.extend(cycles(&gateway.fallbacks).into_iter().map(|cycle| {
        Diagnostic::error(
            CIRCULAR_FALLBACK,
            format!("circular fallback: {}", cycle.path.join(" -> ")),
            "break the cycle: a fallback chain must end in a group that falls back to nothing",
        )
        .at(cycle.span)
    }));
    diagnostics
}

fn unserved_groups(gateway: &Gateway) -> Vec<Diagnostic> {
    let served = Served::by(gateway);
    let mut diagnostics = Vec::new();
    for fallback in &gateway.fallbacks {
        if fallback.from != ANY_GROUP && !served.contains(&fallback.from) {
            diagnostics.push(unserved(gateway, fallback, &fallback.from, "from"));
        }
        for target in &fallback.to {
            if !served.contains(target) {
                diagnostics.push(unserved(gateway, fallback, target, "to"));
            }
        }
    }
    diagnostics
}

fn unserved(gateway: &Gateway, fallback: &Fallback, group: &str, direction: &str) -> Diagnostic {
    Diagnostic::error(
        FALLBACK_TO_UNSERVED_GROUP,
        format!("fallback {direction} model group `{group}`, which no deployment serves"),
        format!(
            "deploy a model as `{group}` or fix the name{}",
            did_you_mean(group, gateway.model_groups())
        ),
    )
    .at(fallback.span)
}

/// A cycle in the fallback graph, as the groups visited (first repeated at the end), and the
/// fallback declaration that closes it.
#[derive(Debug, PartialEq)]
struct Cycle<'a> {
    path: Vec<&'a str>,
    span: Option<Span>,
}

/// Every back edge of a depth-first walk over the groups in declaration order: each one closes a
/// distinct cycle, self-fallbacks included.
fn cycles(fallbacks: &[Fallback]) -> Vec<Cycle<'_>> {
    #[derive(Clone, Copy, PartialEq)]
    enum Visit {
        OnPath,
        Finished,
    }

    struct Walk<'a> {
        fallbacks: &'a [Fallback],
        visits: HashMap<&'a str, Visit>,
        path: Vec<&'a str>,
        found: Vec<Cycle<'a>>,
    }

    impl<'a> Walk<'a> {
        fn visit(&mut self, group: &'a str) {
            self.visits.insert(group, Visit::OnPath);
            self.path.push(group);
            let fallbacks = self.fallbacks;
            for fallback in fallbacks.iter().filter(|f| f.from == group) {
                for target in &fallback.to {
                    match self.visits.get(target.as_str()) {
                        Some(Visit::OnPath) => {
                            let start = self.path.iter().position(|g| g == target).unwrap_or(0);
                            let mut path = self.path[start..].to_vec();
                            path.push(target);
                            self.found.push(Cycle {
                                path,
                                span: fallback.span,
                            });
                        }
                        Some(Visit::Finished) => {}
                        None => self.visit(target),
                    }
                }
            }
            self.path.pop();
            self.visits.insert(group, Visit::Finished);
        }
    }

    let mut walk = Walk {
        fallbacks,
        visits: HashMap::new(),
        path: Vec::new(),
        found: Vec::new(),
    };
    for fallback in fallbacks {
        if !walk.visits.contains_key(fallback.from.as_str()) {
            walk.visit(&fallback.from);
        }
    }
    walk.found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::gateway_with;
    use gwscript_plugin::testing::{anthropic, codes_of, fallback};

    fn paths(fallbacks: &[Fallback]) -> Vec<String> {
        cycles(fallbacks)
            .iter()
            .map(|c| c.path.join(" -> "))
            .collect()
    }

    #[test]
    fn finds_cycles_of_any_length() {
        assert_eq!(paths(&[fallback("a", &["a"])]), ["a -> a"]);
        assert_eq!(
            paths(&[fallback("a", &["b"]), fallback("b", &["a"])]),
            ["a -> b -> a"]
        );
        assert_eq!(
            paths(&[
                fallback("a", &["b", "c"]),
                fallback("b", &["c"]),
                fallback("c", &["d", "b"]),
            ]),
            ["b -> c -> b"]
        );
        assert!(paths(&[fallback("a", &["b", "c"]), fallback("b", &["c"])]).is_empty());
    }

    #[test]
    fn gw4001_names_the_cycle_at_the_closing_fallback() {
        let gateway = gateway_with(
            vec![
                anthropic("opus", "claude-opus-4-5"),
                anthropic("sonnet", "claude-sonnet-4-5"),
            ],
            vec![fallback("opus", &["sonnet"]), fallback("sonnet", &["opus"])],
        );
        let diagnostics = check(&gateway);
        assert_eq!(codes_of(&diagnostics), ["GW4001"]);
        assert_eq!(
            diagnostics[0].message,
            "circular fallback: opus -> sonnet -> opus"
        );
        assert!(diagnostics[0].is_error());
        assert_eq!(diagnostics[0].span, gateway.fallbacks[1].span);
    }

    #[test]
    fn gw4001_catches_self_fallback() {
        let gateway = gateway_with(
            vec![anthropic("sonnet", "claude-sonnet-4-5")],
            vec![fallback("sonnet", &["sonnet"])],
        );
        assert_eq!(
            check(&gateway)[0].message,
            "circular fallback: sonnet -> sonnet"
        );
    }

    #[test]
    fn gw4002_flags_unserved_source_and_target() {
        let gateway = gateway_with(
            vec![anthropic("claude-sonnet-4-5", "claude-sonnet-4-5")],
            vec![
                fallback("claude-sonnet-4-5", &["claude-sonet-4-5"]),
                fallback("claude-opus-4-5", &["claude-sonnet-4-5"]),
            ],
        );
        let diagnostics = check(&gateway);
        assert_eq!(codes_of(&diagnostics), ["GW4002", "GW4002"]);
        assert_eq!(
            diagnostics[0].message,
            "fallback to model group `claude-sonet-4-5`, which no deployment serves"
        );
        assert!(
            diagnostics[0]
                .help
                .contains("did you mean `claude-sonnet-4-5`?")
        );
        assert_eq!(
            diagnostics[1].message,
            "fallback from model group `claude-opus-4-5`, which no deployment serves"
        );
    }

    #[test]
    fn sound_chains_wildcards_and_catch_all_pass() {
        let gateway = gateway_with(
            vec![
                anthropic("claude-opus-4-5", "claude-opus-4-5"),
                anthropic("claude-*", "claude-*"),
            ],
            vec![
                fallback(
                    "claude-opus-4-5",
                    &["claude-sonnet-4-5", "claude-haiku-4-5"],
                ),
                fallback("*", &["claude-haiku-4-5"]),
            ],
        );
        assert!(check(&gateway).is_empty());
    }
}
