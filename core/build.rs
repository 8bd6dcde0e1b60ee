//! Embeds the diagnostic pages from `book/src/diagnostics/` so `gwscript explain` prints the book.

use std::fmt::Write;
use std::path::Path;

fn main() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../book/src/diagnostics");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut pages: Vec<(String, String)> = std::fs::read_dir(&dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| is_code_page(p))
                .map(|p| {
                    let code = p.file_stem().and_then(|s| s.to_str()).unwrap_or_default();
                    (
                        code.to_owned(),
                        p.canonicalize().unwrap_or(p.clone()).display().to_string(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    pages.sort();
    let mut out = String::from("static PAGES: &[(&str, &str)] = &[\n");
    for (code, path) in &pages {
        println!("cargo:rerun-if-changed={path}");
        let _ = writeln!(out, "    ({code:?}, include_str!({path:?})),");
    }
    out.push_str("];\n");
    let target = Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"))
        .join("diagnostic_pages.rs");
    std::fs::write(target, out).expect("OUT_DIR is writable");
}

fn is_code_page(path: &Path) -> bool {
    let Some(stem) = path.file_stem().and_then(|s| s.to_str()) else {
        return false;
    };
    path.extension().is_some_and(|e| e == "md")
        && stem.len() == 6
        && stem.starts_with("GW")
        && stem[2..].bytes().all(|b| b.is_ascii_digit())
}
