//! Claude Code's settings schema (SchemaStore's, vendored in `tests/data/`, see its README),
//! checked with the `jsonschema` crate: the real check for every emitted `settings.json`.

use serde_json::Value;
use std::sync::OnceLock;

const SCHEMA: &str = include_str!("../data/claude-code-settings.schema.json");

/// Panics with every violation (and where it is) unless `settings` passes Claude Code's schema.
pub fn assert_settings_schema_valid(settings: &Value) {
    let errors: Vec<String> = validator()
        .iter_errors(settings)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "settings.json fails Claude Code's settings schema: {errors:#?}\n{settings:#}"
    );
}

/// The schema, compiled once per test binary.
fn validator() -> &'static jsonschema::Validator {
    static VALIDATOR: OnceLock<jsonschema::Validator> = OnceLock::new();
    VALIDATOR.get_or_init(|| {
        let schema: Value = serde_json::from_str(SCHEMA).expect("the vendored schema is JSON");
        jsonschema::validator_for(&schema).expect("the vendored schema compiles")
    })
}
