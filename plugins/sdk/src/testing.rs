//! Builders for the setups a plugin's tests check and render, a renderer that applies the
//! host's rules ([`crate::render`]) to a plugin's own templates, and assertions of what every
//! plugin owes the host: its diagnostic pages ([`assert_pages`]) and its assessments
//! ([`assert_assessments`]). Enable with the `testing` feature in `[dev-dependencies]`.

use crate::manifest::{
    Assessment, ClientAuth, ClientContract, Codes, Criterion, Feature, ModelNames, PluginRole,
    Support,
};
use crate::model::{
    ClientSetup, Deployment, Endpoint, Fallback, Gateway, Param, Pattern, Provider, ProviderKind,
    Scope, SecretRef, Span, Spanned,
};
use crate::{Diagnostic, Manifest, Plugin, Rendering, Setup, Severity};
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::collections::BTreeMap;
use std::fmt::Debug;
use std::path::Path;
use std::sync::atomic::{AtomicU32, Ordering};

/// Every built value gets its own recipe line, so tests can tell spans apart.
pub fn next_span() -> Option<Span> {
    static LINE: AtomicU32 = AtomicU32::new(100);
    Some(Span {
        line: LINE.fetch_add(1, Ordering::Relaxed),
        column: 1,
    })
}

pub fn literal(value: impl Into<serde_json::Value>) -> Param {
    Param::Literal(value.into())
}

pub fn list(items: impl IntoIterator<Item = Param>) -> Param {
    Param::List(items.into_iter().collect())
}

pub fn map<'a>(entries: impl IntoIterator<Item = (&'a str, Param)>) -> Param {
    Param::Map(
        entries
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v))
            .collect(),
    )
}

pub fn secret(name: &str) -> Param {
    Param::Secret(SecretRef {
        secret: name.into(),
    })
}

pub fn spanned<T>(value: T, line: u32) -> Spanned<T> {
    Spanned {
        value,
        span: Some(Span { line, column: 5 }),
    }
}

/// A deployment of `model` (the provider's id) in `group`, with provider options.
pub fn deployment(
    group: &str,
    kind: ProviderKind,
    model: &str,
    options: &[(&str, Param)],
) -> Deployment {
    Deployment {
        model_group: group.into(),
        provider: Provider {
            kind,
            options: options
                .iter()
                .map(|(key, value)| ((*key).to_owned(), value.clone()))
                .collect(),
            span: next_span(),
        },
        provider_model: model.into(),
        options: BTreeMap::new(),
        span: next_span(),
    }
}

pub fn anthropic(group: &str, model: &str) -> Deployment {
    deployment(
        group,
        ProviderKind::Anthropic,
        model,
        &[("api_key", secret("ANTHROPIC_API_KEY"))],
    )
}

pub fn bedrock(group: &str, model: &str, region: Option<&str>) -> Deployment {
    let options: Vec<(&str, Param)> = region.map(|r| ("region", literal(r))).into_iter().collect();
    deployment(group, ProviderKind::Bedrock, model, &options)
}

pub fn vertex(
    group: &str,
    model: &str,
    project: Option<&str>,
    location: Option<&str>,
) -> Deployment {
    let options: Vec<(&str, Param)> = [("project", project), ("location", location)]
        .into_iter()
        .filter_map(|(key, value)| Some((key, literal(value?))))
        .collect();
    deployment(group, ProviderKind::Vertex, model, &options)
}

pub fn raw(group: &str, model: &str) -> Deployment {
    deployment(group, ProviderKind::Raw, model, &[])
}

/// Adds a provider option.
pub fn with_option(mut deployment: Deployment, key: &str, value: Param) -> Deployment {
    deployment.provider.options.insert(key.into(), value);
    deployment
}

/// Adds a deployment option (`order`, `weight`, …).
pub fn with_routing(mut deployment: Deployment, key: &str, value: Param) -> Deployment {
    deployment.options.insert(
        key.into(),
        Spanned {
            value,
            span: deployment.span,
        },
    );
    deployment
}

pub fn fallback(from: &str, to: &[&str]) -> Fallback {
    Fallback {
        from: from.into(),
        to: to.iter().map(|t| (*t).to_owned()).collect(),
        span: next_span(),
    }
}

