//! Assembling the report from what a run produced.

use super::{Block, Context, Report, Step};
use crate::client::{EnvVar, SHELL_PATH, settings_location};
use crate::emit::{Artifact, shell_quote};
use gwscript_plugin::model::{Endpoint, Pattern, Setup};
use gwscript_plugin::{Diagnostic, Manifest, PluginRole, ReportContribution};

#[derive(Debug)]
pub struct ReportInput<'a> {
    pub setup: &'a Setup,
    /// Every plugin the setup uses, in setup order: the gateway's, then the monitors'.
    pub plugins: Vec<Contributor<'a>>,
    pub env: &'a [EnvVar],
    pub settings: &'a serde_json::Value,
    pub artifacts: Vec<Artifact>,
    pub diagnostics: Vec<Diagnostic>,
}

/// A plugin the setup uses, the role it plays, and its part of the report.
#[derive(Debug)]
pub struct Contributor<'a> {
    pub manifest: &'a Manifest,
    pub role: PluginRole,
    pub report: ReportContribution,
}

impl ReportInput<'_> {
    /// The plugin that carries Claude Code's model traffic, when the pattern has a gateway.
    fn gateway(&self) -> Option<&Manifest> {
        self.plugins
            .iter()
            .find(|p| p.role == PluginRole::Gateway)
            .map(|p| p.manifest)
    }

    fn monitors(&self) -> impl Iterator<Item = &Manifest> {
        self.plugins
            .iter()
            .filter(|p| p.role == PluginRole::Monitor)
            .map(|p| p.manifest)
    }

    /// One list from every plugin's part of the report, in setup order.
    fn every<T: Clone>(&self, part: impl Fn(&ReportContribution) -> &Vec<T>) -> Vec<T> {
        self.plugins
            .iter()
            .flat_map(|p| part(&p.report).iter().cloned())
            .collect()
    }

    /// Whether any of the plugin's templates was written.
    fn wrote_files_of(&self, manifest: &Manifest) -> bool {
        self.artifacts
            .iter()
            .any(|a| manifest.templates.iter().any(|t| t.path == a.path))
    }
}

/// The security practices every report carries (FR-008, SC-006).
const SECURITY: &[&str] = &[
    "Never hardcode API keys: recipes name secrets, and gwscript writes only references (os.environ/NAME, ${NAME}).",
    "Keep credentials out of committed files: .claude/settings.json is shared, so keys travel in shell exports or an apiKeyHelper.",
    "Store secrets in a secret manager (AWS Secrets Manager, Google Secret Manager, HashiCorp Vault) and rotate them at least every 90 days.",
];

/// The practices that depend on who holds the cloud credentials: the gateway, or each developer.
const SECURITY_WITH_GATEWAY: &[&str] = &[
    "Give the gateway least-privilege cloud roles (e.g. bedrock:InvokeModel*, roles/aiplatform.user) and separate dev, staging and production.",
    "Use TLS 1.2+ between Claude Code, the gateway and providers; plain http is for loopback only.",
    "Enable audit logging on the gateway, scan CI for leaked credentials, and require MFA for gateway administrators.",
];
const SECURITY_DIRECT: &[&str] = &[
    "Give each developer's cloud identity least privilege (e.g. bedrock:InvokeModel* on the models used, roles/aiplatform.user) and separate dev, staging and production.",
    "Use TLS 1.2+ between Claude Code, the corporate proxy (if any) and the provider.",
    "Enable the provider's audit logging (AWS CloudTrail, Google Cloud Audit Logs, the Anthropic Console's usage views), scan CI for leaked credentials, and require MFA on the cloud accounts.",
];

fn security(setup: &Setup) -> Vec<String> {
    let specific = if setup.pattern.uses_gateway() {
        SECURITY_WITH_GATEWAY
    } else {
        SECURITY_DIRECT
    };
    SECURITY
        .iter()
        .chain(specific)
        .map(|s| (*s).to_owned())
        .collect()
}

pub fn build(input: ReportInput<'_>) -> Report {
    Report {
        title: title(&input),
        quick_answer: quick_answer(&input),
        configuration: configuration(&input),
        verification: verification(&input),
        additional_context: Context {
            third_party_notices: input
                .plugins
                .iter()
                .filter(|p| p.manifest.third_party)
                .map(|p| third_party_notice(&p.manifest.display_name))
                .collect(),
            security: security(input.setup),
            notes: notes(&input),
            routes: input.every(|r| &r.routes),
            limitations: input.every(|r| &r.limitations),
            troubleshooting: input.every(|r| &r.troubleshooting),
        },
        artifacts: input.artifacts,
        diagnostics: input.diagnostics,
    }
}

