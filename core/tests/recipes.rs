//! The recipe runtime: what recipes can build, and a diagnostic with the right code and position
//! for every way they can go wrong, including hostile ones.

use gwscript::script::{CountingAllocator, Limits, run};
use gwscript_plugin::Diagnostic;
use gwscript_plugin::model::{Endpoint, Param, Pattern, ProviderKind, Scope};
use std::path::Path;
use std::time::{Duration, Instant};

/// As in the binary: the heap budget counts only with the counting allocator installed.
#[global_allocator]
static ALLOCATOR: CountingAllocator = CountingAllocator;

const GATEWAY: &str = r#"let gw = gateway("litellm", #{ url: "http://127.0.0.1:4000", master_key: secret("LITELLM_MASTER_KEY") });
gw.deploy("claude-sonnet-4-5", provider("anthropic", #{ api_key: secret("ANTHROPIC_API_KEY") }));
"#;

/// Every diagnostic a refused recipe gets, in recipe order.
fn refused(source: &str) -> Vec<Diagnostic> {
    run(source, None, Limits::default()).expect_err("the recipe must be refused")
}

/// The one diagnostic a recipe with one mistake gets.
fn fails(source: &str) -> Diagnostic {
    only(refused(source))
}

fn only(mut found: Vec<Diagnostic>) -> Diagnostic {
    assert_eq!(found.len(), 1, "expected one diagnostic: {found:#?}");
    found.remove(0)
}

fn fails_with(code: &str, source: &str) -> Diagnostic {
    let d = fails(source);
    assert_eq!(d.code, code, "unexpected diagnostic: {d:?}");
    assert!(d.is_error());
    assert!(!d.help.is_empty(), "every diagnostic has a help line");
    d
}

fn at(d: &Diagnostic) -> (u32, u32) {
    let span = d.span.expect("the diagnostic points into the recipe");
    (span.line, span.column)
}

/// Hostile recipes must end on their own, well inside a second of budget plus overhead.
fn bounded(code: &str, source: &str) -> Diagnostic {
    let started = Instant::now();
    let d = fails_with(code, source);
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "took {:?} to stop",
        started.elapsed()
    );
    d
}

#[test]
fn quickstart_builds_the_documented_setup() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../scripts/quickstart.rhai");
    let source = std::fs::read_to_string(&path).expect("quickstart exists");
    let setup = run(&source, path.parent(), Limits::default()).expect("quickstart runs");
    assert_eq!(setup.pattern, Pattern::Gateway);
    assert_eq!(setup.client.scope, Scope::User);
    assert_eq!(setup.client.endpoint, Endpoint::Unified);
    let gw = setup.gateway.expect("has a gateway");
    assert_eq!(gw.kind, "litellm");
    assert_eq!(gw.model_groups(), ["claude-sonnet-4-5", "claude-haiku-4-5"]);
    let bedrock = &gw.deployments[1];
    assert_eq!(bedrock.provider.kind, ProviderKind::Bedrock);
    assert_eq!(
        bedrock.provider_model,
        "us.anthropic.claude-sonnet-4-5-20250929-v1:0"
    );
    assert_eq!(bedrock.option("order").and_then(Param::as_i64), Some(2));
    assert_eq!(gw.fallbacks[0].to, ["claude-haiku-4-5"]);
    assert_eq!(
        gw.option("routing_strategy").and_then(Param::as_str),
        Some("simple-shuffle")
    );
    assert_eq!(gw.option("num_retries").and_then(Param::as_i64), Some(2));
    assert_eq!(gw.option("timeout").and_then(Param::as_i64), Some(600));
    assert_eq!(
        gw.option("master_key").and_then(Param::secret_name),
        Some("LITELLM_MASTER_KEY")
    );
    assert_eq!(
        setup.client.auth_token.map(|t| t.secret).as_deref(),
        Some("LITELLM_MASTER_KEY")
    );
}