/// A `kind` gateway on loopback port 4000 with no options.
pub fn gateway(kind: &str, deployments: Vec<Deployment>, fallbacks: Vec<Fallback>) -> Gateway {
    Gateway {
        kind: kind.into(),
        url: "http://127.0.0.1:4000".into(),
        deployments,
        fallbacks,
        options: BTreeMap::new(),
        span: Some(Span {
            line: 1,
            column: 10,
        }),
    }
}

/// Sets a gateway option, spanned at its own line.
pub fn with_gateway_option(mut gateway: Gateway, key: &str, value: Param) -> Gateway {
    gateway.options.insert(
        key.into(),
        Spanned {
            value,
            span: next_span(),
        },
    );
    gateway
}

/// Sets several gateway options in order, each spanned at its own line.
pub fn with_gateway_options<'a>(
    gateway: Gateway,
    options: impl IntoIterator<Item = (&'a str, Param)>,
) -> Gateway {
    options.into_iter().fold(gateway, |gateway, (key, value)| {
        with_gateway_option(gateway, key, value)
    })
}

/// Pattern `gateway`, project scope, Claude Code on the unified route, no models pinned.
pub fn setup_for(gateway: Gateway) -> Setup {
    Setup {
        pattern: Pattern::Gateway,
        gateway: Some(gateway),
        provider: None,
        client: project_client(Some(SecretRef {
            secret: "GATEWAY_KEY".into(),
        })),
        proxy: None,
        monitors: Vec::new(),
        span: None,
    }
}

/// Pattern `direct` to the Anthropic API (the key by reference), project scope, observed by
/// `monitors`: Claude Code's model traffic goes nowhere near them.
pub fn direct_monitored_by(monitors: Vec<Gateway>) -> Setup {
    Setup {
        pattern: Pattern::Direct,
        gateway: None,
        provider: Some(Provider {
            kind: ProviderKind::Anthropic,
            options: [("api_key".to_owned(), secret("ANTHROPIC_API_KEY"))].into(),
            span: next_span(),
        }),
        client: project_client(None),
        proxy: None,
        monitors,
        span: None,
    }
}

/// Project scope, the unified route, no models pinned, nonessential traffic off.
fn project_client(auth_token: Option<SecretRef>) -> ClientSetup {
    ClientSetup {
        scope: Scope::Project,
        endpoint: Endpoint::Unified,
        model: None,
        background_model: None,
        opus_model: None,
        sonnet_model: None,
        auth_token,
        api_key_helper: None,
        region: None,
        vertex_project: None,
        disable_nonessential_traffic: true,
        env: BTreeMap::new(),
        env_spans: BTreeMap::new(),
    }
}

pub fn codes_of(diagnostics: &[Diagnostic]) -> Vec<&str> {
    diagnostics.iter().map(|d| d.code.as_str()).collect()
}

/// Plugin `P`'s template at `path`, rendered for `setup` exactly as the host renders it (whether
/// or not the rendering omits it). Panics with the GW3001/GW3002 message if the host would refuse
/// the output.
pub fn render<P: Plugin>(setup: &Setup, path: &str) -> String {
    let manifest = P::manifest();
    let template = manifest
        .templates
        .iter()
        .find(|t| t.path == path)
        .unwrap_or_else(|| panic!("no template {path}"));
    let rendering = rendered::<P>(setup).unwrap_or_else(|e| panic!("render failed: {e}"));
    crate::render::render_template(template, &rendering.context)
        .unwrap_or_else(|d| panic!("{}: {}", d.code, d.message))
}

/// What plugin `P`'s `render` returns for `setup`, as the host reads it: the rendering crosses
/// the library boundary as JSON, so its context arrives as plain JSON whatever type built it.
pub fn rendered<P: Plugin>(setup: &Setup) -> Result<Rendering, String> {
    let json = serde_json::to_vec(&P::render(setup)?)
        .unwrap_or_else(|e| panic!("the rendering does not serialise: {e}"));
    Ok(serde_json::from_slice(&json).expect("a rendering reads back"))
}

