//! Refusal fixture (GW2013): a well-formed plugin (kind `collider`) whose diagnostic codes use
//! the prefix `GW40`, which the LiteLLM plugin owns. Two plugins sharing a prefix would make a
//! code ambiguous, so the host must refuse this one.

mod fixture;

use fixture::{Fixture, NoChecks};
use gwscript_plugin::{Manifest, declare_plugin};

struct Collider;

const PAGES: &[&str] = &["# GW4090: collider warning

- **Severity:** warning

A code under LiteLLM's prefix, raised by a plugin that is not LiteLLM.
"];

impl Fixture for Collider {
    fn manifest() -> Manifest {
        Manifest {
            diagnostics: fixture::codes("GW40", PAGES),
            ..fixture::manifest(
                "collider",
                "collider",
                "Collider",
                "claims the diagnostic code prefix of the LiteLLM plugin",
            )
        }
    }

    fn pages() -> &'static [&'static str] {
        PAGES
    }
}

declare_plugin!(NoChecks<Collider>);