fn title(input: &ReportInput<'_>) -> String {
    let pattern = input.setup.pattern.name();
    let monitors: Vec<&str> = input.monitors().map(|m| m.display_name.as_str()).collect();
    let monitored = if monitors.is_empty() {
        String::new()
    } else {
        format!(", monitored by {}", monitors.join(" and "))
    };
    match input.gateway() {
        Some(gateway) => format!(
            "Claude Code via {}{monitored} ({pattern} pattern)",
            gateway.display_name
        ),
        None => format!("Claude Code, {pattern} pattern{monitored}"),
    }
}

fn flow(pattern: Pattern) -> &'static str {
    match pattern {
        Pattern::Direct => "Claude Code -> provider",
        Pattern::Proxy => "Claude Code -> corporate proxy -> provider",
        Pattern::Gateway => "Claude Code -> gateway -> providers",
        Pattern::ProxyGateway => "Claude Code -> corporate proxy -> gateway -> providers",
    }
}

fn quick_answer(input: &ReportInput<'_>) -> Vec<String> {
    let setup = input.setup;
    let mut answer = vec![format!(
        "Pattern \"{}\": {}.",
        setup.pattern.name(),
        flow(setup.pattern)
    )];
    if let (Some(gateway), Some(manifest)) = (&setup.gateway, input.gateway()) {
        let name = &manifest.display_name;
        let groups = gateway.model_groups();
        let how = if input.wrote_files_of(manifest) {
            "with the emitted files"
        } else {
            "as the steps below describe (no gateway files are emitted for it)"
        };
        let routed = if groups.is_empty() {
            String::new()
        } else {
            format!(
                " ({} deployment(s) in {} model group(s): {})",
                gateway.deployments.len(),
                groups.len(),
                groups.join(", ")
            )
        };
        answer.push(format!(
            "Set up {name} {how}{routed}, then point Claude Code at {} through the {} endpoint.",
            gateway.url,
            setup.client.endpoint.name()
        ));
    }
    for monitor in input.monitors() {
        let how = if input.wrote_files_of(monitor) {
            "with its emitted files and the settings below"
        } else {
            "through the settings below"
        };
        answer.push(format!(
            "{} monitors Claude Code without carrying its model traffic: roll it out {how}.",
            monitor.display_name
        ));
    }
    answer.push(format!(
        "Install the settings at {} ({} scope) and source {SHELL_PATH} in the shell that runs claude; credentials stay in your shell or secret manager.",
        settings_location(setup.client.scope),
        setup.client.scope.name()
    ));
    answer
}

fn configuration(input: &ReportInput<'_>) -> Vec<Block> {
    let mut blocks = Vec::new();
    for plugin in &input.plugins {
        let name = &plugin.manifest.display_name;
        for (verb, command) in [
            ("Install", &plugin.report.install),
            ("Start", &plugin.report.start),
        ] {
            if let Some(command) = command {
                blocks.push(Block {
                    title: format!("{verb} {name}"),
                    language: "sh",
                    body: command.clone(),
                });
            }
        }
    }
    blocks.push(Block {
        title: format!(
            "settings.json ({})",
            settings_location(input.setup.client.scope)
        ),
        language: "json",
        body: serde_json::to_string_pretty(input.settings).unwrap_or_default(),
    });
    blocks.push(Block {
        title: "Shell exports".into(),
        language: "sh",
        body: exports_summary(input.env),
    });
    blocks
}

/// The exports in one short block; secrets appear as references.
fn exports_summary(env: &[EnvVar]) -> String {
    env.iter()
        .map(EnvVar::shell_line)
        .collect::<Vec<_>>()
        .join("\n")
}

fn verification(input: &ReportInput<'_>) -> Vec<Step> {
    let setup = input.setup;
    let mut steps = Vec::new();
    for plugin in &input.plugins {
        let manifest = plugin.manifest;
        if let (Some((_, gateway)), Some(path)) = (
            setup.gateway_of_kind(&manifest.gateway_kind),
            &manifest.liveness_path,
        ) {
            steps.push(Step {
                title: format!("{} is up", manifest.display_name),
                command: Some(format!(
                    "curl -fsS {}",
                    shell_quote(&format!("{}{path}", gateway.url))
                )),
                expect: "HTTP 200 from the liveness route (no key needed)".into(),
            });
        }
    }
    let first_hop = setup.gateway.as_ref().map(|g| g.url.as_str());
    steps.extend(super::proxy::step(setup, input.env, first_hop));
    steps.extend(input.every(|r| &r.verification));
    steps.push(Step {
        title: "Claude Code sees the configuration".into(),
        command: Some("claude /status".into()),
        expect: status_expectation(input),
    });
    let meanings = if setup.pattern.uses_gateway() {
        "a 401/403 means the gateway rejected the key, a 404 a wrong base URL, a 400 a model id the gateway does not serve"
    } else {
        "a 401/403 means the provider rejected the credential or the role lacks permission, a 404 a model not enabled in that region"
    };
    let see_also = if input
        .plugins
        .iter()
        .all(|p| p.report.troubleshooting.is_empty())
    {
        ""
    } else {
        " (see Troubleshooting below)"
    };
    steps.push(Step {
        title: "A request goes through, logged".into(),
        command: Some("ANTHROPIC_LOG=debug claude -p 'Reply with OK'".into()),
        expect: format!(
            "a reply, and debug lines showing each request's URL and status; {meanings}{see_also}"
        ),
    });
    steps
}