#[test]
fn model_defaults_to_the_first_group_and_spans_point_at_calls() {
    let source = format!(
        "{GATEWAY}emit(pattern(\"gateway\", #{{ gateway: gw, auth_token: secret(\"K\") }}));"
    );
    let setup = run(&source, None, Limits::default()).expect("runs");
    let model = setup.client.model.expect("defaulted");
    assert_eq!(model.value, "claude-sonnet-4-5");
    let deployment = &setup.gateway.expect("gateway").deployments[0];
    assert_eq!(deployment.span.map(|s| s.line), Some(2));
    assert_eq!(deployment.provider_model, "claude-sonnet-4-5-20250929");
}

#[test]
fn syntax_errors_point_at_line_and_column() {
    let d = fails_with("GW1001", "let a = 1;\nlet b = ;\n");
    assert_eq!(at(&d), (2, 9));
}

#[test]
fn eval_is_disabled() {
    let d = fails_with("GW1001", "let x = 1;\neval(\"x + 1\");\n");
    assert!(d.message.contains("eval"), "{d:?}");
    assert_eq!(at(&d).0, 2);
}

#[test]
fn sleep_and_other_core_functions_are_not_reachable() {
    let d = fails_with("GW1002", "sleep(10);");
    assert!(d.message.contains("sleep"), "{d:?}");
}

#[test]
fn thrown_errors_and_unknown_functions_are_runtime_errors() {
    let d = fails_with("GW1002", "let a = 1;\nthrow \"boom\";");
    assert!(d.message.contains("boom"));
    assert_eq!(at(&d).0, 2);
    fails_with("GW1002", "open_file(\"/etc/passwd\");");
}

#[test]
fn an_infinite_loop_is_stopped() {
    bounded("GW1003", "loop { }");
    bounded("GW1003", "let i = 0; while true { i += 1; }");
}

#[test]
fn the_wall_clock_budget_stops_slow_recipes_that_stay_under_the_operation_budget() {
    let limits = Limits {
        max_operations: 0, // unlimited: only the clock can stop it
        wall_time: Duration::from_millis(200),
        ..Limits::default()
    };
    let started = Instant::now();
    let d = only(run("loop { }", None, limits).expect_err("stopped"));
    assert_eq!(d.code, "GW1003");
    assert!(d.message.contains("200 ms budget"), "{d:?}");
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[test]
fn runaway_recursion_is_stopped() {
    let d = bounded("GW1004", "fn down(n) { down(n + 1) }\ndown(0);");
    assert!(d.span.is_some());
}

#[test]
fn deeply_nested_expressions_are_refused() {
    let source = format!("let x = {}1{};", "(".repeat(300), ")".repeat(300));
    fails_with("GW1004", &source);
}

#[test]
fn memory_bombs_are_stopped() {
    bounded("GW1005", "let s = \"xxxxxxxx\"; loop { s += s; }");
    bounded("GW1005", "let a = [1, 2, 3]; loop { a += a; }");
}

#[test]
fn imports_resolve_the_stdlib_and_files_beside_the_recipe_only() {
    let dir = tempfile::tempdir().expect("temp dir");
    let recipes = dir.path().join("recipes");
    std::fs::create_dir(&recipes).expect("mkdir");
    std::fs::write(
        recipes.join("team.rhai"),
        "fn group() { \"claude-sonnet-4-5\" }",
    )
    .expect("write");
    std::fs::write(dir.path().join("outside.rhai"), "fn x() { 1 }").expect("write");
    let source = format!(
        "import \"team\" as team;\nimport \"providers\" as providers;\n{GATEWAY}gw.deploy(team::group(), providers::bedrock(\"eu-west-1\"));\nemit(pattern(\"gateway\", #{{ gateway: gw, auth_token: secret(\"K\") }}));"
    );
    let setup = run(&source, Some(&recipes), Limits::default()).expect("imports resolve");
    let bedrock = &setup.gateway.expect("gateway").deployments[1];
    assert_eq!(
        bedrock.provider_model,
        "eu.anthropic.claude-sonnet-4-5-20250929-v1:0"
    );

    let refused = |path: &str| {
        let source = format!("import \"{path}\" as m;");
        let d = only(run(&source, Some(&recipes), Limits::default()).expect_err("refused"));
        assert_eq!(d.code, "GW1006", "{path}: {d:?}");
        assert_eq!(at(&d).0, 1);
        d
    };
    assert!(refused("../outside").message.contains(".."));
    assert!(refused("/etc/passwd").message.contains("absolute"));
    refused("missing");
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(dir.path().join("outside.rhai"), recipes.join("link.rhai"))
            .expect("symlink");
        assert!(refused("link").message.contains("outside"));
    }
}

