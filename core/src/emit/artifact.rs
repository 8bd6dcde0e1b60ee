//! One file gwscript emits.

use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Artifact {
    /// Relative to the output directory, `/`-separated.
    pub path: String,
    /// What the file is for, shown in the report.
    pub purpose: String,
    #[serde(skip)]
    pub contents: String,
    /// Scripts are 0700; everything else 0600, since any of it may name credentials' locations.
    pub executable: bool,
}

impl Artifact {
    /// The file as the report lists it: everything but its contents, which can be megabytes.
    pub fn listing(&self) -> Artifact {
        Artifact {
            path: self.path.clone(),
            purpose: self.purpose.clone(),
            contents: String::new(),
            executable: self.executable,
        }
    }
}
