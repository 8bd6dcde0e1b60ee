//! Recipe options against the schemas a plugin declares: every gateway and deployment option is
//! checked before the plugin sees it, with the error at the option's key and a "did you mean" for
//! a misspelt one. The plugin can then rely on the types it declared.

use gwscript_plugin::model::{Gateway, Options, Span};
use gwscript_plugin::{Diagnostic, Manifest};
use serde_json::{Map, Value};

/// Words in an option name that mark its value as possibly secret: the snippet is masked.
const SENSITIVE_WORDS: &[&str] = &["key", "token", "secret", "password", "credential", "url"];

/// Diagnostics for every option of `gateway` (the pattern's gateway or a monitor) and its
/// deployments that its plugin's `manifest` does not accept. A schema that does not compile is
/// the plugin's fault (GW2012).
pub fn validate_options(gateway: &Gateway, manifest: &Manifest) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    let gateway_schema = Checker::new(manifest, "gateway", manifest.gateway_options.as_ref());
    match gateway_schema {
        Ok(checker) => found.extend(checker.check(&gateway.options, gateway.span)),
        Err(d) => return vec![d],
    }
    if gateway.deployments.is_empty() {
        return found;
    }
    match Checker::new(manifest, "deploy", manifest.deployment_options.as_ref()) {
        Ok(checker) => {
            for deployment in &gateway.deployments {
                found.extend(checker.check(&deployment.options, deployment.span));
            }
        }
        Err(d) => found.push(d),
    }
    found
}

/// One compiled schema, and what its errors are reported as.
struct Checker<'m> {
    manifest: &'m Manifest,
    /// `gateway` or `deploy`: the recipe call the options were given to.
    call: &'static str,
    validator: jsonschema::Validator,
    properties: Option<&'m Map<String, Value>>,
}

impl<'m> Checker<'m> {
    fn new(
        manifest: &'m Manifest,
        call: &'static str,
        schema: Option<&'m Value>,
    ) -> Result<Self, Diagnostic> {
        // No schema: the plugin takes no options of this kind.
        let no_options = serde_json::json!({ "type": "object", "additionalProperties": false });
        let validator = jsonschema::validator_for(schema.unwrap_or(&no_options)).map_err(|e| {
            Diagnostic::error(
                "GW2012",
                format!(
                    "plugin {} declares an unusable {call} option schema: {e}",
                    manifest.name
                ),
                "report this to the plugin's author",
            )
        })?;
        Ok(Checker {
            manifest,
            call,
            validator,
            properties: schema
                .and_then(|s| s.get("properties"))
                .and_then(Value::as_object),
        })
    }

    fn check(&self, options: &Options, fallback: Option<Span>) -> Vec<Diagnostic> {
        let instance: Map<String, Value> = options
            .iter()
            .map(|(key, option)| (key.clone(), option.value.to_json()))
            .collect();
        let instance = Value::Object(instance);
        let span_of = |key: &str| options.get(key).and_then(|o| o.span).or(fallback);
        let mut found = Vec::new();
        for error in self.validator.iter_errors(&instance) {
            if let jsonschema::error::ValidationErrorKind::AdditionalProperties { unexpected } =
                error.kind()
                && error.instance_path().as_str().is_empty()
            {
                for key in unexpected {
                    found.push(self.unknown(key).at(span_of(key)));
                }
                continue;
            }
            let path: Vec<String> = error
                .instance_path()
                .iter()
                .map(|s| s.to_string())
                .collect();
            let key = path.first().cloned().unwrap_or_default();
            // `additionalProperties: false` without `properties` fails the whole map as a false
            // schema: every key it holds is unknown.
            if path.len() <= 1
                && matches!(
                    error.kind(),
                    jsonschema::error::ValidationErrorKind::FalseSchema
                )
            {
                let names = self.names();
                let unknown: Vec<&String> = if path.len() == 1 {
                    vec![&key]
                } else {
                    options
                        .keys()
                        .filter(|k| !names.contains(&k.as_str()))
                        .collect()
                };
                found.extend(unknown.into_iter().map(|k| self.unknown(k).at(span_of(k))));
                continue;
            }
            let diagnostic = self
                .invalid(&key, &error.masked().to_string())
                .at(span_of(&key));
            found.push(if is_sensitive(&key) {
                diagnostic.sensitive()
            } else {
                diagnostic
            });
        }
        found
    }

    fn names(&self) -> Vec<&str> {
        self.properties
            .map(|p| p.keys().map(String::as_str).collect())
            .unwrap_or_default()
    }

    fn unknown(&self, key: &str) -> Diagnostic {
        let names = self.names();
        let kind = &self.manifest.gateway_kind;
        let help = match (
            gwscript_plugin::suggest::nearest(key, names.iter().copied()),
            names.is_empty(),
        ) {
            (Some(near), _) => {
                format!("did you mean `{near}`? `gwscript plugins info {kind}` lists every option")
            }
            (None, true) => format!("the {kind} plugin takes no {} options", self.call),
            (None, false) => format!("{} options of {kind}: {}", self.call, names.join(", ")),
        };
        Diagnostic::error(
            "GW1013",
            format!(
                "{} has no option `{}` for gateway kind \"{kind}\"",
                self.call,
                key.escape_debug()
            ),
            help,
        )
    }

