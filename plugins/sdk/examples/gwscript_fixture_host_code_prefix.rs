//! Refusal fixture (GW2013): a well-formed plugin (kind `host-prefix`) whose diagnostic codes use
//! the prefix `GW1`, the host's own recipe family. A plugin code there would be indistinguishable
//! from the host's, so the host must refuse it.

mod fixture;

use fixture::{Fixture, NoChecks};
use gwscript_plugin::{Manifest, declare_plugin};

struct HostPrefix;

const PAGES: &[&str] = &["# GW1901: host-prefix warning

- **Severity:** warning

A code in the host's recipe family, raised by a plugin.
"];

impl Fixture for HostPrefix {
    fn manifest() -> Manifest {
        Manifest {
            diagnostics: fixture::codes("GW1", PAGES),
            ..fixture::manifest(
                "host-prefix",
                "host-prefix",
                "Host prefix",
                "claims the diagnostic code prefix of the host's recipe family",
            )
        }
    }

    fn pages() -> &'static [&'static str] {
        PAGES
    }
}

declare_plugin!(NoChecks<HostPrefix>);
