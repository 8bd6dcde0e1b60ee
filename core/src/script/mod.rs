//! The recipe runtime: a hardened rhai engine, the recipe primitives, and the module resolver.

mod api;
mod engine;
mod errors;
mod fault;
mod heap;
mod options;
mod resolver;
mod source;
mod url_secrets;

pub use engine::Limits;
pub use heap::CountingAllocator;
pub use resolver::STDLIB;
pub use source::{MAX_SOURCE_BYTES, read_bounded};

use gwscript_plugin::model::{ClientSetup, Span};
use gwscript_plugin::{Diagnostic, Setup};
use std::path::Path;

/// Compiles and runs a recipe, returning the setup it emitted, or every mistake found: those the
/// primitives recovered from, in recipe order, then the one that stopped the recipe, if any.
///
/// `dir` is the recipe's directory: the only place besides the stdlib that `import` may read.
pub fn run(source: &str, dir: Option<&Path>, limits: Limits) -> Result<Setup, Vec<Diagnostic>> {
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
    pin_option_spans(&mut setup, source);
    let credentials = url_secrets::find(&setup);
    if !credentials.is_empty() {
        return Err(credentials);
    }
    Ok(setup)
}

/// Options given in a `gateway(…)`, `deploy(…)` or `pattern(…)` map carry the call's position;
/// point each at its own key instead, so a finding about one option underlines that option.
fn pin_option_spans(setup: &mut Setup, source: &str) {
    let lines: Vec<&str> = source.lines().collect();
    if let Some(call) = setup.span {
        pin_pattern_keys(&mut setup.client, &lines, call);
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
                option.span = errors::key_span(&lines, at, key).or(Some(at));
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
