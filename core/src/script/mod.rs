//! The recipe runtime: a hardened rhai engine, the recipe primitives, and the module resolver.

mod api;
mod engine;
mod errors;
mod fault;
mod heap;
mod options;
mod resolver;

pub use engine::Limits;
pub use resolver::STDLIB;

use gwscript_plugin::{Diagnostic, Setup};
use std::path::Path;

/// Compiles and runs a recipe, returning the setup it emitted.
///
/// `dir` is the recipe's directory: the only place besides the stdlib that `import` may read.
pub fn run(source: &str, dir: Option<&Path>, limits: Limits) -> Result<Setup, Diagnostic> {
    let mut engine = engine::hardened(limits);
    engine.set_module_resolver(resolver::RecipeResolver::new(dir));
    let emitted = api::Emitted::default();
    api::register(&mut engine, &emitted);
    let ast = engine.compile(source).map_err(|e| errors::from_parse(&e))?;
    engine
        .run_ast(&ast)
        .map_err(|e| errors::from_eval(&e, source))?;
    emitted.take().ok_or_else(|| {
        Diagnostic::error(
            "GW1012",
            "the recipe finished without emitting a setup",
            "end the recipe with emit(pattern(\"gateway\", #{ gateway: gw, auth_token: secret(\"GATEWAY_KEY\") }))",
        )
    })
}
