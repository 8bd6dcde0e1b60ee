//! Gateway options: the plugin places the ones it knows in the right config.yaml section. LiteLLM
//! ignores a key in the wrong section without a word, so an unknown one is reported, not guessed.

use super::codes::UNKNOWN_GATEWAY_OPTION;
use crate::catalog::GATEWAY_OPTIONS;
use gwscript_plugin::Diagnostic;
use gwscript_plugin::model::Gateway;
use gwscript_plugin::suggest;

pub fn check(gateway: &Gateway) -> Vec<Diagnostic> {
    let known = || GATEWAY_OPTIONS.iter().map(|(name, _)| *name);
    gateway
        .options
        .keys()
        .filter(|key| !known().any(|name| name == key.as_str()))
        .map(|key| {
            let help = match suggest::nearest(key, known()) {
                Some(nearest) => format!("did you mean `{nearest}`?"),
                None => format!("options this plugin places: {}", known().collect::<Vec<_>>().join(", ")),
            };
            Diagnostic::warning(
                UNKNOWN_GATEWAY_OPTION,
                format!("gateway option `{key}` is not one the LiteLLM plugin knows; it is left out of config.yaml"),
                help,
            )
            .at(gateway.span)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{codes_of, gateway_with, literal};

    #[test]
    fn gw4012_reports_unknown_options_with_a_suggestion() {
        let mut gateway = gateway_with(vec![], vec![]);
        gateway.options.insert("drop_param".into(), literal(true));
        gateway.options.insert("telemetry".into(), literal(false));
        let diagnostics = check(&gateway);
        assert_eq!(codes_of(&diagnostics), ["GW4012", "GW4012"]);
        assert_eq!(diagnostics[0].help, "did you mean `drop_params`?");
        assert!(
            diagnostics[1]
                .help
                .starts_with("options this plugin places: drop_params")
        );
    }

    #[test]
    fn known_options_pass() {
        let mut gateway = gateway_with(vec![], vec![]);
        for (name, _) in GATEWAY_OPTIONS {
            gateway.options.insert((*name).into(), literal(true));
        }
        assert!(check(&gateway).is_empty());
    }
}
