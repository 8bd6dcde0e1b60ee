//! The diagnostic catalogue: every code the sources raise has a book page that `gwscript explain`
//! prints, every page belongs to a code that exists, every code is exercised by some test; plus
//! the CLI and Claude-Code-side codes not covered by the more specific suites.

use gwscript_tests::{fixture_library, gwscript_bin, library_name, temp_dir};
use std::collections::{BTreeMap, BTreeSet};
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

/// Codes raised by the product code under `dirs` (not its tests): quoted `"GWnnnn"` literals.
fn raised_in(dirs: &[PathBuf]) -> BTreeSet<String> {
    let mut codes = BTreeSet::new();
    for dir in dirs {
        for file in files_under(dir, "rs") {
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

/// The host's own codes: raised by core and the SDK (the SDK's render rules raise GW3xxx).
fn host_codes() -> BTreeSet<String> {
    raised_in(&[repo().join("core/src"), repo().join("plugins/sdk/src")])
}

/// The gateway plugins in this repository that own codes: `plugins/<name>/diagnostics/`.
fn plugin_dirs() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(repo().join("plugins"))
        .expect("plugins/")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.join("diagnostics").is_dir())
        .collect();
    dirs.sort();
    dirs
}

/// `CODE.md` pages in `dir`, by code.
fn pages_in(dir: &Path) -> BTreeMap<String, String> {
    files_under(dir, "md")
        .iter()
        .filter_map(|p| {
            let stem = p.file_stem()?.to_str()?.to_owned();
            codes_in(&stem)
                .contains(&stem)
                .then(|| (stem, std::fs::read_to_string(p).expect("read page")))
        })
        .collect()
}

fn page_codes() -> BTreeSet<String> {
    pages_in(&repo().join("book/src/diagnostics"))
        .into_keys()
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
    let raised = host_codes();
    assert!(raised.len() >= 40, "found only {raised:?}");
    assert_eq!(
        raised,
        page_codes(),
        "codes raised (left) and pages written (right) differ"
    );
}

/// Plugins own their codes: each plugin's raised codes have pages in its own `diagnostics/`, and
/// a page whose code is no longer raised says it is retired (codes are never reused).
#[test]
fn every_plugin_code_has_a_page_in_its_plugin() {
    let dirs = plugin_dirs();
    assert!(!dirs.is_empty(), "no plugin owns codes");
    for dir in dirs {
        let raised = raised_in(&[dir.join("src")]);
        let pages = pages_in(&dir.join("diagnostics"));
        let unpaged: Vec<&String> = raised.iter().filter(|c| !pages.contains_key(*c)).collect();
        assert!(
            unpaged.is_empty(),
            "{}: no page for {unpaged:?}",
            dir.display()
        );
        for (code, page) in &pages {
            assert!(
                raised.contains(code) || page.contains("- **Status:** retired"),
                "{}: page {code} is neither raised nor retired",
                dir.display()
            );
            assert!(
                !host_codes().contains(code),
                "{code} is both the host's and a plugin's"
            );
        }
    }
}

#[test]
fn explain_prints_every_page_and_lists_them_all() {
    let dir = temp_dir("explain");
    let mut all = pages_in(&repo().join("book/src/diagnostics"));
    for plugin in plugin_dirs() {
        all.extend(pages_in(&plugin.join("diagnostics")));
    }
    for (code, page) in &all {
        let output = gwscript(dir.path(), &["explain", &code.to_ascii_lowercase()]);
        assert!(output.status.success(), "{code}: {}", stderr(&output));
        assert_eq!(String::from_utf8_lossy(&output.stdout), *page, "{code}");
        assert!(
            page.starts_with(&format!("# {code}: ")),
            "{code}: first line is `# {code}: title`"
        );
    }
    let listing = gwscript(dir.path(), &["explain"]);
    let listed = codes_in(&String::from_utf8_lossy(&listing.stdout));
    assert_eq!(listed, all.into_keys().collect());
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
    let sources = [repo().join("core/src"), repo().join("plugins/sdk/src")]
        .into_iter()
        .chain(plugin_dirs().into_iter().map(|d| d.join("src")));
    let mut raised = BTreeSet::new();
    for dir in sources {
        raised.extend(raised_in(std::slice::from_ref(&dir)));
        for file in files_under(&dir, "rs") {
            let text = std::fs::read_to_string(&file).expect("read");
            for unit_tests in text.split("mod tests").skip(1) {
                tested.extend(codes_in(unit_tests));
            }
        }
    }
    let untested: Vec<String> = raised.difference(&tested).cloned().collect();
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
    std::fs::copy(
        fixture_library("gwscript_fixture_fails"),
        fixtures.path().join(library_name("gwscript_fixture_fails")),
    )
    .expect("copy the fixture");
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

#[test]
fn gw1013_gw1014_gateway_options_are_checked_against_the_plugins_schema() {
    let output = run_recipe(
        r#"let gw = gateway("litellm", #{
    url: "http://127.0.0.1:4000",
    master_key: secret("LITELLM_MASTER_KEY"),
    drop_param: true,
    cooldown_time: "soon",
});
gw.deploy("claude-sonnet-4-5", provider("anthropic", #{ api_key: secret("ANTHROPIC_API_KEY") }), #{ order: 0 });
emit(pattern("gateway", #{ gateway: gw, auth_token: secret("LITELLM_MASTER_KEY") }));"#,
        None,
    );
    assert_eq!(output.status.code(), Some(1));
    let text = stderr(&output);
    assert!(
        text.contains(
            "error[GW1013]: gateway has no option `drop_param` for gateway kind \"litellm\""
        ) && text.contains("did you mean `drop_params`?")
            && text.contains("r.rhai:4:5"),
        "{text}"
    );
    assert!(
        text.contains("error[GW1014]: gateway option `cooldown_time`")
            && text.contains("r.rhai:5:5"),
        "{text}"
    );
    assert!(
        text.contains("error[GW1014]: deploy option `order`"),
        "{text}"
    );
    let messages: Vec<&str> = text.lines().filter(|l| l.starts_with("error[")).collect();
    assert!(
        messages.iter().all(|m| !m.contains("soon")),
        "values are not echoed in messages: {messages:?}"
    );
}

/// A finding that is not about a secret still must not print a line holding one: GW4011 shares
/// the line with the literal key GW4005 is about, so both show it masked.
#[test]
fn a_line_holding_a_literal_secret_is_masked_in_every_finding() {
    let output = run_recipe(
        r#"let gw = gateway("litellm", #{ url: "http://127.0.0.1:4000", master_key: secret("K") });
gw.deploy("claude-sonnet-4-5", provider("anthropic", #{ api_key: "sk-ant-leak-777", api_bse: "x" }));
emit(pattern("gateway", #{ gateway: gw, auth_token: secret("K") }));"#,
        None,
    );
    assert_eq!(output.status.code(), Some(1));
    let text = stderr(&output);
    assert!(
        text.contains("warning[GW4011]") && text.contains("error[GW4005]"),
        "{text}"
    );
    assert!(!text.contains("sk-ant-leak-777"), "{text}");
}

/// The book finds every plugin's codes too: the diagnostics index lists each code, and the
/// plugin's chapter includes each page from the plugin's own directory.
#[test]
fn the_book_index_and_chapters_carry_every_plugin_code() {
    let index =
        std::fs::read_to_string(repo().join("book/src/diagnostics/README.md")).expect("index");
    for dir in plugin_dirs() {
        let name = dir
            .file_name()
            .and_then(|n| n.to_str())
            .expect("plugin name");
        let chapter =
            std::fs::read_to_string(repo().join(format!("book/src/diagnostics/{name}.md")))
                .unwrap_or_else(|e| panic!("{name}: no book chapter for its codes: {e}"));
        for code in pages_in(&dir.join("diagnostics")).keys() {
            assert!(
                index.contains(&format!("[{code}]({name}.md#")),
                "index lacks {code}"
            );
            let include = format!("{{{{#include ../../../plugins/{name}/diagnostics/{code}.md}}}}");
            assert!(
                chapter.contains(&include),
                "{name}.md does not include {code}"
            );
        }
    }
}

#[test]
fn gw2016_a_gateway_only_plugin_given_as_a_monitor() {
    let output = run_recipe(
        r#"let litellm = gateway("litellm", #{ url: "http://127.0.0.1:4000", master_key: secret("LITELLM_MASTER_KEY") });
litellm.deploy("claude-sonnet-4-5", provider("anthropic", #{ api_key: secret("ANTHROPIC_API_KEY") }));
emit(pattern("direct", #{ provider: provider("bedrock", #{ region: "us-east-1" }), monitors: [litellm] }));"#,
        None,
    );
    assert_eq!(output.status.code(), Some(1));
    let text = stderr(&output);
    assert!(
        text.contains(
            "error[GW2016]: LiteLLM (gateway kind \"litellm\") cannot be a monitor: it carries Claude Code's model traffic"
        ) && text.contains("r.rhai:1:15"),
        "{text}"
    );
    assert!(text.contains("take it out of `monitors:`"), "{text}");
}

/// The spec's ten common configuration issues each map to at least one code that exists, in the
/// table of the diagnostics index.
#[test]
fn each_common_configuration_issue_maps_to_a_code() {
    let index = std::fs::read_to_string(repo().join("book/src/diagnostics/README.md"))
        .expect("the diagnostics index");
    let section = index
        .split("## The ten common configuration issues")
        .nth(1)
        .and_then(|rest| rest.split("\n## ").next())
        .expect("the common issues section");
    let mut known = page_codes();
    for dir in plugin_dirs() {
        known.extend(pages_in(&dir.join("diagnostics")).into_keys());
    }
    let rows: Vec<&str> = section
        .lines()
        .filter(|line| {
            line.starts_with("| ") && line.as_bytes().get(2).is_some_and(u8::is_ascii_digit)
        })
        .collect();
    let numbers: Vec<String> = rows
        .iter()
        .map(|row| row[2..].split('.').next().unwrap_or_default().to_owned())
        .collect();
    assert_eq!(numbers, (1..=10).map(|n| n.to_string()).collect::<Vec<_>>());
    for row in rows {
        let codes = codes_in(row);
        assert!(!codes.is_empty(), "no code for {row}");
        let unknown: Vec<&String> = codes.iter().filter(|c| !known.contains(*c)).collect();
        assert!(unknown.is_empty(), "{row}: no page for {unknown:?}");
    }
}