fn status_expectation(input: &ReportInput<'_>) -> String {
    let setup = input.setup;
    let token_source = if setup.client.api_key_helper.is_some() {
        "apiKeyHelper"
    } else {
        "ANTHROPIC_AUTH_TOKEN"
    };
    let base_url = match (&setup.gateway, input.gateway()) {
        (Some(gateway), Some(manifest)) => {
            let path = manifest
                .client
                .endpoints
                .get(&setup.client.endpoint)
                .map(String::as_str)
                .unwrap_or_default();
            format!("{}{path}", gateway.url)
        }
        _ => String::new(),
    };
    match (setup.pattern.uses_gateway(), setup.client.endpoint) {
        (true, Endpoint::Bedrock) => {
            format!("the Bedrock provider with base URL {base_url} and `Bedrock auth skipped`")
        }
        (true, Endpoint::Vertex) => {
            format!("the Vertex AI provider with base URL {base_url} and `Vertex auth skipped`")
        }
        (true, _) => {
            format!("`Anthropic base URL: {base_url}` and the credential row naming {token_source}")
        }
        (false, _) => "the provider and region this setup selects".into(),
    }
}

fn notes(input: &ReportInput<'_>) -> Vec<String> {
    let setup = input.setup;
    let mut notes = input.every(|r| &r.notes);
    if setup.pattern.uses_proxy() {
        notes.push("With a proxy set, Claude Code skips its HEAD warm-up; proxy idle timeouts under 300 s reset quiet streams (ECONNRESET).".into());
    }
    let first_party = matches!(
        setup.client.endpoint,
        Endpoint::Unified | Endpoint::Anthropic
    );
    if setup.pattern.uses_gateway() && first_party && !setup.client.disable_nonessential_traffic {
        notes.push("Behind a plain base-URL gateway Claude Code still counts as first party and sends telemetry; set disable_nonessential_traffic: true to stop it.".into());
    }
    notes
}

