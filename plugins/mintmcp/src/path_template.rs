//! The `events_path` option: the path below `MINTMCP_BASE_URL` the hook posts to, with
//! placeholders the hook fills in at run time, each percent-encoded as one path segment.
//!
//! `{org_key}` is the org key and `{user}` the developer (`MINTMCP_USER`, else `$USER`). Literal
//! text is limited to characters a URL path takes as they are, so the hook never has to escape
//! it; it is written into the script shell-quoted.

/// One piece of the path, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Part {
    Text(String),
    OrgKey,
    User,
}

/// Characters allowed in literal text besides ASCII letters and digits: RFC 3986's unreserved
/// characters, the sub-delimiters a path keeps verbatim, `:`, `@`, `/` and `%` (an escape the
/// recipe wrote itself). No quote, backslash, `?`, `#` or space.
const LITERAL_PUNCTUATION: &str = "-._~!$&()*+,;=:@/%";

pub const ORG_KEY: &str = "{org_key}";
pub const USER: &str = "{user}";

/// The parts of `template`, or what is wrong with it.
pub fn parse(template: &str) -> Result<Vec<Part>, String> {
    if !template.starts_with('/') {
        return Err("it must start with `/`".into());
    }
    let mut parts = Vec::new();
    let mut rest = template;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix(ORG_KEY) {
            parts.push(Part::OrgKey);
            rest = after;
        } else if let Some(after) = rest.strip_prefix(USER) {
            parts.push(Part::User);
            rest = after;
        } else if rest.starts_with('{') {
            let placeholder = rest.split_inclusive('}').next().unwrap_or(rest);
            return Err(format!(
                "`{placeholder}` is not a placeholder; the hook fills in {ORG_KEY} and {USER}"
            ));
        } else {
            let end = rest.find('{').unwrap_or(rest.len());
            let (text, after) = rest.split_at(end);
            if let Some(bad) = text
                .chars()
                .find(|c| !c.is_ascii_alphanumeric() && !LITERAL_PUNCTUATION.contains(*c))
            {
                return Err(format!(
                    "{bad:?} cannot appear in a URL path as it is; percent-encode it"
                ));
            }
            parts.push(Part::Text(text.to_owned()));
            rest = after;
        }
    }
    Ok(parts)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> Part {
        Part::Text(s.into())
    }

    #[test]
    fn the_default_path_puts_key_and_user_in_one_segment() {
        assert_eq!(
            parse("/h/{org_key},{user}/claudecode"),
            Ok(vec![
                text("/h/"),
                Part::OrgKey,
                text(","),
                Part::User,
                text("/claudecode"),
            ])
        );
        assert_eq!(parse("/events"), Ok(vec![text("/events")]));
        assert_eq!(
            parse("/{user}{org_key}"),
            Ok(vec![text("/"), Part::User, Part::OrgKey])
        );
    }

    #[test]
    fn refuses_unknown_placeholders_and_characters_a_path_cannot_hold() {
        for (template, problem) in [
            ("h/{org_key}", "must start with `/`"),
            ("/h/{orgkey}", "`{orgkey}` is not a placeholder"),
            ("/h/{org_key", "`{org_key` is not a placeholder"),
            ("/h/{}", "`{}` is not a placeholder"),
            ("/h/a b", "' ' cannot appear"),
            ("/h/\"x", "'\"' cannot appear"),
            ("/h/x?y=1", "'?' cannot appear"),
            ("/h/\\", "'\\\\' cannot appear"),
            ("/h/}", "'}' cannot appear"),
            ("/h/'", "'\\'' cannot appear"),
        ] {
            let error = parse(template).expect_err(template);
            assert!(error.contains(problem), "{template}: {error}");
        }
    }
}
