//! What a manifest must meet before the host uses any of it: names, template paths inside the
//! output directory and clear of the host's own files, a sound client contract, code prefixes
//! clear of the host's families, option schemas that are schemas, and features this host has.

use gwscript_plugin::manifest::{ClientAuth, Codes, PluginRole};
use gwscript_plugin::{Diagnostic, Manifest};
use std::path::{Component, Path};

/// The host's own code families; no plugin prefix may overlap them.
pub const HOST_CODE_FAMILIES: &[&str] = &["GW0", "GW1", "GW2", "GW3", "GW5", "GW6"];

/// Paths the host writes itself; a plugin template may not claim them.
const HOST_PATHS: &[&str] = &[crate::run::REPORT_PATH, crate::client::CLIENT_DIR];

/// The features this host offers to plugins' `requires`.
pub fn host_features() -> Vec<&'static str> {
    gwscript_plugin::features::offered().collect()
}

pub fn check(manifest: &Manifest, shown: &str) -> Result<(), Diagnostic> {
    let malformed = |why: String| {
        Diagnostic::error(
            "GW2005",
            format!("{shown} returned a malformed manifest: {why}"),
            "fix the plugin's manifest(); the plugin author guide lists what the host checks",
        )
    };
    shape(manifest).map_err(malformed)?;
    required_features(manifest, shown)?;
    prefix_clear_of_host(&manifest.diagnostics, shown)
}

fn shape(manifest: &Manifest) -> Result<(), String> {
    for (what, value) in [
        ("name", &manifest.name),
        ("gateway_kind", &manifest.gateway_kind),
    ] {
        if !is_slug(value) {
            return Err(format!(
                "{what} {value:?} must be lowercase letters, digits, - or _"
            ));
        }
    }
    let mut seen = std::collections::HashSet::new();
    for template in &manifest.templates {
        template_path(&template.path)?;
        if !seen.insert(template.path.as_str()) {
            return Err(format!("template path {:?} appears twice", template.path));
        }
        if template.purpose.trim().is_empty() {
            return Err(format!("template {:?} has no purpose", template.path));
        }
    }
    roles(manifest)?;
    client_contract(manifest)?;
    file_kinds(manifest)?;
    codes(&manifest.diagnostics)
}

/// The most file kinds, and entries in each of a kind's lists, a manifest may declare.
const MAX_FILE_KIND_ENTRIES: usize = 16;

/// File kinds are named on the command line and matched against files in the working directory:
/// ids are slugs clear of the host's own kind, names are plain file names.
fn file_kinds(manifest: &Manifest) -> Result<(), String> {
    if manifest.file_kinds.len() > MAX_FILE_KIND_ENTRIES {
        return Err(format!(
            "declares {} file kinds, more than {MAX_FILE_KIND_ENTRIES}",
            manifest.file_kinds.len()
        ));
    }
    let mut seen = std::collections::HashSet::new();
    for kind in &manifest.file_kinds {
        let id = &kind.id;
        if !is_slug(id) || id == crate::check::SETTINGS_KIND || !seen.insert(id.as_str()) {
            return Err(format!(
                "file kind id {id:?} must be a slug, unique, and not the host's own {:?}",
                crate::check::SETTINGS_KIND
            ));
        }
        let lists = [&kind.extensions, &kind.markers, &kind.default_names];
        if kind.extensions.is_empty() || lists.iter().any(|l| l.len() > MAX_FILE_KIND_ENTRIES) {
            return Err(format!(
                "file kind {id:?} needs 1 to {MAX_FILE_KIND_ENTRIES} extensions and at most as many markers and names"
            ));
        }
        if let Some(bad) = kind.extensions.iter().find(|e| !is_slug(e)) {
            return Err(format!(
                "file kind {id:?} has the extension {bad:?}, not a slug"
            ));
        }
        let plain = |name: &String| {
            !name.is_empty()
                && name.len() <= 255
                && !name.contains(['/', '\\', '\0'])
                && name != ".."
        };
        if let Some(bad) = kind.default_names.iter().find(|n| !plain(n)) {
            return Err(format!(
                "file kind {id:?} names {bad:?}, not a plain file name"
            ));
        }
    }
    Ok(())
}

/// A plugin must be usable as something this host knows.
fn roles(manifest: &Manifest) -> Result<(), String> {
    if manifest.serves(PluginRole::Gateway) || manifest.serves(PluginRole::Monitor) {
        return Ok(());
    }
    Err(format!(
        "roles {:?} names neither gateway nor monitor",
        manifest
            .roles
            .iter()
            .map(|role| role.name())
            .collect::<Vec<_>>()
    ))
}

fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 64
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
}

fn template_path(path: &str) -> Result<(), String> {
    let inside = Path::new(path)
        .components()
        .all(|c| matches!(c, Component::Normal(_)));
    if path.is_empty() || !inside || path.contains('\\') {
        return Err(format!(
            "template path {path:?} must be relative, without `..`"
        ));
    }
    let first = path.split('/').next().unwrap_or(path);
    if HOST_PATHS.contains(&path) || HOST_PATHS.contains(&first) {
        return Err(format!(
            "template path {path:?} is gwscript's own (it writes report.md and everything under claude/)"
        ));
    }
    Ok(())
}

