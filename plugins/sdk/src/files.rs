//! Checking files people write by hand: a plugin declares the file kinds it knows in its manifest
//! ([`FileKind`]), and `gwscript check` hands it each file of those kinds ([`FileCheck`]). The
//! plugin answers with diagnostics whose spans are positions in that file.

use serde::{Deserialize, Serialize};

/// A kind of file a plugin checks, and how the host recognises one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FileKind {
    /// Names the kind on the command line (`gwscript check --kind ID`, `gwscript schema ID`):
    /// the same rules as a plugin name.
    pub id: String,
    /// Shown to users, e.g. `LiteLLM proxy config`.
    pub name: String,
    /// File name endings without the dot (`yaml`, `yml`); a file must have one of them.
    #[serde(default)]
    pub extensions: Vec<String>,
    /// Top-level keys of which the file must hold at least one (`model_list`), so that a YAML
    /// file of another tool is not taken for this kind.
    #[serde(default)]
    pub markers: Vec<String>,
    /// File names `gwscript check` looks for in the working directory when given no file.
    #[serde(default)]
    pub default_names: Vec<String>,
    /// Whether the plugin answers `file_schema` for this kind with a JSON Schema for editors.
    #[serde(default)]
    pub schema: bool,
}

impl FileKind {
    pub fn new(id: &str, name: &str) -> FileKind {
        FileKind {
            id: id.to_owned(),
            name: name.to_owned(),
            extensions: Vec::new(),
            markers: Vec::new(),
            default_names: Vec::new(),
            schema: false,
        }
    }
}

/// One file to check, as the host sends it to `check_file`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FileCheck {
    /// The [`FileKind::id`] the host recognised the file as.
    pub kind: String,
    /// The path as the user gave it: diagnostics about this file carry no `file` of their own.
    pub path: String,
    /// The file's text (UTF-8; the host refuses other bytes before calling).
    pub text: String,
    /// With `gwscript check --env`: the names of the environment variables set where the check
    /// runs (never their values), so references to unset ones can be reported. Absent otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub environment: Option<Vec<String>>,
}

impl FileCheck {
    /// Whether `name` is set, when the host said which variables are: `None` without `--env`.
    pub fn is_set(&self, name: &str) -> Option<bool> {
        self.environment
            .as_ref()
            .map(|names| names.iter().any(|set| set == name))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn older_manifests_and_inputs_read_with_defaults() {
        let kind: FileKind =
            serde_json::from_str(r#"{"id":"x","name":"X","future":1}"#).expect("reads");
        assert_eq!(kind, FileKind::new("x", "X"));
        let check: FileCheck =
            serde_json::from_str(r#"{"kind":"x","path":"a","text":""}"#).expect("reads");
        assert_eq!(check.is_set("HOME"), None);
        let with_env = FileCheck {
            environment: Some(vec!["HOME".into()]),
            ..check
        };
        assert_eq!(with_env.is_set("HOME"), Some(true));
        assert_eq!(with_env.is_set("NOPE"), Some(false));
    }
}
