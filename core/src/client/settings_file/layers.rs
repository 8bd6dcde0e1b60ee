//! The environment Claude Code gets from a settings file, alone or (with `--env`) laid over the
//! shell's: a settings `env` value replaces the shell's variable of the same name, and `""` in
//! settings cancels a shell export (claude-code.md §4). Each variable keeps where it came from, so
//! a finding points into the file, and values are never shown.

use super::document::{Document, Step};
use crate::client::precedence::{self, ClientProvider};
use gwscript_plugin::model::Span;
use jsonc_parser::ast::Value as Node;
use jsonc_parser::common::Ranged;
use std::collections::{BTreeMap, HashMap};

/// Where a variable's value comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// The settings file's `env`, at its name and its value.
    File { name: Span, value: Span },
    /// The environment `gwscript check --env` runs in.
    Shell,
}

#[derive(Debug, Clone, Copy)]
pub struct Var<'a> {
    pub name: &'a str,
    pub value: &'a str,
    pub origin: Origin,
}

impl Var<'_> {
    /// Where a finding about the variable points: its name in the file.
    pub fn name_span(&self) -> Option<Span> {
        match self.origin {
            Origin::File { name, .. } => Some(name),
            Origin::Shell => None,
        }
    }

    /// Where a finding about the variable's value points.
    pub fn value_span(&self) -> Option<Span> {
        match self.origin {
            Origin::File { value, .. } => Some(value),
            Origin::Shell => None,
        }
    }

    pub fn in_file(&self) -> bool {
        matches!(self.origin, Origin::File { .. })
    }
}

/// The variables Claude Code gets, by name.
#[derive(Debug)]
pub struct Env<'a> {
    vars: HashMap<&'a str, Var<'a>>,
    /// The file's own variables in file order.
    file: Vec<Var<'a>>,
    with_shell: bool,
}

impl<'a> Env<'a> {
    /// The file's `env` block (string values only: the schema reports the rest), laid over
    /// `shell` when given.
    pub fn new(document: &'a Document<'a>, shell: Option<&'a BTreeMap<String, String>>) -> Self {
        let file: Vec<Var<'a>> = document
            .properties(&[Step::Key("env")])
            .into_iter()
            .filter_map(|property| match &property.value {
                Node::StringLit(text) => Some(Var {
                    name: property.name.as_str(),
                    value: text.value.as_ref(),
                    origin: Origin::File {
                        name: document.span_at(property.name.start()),
                        value: document.span_at(text.start()),
                    },
                }),
                _ => None,
            })
            .collect();
        let mut vars: HashMap<&str, Var<'a>> = shell
            .into_iter()
            .flatten()
            .map(|(name, value)| {
                let var = Var {
                    name,
                    value,
                    origin: Origin::Shell,
                };
                (name.as_str(), var)
            })
            .collect();
        vars.extend(file.iter().map(|var| (var.name, *var)));
        Env {
            vars,
            file,
            with_shell: shell.is_some(),
        }
    }

    /// The variable `name` when it has a value: an empty one is no value.
    pub fn get(&self, name: &str) -> Option<&Var<'a>> {
        self.vars.get(name).filter(|var| !var.value.is_empty())
    }

    /// The first of `names` that has a value.
    pub fn first(&self, names: &[&str]) -> Option<&Var<'a>> {
        names.iter().find_map(|name| self.get(name))
    }

    /// The file's own variables with a value, in file order.
    pub fn in_file(&self) -> impl Iterator<Item = &Var<'a>> {
        self.file.iter().filter(|var| !var.value.is_empty())
    }

    /// Every variable with a value.
    pub fn all(&self) -> impl Iterator<Item = &Var<'a>> + Clone {
        self.vars.values().filter(|var| !var.value.is_empty())
    }

    /// Whether the shell's variables are in: `gwscript check --env`.
    pub fn with_shell(&self) -> bool {
        self.with_shell
    }

    /// The provider Claude Code talks to with these variables.
    pub fn provider(&self) -> ClientProvider {
        precedence::provider_of(self.all().map(|var| (var.name, var.value)))
    }

    /// The variable that selects `provider`: its switch, when on.
    pub fn switch_for(&self, provider: ClientProvider) -> Option<&Var<'a>> {
        self.get(precedence::switch_of(provider)?)
    }
}

#[cfg(test)]
mod tests {
    use super::super::document::parse;
    use super::*;

    #[test]
    fn the_file_replaces_the_shell_and_an_empty_value_cancels_it() {
        let document = parse(
            "{\"env\": {\"ANTHROPIC_API_KEY\": \"\", \"AWS_REGION\": \"eu-west-1\", \"N\": 1,\n \"CLAUDE_CODE_USE_VERTEX\": \"1\"}}",
        )
        .expect("parses");
        let shell: BTreeMap<String, String> = [
            ("ANTHROPIC_API_KEY", "from-shell"),
            ("AWS_REGION", "us-east-1"),
            ("CLAUDE_CODE_USE_BEDROCK", "1"),
        ]
        .into_iter()
        .map(|(n, v)| (n.to_owned(), v.to_owned()))
        .collect();
        let env = Env::new(&document, Some(&shell));
        assert!(env.get("ANTHROPIC_API_KEY").is_none(), "cancelled");
        let region = env.get("AWS_REGION").expect("set");
        assert_eq!(region.value, "eu-west-1");
        assert_eq!(
            region.value_span(),
            Some(Span {
                line: 1,
                column: 49
            })
        );
        assert!(env.get("N").is_none(), "not a string");
        assert_eq!(
            env.provider(),
            ClientProvider::Bedrock,
            "the shell's switch ranks higher"
        );
        assert_eq!(
            env.switch_for(ClientProvider::Bedrock).map(|v| v.origin),
            Some(Origin::Shell)
        );
        let names: Vec<&str> = env.in_file().map(|v| v.name).collect();
        assert_eq!(names, ["AWS_REGION", "CLAUDE_CODE_USE_VERTEX"]);
        let alone = Env::new(&document, None);
        assert_eq!(alone.provider(), ClientProvider::Vertex);
        assert!(!alone.with_shell());
    }
}
