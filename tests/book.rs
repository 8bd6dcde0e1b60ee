//! Every `gwscript` command shown in the book is run, and its output and exit status compared
//! with what the page shows.
//!
//! trycmd reads the ```` ```console ```` blocks of every `book/src/**/*.md` page: `$ ` lines are
//! commands, `? STATUS` the expected exit status (success when absent), and the lines up to the
//! next command or the closing fence the expected stdout and stderr, interleaved, with `...` and
//! `[..]` eliding volatile parts. Blocks in any other language are not run, so every other fence in
//! the book must name its language.
//!
//! The commands run in a scratch directory under the target directory, seeded with copies of the
//! files the book's commands read (`scripts/`, `book/src/examples/`), so their relative paths work
//! as a reader at the repository root types them and whatever they write stays out of the source
//! tree.

use gwscript_tests::gwscript_bin;
use gwscript_tests::paths::profile_dir;
use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;

const BUILD_HINT: &str = "run `cargo build --workspace --all-targets` first";

/// Pages whose commands serve until they are stopped. They run on their own, stopped after
/// [`SERVER_LIFETIME`], and show `? interrupted`.
const SERVER_PAGES: &[&str] = &["mock.md"];
const SERVER_LIFETIME: Duration = Duration::from_secs(3);

/// Any other command taking this long has hung.
const COMMAND_TIMEOUT: Duration = Duration::from_secs(120);

/// What the book's commands read, relative to the repository root; copied into the scratch
/// directory at the same relative paths.
const INPUTS: &[&str] = &["scripts", "book/src/examples"];

/// Directories whose entries must be the same after the run as before: where a stray relative
/// path would land.
const UNTOUCHED: &[&str] = &[
    ".",
    "book",
    "book/src",
    "book/src/examples",
    "scripts",
    "tests",
];

#[test]
fn every_command_in_the_book_runs_as_shown() {
    let repo = repo_root();
    let gwscript = gwscript_bin();
    let plugin = profile_dir().join(format!(
        "{}gwscript_litellm{}",
        std::env::consts::DLL_PREFIX,
        std::env::consts::DLL_SUFFIX
    ));
    assert!(
        plugin.is_file(),
        "{} does not exist: {BUILD_HINT}",
        plugin.display()
    );

    let scratch = profile_dir().join("book-tests");
    if scratch.exists() {
        fs::remove_dir_all(&scratch)
            .unwrap_or_else(|e| panic!("cannot clear {}: {e}", scratch.display()));
    }
    for input in INPUTS {
        copy_tree(&repo.join(input), &scratch.join(input));
    }
    let before = listing(&repo);

    // Plugins come only from beside the binary and from the scratch data directory, whatever the
    // environment of the person running the tests says.
    // SAFETY: this test binary has a single test, so no other thread reads the environment yet.
    unsafe { std::env::remove_var("GWSCRIPT_PLUGIN_PATH") };
    // trycmd runs `.md` cases in the test's current directory.
    std::env::set_current_dir(&scratch)
        .unwrap_or_else(|e| panic!("cannot enter {}: {e}", scratch.display()));

    let pages = markdown_files(&repo.join("book/src"));
    assert!(!pages.is_empty(), "no pages under book/src");
    let (servers, others): (Vec<_>, Vec<_>) = pages.iter().partition(|page| {
        page.file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| SERVER_PAGES.contains(&n))
    });

    let cases = book_cases(&gwscript, &scratch, COMMAND_TIMEOUT);
    for page in others {
        cases.case(page);
    }
    cases.run();

    let cases = book_cases(&gwscript, &scratch, SERVER_LIFETIME);
    for page in servers {
        cases.case(page);
    }
    cases.run();

    assert_eq!(
        listing(&repo),
        before,
        "a command in the book wrote into the repository"
    );
}

fn book_cases(gwscript: &Path, scratch: &Path, timeout: Duration) -> trycmd::TestCases {
    let cases = trycmd::TestCases::new();
    cases
        .register_bin("gwscript", gwscript.to_path_buf())
        .register_bin("cat", find_on_path("cat"))
        .env(
            "XDG_DATA_HOME",
            scratch.join("data").to_string_lossy().into_owned(),
        )
        // `check` and `doctor` read ~/.claude: the reader's own settings must not show.
        .env("HOME", scratch.join("home").to_string_lossy().into_owned())
        .timeout(timeout);
    cases
}

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the tests package sits in the repository root")
        .to_path_buf()
}

/// Every `.md` file under `dir`, sorted.
fn markdown_files(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let entries =
        fs::read_dir(dir).unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()));
    for entry in entries {
        let path = entry
            .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
            .path();
        if path.is_dir() {
            found.extend(markdown_files(&path));
        } else if path.extension().is_some_and(|e| e == "md") {
            found.push(path);
        }
    }
    found.sort();
    found
}

fn copy_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap_or_else(|e| panic!("cannot create {}: {e}", to.display()));
    let entries =
        fs::read_dir(from).unwrap_or_else(|e| panic!("cannot list {}: {e}", from.display()));
    for entry in entries {
        let path = entry
            .unwrap_or_else(|e| panic!("cannot list {}: {e}", from.display()))
            .path();
        let target = to.join(path.file_name().expect("directory entries have names"));
        if path.is_dir() {
            copy_tree(&path, &target);
        } else {
            fs::copy(&path, &target).unwrap_or_else(|e| {
                panic!(
                    "cannot copy {} to {}: {e}",
                    path.display(),
                    target.display()
                )
            });
        }
    }
}

/// The entries of the [`UNTOUCHED`] directories.
fn listing(repo: &Path) -> BTreeSet<PathBuf> {
    UNTOUCHED
        .iter()
        .flat_map(|dir| {
            let dir = repo.join(dir);
            fs::read_dir(&dir)
                .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
                .filter_map(Result::ok)
                .map(|entry| entry.path())
                .collect::<Vec<_>>()
        })
        .collect()
}

fn find_on_path(program: &str) -> PathBuf {
    std::env::var_os("PATH")
        .iter()
        .flat_map(std::env::split_paths)
        .map(|dir| dir.join(program))
        .find(|candidate| candidate.is_file())
        .unwrap_or_else(|| panic!("`{program}` is not on PATH; the book's examples use it"))
}
