//! Refusal fixture (GW2005): a well-formed plugin whose template path `../escape.yaml` leaves the
//! output directory. The manifest is malformed, so the host must refuse it at load, before
//! anything could be written outside the output directory.

mod fixture;

use fixture::{Fixture, NoChecks};
use gwscript_plugin::{Manifest, Template, TemplateFormat, declare_plugin};

struct Escapes;

impl Fixture for Escapes {
    fn manifest() -> Manifest {
        Manifest {
            templates: vec![Template::new(
                "../escape.yaml",
                TemplateFormat::Yaml,
                "escaped: true\n",
                "A file outside the output directory",
            )],
            ..fixture::manifest(
                "template-escapes-out",
                "template-escapes-out",
                "Template escapes out",
                "ships a template whose path leaves the output directory",
            )
        }
    }
}

declare_plugin!(NoChecks<Escapes>);
