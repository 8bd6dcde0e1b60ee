//! The recipe runtime: a hardened rhai engine, the recipe primitives, and the module resolver.

mod api;
mod engine;
mod errors;
mod fault;
mod heap;
mod literal_secrets;
mod options;
mod resolver;
mod source;

pub use engine::Limits;
pub use heap::{CountingAllocator, keep_freed_memory_until_exit};
pub use resolver::STDLIB;
pub use source::{MAX_SOURCE_BYTES, read_bounded, read_regular_file};

use gwscript_plugin::model::{ClientSetup, Span};
use gwscript_plugin::{Diagnostic, Setup};
use std::path::Path;

/// Compiles and runs a recipe, returning the setup it emitted, or every mistake found: those the
/// primitives recovered from, in recipe order, then the one that stopped the recipe, if any.
///
/// `dir` is the recipe's directory: the only place besides the stdlib that `import` may read.
///
/// The recipe runs on a thread of its own with a stack sized for its budget ([`stack_bytes`]),
/// and every value it made is dropped there.
pub fn run(source: &str, dir: Option<&Path>, limits: Limits) -> Result<Setup, Vec<Diagnostic>> {
    std::thread::scope(|scope| {
        let recipe = std::thread::Builder::new()
            .name("recipe".into())
            .stack_size(stack_bytes(&limits))
            .spawn_scoped(scope, || run_here(source, dir, limits));
        match recipe {
            Ok(thread) => thread
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            // No thread to be had (the process is at its thread or memory limit): run here, where
            // only a recipe nesting values thousands deep could exhaust the stack.
            Err(_) => run_here(source, dir, limits),
        }
    })
}

/// The recipe thread's stack. rhai drops, clones and measures values recursively, and a recipe
/// can nest them as deep as its operation budget allows (`f = || g.call()` in a loop, each
/// closure holding the last): 20,000 levels overflow a default 8 MiB stack and abort the
/// process. A level costs at least one operation and about half a KiB of stack in a debug build
/// (less in release), so 1 KiB per operation is a margin; only the pages a recipe touches are
/// ever committed.
fn stack_bytes(limits: &Limits) -> usize {
    const MIN: usize = 16 << 20;
    const MAX: usize = 1 << 30;
    match limits.max_operations {
        // rhai's "unlimited": only the clock bounds the depth.
        0 => MAX,
        operations => usize::try_from(operations)
            .unwrap_or(usize::MAX)
            .saturating_mul(1024)
            .clamp(MIN, MAX),
    }
}

fn run_here(source: &str, dir: Option<&Path>, limits: Limits) -> Result<Setup, Vec<Diagnostic>> {
    let mut engine = engine::hardened(limits);
    engine.set_module_resolver(resolver::RecipeResolver::new(dir));
    let recovered = fault::Recovered::default();
    engine.set_default_tag(rhai::Dynamic::from(recovered.clone()));
    let emitted = api::Emitted::default();
    api::register(&mut engine, &emitted);
    let ast = engine
        .compile(source)
        .map_err(|e| vec![errors::from_parse(&e)])?;
    let outcome = engine.run_ast(&ast);
    let mut found: Vec<Diagnostic> = recovered
        .take()
        .iter()
        .map(|r| errors::from_recovered(r, source))
        .collect();
    if let Err(error) = outcome {
        found.push(errors::from_eval(&error, source));
    }
    if !found.is_empty() {
        return Err(found);
    }
    let mut setup = emitted.take().ok_or_else(|| {
        vec![Diagnostic::error(
            "GW1012",
            "the recipe finished without emitting a setup",
            "end the recipe with emit(pattern(\"gateway\", #{ gateway: gw, auth_token: secret(\"GATEWAY_KEY\") }))",
        )]
    })?;
    let lines: Vec<&str> = source.lines().collect();
    pin_option_spans(&mut setup, &lines);
    let secrets = literal_secrets::find(&setup, &lines);
    if !secrets.is_empty() {
        return Err(secrets);
    }
    Ok(setup)
}

/// Options given in a `gateway(…)`, `deploy(…)` or `pattern(…)` map carry the call's position;
/// point each at its own key instead, so a finding about one option underlines that option.
fn pin_option_spans(setup: &mut Setup, lines: &[&str]) {
    if let Some(call) = setup.span {
        pin_pattern_keys(&mut setup.client, lines, call);
    }
    let Some(gateway) = &mut setup.gateway else {
        return;
    };
    let owners = std::iter::once((gateway.span, &mut gateway.options)).chain(
        gateway
            .deployments
            .iter_mut()
            .map(|d| (d.span, &mut d.options)),
    );
    for (call, options) in owners {
        for (key, option) in options.iter_mut() {
            if let Some(at) = option.span.filter(|at| Some(*at) == call) {
                option.span = errors::key_span(lines, at, key).or(Some(at));
            }
        }
    }
}

/// The pattern's pinned models and `env` names, at their keys.
fn pin_pattern_keys(client: &mut ClientSetup, lines: &[&str], call: Span) {
    let models = [
        ("model", &mut client.model),
        ("background_model", &mut client.background_model),
        ("opus_model", &mut client.opus_model),
        ("sonnet_model", &mut client.sonnet_model),
    ];
    for (key, model) in models {
        if let Some(model) = model.as_mut().filter(|m| m.span == Some(call)) {
            model.span = errors::key_span(lines, call, key).or(Some(call));
        }
    }
    client.env_spans = client
        .env
        .keys()
        .filter_map(|name| Some((name.clone(), errors::key_span(lines, call, name)?)))
        .collect();
}
