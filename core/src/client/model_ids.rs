//! Model ids checked where they meet a platform, once the whole setup is known: Bedrock ids that
//! lack the inference profile their model needs (GW5008), and models pinned behind a gateway's
//! Vertex endpoint that the region Claude Code names does not serve (GW1021).

use super::direct;
use super::models::{MODEL_VARIABLES, check_vertex_region};
use crate::catalog;
use gwscript_plugin::Diagnostic;
use gwscript_plugin::model::{Endpoint, ProviderKind, Setup};

pub(super) fn check(setup: &Setup) -> Vec<Diagnostic> {
    let mut found = unprofiled_bedrock_ids(setup);
    found.extend(vertex_endpoint_regions(setup));
    found
}

/// GW1021 behind a gateway's Vertex endpoint: Claude Code names its region (`CLOUD_ML_REGION`,
/// or a model's own `VERTEX_REGION_CLAUDE_*` from the recipe's `env`) in every request path, and
/// the gateway forwards it, so each pinned model must be served there. A pinned model is a group;
/// its model is the catalog's for the group's Vertex deployment, or for the group's name.
fn vertex_endpoint_regions(setup: &Setup) -> Vec<Diagnostic> {
    let (Some(gateway), Endpoint::Vertex) = (&setup.gateway, setup.client.endpoint) else {
        return Vec::new();
    };
    let Some(region) = super::env::gateway_vertex_region(setup) else {
        return Vec::new();
    };
    MODEL_VARIABLES
        .iter()
        .filter_map(|variable| {
            let pinned = variable.pinned(&setup.client)?;
            let model = gateway
                .deployments
                .iter()
                .filter(|d| {
                    d.model_group == pinned.value && d.provider.kind == ProviderKind::Vertex
                })
                .find_map(|d| catalog::lookup(&d.provider_model))
                .or_else(|| catalog::lookup(&pinned.value))?;
            let region = setup
                .client
                .env
                .get(&model.vertex_region_variable)
                .unwrap_or(&region);
            let (message, help) = check_vertex_region(model, region).err()?;
            Some(
                Diagnostic::error(
                    "GW1021",
                    format!(
                        "{message}, and Claude Code asks the gateway for it there ({})",
                        variable.variable
                    ),
                    help,
                )
                .at(pinned.span),
            )
        })
        .collect()
}

/// GW5008: Bedrock ids without the inference-profile prefix their model needs, pinned for Claude
/// Code in `direct`/`proxy` or deployed on a gateway. Bedrock refuses them on demand.
fn unprofiled_bedrock_ids(setup: &Setup) -> Vec<Diagnostic> {
    let direct = setup
        .provider
        .iter()
        .filter(|p| p.kind == ProviderKind::Bedrock && !setup.pattern.uses_gateway())
        .flat_map(|provider| {
            let region = direct::client_region(&setup.client, provider);
            MODEL_VARIABLES.iter().filter_map(move |v| {
                let pinned = v.pinned(&setup.client)?;
                Some((pinned.value.as_str(), region, v.variable, pinned.span))
            })
        });
    let deployed = setup
        .gateway
        .iter()
        .flat_map(|g| &g.deployments)
        .filter(|d| d.provider.kind == ProviderKind::Bedrock)
        .map(|d| {
            let region = direct::region(&d.provider);
            (d.provider_model.as_str(), region, "the deployment", d.span)
        });
    direct
        .chain(deployed)
        .filter_map(|(id, region, used_as, span)| {
            let model = catalog::missing_profile(id)?;
            let profile = catalog::provider_id(model, ProviderKind::Bedrock, region.or(Some("us-east-1")))
                .unwrap_or_default();
            let example = match region {
                Some(region) => format!("\"{profile}\" (the profile for {region})"),
                None => format!("a profile id such as \"{profile}\", or a region so gwscript picks it"),
            };
            Some(
                Diagnostic::warning(
                    "GW5008",
                    format!("Bedrock serves {} only through an inference profile, and {used_as} names it `{id}`", model.name),
                    format!("use {example}; Bedrock answers the plain id with a validation error"),
                )
                .at(span),
            )
        })
        .collect()
}
