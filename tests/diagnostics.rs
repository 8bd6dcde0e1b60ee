//! The diagnostic catalogue: every code the sources raise has a book page that `gwscript explain`
//! prints, every page belongs to a code that exists, every code is exercised by some test; plus
//! the CLI and Claude-Code-side codes not covered by the more specific suites.

use gwscript_tests::{gwscript_bin, paths::profile_dir, temp_dir};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn files_under(dir: &Path, extension: &str) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir)
        .expect("readable")
        .filter_map(Result::ok)
    {
        let path = entry.path();
        if path.is_dir() {
            found.extend(files_under(&path, extension));
        } else if path.extension().is_some_and(|e| e == extension) {
            found.push(path);
        }
    }
    found
}

/// `GWnnnn` tokens in `text`.
fn codes_in(text: &str) -> BTreeSet<String> {
    let bytes = text.as_bytes();
    (0..bytes.len().saturating_sub(5))
        .filter(|&i| {
            &bytes[i..i + 2] == b"GW" && bytes[i + 2..i + 6].iter().all(u8::is_ascii_digit)
        })
        .filter(|&i| bytes.get(i + 6).is_none_or(|b| !b.is_ascii_digit()))
        .map(|i| text[i..i + 6].to_owned())
        .collect()
}

/// Codes raised by the product code (not its tests): quoted `"GWnnnn"` literals in src/.
fn raised_codes() -> BTreeSet<String> {
    let mut codes = BTreeSet::new();
    for dir in ["core/src", "plugins/litellm/src", "plugins/sdk/src"] {
        for file in files_under(&repo().join(dir), "rs") {
            let text = std::fs::read_to_string(&file).expect("read");
            let product = text.split("mod tests").next().unwrap_or_default();
            codes.extend(
                codes_in(product)
                    .into_iter()
                    .filter(|c| product.contains(&format!("\"{c}\""))),
            );
        }
    }
    codes
}

fn page_codes() -> BTreeSet<String> {
    files_under(&repo().join("book/src/diagnostics"), "md")
        .iter()
        .filter_map(|p| p.file_stem().and_then(|s| s.to_str()).map(str::to_owned))
        .filter(|stem| codes_in(stem).contains(stem))
        .collect()
}

