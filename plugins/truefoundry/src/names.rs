//! TrueFoundry's names: a model is addressed as `<account>/<model>` (the provider account's name,
//! then the model integration's name), and that string is what clients put in `model`.

use std::collections::{HashMap, HashSet};

/// A model id as TrueFoundry serves it, split into its two names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ModelId<'a> {
    pub account: &'a str,
    pub model: &'a str,
}

/// `name` as `<account>/<model>`: exactly one `/`, with something on both sides.
pub fn parse_model_id(name: &str) -> Option<ModelId<'_>> {
    let (account, model) = name.split_once('/')?;
    (!account.is_empty() && !model.is_empty() && !model.contains('/'))
        .then_some(ModelId { account, model })
}

/// The id TrueFoundry gives model `model` of account `account`.
pub fn model_id(account: &str, model: &str) -> String {
    format!("{account}/{model}")
}

/// A provider account name TrueFoundry takes: 3 to 32 lowercase letters, digits and single `-`,
/// starting with a letter and ending with a letter or digit. TrueFoundry publishes no rule for
/// provider accounts; this is the rule its CLI applies to resource names (`truefoundry` 0.17.5,
/// `deploy/_autogen/models.py`), so a name that passes is safe everywhere a name appears.
pub fn is_account_name(name: &str) -> bool {
    let bytes = name.as_bytes();
    (3..=32).contains(&bytes.len())
        && bytes[0].is_ascii_lowercase()
        && bytes[bytes.len() - 1].is_ascii_alphanumeric()
        && bytes
            .iter()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'-')
        && !name.contains("--")
}

/// A model integration name: letters, digits, `.`, `_` and `-`, starting with a letter or digit,
/// at most 64 characters. Unverified beyond that: TrueFoundry publishes no rule, and these are the
/// characters of the provider model ids its documentation uses as names.
pub fn is_model_name(name: &str) -> bool {
    let mut chars = name.chars();
    name.len() <= 64
        && chars.next().is_some_and(|c| c.is_ascii_alphanumeric())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
}

/// `text` with every character TrueFoundry rule ids do not need turned into `-`, for ids that
/// still read as the group they route (`anthropic-main/claude-sonnet-4-6` ->
/// `anthropic-main-claude-sonnet-4-6`).
pub fn slug(text: &str) -> String {
    let mut slug = String::with_capacity(text.len());
    for c in text.chars() {
        let c = c.to_ascii_lowercase();
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.ends_with('-') {
            slug.push('-');
        }
    }
    slug.trim_matches('-').to_owned()
}

/// Rule ids handed out so far: each is `base`, or `base-2`, `base-3`, … , the first not yet
/// taken. Rule ids must be unique within a TrueFoundry config. The next number to try is kept per
/// base, so many rules with one base do not retry every number before theirs.
#[derive(Debug, Default)]
pub struct UniqueIds {
    taken: HashSet<String>,
    next: HashMap<String, u32>,
}

impl UniqueIds {
    pub fn claim(&mut self, base: String) -> String {
        let mut n = self.next.get(&base).copied().unwrap_or(1);
        let mut id = if n == 1 {
            base.clone()
        } else {
            format!("{base}-{n}")
        };
        while self.taken.contains(&id) {
            n += 1;
            id = format!("{base}-{n}");
        }
        self.taken.insert(id.clone());
        self.next.insert(base, n);
        id
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn model_ids_have_exactly_two_names() {
        assert_eq!(
            parse_model_id("anthropic-main/claude-sonnet-4-6"),
            Some(ModelId {
                account: "anthropic-main",
                model: "claude-sonnet-4-6"
            })
        );
        for bad in ["claude-sonnet-4-6", "/claude", "anthropic/", "a/b/c", ""] {
            assert_eq!(parse_model_id(bad), None, "{bad}");
        }
        assert_eq!(model_id("a-b", "m"), "a-b/m");
    }

    #[test]
    fn account_names_follow_truefoundrys_name_rule() {
        for good in ["anthropic-main", "bedrock-us-1", "abc", &"a".repeat(32)] {
            assert!(is_account_name(good), "{good}");
        }
        for bad in [
            "ab",
            "Anthropic",
            "1anthropic",
            "anthropic-",
            "anthropic--main",
            "anthropic_main",
            "anthropic main",
            &"a".repeat(33),
        ] {
            assert!(!is_account_name(bad), "{bad}");
        }
    }

    #[test]
    fn model_names_are_plain_ids() {
        for good in ["claude-sonnet-4-6", "claude-3.5_x", "Claude"] {
            assert!(is_model_name(good), "{good}");
        }
        for bad in [
            "",
            "-claude",
            "claude sonnet",
            "claude@20250929",
            &"a".repeat(65),
        ] {
            assert!(!is_model_name(bad), "{bad}");
        }
    }

    #[test]
    fn slugs_keep_the_words() {
        assert_eq!(
            slug("anthropic-main/claude-sonnet-4-6"),
            "anthropic-main-claude-sonnet-4-6"
        );
        assert_eq!(slug("A//b..C_"), "a-b-c");
    }

    #[test]
    fn ids_get_a_number_when_taken() {
        let mut ids = UniqueIds::default();
        let claimed: Vec<String> = ["r", "r-2", "r", "r", "r-3"]
            .into_iter()
            .map(|base| ids.claim(base.into()))
            .collect();
        assert_eq!(claimed, ["r", "r-2", "r-3", "r-4", "r-3-2"]);
    }
}
