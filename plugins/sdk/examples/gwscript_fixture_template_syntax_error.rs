//! Render-time fixture (loads, kind `broken-template`; GW3001 at `gwscript run`): a well-formed
//! plugin whose template `broken/config.yaml` has a minijinja syntax error on line 3 (an `if`
//! without a condition). The host must report the template's path and line, not panic or write
//! a half-rendered file.

mod fixture;

use fixture::{Fixture, NoChecks};
use gwscript_plugin::{Manifest, Template, TemplateFormat, declare_plugin};

struct BrokenTemplate;

/// Line 3 is the error.
const SOURCE: &str = "# written by the broken-template fixture
gateway: broken
{% if %}
ready: true
{% endif %}
";

impl Fixture for BrokenTemplate {
    fn manifest() -> Manifest {
        Manifest {
            templates: vec![Template::new(
                "broken/config.yaml",
                TemplateFormat::Yaml,
                SOURCE,
                "Configuration with a template syntax error",
            )],
            ..fixture::manifest(
                "broken-template",
                "broken-template",
                "Broken template",
                "ships a template with a syntax error on line 3",
            )
        }
    }
}

declare_plugin!(NoChecks<BrokenTemplate>);