/// A manifest every host accepts for gateway kind `kind` (also its name): Bearer auth on the
/// unified route, model groups, no options, templates or codes. Tests change what they need.
pub fn manifest(kind: &str) -> Manifest {
    Manifest {
        name: kind.into(),
        version: "0.0.1".into(),
        gateway_kind: kind.into(),
        display_name: kind.into(),
        description: format!("the {kind} test plugin"),
        third_party: true,
        roles: PluginRole::gateway_only(),
        requires: vec![],
        capabilities: vec![],
        compatibility: vec![],
        features: vec![],
        gateway_options: None,
        deployment_options: None,
        client: ClientContract {
            auth: ClientAuth::Bearer,
            endpoints: [(Endpoint::Unified, String::new())].into(),
            model_names: ModelNames::Groups,
        },
        liveness_path: None,
        templates: vec![],
        diagnostics: Codes::default(),
        file_kinds: Vec::new(),
    }
}

/// The words bash makes of `command`, with a shell function `program` defined to print its
/// arguments: proves a quoted value stays one word and runs nothing.
pub fn shell_words(program: &str, command: &str) -> Vec<String> {
    // `command printf` is the builtin even when `program` is itself named `printf`.
    let script = format!("{program}() {{ command printf '%s\\0' \"$@\"; }}\n{command}");
    let output = std::process::Command::new("bash")
        .args(["-c", &script])
        .env_clear()
        .output()
        .unwrap_or_else(|e| panic!("bash runs: {e}"));
    assert!(output.status.success(), "{command}: {output:?}");
    String::from_utf8(output.stdout)
        .expect("UTF-8")
        .split_terminator('\0')
        .map(str::to_owned)
        .collect()
}

/// Asserts that `value` reads back from its JSON text as itself. A manifest, a rendering, a
/// report or a client contribution crosses the library boundary as that text, so nothing may be
/// lost on the way.
pub fn assert_crosses_the_abi<T>(value: &T)
where
    T: Serialize + DeserializeOwned + PartialEq + Debug,
{
    let json = serde_json::to_string(value)
        .unwrap_or_else(|e| panic!("{value:?} does not serialize: {e}"));
    let read: T =
        serde_json::from_str(&json).unwrap_or_else(|e| panic!("{json} does not read back: {e}"));
    assert_eq!(read, *value, "{json}");
}

/// Asserts that every option an option schema ([`crate::schema::object`]) allows has a
/// description ([`crate::schema::described`]): `gwscript plugins info` lists it, and the host
/// shows it as the help for a value the schema refuses.
pub fn assert_options_described(schema: &serde_json::Value) {
    let options = schema["properties"]
        .as_object()
        .unwrap_or_else(|| panic!("no properties: {schema}"));
    for (key, declared) in options {
        assert!(
            declared["description"].is_string(),
            "option {key} has no description"
        );
    }
}

/// The sections `gwscript explain` shows of every diagnostic page.
const PAGE_SECTIONS: [&str; 3] = ["## What it means", "## How to fix", "## Verify"];

/// Code blocks a page may not hold: the book runs `console` blocks, and pages show commands
/// inline and recipes in `rhai` blocks.
const SHELL_FENCES: [&str; 3] = ["```sh", "```bash", "```console"];

/// Asserts that plugin `P`'s diagnostic pages are what `gwscript explain` and its manifest need.
/// `diagnostics_dir` holds the pages on disk, `live` is every code its checks raise with the
/// severity they raise it at, and `retired` every code no longer raised.
///
/// - Every file in `diagnostics_dir` is a `CODE.md` page that [`Plugin::pages`] serves, and
///   every page it serves is on disk.
/// - Every page starts `# CODE: title` (a title of more than three characters), has the sections
///   `## What it means`, `## How to fix` and `## Verify`, and no `sh`, `bash` or `console` block.
/// - The manifest's code index is [`Codes::from_pages`] of those pages under its prefix, in code
///   order, and each of its codes is served by exactly one page.
/// - Each live code is listed once, is the prefix followed by digits (four digits in all), and
///   has a page at its severity that does not say it is retired; each retired code has a page
///   that says so (`- **Status:** retired`); and no page is neither.
///
/// Panics with what is wrong.
pub fn assert_pages<P: Plugin>(
    diagnostics_dir: impl AsRef<Path>,
    live: &[(&str, Severity)],
    retired: &[&str],
) {
    let declared = P::manifest().diagnostics;
    let index = assert_page_files(
        diagnostics_dir.as_ref(),
        P::pages(),
        &declared.prefix,
        live,
        retired,
    );
    assert_eq!(declared, index, "the manifest indexes the pages it serves");
    for info in &declared.codes {
        let heading = format!("# {}: {}\n", info.code, info.title);
        let serving = P::pages()
            .iter()
            .filter(|page| page.starts_with(&heading))
            .count();
        assert_eq!(serving, 1, "pages headed {heading:?}");
    }
}

