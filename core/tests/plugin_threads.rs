//! A plugin keeps working after the thread that loaded it has exited. Each library has its own
//! allocator (the LiteLLM plugin links mimalloc), and that allocator's per-thread state must not
//! belong to the loading thread. With mimalloc 3.3 it did: a thread's first allocation in the
//! plugin after the loader had exited crashed the process.
//!
//! The only test in its binary, so the libraries are loaded here and by no other test first.

use gwscript::plugin::Registry;
use gwscript::run;

mod first_party;

const RECIPE: &str = r#"let gw = gateway("litellm", #{ url: "http://127.0.0.1:4000", master_key: secret("LITELLM_MASTER_KEY") });
for team in ["red", "blue", "green"] {
    gw.deploy("claude-sonnet-4-5-" + team, provider("anthropic", #{ api_key: secret("ANTHROPIC_API_KEY"), model: "claude-sonnet-4-5-20250929" }));
}
emit(pattern("gateway", #{ gateway: gw, model: "claude-sonnet-4-5-red", auth_token: secret("LITELLM_MASTER_KEY") }));
"#;

/// The LiteLLM config of one run of [`RECIPE`].
fn litellm_config(registry: &Registry) -> String {
    let setup = run::recipe(RECIPE, None).expect("the recipe runs");
    let emission = run::emit(setup, registry).expect("the setup is emitted");
    emission
        .artifacts
        .into_iter()
        .find(|a| a.path == "litellm/config.yaml")
        .expect("a LiteLLM config")
        .contents
}

#[test]
fn plugins_loaded_by_a_thread_that_has_exited_serve_other_threads() {
    let registry = std::thread::spawn(first_party::load)
        .join()
        .expect("the loader thread");
    for round in 0..3 {
        let config = std::thread::scope(|scope| {
            scope
                .spawn(|| litellm_config(&registry))
                .join()
                .expect("the run's thread")
        });
        for team in ["red", "blue", "green"] {
            assert!(
                config.contains(&format!("model_name: \"claude-sonnet-4-5-{team}\"")),
                "round {round}: the config lacks team {team}:\n{config}"
            );
        }
    }
}
