//! "Did you mean …?" for misspelled names: the closest candidate by edit distance, if close enough
//! to be a plausible typo rather than a different word. Shared by the host and plugins so every
//! suggestion follows the same rule.

/// The candidate nearest to `input`, when at most a third of its characters (and at least two)
/// would have to change, or when `input` is a truncation of it (`aws_region` for
/// `aws_region_name`).
pub fn nearest<'a>(input: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let budget = (input.chars().count() / 3).max(2);
    candidates
        .into_iter()
        .map(|candidate| (edit_distance(input, candidate), candidate))
        .filter(|(distance, candidate)| {
            *distance <= budget || (!input.is_empty() && candidate.starts_with(input))
        })
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, candidate)| candidate)
}

/// The "did you mean" part of a help line: ` (did you mean `NEAREST`?)` for the candidate
/// [`nearest`] picks, or nothing when none is near.
pub fn did_you_mean<'a>(input: &str, candidates: impl IntoIterator<Item = &'a str>) -> String {
    nearest(input, candidates)
        .map(|near| format!(" (did you mean `{near}`?)"))
        .unwrap_or_default()
}

/// `a, b, c`, or the first `shown` names and how many more (`a, b and 3 more`): a help line or a
/// step title must stay one line whatever the recipe's size.
pub fn first_few(names: &[&str], shown: usize) -> String {
    if names.len() <= shown {
        return names.join(", ");
    }
    format!(
        "{} and {} more",
        names[..shown].join(", "),
        names.len() - shown
    )
}

/// Levenshtein distance over characters, one row at a time.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = Vec::with_capacity(b.len() + 1);
        current.push(i + 1);
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != *cb);
            current.push(substitution.min(previous[j + 1] + 1).min(current[j] + 1));
        }
        previous = current;
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lists_are_shortened_to_the_first_few() {
        assert_eq!(first_few(&["a", "b"], 5), "a, b");
        let many: Vec<String> = (0..5000).map(|i| format!("g{i}")).collect();
        let many: Vec<&str> = many.iter().map(String::as_str).collect();
        assert_eq!(first_few(&many, 5), "g0, g1, g2, g3, g4 and 4995 more");
    }

    #[test]
    fn suggests_a_close_spelling() {
        let strategies = ["simple-shuffle", "least-busy", "latency-based-routing"];
        assert_eq!(
            nearest("simple_shuffle", strategies),
            Some("simple-shuffle")
        );
        assert_eq!(nearest("latency-routing", strategies), None);
        assert_eq!(nearest("round-robin", strategies), None);
        assert_eq!(nearest("least", strategies), Some("least-busy"));
    }

    #[test]
    fn a_help_line_suggests_the_nearest_name_or_nothing() {
        let groups = ["claude-sonnet-4-5", "claude-haiku-4-5"];
        assert_eq!(
            did_you_mean("claude-sonnet-4-6", groups),
            " (did you mean `claude-sonnet-4-5`?)"
        );
        assert_eq!(did_you_mean("gpt-4o", groups), "");
    }

    #[test]
    fn counts_insertions_deletions_and_substitutions() {
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("api_kye", "api_key"), 2);
    }
}
