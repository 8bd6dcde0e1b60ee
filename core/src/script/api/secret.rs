//! `secret("NAME")`: a reference to a secret. Its value is never read.

use crate::script::fault::{Fault, Outcome};
use gwscript_plugin::model::{SecretRef, is_env_name};
use rhai::{Engine, NativeCallContext};

pub fn register(engine: &mut Engine) {
    engine
        .register_type_with_name::<SecretRef>("Secret")
        .register_fn("secret", secret)
        .register_get("name", |s: &mut SecretRef| s.secret.clone())
        .register_fn("to_string", |s: &mut SecretRef| {
            format!("secret(\"{}\")", s.secret)
        })
        .register_fn("to_debug", |s: &mut SecretRef| {
            format!("secret(\"{}\")", s.secret)
        });
}

fn secret(context: NativeCallContext, name: &str) -> Outcome<SecretRef> {
    if !is_env_name(name) {
        // Not echoed: a value pasted where the name belongs is exactly what must not be printed.
        return Err(Fault::new(
            "GW1007",
            "secret() was given something that is not a secret name",
            "a secret is named like an environment variable: letters, digits and `_`, not starting with a digit (e.g. secret(\"GATEWAY_KEY\")); pass its name, never its value").sensitive().at(context.call_position()));
    }
    Ok(SecretRef {
        secret: name.to_owned(),
    })
}
