//! `--format sarif`: SARIF 2.1.0, which code-scanning UIs read. One run; one rule per code found,
//! described by its `explain` page's title.

use super::{ordered, position};
use crate::check::Checked;
use gwscript_plugin::Severity;
use serde_json::{Value, json};
use std::collections::BTreeMap;

const SARIF_SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

pub fn sarif(checked: &Checked) -> String {
    let findings = ordered(checked);
    let mut rules: BTreeMap<&str, Value> = BTreeMap::new();
    for finding in &findings {
        let code = finding.diagnostic.code.as_str();
        rules
            .entry(code)
            .or_insert_with(|| rule(code, checked.title(code)));
    }
    let rule_index: BTreeMap<&str, usize> = rules
        .keys()
        .enumerate()
        .map(|(i, code)| (*code, i))
        .collect();
    let results: Vec<Value> = findings
        .iter()
        .map(|finding| {
            let d = &finding.diagnostic;
            let at = position(finding);
            json!({
                "ruleId": d.code,
                "ruleIndex": rule_index[d.code.as_str()],
                "level": level(d.severity),
                "message": { "text": format!("{} (help: {})", d.message, d.help) },
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": { "uri": uri(&finding.file) },
                        "region": { "startLine": at.line, "startColumn": at.column }
                    }
                }]
            })
        })
        .collect();
    let log = json!({
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "gwscript",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules.into_values().collect::<Vec<_>>(),
            }},
            "results": results,
        }]
    });
    let mut out = log.to_string();
    out.push('\n');
    out
}

/// The rule for `code`: its id, its page's title, and where the long form is.
fn rule(code: &str, title: Option<&str>) -> Value {
    let mut rule = json!({
        "id": code,
        "help": { "text": format!("run `gwscript explain {code}`") },
    });
    if let Some(title) = title {
        rule["shortDescription"] = json!({ "text": title });
    }
    rule
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "note",
    }
}

/// A relative path as a relative URI reference; SARIF wants `/` separators and percent-escapes.
fn uri(file: &str) -> String {
    let mut out = String::with_capacity(file.len());
    for byte in file.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                out.push(byte as char)
            }
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}
