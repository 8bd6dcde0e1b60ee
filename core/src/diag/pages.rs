//! The long-form pages `gwscript explain` prints: `book/src/diagnostics/GWxxxx.md`, embedded at
//! build time so the binary and the book can never disagree.

include!(concat!(env!("OUT_DIR"), "/diagnostic_pages.rs"));

#[derive(Debug, Clone, Copy)]
pub struct Page {
    pub code: &'static str,
    pub title: &'static str,
    pub body: &'static str,
}

/// Looks a code up case-insensitively (`gw1001` works too).
pub fn page(code: &str) -> Option<Page> {
    PAGES
        .iter()
        .find(|(c, _)| c.eq_ignore_ascii_case(code))
        .map(|(code, body)| Page {
            code,
            title: title_of(body),
            body,
        })
}

pub fn all() -> impl Iterator<Item = Page> {
    PAGES.iter().filter_map(|(code, _)| page(code))
}

/// The first line of a page is `# GWxxxx: title`.
fn title_of(body: &str) -> &str {
    body.lines()
        .next()
        .and_then(|first| first.split_once(": "))
        .map(|(_, title)| title.trim())
        .unwrap_or("")
}
