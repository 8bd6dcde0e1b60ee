//! Refusal fixture (GW2010): a well-formed plugin whose manifest `requires` a host feature no
//! host offers yet. The host must refuse it, naming the feature, instead of misbehaving.

mod fixture;

use fixture::{Fixture, NoChecks};
use gwscript_plugin::{Manifest, declare_plugin};

struct FromTheFuture;

impl Fixture for FromTheFuture {
    fn manifest() -> Manifest {
        Manifest {
            requires: vec!["fixture-feature-from-the-future".into()],
            ..fixture::manifest(
                "needs-newer-host",
                "needs-newer-host",
                "Needs a newer host",
                "cannot work without a host feature that does not exist yet",
            )
        }
    }
}

declare_plugin!(NoChecks<FromTheFuture>);
