//! Every file `gwscript run` emits that `gwscript check` knows the kind of passes the check with
//! no error and no warning: the cheapest proof that the emitter and the checker agree. Runs every
//! recipe the project ships (the scripts and the book's working examples).

use gwscript_tests::emit::gwscript;
use gwscript_tests::files::read_repo_file;
use gwscript_tests::{Emit, Emitted};
use serde_json::Value;
use std::path::PathBuf;

/// The shipped recipes that succeed (the book's other examples demonstrate diagnostics).
const RECIPES: &[&str] = &[
    "scripts/quickstart.rhai",
    "scripts/zuplo.rhai",
    "scripts/truefoundry.rhai",
    "scripts/mintmcp.rhai",
    "scripts/custom-kong.rhai",
    "scripts/custom-nginx.rhai",
    "book/src/examples/mock-gateway.rhai",
    "book/src/examples/proxy-gateway.rhai",
];

/// The emitted files of a kind `check` reads: Claude Code's settings and LiteLLM's config.
fn checkable(emitted: &Emitted) -> Vec<PathBuf> {
    emitted
        .files()
        .into_iter()
        .filter(|file| {
            let name = file.file_name().and_then(|n| n.to_str()).unwrap_or("");
            name == "settings.json"
                || file.parent().is_some_and(|d| d.ends_with("litellm")) && name.ends_with(".yaml")
        })
        .collect()
}

#[test]
fn every_emitted_file_passes_check_without_a_finding() {
    let mut checked_files = 0;
    for recipe in RECIPES {
        let emitted = Emit::new(&read_repo_file(recipe)).run();
        let files = checkable(&emitted);
        assert!(
            files.iter().any(|f| f.ends_with("settings.json")),
            "{recipe} emitted no settings.json: {:?}",
            emitted.files()
        );
        let mut args = vec!["check", "--format", "json", "--deny-warnings"];
        let shown: Vec<String> = files.iter().map(|f| f.display().to_string()).collect();
        args.extend(shown.iter().map(String::as_str));
        let ran = gwscript(emitted.dir(), &args, [("NO_ENV", "")]);
        let report: Value = serde_json::from_str(&ran.stdout)
            .unwrap_or_else(|e| panic!("{recipe}: check printed no JSON ({e}): {}", ran.output()));
        // Notes (information, such as which default model ids a config serves) may remain.
        let findings: Vec<&Value> = report["diagnostics"]
            .as_array()
            .expect("a diagnostics array")
            .iter()
            .filter(|d| d["severity"] != "info")
            .collect();
        assert!(
            findings.is_empty(),
            "{recipe}: emitted files have findings: {findings:#?}"
        );
        assert!(ran.success(), "{recipe}: check failed: {}", ran.output());
        checked_files += files.len();
    }
    // Each recipe's settings.json, plus quickstart's and the examples' LiteLLM configs.
    assert!(
        checked_files > RECIPES.len(),
        "only {checked_files} files checked"
    );
}
