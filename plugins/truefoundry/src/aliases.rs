//! Claude Code's model aliases. The host pins the main model (ANTHROPIC_MODEL) and each alias the
//! recipe names (`opus_model`, `sonnet_model`, `background_model` for haiku). The aliases left
//! (`/model opus`, `/model sonnet`, subagents) would send Anthropic's own ids, which TrueFoundry
//! does not serve; TrueFoundry's Claude Code guide maps them with ANTHROPIC_DEFAULT_*_MODEL, so
//! each is pinned to the first model group of its family.

use gwscript_plugin::model::Gateway;
use gwscript_plugin::{ClientContribution, ClientValue, ClientVar, Setup};
use std::collections::HashSet;

/// (family word in the model id, variable).
const ALIASES: [(&str, &str); 3] = [
    ("opus", "ANTHROPIC_DEFAULT_OPUS_MODEL"),
    ("sonnet", "ANTHROPIC_DEFAULT_SONNET_MODEL"),
    ("haiku", "ANTHROPIC_DEFAULT_HAIKU_MODEL"),
];

/// The alias pins for `setup`, leaving out any variable the host or the recipe's `env` sets.
pub fn pins(setup: &Setup, gateway: &Gateway) -> ClientContribution {
    let env = ALIASES
        .into_iter()
        .filter(|(family, variable)| {
            let set_by_host = match *family {
                "opus" => setup.client.opus_model.is_some(),
                "sonnet" => setup.client.sonnet_model.is_some(),
                _ => setup.client.background_model.is_some(),
            };
            !set_by_host && !setup.client.env.contains_key(*variable)
        })
        .filter_map(|(family, variable)| {
            let group = family_group(gateway, family)?;
            Some(ClientVar {
                name: variable.into(),
                value: ClientValue::Literal(group.into()),
                why: format!("Claude Code's `{family}` alias, as a model TrueFoundry serves"),
            })
        })
        .collect();
    ClientContribution {
        env,
        ..ClientContribution::default()
    }
}

/// The first model group whose first deployment's provider model is of `family`.
fn family_group<'a>(gateway: &'a Gateway, family: &str) -> Option<&'a str> {
    let mut seen = HashSet::new();
    gateway
        .deployments
        .iter()
        .filter(|d| seen.insert(d.model_group.as_str()))
        .find(|d| d.provider_model.to_ascii_lowercase().contains(family))
        .map(|d| d.model_group.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::tfy_gateway;
    use gwscript_plugin::testing::{anthropic, bedrock, setup_for, spanned};

    fn pinned(setup: &Setup) -> Vec<(String, String)> {
        pins(setup, setup.gateway.as_ref().unwrap())
            .env
            .into_iter()
            .map(|var| match var.value {
                ClientValue::Literal(value) => (var.name, value),
                ClientValue::Secret(_) => panic!("aliases are not secrets"),
            })
            .collect()
    }

    #[test]
    fn each_family_goes_to_its_first_group() {
        let gateway = tfy_gateway(vec![
            anthropic("anthropic-main/claude-sonnet-4-6", "claude-sonnet-4-6"),
            bedrock(
                "bedrock-main/claude-sonnet-4-5",
                "us.anthropic.claude-sonnet-4-5-20250929-v1:0",
                None,
            ),
            anthropic(
                "anthropic-main/claude-haiku-4-5",
                "claude-haiku-4-5-20251001",
            ),
        ]);
        let pins = pinned(&setup_for(gateway));
        assert_eq!(
            pins,
            [
                (
                    "ANTHROPIC_DEFAULT_SONNET_MODEL".to_owned(),
                    "anthropic-main/claude-sonnet-4-6".to_owned()
                ),
                (
                    "ANTHROPIC_DEFAULT_HAIKU_MODEL".to_owned(),
                    "anthropic-main/claude-haiku-4-5".to_owned()
                ),
            ]
        );
    }

    #[test]
    fn what_the_host_or_recipe_sets_stays_theirs() {
        let gateway = tfy_gateway(vec![
            anthropic("anthropic-main/claude-opus-4-6", "claude-opus-4-6"),
            anthropic(
                "anthropic-main/claude-haiku-4-5",
                "claude-haiku-4-5-20251001",
            ),
        ]);
        let mut setup = setup_for(gateway);
        setup.client.background_model = Some(spanned("anthropic-main/claude-haiku-4-5".into(), 3));
        setup.client.env.insert(
            "ANTHROPIC_DEFAULT_OPUS_MODEL".into(),
            "x/claude-opus".into(),
        );
        assert_eq!(pinned(&setup), []);
        setup.client.env.clear();
        setup.client.opus_model = Some(spanned("anthropic-main/claude-opus-4-6".into(), 4));
        assert_eq!(
            pinned(&setup),
            [],
            "the recipe's opus_model is the host's to write"
        );
    }
}
