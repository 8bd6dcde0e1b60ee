//! Snapshots of everything `gwscript run` emits for the example recipes (scripts/ and the book's
//! examples): each artifact (the report among them), and for recipes that fail on purpose, the
//! diagnostics. A change in output is then a reviewed diff (`cargo insta review`).

use gwscript_tests::{gwscript_bin, temp_dir};
use std::path::{Path, PathBuf};
use std::process::Command;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn recipes() -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = ["scripts", "book/src/examples"]
        .iter()
        .flat_map(|dir| std::fs::read_dir(repo().join(dir)).expect("readable"))
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "rhai"))
        .collect();
    found.sort();
    found
}

/// Every file under `dir`, as `/`-separated relative paths, sorted.
fn files(dir: &Path, prefix: &str) -> Vec<String> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .filter_map(Result::ok)
    {
        let name = format!("{prefix}{}", entry.file_name().to_string_lossy());
        if entry.path().is_dir() {
            found.extend(files(&entry.path(), &format!("{name}/")));
        } else {
            found.push(name);
        }
    }
    found.sort();
    found
}

#[test]
fn example_recipes_emit_what_was_reviewed() {
    let recipes = recipes();
    assert!(recipes.len() >= 3, "found only {recipes:?}");
    for recipe in recipes {
        let stem = recipe
            .file_stem()
            .and_then(|s| s.to_str())
            .expect("utf-8 name")
            .to_owned();
        let dir = temp_dir("snapshot");
        // Run from a copy beside which nothing else lives, so paths in the output are stable.
        let copy = dir.path().join(format!("{stem}.rhai"));
        std::fs::copy(&recipe, &copy).expect("copy recipe");
        let output = Command::new(gwscript_bin())
            .args([
                "run",
                &format!("{stem}.rhai"),
                "--out",
                "out",
                "--format",
                "md",
            ])
            .current_dir(dir.path())
            .env_remove("GWSCRIPT_PLUGIN_PATH")
            .output()
            .expect("gwscript runs");
        let stderr = String::from_utf8_lossy(&output.stderr);
        if !output.status.success() {
            insta::assert_snapshot!(format!("{stem}__diagnostics"), stderr);
            continue;
        }
        // The printed report is report.md, snapshotted with the files.
        assert_eq!(
            String::from_utf8_lossy(&output.stdout),
            std::fs::read_to_string(dir.path().join("out/report.md")).expect("report.md")
        );
        for file in files(&dir.path().join("out"), "") {
            let contents = std::fs::read_to_string(dir.path().join("out").join(&file))
                .unwrap_or_else(|e| panic!("{stem}: {file}: {e}"));
            insta::assert_snapshot!(format!("{stem}__{}", file.replace('/', "__")), contents);
        }
    }
}