/// The spec's third-party notice (FR-007, FR-038).
fn third_party_notice(name: &str) -> String {
    format!(
        "THIRD-PARTY NOTICE\n\
         This configuration uses {name}, a third-party solution not developed or maintained by Anthropic.\n\
         - Anthropic does not provide support for {name}\n\
         - Configuration may change without notice\n\
         - For issues, contact {name} support or community\n\
         - Review {name} security and privacy policies before use"
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use gwscript_plugin::manifest::{Template, TemplateFormat};
    use gwscript_plugin::report::Route;
    use gwscript_plugin::testing::{anthropic, direct_monitored_by, gateway, manifest, setup_for};

    fn named(kind: &str, display: &str, template: &str) -> Manifest {
        Manifest {
            display_name: display.into(),
            liveness_path: Some("/health".into()),
            templates: vec![Template::new(template, TemplateFormat::Text, "", "p")],
            ..manifest(kind)
        }
    }

    fn part(tag: &str, install: bool) -> ReportContribution {
        ReportContribution {
            install: install.then(|| format!("install {tag}")),
            start: Some(format!("start {tag}")),
            notes: vec![format!("{tag} note")],
            verification: vec![Step {
                title: format!("{tag} works"),
                command: None,
                expect: "yes".into(),
            }],
            routes: vec![Route {
                path: format!("/{tag}"),
                serves: tag.into(),
            }],
            limitations: vec![format!("{tag} limit")],
            troubleshooting: vec![format!("{tag} trouble")],
        }
    }

    fn artifact(path: &str) -> Artifact {
        Artifact {
            path: path.into(),
            purpose: "p".into(),
            contents: String::new(),
            executable: false,
        }
    }

    fn report(setup: &Setup, plugins: Vec<Contributor<'_>>, files: &[&str]) -> Report {
        build(ReportInput {
            setup,
            plugins,
            env: &[],
            settings: &serde_json::Value::Null,
            artifacts: files.iter().map(|f| artifact(f)).collect(),
            diagnostics: Vec::new(),
        })
    }

    #[test]
    fn every_plugins_part_is_kept_in_setup_order_under_its_own_name() {
        let mut setup = setup_for(gateway("acme", vec![anthropic("a", "m")], vec![]));
        setup.monitors = vec![gateway("watcher", vec![], vec![])];
        let acme = named("acme", "Acme Gateway", "acme/config.yaml");
        let watcher = named("watcher", "Watcher", "watcher/hook.sh");
        let report = report(
            &setup,
            vec![
                Contributor {
                    manifest: &acme,
                    role: PluginRole::Gateway,
                    report: part("acme", true),
                },
                Contributor {
                    manifest: &watcher,
                    role: PluginRole::Monitor,
                    report: part("watcher", false),
                },
            ],
            &["acme/config.yaml", "watcher/hook.sh"],
        );
        assert_eq!(
            report.title,
            "Claude Code via Acme Gateway, monitored by Watcher (gateway pattern)"
        );
        assert!(report.quick_answer[1].starts_with("Set up Acme Gateway with the emitted files"));
        assert_eq!(
            report.quick_answer[2],
            "Watcher monitors Claude Code without carrying its model traffic: roll it out with its emitted files and the settings below."
        );
        let blocks: Vec<&str> = report
            .configuration
            .iter()
            .map(|b| b.title.as_str())
            .collect();
        assert_eq!(
            blocks[..3],
            [
                "Install Acme Gateway",
                "Start Acme Gateway",
                "Start Watcher"
            ]
        );
        let steps: Vec<&str> = report
            .verification
            .iter()
            .map(|s| s.title.as_str())
            .collect();
        assert_eq!(
            steps[..4],
            [
                "Acme Gateway is up",
                "Watcher is up",
                "acme works",
                "watcher works"
            ]
        );
        let context = &report.additional_context;
        assert_eq!(context.third_party_notices.len(), 2, "one per third party");
        assert!(context.third_party_notices[1].contains("uses Watcher, a third-party"));
        let routes: Vec<&str> = context.routes.iter().map(|r| r.path.as_str()).collect();
        assert_eq!(routes, ["/acme", "/watcher"]);
        assert_eq!(context.limitations, ["acme limit", "watcher limit"]);
        assert_eq!(context.troubleshooting, ["acme trouble", "watcher trouble"]);
        assert_eq!(context.notes[..2], ["acme note", "watcher note"]);
    }

    #[test]
    fn the_telemetry_note_is_only_for_a_first_party_client() {
        let telemetry = |setup: &Setup| {
            report(setup, vec![], &[])
                .additional_context
                .notes
                .iter()
                .any(|n| n.contains("telemetry"))
        };
        let mut setup = setup_for(gateway("acme", vec![anthropic("a", "m")], vec![]));
        setup.client.endpoint = Endpoint::Unified;
        setup.client.disable_nonessential_traffic = false;
        assert!(
            telemetry(&setup),
            "a base-URL gateway leaves Claude Code first party"
        );
        for endpoint in [Endpoint::Bedrock, Endpoint::Vertex] {
            setup.client.endpoint = endpoint;
            assert!(
                !telemetry(&setup),
                "{endpoint:?}: Claude Code is not first party"
            );
        }
        setup.client.endpoint = Endpoint::Unified;
        setup.client.disable_nonessential_traffic = true;
        assert!(!telemetry(&setup), "already switched off");
    }

    #[test]
    fn direct_and_proxy_reports_never_speak_of_a_gateway() {
        let mut setup = direct_monitored_by(vec![]);
        for pattern in [Pattern::Direct, Pattern::Proxy] {
            setup.pattern = pattern;
            let report = report(&setup, vec![], &[]);
            let text = serde_json::to_string(&report).expect("serializable");
            assert!(!text.to_lowercase().contains("gateway"), "{text}");
        }
        let behind = setup_for(gateway("acme", vec![anthropic("a", "m")], vec![]));
        let security = report(&behind, vec![], &[]).additional_context.security;
        assert!(security.iter().any(|s| s.contains("the gateway")));
    }

    #[test]
    fn a_direct_pattern_names_its_monitor_and_no_gateway() {
        let setup = direct_monitored_by(vec![gateway("watcher", vec![], vec![])]);
        let mut watcher = named("watcher", "Watcher", "watcher/hook.sh");
        watcher.third_party = false;
        let report = report(
            &setup,
            vec![Contributor {
                manifest: &watcher,
                role: PluginRole::Monitor,
                report: ReportContribution::default(),
            }],
            &[],
        );
        assert_eq!(
            report.title,
            "Claude Code, direct pattern, monitored by Watcher"
        );
        assert_eq!(
            report.quick_answer[1],
            "Watcher monitors Claude Code without carrying its model traffic: roll it out through the settings below."
        );
        assert!(report.additional_context.third_party_notices.is_empty());
        assert_eq!(
            report.verification[0].command.as_deref(),
            Some("curl -fsS 'http://127.0.0.1:4000/health'"),
            "a monitor's liveness route is under its own url"
        );
    }
}
