//! What a plugin declares about itself when it is loaded: identity, the options it accepts (as
//! JSON Schemas the host validates recipes against), how Claude Code reaches and authenticates to
//! the gateway, its templates and their purposes, its diagnostic codes, and what it can do.
//!
//! The JSON grows by optional fields only, and unknown fields are ignored, so a manifest from a
//! newer or older SDK still reads.

use crate::diagnostic::Severity;
use crate::model::Endpoint;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    /// The plugin's own name, e.g. `litellm`: 1 to 64 lowercase letters, digits, `-` and `_`
    /// (GW2005 otherwise). Its library is installed as `libgwscript_<name>.so`.
    pub name: String,
    pub version: String,
    /// The `kind` passed to `gateway(kind, …)` in recipes, with the same rules as `name`. One
    /// plugin per kind: a later plugin claiming a kind already served is refused (GW2007).
    pub gateway_kind: String,
    /// The product name shown to users, e.g. `LiteLLM`.
    pub display_name: String,
    pub description: String,
    /// Set for gateways Anthropic does not develop: the report then carries the third-party notice.
    pub third_party: bool,
    /// What recipes may use the plugin as: at least one of [`PluginRole::Gateway`] and
    /// [`PluginRole::Monitor`] (GW2005 otherwise). Absent, as in manifests from SDKs that predate
    /// roles: gateway only. A recipe using the plugin in a role it does not list is refused
    /// (GW2016).
    #[serde(default = "PluginRole::gateway_only")]
    pub roles: Vec<PluginRole>,
    /// Host features the plugin cannot work without (see [`crate::features`]). A host that lacks
    /// one refuses the plugin with a diagnostic naming it.
    #[serde(default)]
    pub requires: Vec<String>,
    /// Short capability tags shown by `gwscript plugins info`.
    #[serde(default)]
    pub capabilities: Vec<String>,
    /// The gateway against the spec's seven compatibility criteria.
    #[serde(default)]
    pub compatibility: Vec<Assessment<Criterion>>,
    /// What the gateway offers beyond the criteria.
    #[serde(default)]
    pub features: Vec<Assessment<Feature>>,
    /// JSON Schema for the map given to `gateway(kind, #{ … })` (without `url`). Absent: the
    /// gateway takes no options. Secret references appear as `{"$secret": "NAME"}`; build schemas
    /// with [`crate::schema`]. It must be a valid JSON Schema whose top level is
    /// `"type": "object"` (GW2012 otherwise). The host reports a key it does not allow as GW1013
    /// (with the nearest of its `properties` as a suggestion) and a value it does not allow as
    /// GW1014 (with the property's `description` as the help).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gateway_options: Option<serde_json::Value>,
    /// JSON Schema for the map given to `gw.deploy(group, provider, #{ … })`, with the same rules.
    /// Absent: deployments take no options.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deployment_options: Option<serde_json::Value>,
    /// How Claude Code talks to this gateway.
    pub client: ClientContract,
    /// A public route that answers when the gateway is up, appended to the gateway URL: the host
    /// makes it the report's first verification step (`curl -fsS <url><path>`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub liveness_path: Option<String>,
    /// The files the plugin writes, each at its own path.
    #[serde(default)]
    pub templates: Vec<Template>,
    /// The diagnostic codes the plugin raises; their pages come from the `page` entry point.
    #[serde(default)]
    pub diagnostics: Codes,
    /// The hand-written files the plugin checks through its `check_file` entry point (its
    /// gateway's own config, say). Absent: `gwscript check` hands the plugin no files.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub file_kinds: Vec<crate::files::FileKind>,
}

impl Manifest {
    /// Whether recipes may use the plugin as `role`.
    pub fn serves(&self, role: PluginRole) -> bool {
        self.roles.contains(&role)
    }
}

/// What a recipe uses a plugin as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PluginRole {
    /// Carries Claude Code's model traffic: the `gateway:` of a `gateway` or `proxy+gateway`
    /// pattern. The client contract decides Claude Code's base URL, credential and model names,
    /// and needs at least one endpoint.
    Gateway,
    /// Observes Claude Code without carrying its model traffic (through hooks, say): one of the
    /// `monitors:` of any pattern. It contributes templates, `Rendering::client` variables and
    /// settings keys, and report text; its client contract is not used, and its
    /// `client.endpoints` may be empty. A plugin that can only monitor should list
    /// [`crate::features::MONITORS`] in `requires`, so that a host without roles refuses it
    /// plainly.
    Monitor,
    /// A role added by a newer SDK; the host uses the plugin only in the roles it knows.
    #[serde(other)]
    Other,
}

impl PluginRole {
    /// The roles of a manifest that does not say: gateway only.
    pub fn gateway_only() -> Vec<PluginRole> {
        vec![PluginRole::Gateway]
    }