/// [`assert_pages`] for the pages themselves, whoever serves them; returns their index.
fn assert_page_files(
    diagnostics_dir: &Path,
    pages: &[&str],
    prefix: &str,
    live: &[(&str, Severity)],
    retired: &[&str],
) -> Codes {
    let on_disk = pages_on_disk(diagnostics_dir);
    assert_eq!(
        on_disk.len(),
        pages.len(),
        "{}: the pages on disk are not the embedded ones",
        diagnostics_dir.display()
    );
    for (code, page) in &on_disk {
        assert!(pages.contains(&page.as_str()), "{code}.md is not embedded");
        assert!(
            page.starts_with(&format!("# {code}: ")),
            "{code}.md does not start `# {code}: `"
        );
        for section in PAGE_SECTIONS {
            assert!(page.contains(section), "{code} lacks {section}");
        }
        for fence in SHELL_FENCES {
            assert!(!page.contains(fence), "{code} has a {fence} block");
        }
    }

    let index = Codes::from_pages(prefix, pages).unwrap_or_else(|e| panic!("{e}"));
    let indexed: Vec<&str> = index.codes.iter().map(|info| info.code.as_str()).collect();
    let files: Vec<&str> = on_disk.keys().map(String::as_str).collect();
    assert_eq!(indexed, files, "the embedded pages, in code order");
    for info in &index.codes {
        assert!(
            info.title.len() > 3,
            "{}: title {:?}",
            info.code,
            info.title
        );
    }

    for (i, (code, severity)) in live.iter().enumerate() {
        assert_code_of(prefix, code);
        assert!(
            live[..i].iter().all(|(earlier, _)| earlier != code),
            "{code} is listed twice"
        );
        let info = index
            .get(code)
            .unwrap_or_else(|| panic!("{code} has no page"));
        assert_eq!(info.severity, *severity, "{code}: the page's severity");
        assert!(
            !info.retired,
            "{code} is raised, so its page may not say it is retired"
        );
    }
    for code in retired {
        assert_code_of(prefix, code);
        assert!(
            live.iter().all(|(raised, _)| raised != code),
            "{code} is both raised and retired"
        );
        let info = index
            .get(code)
            .unwrap_or_else(|| panic!("{code} has no page"));
        assert!(info.retired, "{code} is retired, so its page must say so");
    }
    assert_eq!(
        index.codes.len(),
        live.len() + retired.len(),
        "a page is neither raised nor retired: {indexed:?}"
    );
    index
}

/// `code` is `prefix` followed by digits, four digits in all (`GW4001`, `HELLO0001`).
fn assert_code_of(prefix: &str, code: &str) {
    let digits = code.chars().filter(char::is_ascii_digit).count();
    let follows = code
        .strip_prefix(prefix)
        .is_some_and(|rest| !rest.is_empty() && rest.chars().all(|c| c.is_ascii_digit()));
    assert!(
        follows && digits == 4,
        "{code} is not {prefix} followed by digits, four digits in all"
    );
}

/// Every file in `dir`, by its name without `.md` (the code), with its text.
fn pages_on_disk(dir: &Path) -> BTreeMap<String, String> {
    std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| {
            let path = entry.expect("a directory entry").path();
            let code = path
                .file_name()
                .and_then(|name| name.to_str())
                .and_then(|name| name.strip_suffix(".md"))
                .unwrap_or_else(|| panic!("{} is not a CODE.md page", path.display()))
                .to_owned();
            let text = std::fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            (code, text)
        })
        .collect()
}

/// The spec's compatibility criteria, in its order.
const CRITERIA: [Criterion; 7] = [
    Criterion::MessagesApi,
    Criterion::HeaderForwarding,
    Criterion::BodyPreserved,
    Criterion::StatusCodes,
    Criterion::SseStreaming,
    Criterion::BearerAuth,
    Criterion::LongTimeouts,
];

