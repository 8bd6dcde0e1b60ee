//! What the recipe's own `env` map says against the setup, under Claude Code's provider
//! precedence: variables the setup sets itself or that would switch the provider (GW5010), model
//! variables that bypass the pattern's options (GW5010), and variables Claude Code ignores
//! under the setup's provider (GW5009). None stops the run: the setup's own values win.

use super::direct;
use super::env::{EnvValue, EnvVar};
use super::models::{MODEL_VARIABLES, SMALL_FAST_MODEL};
use super::precedence::{self, Fate};
use crate::catalog::Alias;
use gwscript_plugin::Diagnostic;
use gwscript_plugin::model::Setup;

/// The finding on the recipe's `name=value`, beside `own`, the variables the setup sets itself
/// (the plugins' among them, from `plugin_vars`).
pub(super) fn recipe_env_finding(
    setup: &Setup,
    plugin_vars: &[(String, EnvVar)],
    own: &[EnvVar],
    name: &str,
    value: &str,
) -> Option<Diagnostic> {
    let owner = owning_setting(setup, name);
    let drop_it = match &owner {
        Some(owner) => format!("set it with {owner} and drop {name} from env"),
        None => format!("drop {name} from env: gwscript derives it from the setup"),
    };
    let finding = match precedence::fate(name, value, own) {
        Fate::Replaced(var) if var.value == EnvValue::Literal(value.to_owned()) => return None,
        Fate::Replaced(var) => {
            let setter = plugin_vars
                .iter()
                .find(|(_, p)| p.name == name)
                .map_or("the pattern".to_owned(), |(plugin, _)| {
                    format!("the {plugin} plugin")
                });
            Diagnostic::warning(
                "GW5010",
                format!(
                    "env sets {name}, which {setter} sets itself; Claude Code gets {}",
                    shown(&var.value)
                ),
                drop_it,
            )
        }
        Fate::Switches { from, to } => Diagnostic::warning(
            "GW5010",
            format!(
                "env sets {name}, which would switch Claude Code from {} to {}; it is not written",
                from.name(),
                to.name()
            ),
            format!(
                "the pattern picks the provider (its provider(…) or endpoint): drop {name} from env"
            ),
        ),
        Fate::Ignored(provider) => Diagnostic::warning(
            "GW5009",
            format!(
                "Claude Code ignores {name} when it talks to {}; it is not written",
                provider.name()
            ),
            match owner {
                Some(owner) => format!(
                    "drop {name} from env; under {} the setting is {owner}",
                    provider.name()
                ),
                None => format!("drop {name} from env"),
            },
        ),
        Fate::Kept => {
            let variable = MODEL_VARIABLES.iter().find(|v| {
                v.variable == name || (name == SMALL_FAST_MODEL && v.alias == Some(Alias::Haiku))
            })?;
            Diagnostic::warning(
                "GW5010",
                format!(
                    "env sets {name} as given: gwscript neither resolves it to the provider's id nor checks that it is served"
                ),
                format!(
                    "give the pattern's `{}` option instead and drop {name} from env",
                    variable.option
                ),
            )
        }
    };
    Some(finding.at(setup.client.env_span(name).or(setup.span)))
}

/// How a value the setup sets is shown: literals as written, secrets by name only.
fn shown(value: &EnvValue) -> String {
    match value {
        EnvValue::Literal(text) => format!("\"{}\"", text.escape_debug()),
        EnvValue::Secret(name) => format!("the value of ${name}"),
        EnvValue::Template(_) => "a value built from the recipe's secrets".to_owned(),
        EnvValue::Unset => "it unset".to_owned(),
    }
}

/// The recipe setting that owns variable `name`, as a help line names it.
fn owning_setting(setup: &Setup, name: &str) -> Option<String> {
    if let Some(v) = MODEL_VARIABLES.iter().find(|v| v.variable == name) {
        return Some(format!("the pattern's `{}` option", v.option));
    }
    if name == SMALL_FAST_MODEL {
        return Some("the pattern's `background_model` option".to_owned());
    }
    let direct = setup
        .provider
        .iter()
        .flat_map(|p| direct::options(p.kind))
        .find(|o| o.variable == name);
    if let Some(option) = direct {
        return Some(format!("the provider's `{}` option", option.keys[0]));
    }
    let owner = match name {
        "ANTHROPIC_BASE_URL" | "ANTHROPIC_BEDROCK_BASE_URL" | "ANTHROPIC_VERTEX_BASE_URL" => {
            if setup.gateway.is_some() {
                "the gateway's `url` (and the pattern's `endpoint`)"
            } else {
                "the provider's `api_base` option"
            }
        }
        "AWS_REGION" | "CLOUD_ML_REGION" => "the pattern's `region` option",
        "ANTHROPIC_VERTEX_PROJECT_ID" => "the pattern's `vertex_project` option",
        "HTTPS_PROXY" | "NO_PROXY" | "NODE_EXTRA_CA_CERTS" => "the pattern's `proxy` map",
        "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC" => {
            "the pattern's `disable_nonessential_traffic: true`"
        }
        "CLAUDE_CODE_API_KEY_HELPER_TTL_MS" => "the pattern's `api_key_helper: #{ ttl_ms: … }`",
        "ANTHROPIC_AUTH_TOKEN" | "ANTHROPIC_API_KEY" | "ANTHROPIC_CUSTOM_HEADERS" => {
            "the pattern's `auth_token: secret(\"…\")`"
        }
        _ => return None,
    };
    Some(owner.to_owned())
}
