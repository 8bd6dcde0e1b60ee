//! Fallback chains. LiteLLM accepts both defects below at startup and only misbehaves at request
//! time: a cycle retries the same failing groups (bounded only by `max_fallbacks`), an unknown
//! group turns a fallback into a second error.

use super::Served;
use super::codes::{CIRCULAR_FALLBACK, FALLBACK_TO_UNSERVED_GROUP};
use foldhash::{HashMap, HashMapExt};
use gwscript_plugin::Diagnostic;
use gwscript_plugin::model::{Fallback, Gateway, Span};

/// The catch-all key LiteLLM applies to every group without its own chain.
const ANY_GROUP: &str = "*";

pub fn check(gateway: &Gateway) -> Vec<Diagnostic> {
    check_chains(&Served::by(gateway), &gateway.fallbacks, None)
}

/// The checks of one list of fallback chains; `list` names it when it is not the gateway's
/// `fallbacks` (a config file also has `context_window_fallbacks` and
/// `content_policy_fallbacks`, each a graph of its own).
pub fn check_chains(
    served: &Served<'_>,
    fallbacks: &[Fallback],
    list: Option<&str>,
) -> Vec<Diagnostic> {
    let suffix = list.map(|name| format!(" in {name}")).unwrap_or_default();
    let mut diagnostics = unserved_groups(served, fallbacks, &suffix);
    diagnostics.extend(cycles(fallbacks).into_iter().map(|cycle| {
        Diagnostic::error(
            CIRCULAR_FALLBACK,
            format!("circular fallback{suffix}: {}", cycle.path.join(" -> ")),
            "break the cycle: a fallback chain must end in a group that falls back to nothing",
        )
        .at(cycle.span)
    }));
    diagnostics
}

fn unserved_groups(served: &Served<'_>, fallbacks: &[Fallback], suffix: &str) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    for fallback in fallbacks {
        if fallback.from != ANY_GROUP && !served.contains(&fallback.from) {
            diagnostics.push(unserved(served, fallback, &fallback.from, "from", suffix));
        }
        for target in &fallback.to {
            if !served.contains(target) {
                diagnostics.push(unserved(served, fallback, target, "to", suffix));
            }
        }
    }
    diagnostics
}

fn unserved(
    served: &Served<'_>,
    fallback: &Fallback,
    group: &str,
    direction: &str,
    suffix: &str,
) -> Diagnostic {
    Diagnostic::error(
        FALLBACK_TO_UNSERVED_GROUP,
        format!("fallback{suffix} {direction} model group `{group}`, which no deployment serves"),
        format!(
            "deploy a model as `{group}` or fix the name{}",
            served.did_you_mean(group)
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
/// distinct cycle, self-fallbacks included. The walk keeps its own stack (a chain of thousands of
/// groups must not exhaust the thread's) and visits each edge once.
fn cycles(fallbacks: &[Fallback]) -> Vec<Cycle<'_>> {
    #[derive(Clone, Copy)]
    enum Visit {
        /// On the current path, at this depth.
        OnPath(usize),
        Finished,
    }

    // Each group's fallback targets with the declaration naming them, in declaration order.
    let mut edges: HashMap<&str, Vec<(&str, Option<Span>)>> = HashMap::new();
    for fallback in fallbacks {
        edges
            .entry(fallback.from.as_str())
            .or_default()
            .extend(fallback.to.iter().map(|to| (to.as_str(), fallback.span)));
    }
    let mut visits: HashMap<&str, Visit> = HashMap::new();
    let mut found = Vec::new();
    for fallback in fallbacks {
        let root = fallback.from.as_str();
        if visits.contains_key(root) {
            continue;
        }
        // The current path: each group with the index of its next edge to follow.
        let mut path: Vec<(&str, usize)> = vec![(root, 0)];
        visits.insert(root, Visit::OnPath(0));
        while let Some(&(group, next)) = path.last() {
            let Some(&(target, span)) = edges.get(group).and_then(|out| out.get(next)) else {
                visits.insert(group, Visit::Finished);
                path.pop();
                continue;
            };
            if let Some(top) = path.last_mut() {
                top.1 += 1;
            }
            match visits.get(target) {
                Some(Visit::OnPath(depth)) => {
                    let mut cycle: Vec<&str> = path[*depth..].iter().map(|(g, _)| *g).collect();
                    cycle.push(target);
                    found.push(Cycle { path: cycle, span });
                }
                Some(Visit::Finished) => {}
                None => {
                    visits.insert(target, Visit::OnPath(path.len()));
                    path.push((target, 0));
                }
            }
        }
    }
    found
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
        // A group's chain may be declared in several fallback calls.
        assert_eq!(
            paths(&[
                fallback("a", &["b"]),
                fallback("b", &["c"]),
                fallback("a", &["a"])
            ]),
            ["a -> a"]
        );
    }

    /// A chain through 100,000 groups, closed at the end: the walk neither recurses per group nor
    /// rescans the fallbacks per group, so this stays fast and within any thread's stack.
    #[test]
    fn a_long_chain_is_walked_without_recursion() {
        const GROUPS: usize = 100_000;
        let names: Vec<String> = (0..GROUPS).map(|i| format!("g{i}")).collect();
        let mut chain: Vec<Fallback> = names
            .windows(2)
            .map(|pair| fallback(&pair[0], &[pair[1].as_str()]))
            .collect();
        chain.push(fallback(&names[GROUPS - 1], &["g0"]));
        let found = cycles(&chain);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].path.len(), GROUPS + 1);
        assert_eq!(found[0].span, chain[GROUPS - 1].span);
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
