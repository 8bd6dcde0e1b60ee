//! Reading the files to check: bounded, and text only. A file that cannot be opened is a usage
//! error; one that is not UTF-8 text is a finding at its first bad byte.

use super::{Checked, MAX_FILE_BYTES};
use gwscript_plugin::Diagnostic;
use gwscript_plugin::model::Span;
use std::path::Path;

#[derive(Debug)]
pub enum Unreadable {
    /// Missing, not a regular file, unreadable or too large: exit 2.
    Missing(Diagnostic),
    /// Read, but not UTF-8 text: a finding.
    NotText(Diagnostic),
}

pub fn read(path: &Path) -> Result<String, Unreadable> {
    let bytes =
        crate::script::read_regular_file(path, MAX_FILE_BYTES, "checked files").map_err(|why| {
            Unreadable::Missing(Diagnostic::error(
                "GW0007",
                format!("cannot read {}: {why}", path.display()),
                "check the path; `gwscript check` reads regular files of at most 64 MiB",
            ))
        })?;
    String::from_utf8(bytes).map_err(|error| {
        let valid = &error.as_bytes()[..error.utf8_error().valid_up_to()];
        Unreadable::NotText(
            Diagnostic::error(
                "GW0008",
                format!("{} is not UTF-8 text", path.display()),
                "configs and settings are UTF-8 text; re-save the file as UTF-8, or check that it is the file you meant",
            )
            .at(Some(position_after(valid))),
        )
    })
}

/// The 1-based line and column just past `valid` (which is UTF-8 up to its end).
fn position_after(valid: &[u8]) -> Span {
    let text = std::str::from_utf8(valid).unwrap_or_default();
    let line_start = text.rfind('\n').map_or(0, |at| at + 1);
    Span {
        line: 1 + text.matches('\n').count() as u32,
        column: 1 + text[line_start..].chars().count() as u32,
    }
}

/// Reads, for showing source lines, the files findings point into that were not checked
/// themselves (a config's includes). One that cannot be read is shown without its source.
pub fn read_included(checked: &mut Checked) {
    let missing: Vec<String> = checked
        .findings
        .iter()
        .filter(|f| f.diagnostic.span.is_some() && !checked.sources.contains_key(&f.file))
        .map(|f| f.file.clone())
        .collect();
    for file in missing {
        if let Ok(text) = read(Path::new(&file)) {
            checked.sources.insert(file, text);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_bad_byte_is_located() {
        assert_eq!(position_after(b""), Span { line: 1, column: 1 });
        assert_eq!(
            position_after("a: 1\nb: é".as_bytes()),
            Span { line: 2, column: 5 }
        );
    }

    #[test]
    fn missing_and_binary_files_are_told_apart() {
        let dir = tempfile::tempdir().expect("temp dir");
        assert!(matches!(
            read(&dir.path().join("nope.yaml")),
            Err(Unreadable::Missing(d)) if d.code == "GW0007"
        ));
        let binary = dir.path().join("config.yaml");
        std::fs::write(&binary, b"model_list:\n  - \xff\xfe").expect("write");
        match read(&binary) {
            Err(Unreadable::NotText(d)) => {
                assert_eq!(d.code, "GW0008");
                assert_eq!(d.span, Some(Span { line: 2, column: 5 }));
            }
            other => panic!("expected GW0008, got {other:?}"),
        }
    }
}