    fn invalid(&self, key: &str, problem: &str) -> Diagnostic {
        let described = self
            .properties
            .and_then(|p| p.get(key))
            .and_then(|s| s.get("description"))
            .and_then(Value::as_str);
        let help = match described {
            Some(text) => format!("`{key}`: {text}"),
            None => format!(
                "`gwscript plugins info {}` shows what `{key}` takes",
                self.manifest.gateway_kind
            ),
        };
        Diagnostic::error(
            "GW1014",
            format!(
                "{} option `{}` is not valid for gateway kind \"{}\": {problem}",
                self.call,
                key.escape_debug(),
                self.manifest.gateway_kind
            ),
            help,
        )
    }
}

fn is_sensitive(key: &str) -> bool {
    let lower = key.to_ascii_lowercase();
    SENSITIVE_WORDS.iter().any(|w| lower.contains(w))
}

#[cfg(test)]
mod tests {
    use super::*;
    use gwscript_plugin::schema;
    use gwscript_plugin::testing::{
        anthropic, gateway, literal, secret, with_gateway_option, with_routing,
    };

    fn manifest(gateway_options: Option<Value>, deployment_options: Option<Value>) -> Manifest {
        Manifest {
            gateway_options,
            deployment_options,
            ..gwscript_plugin::testing::manifest("acme")
        }
    }

    fn acme() -> Manifest {
        manifest(
            Some(schema::object(
                [
                    ("master_key", schema::string_or_secret()),
                    (
                        "drop_params",
                        schema::described(schema::boolean(), "drop what the backend rejects"),
                    ),
                    ("callbacks", schema::list_of(schema::string())),
                ],
                &[],
            )),
            Some(schema::object([("order", schema::integer(1))], &[])),
        )
    }

    fn findings(options: &[(&str, gwscript_plugin::model::Param)]) -> Vec<Diagnostic> {
        let mut gw = gateway("acme", vec![anthropic("claude-sonnet-4-5", "m")], vec![]);
        for (key, value) in options {
            gw = with_gateway_option(gw, key, value.clone());
        }
        validate_options(&gw, &acme())
    }

    #[test]
    fn declared_options_of_the_declared_types_pass() {
        let ok = findings(&[
            ("master_key", secret("ACME_KEY")),
            ("drop_params", literal(false)),
            (
                "callbacks",
                gwscript_plugin::testing::list([literal("prometheus")]),
            ),
        ]);
        assert_eq!(ok, []);
    }

    #[test]
    fn an_unknown_option_is_named_at_its_key_with_a_suggestion() {
        let found = findings(&[("drop_param", literal(true))]);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].code, "GW1013");
        assert!(
            found[0].message.contains("`drop_param`"),
            "{}",
            found[0].message
        );
        assert!(
            found[0].help.starts_with("did you mean `drop_params`?"),
            "{}",
            found[0].help
        );
        assert!(
            found[0].span.is_some_and(|s| s.line >= 100),
            "the option's own span"
        );
    }

    #[test]
    fn a_value_of_the_wrong_type_is_refused_without_echoing_it() {
        let found = findings(&[
            ("drop_params", literal("false")),
            ("master_key", literal(5)),
        ]);
        let codes: Vec<&str> = found.iter().map(|d| d.code.as_str()).collect();
        assert_eq!(codes, ["GW1014", "GW1014"]);
        let drop = found
            .iter()
            .find(|d| d.message.contains("drop_params"))
            .expect("named");
        assert_eq!(drop.help, "`drop_params`: drop what the backend rejects");
        assert!(!drop.message.contains("\"false\""), "{}", drop.message);
        assert!(
            found
                .iter()
                .any(|d| d.message.contains("master_key") && d.sensitive)
        );
    }

    #[test]
    fn a_plugin_without_a_schema_takes_no_options() {
        let gw = with_gateway_option(gateway("acme", vec![], vec![]), "anything", literal(1));
        let found = validate_options(&gw, &manifest(None, None));
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].help, "the acme plugin takes no gateway options");
    }

    #[test]
    fn deployment_options_are_checked_per_deployment() {
        let good = with_routing(anthropic("a", "m"), "order", literal(1));
        let bad = with_routing(anthropic("b", "m"), "order", literal(0));
        let typo = with_routing(anthropic("c", "m"), "oder", literal(1));
        let found = validate_options(&gateway("acme", vec![good, bad, typo], vec![]), &acme());
        let codes: Vec<&str> = found.iter().map(|d| d.code.as_str()).collect();
        assert_eq!(codes, ["GW1014", "GW1013"]);
        assert!(
            found[1].help.contains("did you mean `order`"),
            "{}",
            found[1].help
        );
    }

    #[test]
    fn a_monitors_options_and_deployments_are_checked_like_a_gateways() {
        let monitor = Manifest {
            roles: vec![gwscript_plugin::PluginRole::Monitor],
            client: gwscript_plugin::ClientContract::monitor_only(),
            ..acme()
        };
        let without_deployments =
            with_gateway_option(gateway("acme", vec![], vec![]), "master_kye", literal(1));
        let found = validate_options(&without_deployments, &monitor);
        assert_eq!(found.len(), 1);
        assert!(found[0].help.starts_with("did you mean `master_key`?"));
        let deployed = gateway(
            "acme",
            vec![with_routing(anthropic("a", "m"), "order", literal(0))],
            vec![],
        );
        let found = validate_options(&deployed, &monitor);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].code, "GW1014");
    }

    #[test]
    fn a_schema_that_does_not_compile_is_the_plugins_fault() {
        let broken = manifest(
            Some(serde_json::json!({ "type": "object", "$ref": "#/nowhere" })),
            None,
        );
        let gw = with_gateway_option(gateway("acme", vec![], vec![]), "x", literal(1));
        let found = validate_options(&gw, &broken);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].code, "GW2012");
    }
}