    /// The name used in manifests and shown to users.
    pub fn name(self) -> &'static str {
        match self {
            PluginRole::Gateway => "gateway",
            PluginRole::Monitor => "monitor",
            PluginRole::Other => "other",
        }
    }
}

/// How Claude Code reaches the gateway: the credential's header, the routes, and model names.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClientContract {
    pub auth: ClientAuth,
    /// The path, relative to the gateway URL, for each wire format the gateway serves: empty, or
    /// starting with `/`, without a trailing `/`, a query or a fragment. At least one for a
    /// plugin that can be a gateway (GW2005 otherwise); a monitor-only plugin may list none. A
    /// recipe choosing an endpoint that is not listed gets GW5002.
    pub endpoints: BTreeMap<Endpoint, String>,
    pub model_names: ModelNames,
}

impl ClientContract {
    /// The contract of a plugin that can only monitor: Claude Code never talks to it, so it names
    /// no key and no endpoint.
    pub fn monitor_only() -> ClientContract {
        ClientContract {
            auth: ClientAuth::None,
            endpoints: BTreeMap::new(),
            model_names: ModelNames::Provider,
        }
    }
}

/// Where the gateway reads the client's key from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum ClientAuth {
    /// `Authorization: Bearer <key>`, from `ANTHROPIC_AUTH_TOKEN` or an `apiKeyHelper`.
    Bearer,
    /// `x-api-key: <key>`, from `ANTHROPIC_API_KEY` or an `apiKeyHelper`.
    XApiKey,
    /// A header of the gateway's own, sent through `ANTHROPIC_CUSTOM_HEADERS` as
    /// `<name>: <prefix><key>` (an `apiKeyHelper` cannot fill it: GW5007). The host also exports
    /// the key as `ANTHROPIC_AUTH_TOKEN`, which Claude Code needs to start against a base URL, so
    /// the key arrives as `Authorization: Bearer` too. `name` must be an HTTP header name and
    /// `prefix` free of control characters (GW2005 otherwise).
    Header {
        name: String,
        #[serde(default)]
        prefix: String,
    },
    /// The gateway does not authenticate Claude Code with a key (network policy, mTLS).
    None,
}

impl ClientAuth {
    /// Whether an `apiKeyHelper` can deliver the key (it is sent as Bearer and as `x-api-key`).
    pub fn helper_can_deliver(&self) -> bool {
        matches!(self, ClientAuth::Bearer | ClientAuth::XApiKey)
    }

    pub fn describe(&self) -> String {
        match self {
            ClientAuth::Bearer => "Authorization: Bearer".into(),
            ClientAuth::XApiKey => "x-api-key".into(),
            ClientAuth::Header { name, prefix } if prefix.is_empty() => name.clone(),
            ClientAuth::Header { name, prefix } => format!("{name}: {prefix}…"),
            ClientAuth::None => "no key".into(),
        }
    }
}

/// Which model names Claude Code must send.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ModelNames {
    /// The gateway routes by its own model group names: every model Claude Code sends (main,
    /// background, `opus`/`sonnet`/`haiku` aliases) must be pinned to a group through
    /// `ANTHROPIC_MODEL` and `ANTHROPIC_DEFAULT_*_MODEL`.
    Groups,
    /// The gateway forwards Claude Code's model ids to the provider unchanged.
    Provider,
}

/// A minijinja template the host renders with the plugin's context and then re-parses as `format`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Template {
    /// Where the artifact goes, relative to the output directory (`litellm/config.yaml`): no `..`,
    /// no leading `/`, not `report.md` and nothing under `claude/` (the host's own files), and no
    /// two templates at one path (GW2005 otherwise).
    pub path: String,
    pub format: TemplateFormat,
    pub source: String,
    /// What the file is, shown in the report's file list ("LiteLLM proxy configuration"). Must
    /// not be empty (GW2005 otherwise).
    pub purpose: String,
    /// Scripts are written 0700 instead of 0600.
    #[serde(default)]
    pub executable: bool,
}

impl Template {
    /// A template the host writes with mode 0600, its source usually embedded with
    /// `include_str!`; [`Template::executable`] makes it a script.
    pub fn new(
        path: impl Into<String>,
        format: TemplateFormat,
        source: impl Into<String>,
        purpose: impl Into<String>,
    ) -> Template {
        Template {
            path: path.into(),
            format,
            source: source.into(),
            purpose: purpose.into(),
            executable: false,
        }
    }

    /// Written with mode 0700 instead: a script the user runs.
    pub fn executable(mut self) -> Template {
        self.executable = true;
        self
    }
}

