//! The primitives registered for recipes, one module per API area.

mod emit;
mod gateway;
mod pattern;
mod provider;
mod secret;

pub use emit::Emitted;

use rhai::Engine;

pub fn register(engine: &mut Engine, emitted: &Emitted) {
    secret::register(engine);
    provider::register(engine);
    gateway::register(engine);
    pattern::register(engine);
    emit::register(engine, emitted);
}
