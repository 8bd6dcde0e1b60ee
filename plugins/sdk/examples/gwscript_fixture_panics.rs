//! Panic fixture (GW2006): a well-formed plugin (kind `panicky`) that loads, then panics in
//! `check` and `render`. The SDK's boundary must catch both, and the host report them instead of
//! going down.

mod fixture;

use gwscript_plugin::serde::Serialize;
use gwscript_plugin::{Diagnostic, Manifest, Plugin, Rendering, Setup, declare_plugin};

struct Panicky;

impl Plugin for Panicky {
    fn manifest() -> Manifest {
        fixture::manifest(
            "panicky",
            "panicky",
            "Panicky",
            "panics on every call after the manifest",
        )
    }

    fn check(_: &Setup) -> Vec<Diagnostic> {
        panic!("fixture check exploded")
    }

    fn render(_: &Setup) -> Result<Rendering<impl Serialize>, String> {
        Ok(exploded())
    }
}

/// Names the context's type, which a body that only panics would leave open.
fn exploded() -> Rendering {
    panic!("fixture render exploded")
}

declare_plugin!(Panicky);
