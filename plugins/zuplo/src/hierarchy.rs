//! The AI Gateway's limit hierarchy as the recipe's usage limits declare it: the gateway (root
//! team) above teams, a team above its sub-teams and apps. The checks compare each limit with the
//! nearest one above it; the report lists teams parents first.

use crate::options::{Level, UsageLimit};
use std::collections::{BTreeMap, BTreeSet};

/// A level's identity, apart from where the recipe says it hangs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Node<'a> {
    Gateway,
    Team(&'a str),
    App(&'a str),
}

impl<'a> Node<'a> {
    pub fn of(level: &Level<'a>) -> Node<'a> {
        match level {
            Level::Gateway => Node::Gateway,
            Level::Team { name, .. } => Node::Team(name),
            Level::App { name, .. } => Node::App(name),
        }
    }
}

/// Each team's and app's parent team, as the limits declare them.
pub struct Tree<'a> {
    parents: BTreeMap<Node<'a>, Option<&'a str>>,
}

impl<'a> Tree<'a> {
    pub fn of(limits: &[UsageLimit<'a>]) -> Result<Tree<'a>, String> {
        let mut parents: BTreeMap<Node<'a>, Option<&'a str>> = BTreeMap::new();
        for limit in limits {
            let node = Node::of(&limit.level);
            let parent = limit.level.parent_team();
            match parents.insert(node, parent) {
                Some(earlier) if earlier != parent => {
                    return Err(format!(
                        "{} is placed under {} and under {}",
                        limit.level.describe(),
                        under(earlier),
                        under(parent)
                    ));
                }
                _ => {}
            }
        }
        let tree = Tree { parents };
        for node in tree.parents.keys() {
            if let Node::Team(name) = node
                && tree.ancestors(name).any(|above| above == *name)
            {
                return Err(format!("team `{name}` is its own ancestor"));
            }
        }
        Ok(tree)
    }

    /// How many teams are above team `name`: 0 for a top-level team.
    pub fn depth(&self, name: &'a str) -> usize {
        self.ancestors(name).count()
    }

    /// The teams above team `name`, nearest first; stops at the first repeat, so a cycle cannot
    /// loop.
    fn ancestors(&self, name: &'a str) -> impl Iterator<Item = &'a str> + '_ {
        let parent_of =
            move |team: &&'a str| self.parents.get(&Node::Team(team)).copied().flatten();
        let mut seen = BTreeSet::new();
        std::iter::successors(parent_of(&name), parent_of)
            .take_while(move |team| seen.insert(*team))
    }

    /// The limit of the same kind and period on the nearest level above `limit`: a team above it,
    /// else the gateway.
    pub fn nearest_above<'l>(
        &self,
        limit: &UsageLimit<'a>,
        limits: &'l [UsageLimit<'a>],
    ) -> Option<&'l UsageLimit<'a>> {
        let same = |node: Node<'a>| {
            limits.iter().find(|other| {
                Node::of(&other.level) == node
                    && other.meter == limit.meter
                    && other.period == limit.period
            })
        };
        if limit.level == Level::Gateway {
            return None;
        }
        limit
            .level
            .parent_team()
            .into_iter()
            .flat_map(|team| std::iter::once(team).chain(self.ancestors(team)))
            .find_map(|team| same(Node::Team(team)))
            .or_else(|| same(Node::Gateway))
    }
}

fn under(parent: Option<&str>) -> String {
    parent.map_or_else(|| "no team".to_owned(), |team| format!("team `{team}`"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::options::{Meter, Period};

    fn limit(level: Level<'static>, meter: Meter, amount: f64) -> UsageLimit<'static> {
        UsageLimit {
            level,
            meter,
            period: Period::Monthly,
            limit: amount,
            warn_only: false,
        }
    }

    #[test]
    fn depth_counts_the_teams_above() {
        let limits = [
            limit(
                Level::Team {
                    name: "platform",
                    parent: None,
                },
                Meter::Cost,
                10.0,
            ),
            limit(
                Level::Team {
                    name: "ml",
                    parent: Some("platform"),
                },
                Meter::Cost,
                5.0,
            ),
            limit(
                Level::App {
                    name: "claude-code",
                    team: "ml",
                },
                Meter::Cost,
                1.0,
            ),
        ];
        let tree = Tree::of(&limits).expect("a tree");
        assert_eq!(tree.depth("platform"), 0);
        assert_eq!(tree.depth("ml"), 1);
        assert_eq!(tree.depth("undeclared"), 0);
    }

    #[test]
    fn the_nearest_limit_above_is_of_the_same_meter_and_period() {
        let limits = [
            limit(Level::Gateway, Meter::Tokens, 1e9),
            limit(
                Level::Team {
                    name: "platform",
                    parent: None,
                },
                Meter::Cost,
                10.0,
            ),
            limit(
                Level::Team {
                    name: "ml",
                    parent: Some("platform"),
                },
                Meter::Requests,
                5.0,
            ),
            limit(
                Level::App {
                    name: "claude-code",
                    team: "ml",
                },
                Meter::Cost,
                1.0,
            ),
            limit(
                Level::App {
                    name: "claude-code",
                    team: "ml",
                },
                Meter::Tokens,
                1.0,
            ),
        ];
        let tree = Tree::of(&limits).expect("a tree");
        let above = |i: usize| {
            tree.nearest_above(&limits[i], &limits)
                .map(UsageLimit::describe)
        };
        assert_eq!(
            above(3).as_deref(),
            Some("team `platform` monthly limit of $10 (USD)")
        );
        assert_eq!(
            above(4).as_deref(),
            Some("the gateway monthly limit of 1000000000 tokens")
        );
        assert_eq!(above(0), None);
        assert_eq!(above(2), None, "nothing above ml counts requests");
    }
}
