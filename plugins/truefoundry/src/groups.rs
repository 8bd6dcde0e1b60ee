//! Gathering by model group in one pass, so that checks and rules look at each group's members
//! without scanning every deployment once per group.

use std::collections::HashMap;

/// `items` gathered by the model group `group_of` names, groups in first-seen order (for
/// deployments, the order of `Gateway::model_groups`), members in input order.
pub fn by_group<'a, T>(
    items: impl IntoIterator<Item = T>,
    group_of: impl Fn(&T) -> &'a str,
) -> Vec<(&'a str, Vec<T>)> {
    let mut groups: Vec<(&'a str, Vec<T>)> = Vec::new();
    let mut position: HashMap<&'a str, usize> = HashMap::new();
    for item in items {
        let group = group_of(&item);
        let at = *position.entry(group).or_insert_with(|| {
            groups.push((group, Vec::new()));
            groups.len() - 1
        });
        groups[at].1.push(item);
    }
    groups
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn members_stay_in_order_under_their_first_seen_group() {
        let items = [("b", 1), ("a", 2), ("b", 3), ("c", 4), ("a", 5)];
        let groups = by_group(items, |(group, _)| *group);
        let summary: Vec<(&str, Vec<i32>)> = groups
            .into_iter()
            .map(|(group, members)| (group, members.into_iter().map(|(_, n)| n).collect()))
            .collect();
        assert_eq!(
            summary,
            [("b", vec![1, 3]), ("a", vec![2, 5]), ("c", vec![4])]
        );
    }
}
