//! `--format json`: one object, `{"diagnostics":[…], "layers":[{source, path, present}],
//! "variables":[{name, value, source, layer, line?, shadowed:[{source, layer, line?}]}],
//! "settings":[…the same…]}`. `source` is a file's path, or `env` for the shell; values are
//! redacted. The diagnostics are `gwscript check --format json`'s own entries, so the two shapes
//! cannot drift apart.

use super::super::{Effective, Origin, Report};
use crate::check::{Checked, Finding};
use serde::Serialize;

#[derive(Serialize)]
struct LayerEntry<'a> {
    source: &'static str,
    path: Option<&'a str>,
    present: bool,
}

#[derive(Serialize)]
struct ValueEntry {
    name: String,
    value: String,
    #[serde(flatten)]
    from: Place,
    shadowed: Vec<Place>,
}

#[derive(Serialize)]
struct Place {
    source: String,
    /// The layer: `managed`, `command line`, `local`, `project`, `user` or `env`.
    layer: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    line: Option<u32>,
}

pub fn json(report: &Report) -> String {
    let place = |origin: Origin| {
        let layer = &report.layers[origin.layer];
        Place {
            source: layer.path.clone().unwrap_or_else(|| "env".to_owned()),
            layer: layer.source.name(),
            line: origin.at.map(|at| at.name.line),
        }
    };
    let values = |list: &[Effective]| -> Vec<ValueEntry> {
        list.iter()
            .map(|v| ValueEntry {
                name: v.name.clone(),
                value: v.shown(),
                from: place(v.origin),
                shadowed: v.shadowed.iter().map(|s| place(s.origin)).collect(),
            })
            .collect()
    };
    let layers: Vec<LayerEntry<'_>> = report
        .layers
        .iter()
        .map(|layer| LayerEntry {
            source: layer.source.name(),
            path: layer.path.as_deref(),
            present: layer.present(),
        })
        .collect();
    // check's object, `{"diagnostics":[…]}`, byte for byte, with doctor's keys after its own.
    let mut checked = Checked::default();
    checked.findings = report.findings.iter().map(Finding::clone).collect();
    let checked = crate::check::format::json(&checked);
    let Some(diagnostics) = checked.trim_end().strip_suffix('}') else {
        return checked;
    };
    let text = |value: serde_json::Result<String>| value.unwrap_or_else(|_| "[]".to_owned());
    format!(
        "{diagnostics},\"layers\":{},\"variables\":{},\"settings\":{}}}\n",
        text(serde_json::to_string(&layers)),
        text(serde_json::to_string(&values(&report.variables))),
        text(serde_json::to_string(&values(&report.settings))),
    )
}
