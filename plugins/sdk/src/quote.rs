//! Quoting for the output languages gwscript writes by hand (as opposed to through templates,
//! whose escaping [`crate::render`] applies). One function per language, used by host and plugins.

/// `text` as one POSIX shell word: single-quoted, each `'` closed, escaped and reopened (`it's`
/// becomes `'it'\''s'`). Nothing is special inside single quotes: `$(`, backquotes, spaces and
/// newlines stay part of the word.
pub fn shell_quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', r"'\''"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::shell_words;

    #[test]
    fn a_quoted_word_reaches_the_program_unchanged() {
        for text in [
            "http://127.0.0.1:4000",
            "it's",
            "'$(touch /tmp/gwscript-pwned)'",
            "`id` ${HOME} $HOME",
            "a b\tc\nd",
            "'",
            "",
            "\u{1b}[31m;&&#{{",
        ] {
            assert_eq!(
                shell_words("show", &format!("show {}", shell_quote(text))),
                [text]
            );
        }
    }
}