fn gwscript(dir: &Path, args: &[&str]) -> Output {
    Command::new(gwscript_bin())
        .args(args)
        .current_dir(dir)
        .output()
        .expect("gwscript runs")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn every_raised_code_has_a_page_and_every_page_a_code() {
    let raised = raised_codes();
    assert!(raised.len() >= 40, "found only {raised:?}");
    assert_eq!(
        raised,
        page_codes(),
        "codes raised (left) and pages written (right) differ"
    );
}

#[test]
fn explain_prints_every_page_and_lists_them_all() {
    let dir = temp_dir("explain");
    for code in page_codes() {
        let output = gwscript(dir.path(), &["explain", &code.to_ascii_lowercase()]);
        assert!(output.status.success(), "{code}: {}", stderr(&output));
        let page = std::fs::read_to_string(repo().join(format!("book/src/diagnostics/{code}.md")))
            .expect("page");
        assert_eq!(String::from_utf8_lossy(&output.stdout), page, "{code}");
        assert!(
            page.starts_with(&format!("# {code}: ")),
            "{code}: first line is `# {code}: title`"
        );
    }
    let listing = gwscript(dir.path(), &["explain"]);
    let listed = codes_in(&String::from_utf8_lossy(&listing.stdout));
    assert_eq!(listed, page_codes());
}

#[test]
fn every_code_is_exercised_by_a_test() {
    let mut tested = BTreeSet::new();
    let test_sources = files_under(&repo().join("tests"), "rs")
        .into_iter()
        .chain(files_under(&repo().join("core/tests"), "rs"));
    for file in test_sources {
        tested.extend(codes_in(&std::fs::read_to_string(file).expect("read")));
    }
    for dir in ["core/src", "plugins/litellm/src"] {
        for file in files_under(&repo().join(dir), "rs") {
            let text = std::fs::read_to_string(&file).expect("read");
            for unit_tests in text.split("mod tests").skip(1) {
                tested.extend(codes_in(unit_tests));
            }
        }
    }
    let untested: Vec<String> = raised_codes().difference(&tested).cloned().collect();
    assert!(
        untested.is_empty(),
        "codes without a test naming them: {untested:?}"
    );
}

#[test]
fn gw0001_an_unreadable_recipe() {
    let dir = temp_dir("gw0001");
    let output = gwscript(dir.path(), &["run", "missing.rhai"]);
    assert_eq!(output.status.code(), Some(2), "usage errors exit 2");
    assert!(
        stderr(&output).contains("error[GW0001]: cannot read recipe missing.rhai"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn gw0002_explaining_an_unknown_code() {
    let dir = temp_dir("gw0002");
    let output = gwscript(dir.path(), &["explain", "GW9999"]);
    assert_eq!(output.status.code(), Some(2), "usage errors exit 2");
    assert!(
        stderr(&output).contains("error[GW0002]: no diagnostic GW9999"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn gw0003_info_on_an_unknown_plugin() {
    let dir = temp_dir("gw0003");
    let output = gwscript(dir.path(), &["plugins", "info", "kong"]);
    assert_eq!(output.status.code(), Some(2), "usage errors exit 2");
    let text = stderr(&output);
    assert!(
        text.contains("error[GW0003]: no plugin named \"kong\"") && text.contains("litellm"),
        "{text}"
    );
}

fn run_recipe(source: &str, plugin_path: Option<&Path>) -> Output {
    let dir = temp_dir("client");
    std::fs::write(dir.path().join("r.rhai"), source).expect("write");
    let mut command = Command::new(gwscript_bin());
    command
        .args(["run", "r.rhai", "--out", "out"])
        .current_dir(dir.path());
    if let Some(path) = plugin_path {
        command.env("GWSCRIPT_PLUGIN_PATH", path);
    }
    let output = command.output().expect("gwscript runs");
    assert!(
        !dir.path().join("out").exists(),
        "nothing is written after an error"
    );
    output
}

#[test]
fn gw5001_a_credential_as_a_literal_settings_variable() {
    let output = run_recipe(
        r#"emit(pattern("direct", #{ provider: provider("bedrock", #{ region: "us-east-1" }), env: #{ MY_SERVICE_TOKEN: "abc" } }));"#,
        None,
    );
    assert_eq!(output.status.code(), Some(1));
    let text = stderr(&output);
    assert!(
        text.contains("error[GW5001]") && text.contains("MY_SERVICE_TOKEN"),
        "{text}"
    );
    assert!(!text.contains("abc"), "the value is never echoed: {text}");
}

#[test]
fn gw5002_an_endpoint_the_gateway_plugin_does_not_serve() {
    let fixtures = temp_dir("gw5002");
    let name = format!(
        "{}gwscript_fixture_fails{}",
        std::env::consts::DLL_PREFIX,
        std::env::consts::DLL_SUFFIX
    );
    std::fs::copy(
        profile_dir().join("examples").join(&name),
        fixtures.path().join(&name),
    )
    .expect("fixture built by `cargo build --workspace --all-targets`");
    let output = run_recipe(
        r#"let gw = gateway("failing", #{ url: "http://127.0.0.1:4000" });
gw.deploy("claude-sonnet-4-5", provider("vertex", #{ project: "p", location: "us-east5" }));
emit(pattern("gateway", #{ gateway: gw, endpoint: "vertex", auth_token: secret("K") }));"#,
        Some(fixtures.path()),
    );
    assert_eq!(output.status.code(), Some(1));
    let text = stderr(&output);
    assert!(
        text.contains("error[GW5002]: Failing does not serve Claude Code's vertex endpoint"),
        "{text}"
    );
    assert!(text.contains("r.rhai:3:6"), "{text}");
}

#[test]
fn gw5003_a_raw_provider_without_a_gateway() {
    let output = run_recipe(
        r#"emit(pattern("direct", #{ provider: provider("raw", #{ model: "openai/gpt-4o" }) }));"#,
        None,
    );
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("error[GW5003]"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn gw5005_a_literal_provider_key_without_a_gateway() {
    let output = run_recipe(
        r#"emit(pattern("direct", #{ provider: provider("anthropic", #{ api_key: "sk-ant-pasted-0000" }) }));"#,
        None,
    );
    assert_eq!(output.status.code(), Some(1));
    let text = stderr(&output);
    assert!(text.contains("error[GW5005]"), "{text}");
    assert!(
        !text.contains("sk-ant-pasted-0000"),
        "the snippet is masked: {text}"
    );
}

#[test]
fn gw5006_a_key_helper_with_nothing_to_print() {
    let output = run_recipe(
        r#"emit(pattern("direct", #{ provider: provider("bedrock", #{ region: "us-east-1" }), api_key_helper: true }));"#,
        None,
    );
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("error[GW5006]"),
        "{}",
        stderr(&output)
    );
}
