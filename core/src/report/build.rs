//! Assembling the report from what a run produced.

use super::{Block, Context, Report, Step};
use crate::client::{EnvVar, SHELL_PATH, settings_location};
use crate::emit::{Artifact, shell_quote};
use gwscript_plugin::model::{Endpoint, Pattern, Setup};
use gwscript_plugin::{Diagnostic, Manifest, ReportContribution};

#[derive(Debug)]
pub struct ReportInput<'a> {
    pub setup: &'a Setup,
    pub manifest: Option<&'a Manifest>,
    pub plugin: ReportContribution,
    pub env: &'a [EnvVar],
    pub settings: &'a serde_json::Value,
    pub artifacts: Vec<Artifact>,
    pub diagnostics: Vec<Diagnostic>,
}

/// The security practices every report carries (FR-008, SC-006).
const SECURITY: &[&str] = &[
    "Never hardcode API keys: recipes name secrets, and gwscript writes only references (os.environ/NAME, ${NAME}).",
    "Keep credentials out of committed files: .claude/settings.json is shared, so keys travel in shell exports or an apiKeyHelper.",
    "Store secrets in a secret manager (AWS Secrets Manager, Google Secret Manager, HashiCorp Vault) and rotate them at least every 90 days.",
    "Give the gateway least-privilege cloud roles (e.g. bedrock:InvokeModel*, roles/aiplatform.user) and separate dev, staging and production.",
    "Use TLS 1.2+ between Claude Code, the gateway and providers; plain http is for loopback only.",
    "Enable audit logging on the gateway, scan CI for leaked credentials, and require MFA for gateway administrators.",
];

pub fn build(input: ReportInput<'_>) -> Report {
    let setup = input.setup;
    let gateway_name = input.manifest.map(|m| m.display_name.as_str());
    Report {
        title: match gateway_name {
            Some(name) => format!("Claude Code via {name} ({} pattern)", setup.pattern.name()),
            None => format!("Claude Code, {} pattern", setup.pattern.name()),
        },
        quick_answer: quick_answer(&input, gateway_name),
        configuration: configuration(&input),
        verification: verification(&input),
        additional_context: Context {
            third_party_notice: input
                .manifest
                .filter(|m| m.third_party)
                .map(|m| third_party_notice(&m.display_name)),
            security: SECURITY.iter().map(|s| (*s).to_owned()).collect(),
            notes: notes(&input),
            routes: input.plugin.routes.clone(),
            limitations: input.plugin.limitations.clone(),
            troubleshooting: input.plugin.troubleshooting.clone(),
        },
        artifacts: input.artifacts,
        diagnostics: input.diagnostics,
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

fn quick_answer(input: &ReportInput<'_>, gateway_name: Option<&str>) -> Vec<String> {
    let setup = input.setup;
    let mut answer = vec![format!(
        "Pattern \"{}\": {}.",
        setup.pattern.name(),
        flow(setup.pattern)
    )];
    if let (Some(gateway), Some(name)) = (&setup.gateway, gateway_name) {
        let groups = gateway.model_groups();
        answer.push(format!(
            "Start {name} with the emitted config ({} deployment(s) in {} model group(s): {}), then point Claude Code at {} through the {} endpoint.",
            gateway.deployments.len(),
            groups.len(),
            groups.join(", "),
            gateway.url,
            setup.client.endpoint.name()
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
    if let Some(install) = &input.plugin.install {
        blocks.push(Block {
            title: "Install the gateway".into(),
            language: "sh",
            body: install.clone(),
        });
    }
    if let Some(start) = &input.plugin.start {
        blocks.push(Block {
            title: "Start the gateway".into(),
            language: "sh",
            body: start.clone(),
        });
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
    if let (Some(gateway), Some(manifest)) = (&setup.gateway, input.manifest)
        && let Some(path) = &manifest.liveness_path
    {
        steps.push(Step {
            title: format!("{} is up", manifest.display_name),
            command: Some(format!(
                "curl -fsS {}",
                shell_quote(&format!("{}{path}", gateway.url))
            )),
            expect: "HTTP 200 from the liveness route (no key needed)".into(),
        });
    }
    steps.extend(input.plugin.verification.iter().cloned());
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
    let see_also = if input.plugin.troubleshooting.is_empty() {
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
    let base_url = match (&setup.gateway, input.manifest) {
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
    let mut notes = input.plugin.notes.clone();
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