/// Asserts what `gwscript plugins info` shows of a manifest's assessments: `compatibility`
/// assesses the spec's seven criteria once each, in the spec's order; `features` names no feature
/// twice and none this SDK does not know; every assessment has a source; and every one that
/// depends on the configuration says on what, in its note.
pub fn assert_assessments(
    compatibility: &[Assessment<Criterion>],
    features: &[Assessment<Feature>],
) {
    let criteria: Vec<Criterion> = compatibility.iter().map(|a| a.id).collect();
    assert_eq!(
        criteria, CRITERIA,
        "the seven criteria, in the spec's order"
    );
    for (i, feature) in features.iter().enumerate() {
        assert_ne!(
            feature.id,
            Feature::Other,
            "a feature this SDK does not know"
        );
        assert!(
            features[..i].iter().all(|earlier| earlier.id != feature.id),
            "{:?} is assessed twice",
            feature.id
        );
    }
    let all = compatibility
        .iter()
        .map(|a| (format!("{:?}", a.id), a.status, &a.source, &a.note))
        .chain(
            features
                .iter()
                .map(|a| (format!("{:?}", a.id), a.status, &a.source, &a.note)),
        );
    for (id, status, source, note) in all {
        assert!(!source.is_empty(), "{id} has no source");
        // "It depends" is only useful with what it depends on.
        assert!(
            status != Support::DependsOnConfig || !note.is_empty(),
            "{id} depends on the configuration, but its note does not say on what"
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Rendering;
    use std::path::PathBuf;

    /// A directory of pages that is removed when the test ends.
    struct PageDir(PathBuf);

    impl PageDir {
        fn new(name: &str, pages: &[(&str, &str)]) -> PageDir {
            let dir =
                std::env::temp_dir().join(format!("gwscript-sdk-{name}-{}", std::process::id()));
            let _ = std::fs::remove_dir_all(&dir);
            std::fs::create_dir_all(&dir).expect("a scratch directory");
            for (file, text) in pages {
                std::fs::write(dir.join(file), text).expect("a page");
            }
            PageDir(dir)
        }
    }

    impl Drop for PageDir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    fn page(code: &str, severity: &str, extra: &str) -> String {
        format!(
            "# {code}: a test finding\n\n- **Severity:** {severity}\n{extra}\n## What it means\n\n\
             Something.\n\n## How to fix\n\nFix it.\n\n## Verify\n\nRun it again.\n"
        )
    }

    /// The message `f` panics with.
    fn panic_message(f: impl FnOnce() + std::panic::UnwindSafe) -> String {
        let payload = std::panic::catch_unwind(f).expect_err("it panics");
        payload
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| payload.downcast_ref::<&str>().map(|s| (*s).to_owned()))
            .unwrap_or_default()
    }

    const LIVE: [(&str, Severity); 2] = [
        ("TEST0001", Severity::Error),
        ("TEST0002", Severity::Warning),
    ];

    #[test]
    fn sound_pages_pass_with_live_and_retired_codes() {
        let pages = [
            page("TEST0001", "error", ""),
            page("TEST0002", "warning", "```rhai\nlet x = 1;\n```\n"),
            page("TEST0003", "note", "- **Status:** retired\n"),
        ];
        let dir = PageDir::new(
            "sound",
            &[
                ("TEST0001.md", &pages[0]),
                ("TEST0002.md", &pages[1]),
                ("TEST0003.md", &pages[2]),
            ],
        );
        let embedded: Vec<&str> = pages.iter().map(String::as_str).collect();
        let index = assert_page_files(&dir.0, &embedded, "TEST", &LIVE, &["TEST0003"]);
        assert_eq!(index, Codes::from_pages("TEST", &embedded).expect("parses"));
    }

    /// What [`assert_page_files`] says of `pages`, on disk and embedded, raised as `live`.
    fn defect(
        name: &str,
        pages: [String; 2],
        live: &[(&str, Severity)],
        retired: &[&str],
    ) -> String {
        let dir = PageDir::new(
            name,
            &[("TEST0001.md", &pages[0]), ("TEST0002.md", &pages[1])],
        );
        let embedded: Vec<&str> = pages.iter().map(String::as_str).collect();
        panic_message(|| {
            assert_page_files(&dir.0, &embedded, "TEST", live, retired);
        })
    }

    /// Each defect fails the assertion with a message naming it.
    #[test]
    fn every_defect_of_the_pages_is_named() {
        let good = [
            page("TEST0001", "error", ""),
            page("TEST0002", "warning", ""),
        ];
        let second = |page: String| [good[0].clone(), page];
        let no_verify = good[1].replace("## Verify", "## Check");
        let console = page("TEST0002", "warning", "```console\n$ x\n```\n");
        let retired = page("TEST0002", "warning", "- **Status:** retired\n");
        let bad_form = ("TEST002", Severity::Error);
        for (message, expected) in [
            (
                defect("sections", second(no_verify), &LIVE, &[]),
                "TEST0002 lacks ## Verify",
            ),
            (
                defect("fence", second(console), &LIVE, &[]),
                "TEST0002 has a ```console block",
            ),
            (
                defect("severity", second(page("TEST0002", "note", "")), &LIVE, &[]),
                "TEST0002: the page's severity",
            ),
            (
                defect("unraised", good.clone(), &LIVE[..1], &[]),
                "a page is neither raised nor retired",
            ),
            (
                defect("unmarked", good.clone(), &LIVE[..1], &["TEST0002"]),
                "TEST0002 is retired, so its page must say so",
            ),
            (
                defect("raised-retired", second(retired), &LIVE, &[]),
                "TEST0002 is raised, so its page may not say it is retired",
            ),
            (
                defect("twice", good.clone(), &[LIVE[0], LIVE[1], LIVE[1]], &[]),
                "TEST0002 is listed twice",
            ),
            (
                defect("form", good.clone(), &[LIVE[0], LIVE[1], bad_form], &[]),
                "TEST002 is not TEST followed by digits",
            ),
        ] {
            assert!(message.contains(expected), "{expected}: {message}");
        }

        // The pages on disk differ from the embedded ones.
        let embedded: Vec<&str> = good.iter().map(String::as_str).collect();
        let changed = page("TEST0002", "warning", "changed\n");
        let unembedded = PageDir::new(
            "unembedded",
            &[("TEST0001.md", &good[0]), ("TEST0002.md", &changed)],
        );
        let message = panic_message(|| {
            assert_page_files(&unembedded.0, &embedded, "TEST", &LIVE, &[]);
        });
        assert!(message.contains("TEST0002.md is not embedded"), "{message}");
        let missing = PageDir::new("missing", &[("TEST0001.md", &good[0])]);
        let message = panic_message(|| {
            assert_page_files(&missing.0, &embedded, "TEST", &LIVE, &[]);
        });
        assert!(message.contains("not the embedded ones"), "{message}");
    }

    const PAGE: &str = "# TEST0001: a test finding\n\n- **Severity:** error\n\n## What it means\n\n\
                        Something.\n\n## How to fix\n\nFix it.\n\n## Verify\n\nRun it again.\n";
    /// The same page with spaces after its title, which the index trims but a heading lookup
    /// does not.
    const PADDED: &str = "# TEST0001: a test finding  \n\n- **Severity:** error\n\n\
                          ## What it means\n\nSomething.\n\n## How to fix\n\nFix it.\n\n\
                          ## Verify\n\nRun it again.\n";

    /// The pages a test plugin serves, and those its manifest indexes.
    trait Served {
        const SERVED: &'static [&'static str];
        const INDEXED: &'static [&'static str];
    }

    /// A plugin that serves `S::SERVED` and indexes `S::INDEXED` in its manifest.
    struct Serving<S>(std::marker::PhantomData<S>);

    impl<S: Served> Plugin for Serving<S> {
        fn manifest() -> Manifest {
            Manifest {
                diagnostics: Codes::from_pages("TEST", S::INDEXED).expect("parses"),
                file_kinds: Vec::new(),
                ..manifest("serving")
            }
        }

        fn check(_: &Setup) -> Vec<Diagnostic> {
            Vec::new()
        }

        fn render(_: &Setup) -> Result<Rendering<impl serde::Serialize>, String> {
            Ok(Rendering::<serde_json::Value>::default())
        }

        fn pages() -> &'static [&'static str] {
            S::SERVED
        }
    }

    struct Sound;
    impl Served for Sound {
        const SERVED: &'static [&'static str] = &[PAGE];
        const INDEXED: &'static [&'static str] = &[PAGE];
    }

    struct Unindexed;
    impl Served for Unindexed {
        const SERVED: &'static [&'static str] = &[PAGE];
        const INDEXED: &'static [&'static str] = &[];
    }

    struct Padded;
    impl Served for Padded {
        const SERVED: &'static [&'static str] = &[PADDED];
        const INDEXED: &'static [&'static str] = &[PADDED];
    }

    #[test]
    fn a_plugin_indexes_and_serves_each_of_its_pages_once() {
        let live = [("TEST0001", Severity::Error)];
        let dir = PageDir::new("served", &[("TEST0001.md", PAGE)]);
        assert_pages::<Serving<Sound>>(&dir.0, &live, &[]);
        let message = panic_message(|| assert_pages::<Serving<Unindexed>>(&dir.0, &live, &[]));
        assert!(
            message.contains("the manifest indexes the pages it serves"),
            "{message}"
        );
        let padded = PageDir::new("padded", &[("TEST0001.md", PADDED)]);
        let message = panic_message(|| assert_pages::<Serving<Padded>>(&padded.0, &live, &[]));
        assert!(
            message.contains("pages headed \"# TEST0001: a test finding\\n\""),
            "{message}"
        );
    }

    fn compatibility() -> Vec<Assessment<Criterion>> {
        CRITERIA
            .into_iter()
            .map(|criterion| Assessment::yes(criterion, "docs"))
            .collect()
    }

    #[test]
    fn assessments_cover_the_criteria_in_order_with_sources_and_notes() {
        let features = [
            Assessment::yes(Feature::Budgets, "docs"),
            Assessment::depends(Feature::Guardrails, "docs", "with a licence"),
            Assessment::no(Feature::VertexBackend, "unverified"),
        ];
        assert_assessments(&compatibility(), &features);

        let mut reordered = compatibility();
        reordered.swap(0, 1);
        let mut unsourced = compatibility();
        unsourced[6].source.clear();
        let mut unexplained = compatibility();
        unexplained[4] = Assessment::depends(Criterion::SseStreaming, "docs", "");
        for (compatibility, features, expected) in [
            (reordered, features.to_vec(), "in the spec's order"),
            (unsourced, features.to_vec(), "LongTimeouts has no source"),
            (
                unexplained,
                features.to_vec(),
                "SseStreaming depends on the configuration",
            ),
            (
                compatibility(),
                vec![features[0].clone(), features[0].clone()],
                "Budgets is assessed twice",
            ),
            (
                compatibility(),
                vec![Assessment::yes(Feature::Other, "docs")],
                "a feature this SDK does not know",
            ),
        ] {
            let message = panic_message(|| assert_assessments(&compatibility, &features));
            assert!(message.contains(expected), "{expected}: {message}");
        }
    }

    #[test]
    fn what_reads_back_as_itself_crosses_the_abi() {
        assert_crosses_the_abi(&Serving::<Sound>::manifest());
        /// A field the JSON leaves out, so it does not read back.
        #[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
        struct Lossy {
            kept: u8,
            #[serde(skip)]
            lost: u8,
        }
        let message = panic_message(|| assert_crosses_the_abi(&Lossy { kept: 1, lost: 2 }));
        assert!(message.contains(r#"{"kept":1}"#), "{message}");
    }

    #[test]
    fn every_option_of_a_schema_needs_a_description() {
        use crate::schema::{described, object, string};
        assert_options_described(&object(
            [("greeting", described(string(), "what it says"))],
            &[],
        ));
        let undescribed = object([("a", described(string(), "d")), ("b", string())], &[]);
        let message = panic_message(|| assert_options_described(&undescribed));
        assert!(message.contains("option b has no description"), "{message}");
        let message = panic_message(|| assert_options_described(&string()));
        assert!(message.contains("no properties"), "{message}");
    }

    #[test]
    fn several_gateway_options_are_set_in_order_each_at_its_own_line() {
        let gateway = with_gateway_options(
            gateway("hello", vec![], vec![]),
            [("greeting", literal("hi")), ("api_key", secret("KEY"))],
        );
        assert_eq!(gateway.option("greeting"), Some(&literal("hi")));
        assert_eq!(
            gateway.option("api_key").and_then(Param::secret_name),
            Some("KEY")
        );
        let line = |key| gateway.option_span(key).expect("spanned").line;
        assert!(line("greeting") < line("api_key"));
    }
}
