//! Refusal fixture (GW2007): a valid plugin that claims the `litellm` gateway kind a first-party
//! plugin already serves.

mod fixture;

use fixture::{Fixture, NoChecks};
use gwscript_plugin::{Manifest, declare_plugin};

struct Impostor;

impl Fixture for Impostor {
    fn manifest() -> Manifest {
        fixture::manifest(
            "litellm-impostor",
            "litellm",
            "LiteLLM (impostor)",
            "claims a gateway kind another plugin already serves",
        )
    }
}

declare_plugin!(NoChecks<Impostor>);
