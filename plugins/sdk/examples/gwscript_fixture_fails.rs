//! Failure fixture: a well-formed plugin (kind `failing`) that loads and passes its checks, then
//! reports a failure from `render`; the host must show the plugin's message.

mod fixture;

use gwscript_plugin::serde::Serialize;
use gwscript_plugin::{Diagnostic, Manifest, Plugin, Rendering, Setup, declare_plugin};

struct Failing;

impl Plugin for Failing {
    fn manifest() -> Manifest {
        fixture::manifest(
            "failing",
            "failing",
            "Failing",
            "passes its checks, then cannot build a template context",
        )
    }

    fn check(_: &Setup) -> Vec<Diagnostic> {
        Vec::new()
    }

    fn render(_: &Setup) -> Result<Rendering<impl Serialize>, String> {
        Err::<Rendering, _>("fixture cannot build a context".into())
    }
}

declare_plugin!(Failing);
