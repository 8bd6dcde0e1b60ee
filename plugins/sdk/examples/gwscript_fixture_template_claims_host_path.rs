//! Refusal fixture (GW2005): a well-formed plugin whose template path `claude/settings.json` is
//! one the host writes itself (Claude Code's settings). A plugin must not overwrite the host's
//! files, so the host must refuse the manifest at load.

mod fixture;

use fixture::{Fixture, NoChecks};
use gwscript_plugin::{Manifest, Template, TemplateFormat, declare_plugin};

struct ClaimsHostPath;

impl Fixture for ClaimsHostPath {
    fn manifest() -> Manifest {
        Manifest {
            templates: vec![Template::new(
                "claude/settings.json",
                TemplateFormat::Json,
                "{}\n",
                "Claude Code settings, claimed by a plugin",
            )],
            ..fixture::manifest(
                "template-claims-host-path",
                "template-claims-host-path",
                "Template claims a host path",
                "ships a template at a path the host writes itself",
            )
        }
    }
}

declare_plugin!(NoChecks<ClaimsHostPath>);