/// How the host escapes every value a template prints, and checks the result
/// ([`crate::render`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TemplateFormat {
    /// Values print as JSON (which YAML reads); the output must parse as YAML (GW3002).
    Yaml,
    /// Several YAML documents separated by `---` (one manifest per resource, say); values print
    /// as for `Yaml`, and every document must parse (GW3002).
    YamlStream,
    /// Values print as JSON; the output must parse as JSON (GW3002).
    Json,
    /// Values print as single-quoted shell words; the output is not parsed.
    Shell,
    /// Values print as they are, unescaped; the output is not parsed.
    Text,
}

impl TemplateFormat {
    /// The name used in manifests and shown to users.
    pub fn name(self) -> &'static str {
        match self {
            TemplateFormat::Yaml => "yaml",
            TemplateFormat::YamlStream => "yaml-stream",
            TemplateFormat::Json => "json",
            TemplateFormat::Shell => "shell",
            TemplateFormat::Text => "text",
        }
    }
}

/// A plugin's diagnostic codes: each starts with `prefix`, which no other plugin and none of the
/// host's own families may share.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Codes {
    /// `GW40` for LiteLLM's `GW40xx`; a third party uses letters of its own (`HELLO` for
    /// `HELLO0001`). A prefix is 2 to 8 capital letters and at most two digits, and a code is the
    /// prefix followed by digits, four digits in all (GW2005 otherwise). It may not overlap the
    /// host's families `GW0` `GW1` `GW2` `GW3` `GW5` `GW6`, nor a plugin loaded earlier (GW2013).
    pub prefix: String,
    #[serde(default)]
    pub codes: Vec<CodeInfo>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CodeInfo {
    pub code: String,
    pub severity: Severity,
    pub title: String,
    /// No longer raised; kept so its page still explains old output. Codes are never reused.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub retired: bool,
}

impl Codes {
    /// The index of a plugin's pages. Each page starts with `# CODE: title` and has a
    /// `- **Severity:** error|warning|note` line (a page without both is reported); a
    /// `- **Status:** retired` line marks a code no longer raised.
    pub fn from_pages(prefix: &str, pages: &[&str]) -> Result<Codes, String> {
        let codes = pages
            .iter()
            .map(|page| parse_page(page))
            .collect::<Result<_, _>>()?;
        Ok(Codes {
            prefix: prefix.to_owned(),
            codes,
        })
    }

    pub fn get(&self, code: &str) -> Option<&CodeInfo> {
        self.codes.iter().find(|c| c.code == code)
    }
}

fn parse_page(page: &str) -> Result<CodeInfo, String> {
    let first = page.lines().next().unwrap_or_default();
    let (code, title) = first
        .strip_prefix("# ")
        .and_then(|rest| rest.split_once(": "))
        .ok_or_else(|| format!("page does not start with `# CODE: title`: {first:?}"))?;
    let severity = page
        .lines()
        .find_map(|line| line.strip_prefix("- **Severity:** "))
        .and_then(|word| match word.trim() {
            "error" => Some(Severity::Error),
            "warning" => Some(Severity::Warning),
            "note" => Some(Severity::Note),
            _ => None,
        })
        .ok_or_else(|| format!("page {code} has no `- **Severity:** error|warning|note` line"))?;
    Ok(CodeInfo {
        code: code.trim().to_owned(),
        severity,
        title: title.trim().to_owned(),
        retired: page
            .lines()
            .any(|line| line.trim() == "- **Status:** retired"),
    })
}

/// Whether something holds for the gateway, and on what evidence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Assessment<T> {
    pub id: T,
    pub status: Support,
    /// Where the fact comes from: a documentation page, a test in this repository, or
    /// "unverified" when no public source was found.
    pub source: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
}

impl<T> Assessment<T> {
    /// It holds, on the evidence of `source`.
    pub fn yes(id: T, source: impl Into<String>) -> Assessment<T> {
        Assessment::new(id, Support::Yes, source)
    }

    /// It does not hold, on the evidence of `source`; add a [`note`](Assessment::note) saying
    /// why or what to do instead.
    pub fn no(id: T, source: impl Into<String>) -> Assessment<T> {
        Assessment::new(id, Support::No, source)
    }

    /// It holds only with the right configuration, which `note` names.
    pub fn depends(id: T, source: impl Into<String>, note: impl Into<String>) -> Assessment<T> {
        Assessment::new(id, Support::DependsOnConfig, source).note(note)
    }

    /// Sets the note: how it holds, or what a reader must know about it.
    pub fn note(mut self, note: impl Into<String>) -> Assessment<T> {
        self.note = note.into();
        self
    }