fn client_contract(manifest: &Manifest) -> Result<(), String> {
    let client = &manifest.client;
    // A monitor carries no model traffic, so only a plugin that can be a gateway needs a route.
    if manifest.serves(PluginRole::Gateway) && client.endpoints.is_empty() {
        return Err("client.endpoints names no endpoint Claude Code can use".into());
    }
    for (endpoint, path) in &client.endpoints {
        let clean = path.is_empty()
            || (path.starts_with('/')
                && !path.ends_with('/')
                && path
                    .bytes()
                    .all(|b| b.is_ascii_graphic() && !b"?#%\\".contains(&b)));
        if !clean {
            return Err(format!(
                "client.endpoints.{} path {path:?} must be empty or start with / (no query, no trailing /)",
                endpoint.name()
            ));
        }
    }
    if let ClientAuth::Header { name, prefix } = &client.auth {
        // RFC 9110 token characters; anything else would corrupt ANTHROPIC_CUSTOM_HEADERS.
        let token = !name.is_empty()
            && name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"!#$&'*+-.^_`|~".contains(&b));
        if !token || prefix.bytes().any(|b| b.is_ascii_control()) {
            return Err(format!(
                "client.auth header {name:?} must be a header name, with a prefix free of control characters"
            ));
        }
    }
    Ok(())
}

/// A prefix is 2–8 capital letters and up to two digits; a code is letters then four digits.
fn codes(codes: &Codes) -> Result<(), String> {
    if codes.codes.is_empty() && codes.prefix.is_empty() {
        return Ok(());
    }
    let letters = codes
        .prefix
        .bytes()
        .take_while(u8::is_ascii_uppercase)
        .count();
    let digits = codes.prefix.len() - letters;
    let prefix_ok = (2..=8).contains(&letters)
        && digits <= 2
        && codes
            .prefix
            .bytes()
            .skip(letters)
            .all(|b| b.is_ascii_digit());
    if !prefix_ok {
        return Err(format!(
            "diagnostics prefix {:?} must be 2-8 capital letters and at most two digits",
            codes.prefix
        ));
    }
    for info in &codes.codes {
        let tail = info.code.strip_prefix(&codes.prefix).unwrap_or("");
        let code_digits = info.code[letters.min(info.code.len())..].len();
        if tail.is_empty() || !tail.bytes().all(|b| b.is_ascii_digit()) || code_digits != 4 {
            return Err(format!(
                "diagnostic code {:?} must be the prefix {:?} followed by digits, four in all",
                info.code, codes.prefix
            ));
        }
    }
    Ok(())
}

fn required_features(manifest: &Manifest, shown: &str) -> Result<(), Diagnostic> {
    let offered = host_features();
    let missing: Vec<&str> = manifest
        .requires
        .iter()
        .map(String::as_str)
        .filter(|feature| !offered.contains(feature))
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    Err(Diagnostic::error(
        "GW2010",
        format!(
            "{shown} needs {} that this gwscript does not have: {}",
            if missing.len() == 1 {
                "a host feature"
            } else {
                "host features"
            },
            missing.join(", ")
        ),
        format!(
            "upgrade gwscript, or install a release of the plugin built for this one (this gwscript offers: {})",
            offered.join(", ")
        ),
    ))
}

/// Whether two code prefixes could name the same code.
pub fn prefixes_overlap(a: &str, b: &str) -> bool {
    a.starts_with(b) || b.starts_with(a)
}

fn prefix_clear_of_host(codes: &Codes, shown: &str) -> Result<(), Diagnostic> {
    if codes.prefix.is_empty() {
        return Ok(());
    }
    match HOST_CODE_FAMILIES
        .iter()
        .find(|family| prefixes_overlap(&codes.prefix, family))
    {
        None => Ok(()),
        Some(family) => Err(Diagnostic::error(
            "GW2013",
            format!(
                "{shown} declares diagnostic prefix {}, which overlaps gwscript's own {family}xxx codes",
                codes.prefix
            ),
            "give the plugin a prefix of its own: first-party plugins use GW4x, others their own letters (e.g. ACME)",
        )),
    }
}