#[test]
fn errors_inside_an_imported_module_name_the_module() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("broken.rhai"), "let = ;").expect("write");
    let d = only(
        run(
            "import \"broken\" as b;",
            Some(dir.path()),
            Limits::default(),
        )
        .expect_err("refused"),
    );
    assert_eq!(d.code, "GW1001");
    assert!(d.message.contains("broken"), "{d:?}");
}

#[test]
fn secret_names_must_be_identifiers() {
    let d = fails_with("GW1007", "let k = secret(\"sk-ant-api03-abc\");");
    assert_eq!(at(&d), (1, 9));
    assert!(
        !d.message.contains("sk-ant") && !d.help.contains("sk-ant"),
        "never echoed: {d:?}"
    );
    assert!(d.sensitive, "the snippet is masked when shown");
    fails_with("GW1007", "secret(\"\");");
}

#[test]
fn unknown_options_are_named_with_a_suggestion() {
    let source = format!("{GATEWAY}pattern(\"gateway\", #{{ gateway: gw, scop: \"user\" }});");
    let d = fails_with("GW1008", &source);
    assert!(d.message.contains("scop"));
    assert!(d.help.contains("did you mean `scope`"), "{}", d.help);
    assert_eq!(at(&d), (3, 36), "points at the key");
}

/// Gateway and deployment options belong to the plugin: the runtime keeps them as written, with
/// nested secrets and lists, each pointing at its own key (the plugin's schema judges them later).
#[test]
fn gateway_options_are_kept_typed_and_spanned_at_their_keys() {
    let source = r#"let gw = gateway("litellm", #{
    url: "http://127.0.0.1:4000",
    redis: #{ host: "127.0.0.1", port: 6379, password: secret("REDIS_PASSWORD") },
    callbacks: ["prometheus"],
    drop_params: false,
});
gw.deploy("claude-sonnet-4-5", provider("anthropic", #{ api_key: secret("K") }), #{ order: 1, weight: 2.5 });
gw.set("cooldown_time", 30);
gw.retries(3);
emit(pattern("gateway", #{ gateway: gw, auth_token: secret("K") }));
"#;
    let setup = run(source, None, Limits::default()).expect("runs");
    let gw = setup.gateway.expect("gateway");
    let redis = gw.option("redis").and_then(Param::as_map).expect("a map");
    assert_eq!(redis["password"].secret_name(), Some("REDIS_PASSWORD"));
    assert_eq!(redis["port"].as_i64(), Some(6379));
    assert_eq!(
        gw.option("callbacks"),
        Some(&Param::List(vec![Param::Literal("prometheus".into())]))
    );
    assert_eq!(
        gw.option("drop_params").and_then(Param::as_bool),
        Some(false)
    );
    assert_eq!(gw.option("cooldown_time").and_then(Param::as_i64), Some(30));
    let span = |key: &str| gw.option_span(key).map(|s| (s.line, s.column));
    assert_eq!(span("redis"), Some((3, 5)));
    assert_eq!(span("drop_params"), Some((5, 5)));
    assert_eq!(
        span("num_retries"),
        Some((9, 4)),
        "set by a method: the call"
    );
    let deployment = &gw.deployments[0];
    assert_eq!(
        deployment.option("weight").and_then(Param::as_f64),
        Some(2.5)
    );
    assert_eq!(
        deployment.options["order"].span.map(|s| (s.line, s.column)),
        Some((7, 85))
    );
}

#[test]
fn option_values_an_option_cannot_hold_are_refused() {
    for (source, needle) in [
        (
            "gateway(\"litellm\", #{ url: \"http://h:4000\", x: || 1 });",
            "array or map",
        ),
        (
            "gateway(\"litellm\", #{ url: \"http://h:4000\", x: #{ \"$secret\": \"K\" } });",
            "may not start with $",
        ),
        (
            "let gw = gateway(\"litellm\", #{ url: \"http://h:4000\" });\ngw.set(\"x\", ());",
            "not nothing",
        ),
    ] {
        let d = fails_with("GW1009", source);
        assert!(
            d.message.contains(needle) || d.help.contains(needle),
            "{source}: {d:?}"
        );
    }
}

#[test]
fn wrong_values_and_shapes_are_refused() {
    let cases = [
        ("provider(\"bedrok\", #{});", "did you mean \"bedrock\""),
        ("gateway(\"litellm\", #{ url: 4000 });", "must be a string"),
        (
            "gateway(\"litellm\", #{ url: \"localhost:4000\" });",
            "scheme",
        ),
        (
            "gateway(\"litellm\", #{ url: \"http://h:4000/v1\" });",
            "/v1",
        ),
        ("pattern(\"gateway\", #{});", "needs `gateway`"),
        ("pattern(\"gatway\", #{});", "did you mean \"gateway\""),
        (
            &format!(
                "{GATEWAY}pattern(\"gateway\", #{{ gateway: gw, auth_token: \"sk-literal\" }});"
            ),
            "secret reference",
        ),
        (
            &format!("{GATEWAY}pattern(\"gateway\", #{{ gateway: gw, scope: \"global\" }});"),
            "unknown scope",
        ),
        (
            &format!(
                "{GATEWAY}pattern(\"proxy+gateway\", #{{ gateway: gw, proxy: #{{ url: \"http://u:p@proxy:3128\" }} }});"
            ),
            "credentials inline",
        ),
        (
            &format!("{GATEWAY}gw.fallback(\"claude-sonnet-4-5\", [1, 2]);"),
            "array of model group names",
        ),
    ];
    for (source, needle) in cases {
        let d = fails_with("GW1009", source);
        assert!(
            d.message.contains(needle) || d.help.contains(needle),
            "{source}: expected {needle:?} in {d:?}"
        );
    }
}

#[test]
fn a_group_named_account_slash_model_resolves_the_model() {
    let source = r#"let gw = gateway("truefoundry", #{ url: "https://gw.example" });
gw.deploy("bedrock-main/claude-sonnet-4-5", provider("bedrock", #{ region: "eu-central-1" }));
emit(pattern("gateway", #{ gateway: gw, auth_token: secret("K") }));"#;
    let setup = run(source, None, Limits::default()).expect("runs");
    assert_eq!(
        setup.gateway.expect("gateway").deployments[0].provider_model,
        "eu.anthropic.claude-sonnet-4-5-20250929-v1:0"
    );
}

#[test]
fn models_outside_the_catalog_need_an_explicit_id() {
    let source = format!("{GATEWAY}gw.deploy(\"my-model\", provider(\"anthropic\", #{{}}));");
    let d = fails_with("GW1010", &source);
    assert_eq!(at(&d).0, 3);
    let explicit = format!(
        "{GATEWAY}gw.deploy(\"my-model\", provider(\"raw\", #{{ model: \"openai/gpt-4o\" }}));\nemit(pattern(\"gateway\", #{{ gateway: gw, auth_token: secret(\"K\") }}));"
    );
    let setup = run(&explicit, None, Limits::default()).expect("explicit model id");
    assert_eq!(
        setup.gateway.expect("gateway").deployments[1].provider_model,
        "openai/gpt-4o"
    );
}

#[test]
fn a_recipe_emits_exactly_once() {
    let twice = format!(
        "{GATEWAY}let s = pattern(\"gateway\", #{{ gateway: gw, auth_token: secret(\"K\") }});\nemit(s);\nemit(s);"
    );
    let d = fails_with("GW1011", &twice);
    assert_eq!(at(&d).0, 5);
    assert!(d.help.contains("line 4"), "{}", d.help);
    fails_with("GW1012", GATEWAY);

    // An emit inside a loop is its own "first emit": say what is really wrong.
    let looped = format!(
        "{GATEWAY}for team in [\"a\", \"b\", \"c\"] {{\n  emit(pattern(\"gateway\", #{{ gateway: gw, auth_token: secret(\"K\") }}));\n}}"
    );
    let d = fails_with("GW1011", &looped);
    assert_eq!(at(&d).0, 4);
    assert!(d.message.contains("more than once"), "{}", d.message);
    assert!(d.message.contains("2 times"), "{}", d.message);
    assert!(!d.help.contains("line 4"), "{}", d.help);
}

#[test]
fn independent_mistakes_are_all_reported_in_one_run() {
    // Two bad deploys, a bad fallback, then a bad pattern option that stops the recipe: all four.
    let source = format!(
        "{GATEWAY}gw.deploy(\"claude-sonnet-4-5\", provider(\"anthropic\", #{{ model: 5 }}));
gw.deploy(\"my-own-model\", provider(\"anthropic\"));
gw.fallback(\"claude-sonnet-4-5\", [1, 2]);
emit(pattern(\"gateway\", #{{ gateway: gw, scope: \"galaxy\", auth_token: secret(\"K\") }}));"
    );
    let found = refused(&source);
    let lines: Vec<u32> = found.iter().map(|d| at(d).0).collect();
    assert_eq!(lines, [3, 4, 5, 6], "{found:#?}");
    assert!(found.iter().all(|d| d.is_error() && !d.help.is_empty()));

    // The same mistake on every pass of a loop is one diagnostic, with its count.
    let looped = format!(
        "{GATEWAY}for team in 0..40 {{\n  gw.fallback(\"claude-sonnet-4-5\", [team]);\n}}\nemit(pattern(\"gateway\", #{{ gateway: gw, auth_token: secret(\"K\") }}));"
    );
    let d = fails_with("GW1009", &looped);
    assert_eq!(at(&d).0, 4);
    assert!(d.message.contains("40 times"), "{}", d.message);
}

#[test]
fn a_map_grown_key_by_key_is_stopped_by_the_heap_budget() {
    // rhai never re-measures a map after an indexed insert; the heap backstop must catch it.
    let d = bounded(
        "GW1005",
        "let big = \"x\"; for i in 0..15 { big += big; }\nlet m = #{}; let i = 0; loop { m[`k${i}`] = big + i; i += 1; }",
    );
    assert!(d.message.contains("MiB"), "{d:?}");
}

/// The budget is the recipe's own: memory another thread takes while the recipe runs (a server,
/// a parallel test) does not count against it.
#[test]
fn another_threads_allocations_do_not_count_against_the_recipe() {
    let (release, hold) = std::sync::mpsc::channel::<()>();
    let holder = std::thread::spawn(move || {
        // Give the recipe time to start, then take 4x the recipe's budget while it runs.
        std::thread::sleep(Duration::from_millis(20));
        let ballast: Vec<Vec<u8>> = (0..32).map(|_| vec![1u8; 8 * 1024 * 1024]).collect();
        hold.recv().expect("recv");
        drop(ballast);
    });
    let busy = "let n = 0; for i in 0..100000 { n += i; }\n";
    let source = format!(
        "{busy}{GATEWAY}emit(pattern(\"gateway\", #{{ gateway: gw, auth_token: secret(\"K\") }}));"
    );
    let started = Instant::now();
    let result = run(&source, None, Limits::default());
    let took = started.elapsed();
    release.send(()).expect("release");
    holder.join().expect("holder ends");
    assert!(
        took > Duration::from_millis(60),
        "the recipe outlived the allocation ({took:?})"
    );
    result.expect("the recipe is not charged for another thread's 256 MiB");
}

#[test]
fn the_patterns_stdlib_builds_each_pattern() {
    let with = |call: &str| {
        let source = format!("import \"patterns\" as patterns;\n{GATEWAY}emit({call});");
        run(&source, None, Limits::default()).unwrap_or_else(|d| panic!("{call}: {d:?}"))
    };
    let team = with("patterns::team_gateway(gw, \"TEAM_KEY\")");
    assert_eq!(
        (team.pattern, team.client.scope),
        (Pattern::Gateway, Scope::User)
    );
    assert_eq!(
        team.client.auth_token.map(|t| t.secret).as_deref(),
        Some("TEAM_KEY")
    );

    let project = with("patterns::project_gateway(gw, \"TEAM_KEY\")");
    assert_eq!(project.client.scope, Scope::Project);
    assert_eq!(
        project.client.api_key_helper.map(|h| h.ttl_ms),
        Some(3_600_000)
    );

    let proxied =
        with("patterns::proxied_gateway(gw, \"TEAM_KEY\", \"http://proxy.corp.example:3128\")");
    assert_eq!(proxied.pattern, Pattern::ProxyGateway);
    assert_eq!(
        proxied.proxy.map(|p| p.url).as_deref(),
        Some("http://proxy.corp.example:3128")
    );
}

/// `monitors:` is open to every pattern, holds gateway values only, and each kind once; a
/// refusal points at the key.
#[test]
fn every_pattern_takes_monitors_each_kind_once() {
    const MONITOR: &str =
        "let mint = gateway(\"mintmcp\", #{ url: \"https://app.mintmcp.com\" });\n";
    const PROVIDER: &str = "provider: provider(\"bedrock\", #{ region: \"us-east-1\" })";
    const PROXY: &str = "proxy: #{ url: \"http://proxy.corp.example:3128\" }";
    for (kind, options) in [
        ("direct", PROVIDER.to_owned()),
        ("proxy", format!("{PROVIDER}, {PROXY}")),
        (
            "gateway",
            "gateway: gw, auth_token: secret(\"K\")".to_owned(),
        ),
        (
            "proxy+gateway",
            format!("gateway: gw, auth_token: secret(\"K\"), {PROXY}"),
        ),
    ] {
        let source = format!(
            "{GATEWAY}{MONITOR}emit(pattern(\"{kind}\", #{{ {options}, monitors: [mint] }}));"
        );
        let setup =
            run(&source, None, Limits::default()).unwrap_or_else(|d| panic!("{kind}: {d:?}"));
        let kinds: Vec<&str> = setup.monitors.iter().map(|m| m.kind.as_str()).collect();
        assert_eq!(kinds, ["mintmcp"], "{kind}");
        assert_eq!(setup.monitors[0].url, "https://app.mintmcp.com");
        assert_eq!(setup.pattern.name(), kind);
    }
    let plain = run(
        &format!(
            "{GATEWAY}emit(pattern(\"gateway\", #{{ gateway: gw, auth_token: secret(\"K\") }}));"
        ),
        None,
        Limits::default(),
    )
    .expect("runs");
    assert!(plain.monitors.is_empty());

    for (monitors, needle) in [
        (
            "\"mintmcp\"",
            "must be an array of gateway(…) values, not a string",
        ),
        ("[mint, \"x\"]", "holds a string, not a gateway(…) value"),
        ("[provider(\"anthropic\")]", "holds a Provider"),
        ("[mint, mint]", "gateway kind \"mintmcp\" is given twice"),
        ("[gw]", "gateway kind \"litellm\" is given twice"),
    ] {
        let source = format!(
            "{GATEWAY}{MONITOR}emit(pattern(\"gateway\", #{{ gateway: gw, auth_token: secret(\"K\"),\n  monitors: {monitors} }}));"
        );
        let d = fails_with("GW1009", &source);
        assert!(d.message.contains(needle), "{monitors}: {d:?}");
        assert_eq!(at(&d), (5, 3), "{monitors}: points at the key");
    }
}

#[test]
fn import_cycles_are_named_not_recursed_into() {
    let dir = tempfile::tempdir().expect("temp dir");
    let write =
        |name: &str, text: &str| std::fs::write(dir.path().join(name), text).expect("write");
    write("recipe.rhai", "import \"recipe\" as me;\n");
    write("a.rhai", "import \"b\" as b;\nfn x() { 1 }\n");
    write("b.rhai", "\nimport \"a\" as a;\n");
    let run_in = |source: &str| run(source, Some(dir.path()), Limits::default());

    let d = only(run_in("import \"recipe\" as me;\n").expect_err("refused"));
    assert_eq!(d.code, "GW1015", "{d:?}");
    assert!(
        d.message.contains("recipe.rhai imports recipe.rhai"),
        "{}",
        d.message
    );

    let d = only(run_in("let x = 1;\nimport \"a\" as a;\n").expect_err("refused"));
    assert_eq!(d.code, "GW1015", "{d:?}");
    assert!(
        d.message.contains("a.rhai imports b.rhai imports a.rhai"),
        "{}",
        d.message
    );
    // Where the recipe starts the cycle, and where the cycle closes (b.rhai line 2).
    assert_eq!(at(&d), (2, 8));
    assert!(d.message.contains("at 2:8"), "{}", d.message);

    // A module imported twice, not in a cycle, is fine.
    write("c.rhai", "fn y() { 2 }\n");
    let setup = run_in(&format!(
        "import \"c\" as c1;\nimport \"c\" as c2;\n{GATEWAY}emit(pattern(\"gateway\", #{{ gateway: gw, auth_token: secret(\"K\") }}));"
    ));
    assert!(setup.is_ok(), "{setup:?}");
}

#[test]
fn recipe_files_and_modules_are_read_within_bounds() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        dir.path().join("huge.rhai"),
        vec![b'\n'; gwscript::script::MAX_SOURCE_BYTES as usize + 1],
    )
    .expect("write");
    let d = only(
        run("import \"huge\" as h;", Some(dir.path()), Limits::default()).expect_err("refused"),
    );
    assert_eq!(d.code, "GW1006");
    assert!(d.message.contains("1 MiB limit"), "{}", d.message);
}

#[test]
fn pattern_models_and_env_names_are_spanned_at_their_keys() {
    let source = format!(
        "{GATEWAY}emit(pattern(\"gateway\", #{{\n    gateway: gw,\n    auth_token: secret(\"K\"),\n    model: \"claude-sonnet-4-5\",\n    env: #{{ API_TIMEOUT_MS: \"600000\", MY_TOKEN: \"x\" }},\n}}));"
    );
    let setup = run(&source, None, Limits::default()).expect("runs");
    let client = &setup.client;
    let model = client.model.as_ref().expect("model").span.expect("span");
    assert_eq!((model.line, model.column), (6, 5));
    let token = client.env_span("MY_TOKEN").expect("env span");
    assert_eq!((token.line, token.column), (7, 39));
    assert!(client.env_span("API_TIMEOUT_MS").is_some());
}

#[test]
fn urls_with_credentials_are_refused_without_echoing_them() {
    let leaky = [
        (
            "gateway url",
            r#"let gw = gateway("litellm", #{ url: "http://admin:sk-SECRET-1@llm.corp.example", master_key: secret("K") });
gw.deploy("claude-sonnet-4-5", provider("anthropic", #{ api_key: secret("A") }));
emit(pattern("gateway", #{ gateway: gw, auth_token: secret("K") }));"#,
        ),
        (
            "api_base",
            r#"let gw = gateway("litellm", #{ url: "http://127.0.0.1:4000", master_key: secret("K") });
gw.deploy("claude-sonnet-4-5", provider("anthropic", #{ api_key: secret("A"), api_base: "https://llm.example/?token=sk-SECRET-2" }));
emit(pattern("gateway", #{ gateway: gw, auth_token: secret("K") }));"#,
        ),
        (
            "direct api_base",
            r#"emit(pattern("direct", #{ provider: provider("anthropic", #{ api_key: secret("A"), api_base: "https://u:sk-SECRET-3@api.example" }) }));"#,
        ),
        (
            "env",
            r#"emit(pattern("direct", #{ provider: provider("anthropic", #{ api_key: secret("A") }), env: #{ ANTHROPIC_BEDROCK_BASE_URL: "https://x.example/?api_key=sk-SECRET-4" } }));"#,
        ),
    ];
    for (what, source) in leaky {
        let found = refused(source);
        let d = found
            .iter()
            .find(|d| d.code == "GW1024")
            .unwrap_or_else(|| panic!("{what}: {found:#?}"));
        assert!(d.sensitive, "{what}: the line is masked when shown");
        assert!(
            !d.message.contains("SECRET") && !d.help.contains("SECRET"),
            "{what}: {d:?}"
        );
    }
    let d = fails(
        r#"emit(pattern("proxy", #{ provider: provider("anthropic", #{ api_key: secret("A") }), proxy: #{ url: "socks5://u:SECRET@proxy:1080" } }));"#,
    );
    assert!(!d.message.contains("SECRET"), "{d:?}");
}

#[test]
fn a_recipe_may_declare_at_most_20000_deployments() {
    // The clock budget is widened so the unoptimised test build is not stopped first.
    let limits = Limits {
        wall_time: Duration::from_secs(30),
        ..Limits::default()
    };
    let source = format!(
        "{GATEWAY}for i in 0..20000 {{ gw.deploy(\"claude-sonnet-4-5\", provider(\"anthropic\", #{{ api_key: secret(\"A\") }})); }}\nemit(pattern(\"gateway\", #{{ gateway: gw, auth_token: secret(\"K\") }}));"
    );
    let d = only(run(&source, None, limits).expect_err("over the cap"));
    assert_eq!(d.code, "GW1025", "{d:?}");
    assert_eq!(at(&d).0, 3, "the deploy call in the loop");
    assert!(d.message.contains("20000 deployments"), "{}", d.message);
}

#[test]
fn gw1026_literal_credentials_among_a_deployments_provider_options_are_refused_at_their_key() {
    let deployed = |provider: &str| {
        format!(
            "let gw = gateway(\"litellm\", #{{ url: \"http://127.0.0.1:4000\", master_key: secret(\"K\") }});\n\
             gw.deploy(\"azure-sonnet\", provider(\"raw\", #{{ model: \"azure/claude\",\n    {provider} }}));\n\
             emit(pattern(\"gateway\", #{{ gateway: gw, auth_token: secret(\"K\") }}));"
        )
    };
    for (options, holder) in [
        (
            r#"client_id: "app", client_secret: "SECRET-cs""#,
            "`client_secret`",
        ),
        (r#"azure_ad_token: "SECRET-ad""#, "`azure_ad_token`"),
        (
            r#"extra_headers: #{ Authorization: "Bearer SECRET-h" }"#,
            "`extra_headers` (its `Authorization`)",
        ),
        (
            r#"headers: ["x-api-key: SECRET-l"]"#,
            "`headers` (its `x-api-key`)",
        ),
    ] {
        let d = fails_with("GW1026", &deployed(options));
        assert_eq!(
            d.message,
            format!(
                "provider option {holder} of model group `azure-sonnet` is a literal credential"
            ),
        );
        assert!(d.sensitive, "the line is masked when shown");
        assert!(!d.help.contains("SECRET"), "{d:?}");
        let key = holder
            .trim_start_matches('`')
            .split('`')
            .next()
            .unwrap_or_default();
        let column = deployed(options)
            .lines()
            .nth(2)
            .and_then(|l| l.find(key))
            .unwrap_or(0);
        assert_eq!(at(&d), (3, column as u32 + 1), "at the key: {d:?}");
    }
    // References, names and the options core's provider tables type are not this check's.
    for options in [
        r#"client_secret: secret("AZURE_CLIENT_SECRET"), client_id: "app""#,
        r#"org_key_header: "X-Org-Key", secret_group: "acme:keys""#,
        r#"extra_headers: #{ "x-team": "platform" }"#,
        r#"api_key: "tfy-secret://acme:keys:azure""#,
    ] {
        let found = run(&deployed(options), None, Limits::default());
        assert!(
            found
                .as_ref()
                .err()
                .is_none_or(|d| d.iter().all(|d| d.code != "GW1026")),
            "{options}: {found:#?}"
        );
    }
}

/// A gateway is a value: a copy taken before more deployments are added (or a map holding it)
/// keeps what it had, though copies share their deployments until one of them changes.
#[test]
fn a_copied_gateway_keeps_its_own_deployments() {
    let source = format!(
        "{GATEWAY}let before = #{{ gateway: gw }};
let copy = gw;
copy.deploy(\"claude-haiku-4-5\", provider(\"anthropic\", #{{ api_key: secret(\"ANTHROPIC_API_KEY\") }}));
gw.deploy(\"claude-opus-4-5\", provider(\"anthropic\", #{{ api_key: secret(\"ANTHROPIC_API_KEY\") }}));
if before.gateway.model_groups.len() != 1 || copy.model_groups.len() != 2 {{ throw \"copies changed\"; }}
emit(pattern(\"gateway\", #{{ gateway: gw, auth_token: secret(\"LITELLM_MASTER_KEY\") }}));
"
    );
    let setup = run(&source, None, Limits::default()).expect("runs");
    let gateway = setup.gateway.expect("a gateway");
    assert_eq!(
        gateway.model_groups(),
        ["claude-sonnet-4-5", "claude-opus-4-5"]
    );
}