    fn new(id: T, status: Support, source: impl Into<String>) -> Assessment<T> {
        Assessment {
            id,
            status,
            source: source.into(),
            note: String::new(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Support {
    Yes,
    No,
    /// Holds only with the right configuration; the note says which.
    DependsOnConfig,
}

/// The spec's gateway compatibility criteria.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Criterion {
    MessagesApi,
    HeaderForwarding,
    BodyPreserved,
    StatusCodes,
    SseStreaming,
    BearerAuth,
    LongTimeouts,
    /// A criterion added by a newer SDK.
    #[serde(other)]
    Other,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Feature {
    RateLimits,
    Budgets,
    Fallbacks,
    LoadBalancing,
    VirtualKeys,
    AuditLogs,
    Guardrails,
    BedrockBackend,
    VertexBackend,
    ConfigAsFiles,
    /// A feature added by a newer SDK.
    #[serde(other)]
    Other,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_index_their_code_title_and_severity() {
        let codes = Codes::from_pages(
            "HELLO",
            &["# HELLO0001: greeting too long\n\n- **Severity:** warning\n"],
        )
        .expect("parses");
        assert_eq!(
            codes.get("HELLO0001"),
            Some(&CodeInfo {
                code: "HELLO0001".into(),
                severity: Severity::Warning,
                title: "greeting too long".into(),
                retired: false,
            })
        );
        assert!(Codes::from_pages("X", &["no heading"]).is_err());
        assert!(Codes::from_pages("X", &["# X0001: t\n- **Severity:** fatal\n"]).is_err());
    }

    #[test]
    fn templates_are_private_files_unless_made_executable() {
        let config = Template::new("hello/gateway.json", TemplateFormat::Json, "{}", "config");
        assert_eq!(
            config,
            Template {
                path: "hello/gateway.json".into(),
                format: TemplateFormat::Json,
                source: "{}".into(),
                purpose: "config".into(),
                executable: false,
            }
        );
        let script = Template::new("hello/run.sh", TemplateFormat::Shell, "exit 0", "runs it");
        assert!(script.executable().executable);
    }

    #[test]
    fn assessments_carry_their_status_source_and_note() {
        let expected = |status, note: &str| Assessment {
            id: Criterion::SseStreaming,
            status,
            source: "docs".into(),
            note: note.into(),
        };
        assert_eq!(
            Assessment::yes(Criterion::SseStreaming, "docs"),
            expected(Support::Yes, "")
        );
        assert_eq!(
            Assessment::no(Criterion::SseStreaming, "docs").note("buffers"),
            expected(Support::No, "buffers")
        );
        assert_eq!(
            Assessment::depends(Criterion::SseStreaming, "docs", "with streaming on"),
            expected(Support::DependsOnConfig, "with streaming on")
        );
        // An empty note stays out of the JSON, as before the constructors existed.
        let json = serde_json::to_value(Assessment::yes(Feature::Budgets, "docs")).expect("writes");
        assert_eq!(
            json,
            serde_json::json!({ "id": "budgets", "status": "yes", "source": "docs" })
        );
    }

    /// A manifest's JSON with only the fields every SDK has always required.
    fn oldest_manifest_json() -> serde_json::Value {
        serde_json::json!({
            "name": "n", "version": "1", "gateway_kind": "n", "display_name": "N",
            "description": "d", "third_party": true,
            "client": { "auth": { "kind": "bearer" }, "endpoints": { "unified": "" },
                        "model_names": "groups" },
        })
    }

    #[test]
    fn unknown_fields_and_criteria_from_a_newer_sdk_are_read() {
        let mut json = oldest_manifest_json();
        json["compatibility"] =
            serde_json::json!([{ "id": "quantum-safe", "status": "yes", "source": "s" }]);
        json["something_new"] = serde_json::json!({ "nested": 1 });
        let manifest: Manifest = serde_json::from_value(json).expect("reads");
        assert_eq!(manifest.compatibility[0].id, Criterion::Other);
        assert_eq!(manifest.client.auth, ClientAuth::Bearer);
        assert!(manifest.gateway_options.is_none());
        assert_eq!(manifest.roles, [PluginRole::Gateway], "no roles: a gateway");
        assert!(manifest.serves(PluginRole::Gateway) && !manifest.serves(PluginRole::Monitor));
    }

    #[test]
    fn roles_read_in_kebab_case_and_a_newer_role_as_other() {
        let mut json = oldest_manifest_json();
        json["roles"] = serde_json::json!(["monitor", "time-travel"]);
        let manifest: Manifest = serde_json::from_value(json).expect("reads");
        assert_eq!(manifest.roles, [PluginRole::Monitor, PluginRole::Other]);
        assert!(manifest.serves(PluginRole::Monitor) && !manifest.serves(PluginRole::Gateway));
        let written = serde_json::to_value(&manifest).expect("writes");
        assert_eq!(written["roles"][0], "monitor");
    }
}