/// Each declared option schema must itself be a valid JSON Schema describing a map.
/// Whether the option schemas are JSON Schemas of an object. Checked when plugins are loaded for
/// recipes and listings, not for `check`, which reads no options: validating a schema against
/// the meta-schema costs more than checking a typical config.
pub fn option_schemas(manifest: &Manifest, shown: &str) -> Result<(), Diagnostic> {
    let schemas = [
        ("gateway_options", &manifest.gateway_options),
        ("deployment_options", &manifest.deployment_options),
    ];
    for (what, schema) in schemas {
        let Some(schema) = schema else { continue };
        let problem = match jsonschema::meta::validate(schema) {
            Err(e) => Some(e.to_string()),
            Ok(()) if schema.get("type").and_then(|t| t.as_str()) != Some("object") => {
                Some("its top level must be `\"type\": \"object\"`".to_owned())
            }
            Ok(()) => None,
        };
        if let Some(problem) = problem {
            return Err(Diagnostic::error(
                "GW2012",
                format!("{shown} declares an unusable {what} schema: {problem}"),
                "the option schemas must be JSON Schemas of an object; build them with gwscript_plugin::schema",
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_kinds_are_slugs_with_plain_names() {
        use gwscript_plugin::FileKind;
        let mut manifest = gwscript_plugin::testing::manifest("acme");
        let mut kind = FileKind::new("acme", "Acme config");
        kind.extensions = vec!["yaml".into()];
        kind.default_names = vec!["acme.yaml".into()];
        manifest.file_kinds = vec![kind.clone()];
        assert_eq!(file_kinds(&manifest), Ok(()));
        let broken = [
            FileKind {
                id: "claude-settings".into(),
                ..kind.clone()
            },
            FileKind {
                id: "Acme".into(),
                ..kind.clone()
            },
            FileKind {
                extensions: vec![],
                ..kind.clone()
            },
            FileKind {
                extensions: vec!["y.ml".into()],
                ..kind.clone()
            },
            FileKind {
                default_names: vec!["../etc/acme.yaml".into()],
                ..kind.clone()
            },
            FileKind {
                default_names: vec!["..".into()],
                ..kind.clone()
            },
        ];
        for bad in broken {
            manifest.file_kinds = vec![bad.clone()];
            assert!(file_kinds(&manifest).is_err(), "{bad:?} accepted");
        }
        manifest.file_kinds = vec![kind.clone(), kind];
        assert!(file_kinds(&manifest).unwrap_err().contains("unique"));
    }

    #[test]
    fn template_paths_stay_inside_and_off_the_hosts_files() {
        assert!(template_path("litellm/config.yaml").is_ok());
        for bad in [
            "",
            "../x",
            "/etc/passwd",
            "a/../../b",
            "report.md",
            "claude/settings.json",
            "claude",
            "a\\b",
        ] {
            assert!(template_path(bad).is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn a_gateway_needs_an_endpoint_and_a_monitor_does_not() {
        let gateway_only = gwscript_plugin::testing::manifest("acme");
        assert_eq!(shape(&gateway_only), Ok(()));
        let mut endless = gateway_only.clone();
        endless.client.endpoints.clear();
        assert!(shape(&endless).is_err_and(|why| why.contains("client.endpoints")));
        let mut monitor = endless.clone();
        monitor.roles = vec![PluginRole::Monitor];
        monitor.client = gwscript_plugin::ClientContract::monitor_only();
        assert_eq!(shape(&monitor), Ok(()), "a monitor needs no endpoint");
        let mut both = endless;
        both.roles = vec![PluginRole::Gateway, PluginRole::Monitor];
        assert!(shape(&both).is_err(), "as a gateway it still needs one");
    }

    #[test]
    fn a_plugin_must_have_a_role_this_host_knows() {
        let mut manifest = gwscript_plugin::testing::manifest("acme");
        for (roles, known) in [
            (vec![PluginRole::Gateway], true),
            (vec![PluginRole::Monitor, PluginRole::Other], true),
            (vec![PluginRole::Other], false),
            (vec![], false),
        ] {
            manifest.roles = roles;
            assert_eq!(shape(&manifest).is_ok(), known, "{:?}", manifest.roles);
        }
        let err = check(&manifest, "libacme.so").expect_err("no role");
        assert_eq!(err.code, "GW2005");
        assert!(
            err.message.contains("names neither gateway nor monitor"),
            "{}",
            err.message
        );
    }

    #[test]
    fn prefixes_must_not_share_codes() {
        assert!(prefixes_overlap("GW40", "GW4"));
        assert!(prefixes_overlap("GW1", "GW1"));
        assert!(!prefixes_overlap("GW40", "GW41"));
        assert!(!prefixes_overlap("HELLO", "GW4"));
    }

    #[test]
    fn codes_are_the_prefix_then_four_digits() {
        let codes = |prefix: &str, code: &str| Codes {
            prefix: prefix.into(),
            codes: vec![gwscript_plugin::manifest::CodeInfo {
                code: code.into(),
                severity: gwscript_plugin::Severity::Error,
                title: "t".into(),
                retired: false,
            }],
        };
        assert!(super::codes(&codes("GW40", "GW4001")).is_ok());
        assert!(super::codes(&codes("HELLO", "HELLO0001")).is_ok());
        assert!(super::codes(&codes("GW40", "GW4101")).is_err());
        assert!(super::codes(&codes("GW40", "GW40012")).is_err());
        assert!(super::codes(&codes("hello", "hello0001")).is_err());
        assert!(super::codes(&codes("G", "G0001")).is_err());
    }
}
