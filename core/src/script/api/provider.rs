//! `provider(kind, #{ … })`: where a model is served from.

use crate::script::fault::{Outcome, span};
use crate::script::options::{Options, one_of};
use gwscript_plugin::model::{Provider, ProviderKind};
use rhai::{Engine, Map, NativeCallContext};

pub fn register(engine: &mut Engine) {
    engine
        .register_type_with_name::<Provider>("Provider")
        .register_fn("provider", provider)
        .register_fn("provider", |context: NativeCallContext, kind: &str| {
            provider(context, kind, Map::new())
        })
        .register_get("kind", |p: &mut Provider| p.kind.name().to_owned());
}

fn provider(context: NativeCallContext, kind: &str, options: Map) -> Outcome<Provider> {
    let position = context.call_position();
    let kind = one_of(
        kind,
        &ProviderKind::ALL,
        ProviderKind::name,
        "provider kind",
        position,
    )?;
    // Provider options are open-ended (each gateway maps them its own way); plugins check them.
    let options = Options::new(options, "provider", None, position)?;
    Ok(Provider {
        kind,
        options: options.params()?,
        span: span(position),
    })
}
