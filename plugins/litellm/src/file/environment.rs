//! `os.environ/NAME` references as LiteLLM resolves them: a string that starts with the prefix,
//! as a mapping value (also inside mappings inside lists), before `environment_variables` is
//! exported. An unset variable silently becomes `None`. With `gwscript check --env` the host says
//! which variables are set where the check runs.

use super::Config;
use crate::checks::Input;
use crate::checks::codes::{
    BEDROCK_WITHOUT_REGION, IGNORED_SETTING, NO_MASTER_KEY, UNRESOLVED_ENV_REFERENCE,
    UNSET_ENV_REFERENCE, VERTEX_WITHOUT_PROJECT_OR_LOCATION,
};
use crate::checks::references::{is_bad_reference, refusal};
use crate::params::ENV_REFERENCE_PREFIX;
use gwscript_plugin::yaml::{Node, Value};
use gwscript_plugin::{Diagnostic, FileCheck};
use std::collections::HashSet;

/// Variables `environment_variables` may not set: LiteLLM ignores them with a warning.
const BLOCKED: &[&str] = &[
    "PATH",
    "LD_PRELOAD",
    "LD_LIBRARY_PATH",
    "DYLD_LIBRARY_PATH",
    "DYLD_INSERT_LIBRARIES",
    "PYTHONPATH",
    "PYTHONSTARTUP",
    "PYTHONHOME",
    "HOME",
    "USER",
    "SHELL",
    "LOGNAME",
    "NO_PROXY",
    "no_proxy",
];

pub fn check(config: &Config, file: &FileCheck, findings: &mut Vec<Diagnostic>) {
    let exported = exported_names(config, findings);
    // (node, the mapping key it is the value of, whether it sits directly in a list)
    let mut stack: Vec<(&Node, &str, bool)> = vec![(&config.root, "", false)];
    while let Some((node, key, in_list)) = stack.pop() {
        match &node.value {
            Value::Map(pairs) => stack.extend(pairs.iter().filter_map(|(k, v)| {
                let name = k.as_str()?;
                // Federation secret pointers (`*_ref`) are left as written.
                (!name.ends_with("_ref")).then_some((v, name, false))
            })),
            Value::Seq(items) => stack.extend(items.iter().map(|item| (item, key, true))),
            Value::String(text) => reference(text, node, key, in_list, file, &exported, findings),
            _ => {}
        }
    }
}

fn reference(
    text: &str,
    node: &Node,
    key: &str,
    in_list: bool,
    file: &FileCheck,
    exported: &HashSet<&str>,
    findings: &mut Vec<Diagnostic>,
) {
    let Some(name) = text.strip_prefix(ENV_REFERENCE_PREFIX) else {
        if text.contains(ENV_REFERENCE_PREFIX) {
            findings.push(unresolved(
                node,
                format!("`{key}` has `{ENV_REFERENCE_PREFIX}` inside a longer string, which LiteLLM does not resolve: the text is used as written"),
                "make the whole value the reference, `os.environ/NAME`, and put the rest in the variable",
            ));
        }
        return;
    };
    if in_list {
        findings.push(unresolved(
            node,
            format!("a list item of `{key}` is an `{ENV_REFERENCE_PREFIX}` reference, which LiteLLM does not resolve inside lists: the text is used as written"),
            "write the value itself in the list, or move it into a mapping value",
        ));
        return;
    }
    if is_bad_reference(text) {
        findings.push(refusal(
            key,
            Some(node.span),
            Input::ConfigFile(&Default::default()),
        ));
        return;
    }
    let set = file.is_set(name);
    if exported.contains(name) && set != Some(true) {
        findings.push(unresolved(
            node,
            format!("`{key}` refers to {name}, which only this file's environment_variables sets: LiteLLM resolves references before it exports those, so `{key}` is None"),
            format!("set {name} in the proxy's environment, or write the value in environment_variables' place"),
        ));
    } else if set == Some(false) {
        findings.push(
            Diagnostic::warning(
                UNSET_ENV_REFERENCE,
                format!("`{key}` refers to {name}, which is not set here: LiteLLM would silently use None"),
                format!("set {name} where the proxy runs (or check without --env if this is not that machine)"),
            )
            .at(Some(node.span)),
        );
    }
}

/// The names `environment_variables` exports, each blocked one reported.
fn exported_names<'a>(config: &'a Config, findings: &mut Vec<Diagnostic>) -> HashSet<&'a str> {
    let pairs = config
        .section("environment_variables")
        .and_then(Node::as_map)
        .unwrap_or_default();
    let mut names = HashSet::new();
    for (key, _) in pairs {
        let Some(name) = key.as_str() else {
            continue;
        };
        if BLOCKED.contains(&name) {
            findings.push(
                Diagnostic::warning(
                    IGNORED_SETTING,
                    format!("environment_variables may not set {name}: LiteLLM ignores it with a warning"),
                    format!("set {name} in the proxy's environment instead"),
                )
                .at(Some(key.span)),
            );
        } else {
            names.insert(name);
        }
    }
    names
}

fn unresolved(node: &Node, message: String, help: impl Into<String>) -> Diagnostic {
    Diagnostic::warning(UNRESOLVED_ENV_REFERENCE, message, help).at(Some(node.span))
}

/// Whether `--env` shows the proxy's environment supplies what a finding says is missing: a
/// Bedrock region, a Vertex project and location, a master key.
pub fn answered_by_environment(diagnostic: &Diagnostic, file: &FileCheck) -> bool {
    let set = |names: &[&str]| names.iter().any(|name| file.is_set(name) == Some(true));
    match diagnostic.code.as_str() {
        BEDROCK_WITHOUT_REGION => set(&["AWS_REGION", "AWS_DEFAULT_REGION", "AWS_REGION_NAME"]),
        VERTEX_WITHOUT_PROJECT_OR_LOCATION => {
            set(&["VERTEXAI_PROJECT"]) && set(&["VERTEXAI_LOCATION", "VERTEX_LOCATION"])
        }
        NO_MASTER_KEY => set(&["LITELLM_MASTER_KEY"]),
        _ => false,
    }
}
