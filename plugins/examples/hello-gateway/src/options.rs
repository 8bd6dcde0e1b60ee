//! The options `gateway("hello", #{ … })` takes besides `url`: declared as a JSON Schema, which the
//! host validates every recipe against before the plugin sees it, and read back as typed values.

use gwscript_plugin::model::Gateway;
use gwscript_plugin::schema::{boolean, described, object, secret, string};
use gwscript_plugin::serde_json::Value;

pub const GREETING: &str = "greeting";
pub const SHOUT: &str = "shout";
pub const API_KEY: &str = "api_key";

/// What the gateway answers with when the recipe gives no greeting.
pub const DEFAULT_GREETING: &str = "Hello";

/// Where the gateway reads its Anthropic key when the recipe names none.
pub const DEFAULT_API_KEY_VARIABLE: &str = "ANTHROPIC_API_KEY";

/// The schema of the gateway's options. `additionalProperties: false` (from `object`) lets the
/// host refuse a misspelt option (GW1013) and suggest the nearest of these names.
pub fn gateway_options() -> Value {
    object(
        [
            (
                GREETING,
                described(
                    string(),
                    "what the gateway answers on /hello and in the x-hello-greeting response header",
                ),
            ),
            (
                SHOUT,
                described(
                    boolean(),
                    "greet in capitals; also writes hello/shout.sh, which prints the banner",
                ),
            ),
            // Only a reference is accepted: a literal key is refused by the host (GW1014).
            (
                API_KEY,
                described(
                    secret(),
                    "secret(\"NAME\") holding the Anthropic API key the gateway forwards requests with",
                ),
            ),
        ],
        &[],
    )
}

/// The options as typed values. The host validated them against [`gateway_options`], so a value
/// of another type never gets here.
#[derive(Debug, Clone, Copy)]
pub struct HelloOptions<'a> {
    pub greeting: Option<&'a str>,
    pub shout: bool,
    /// The name of the secret holding the upstream key.
    pub api_key: &'a str,
}

impl<'a> HelloOptions<'a> {
    pub fn of(gateway: &'a Gateway) -> Self {
        HelloOptions {
            greeting: gateway.option(GREETING).and_then(|g| g.as_str()),
            shout: gateway
                .option(SHOUT)
                .and_then(|s| s.as_bool())
                .unwrap_or(false),
            api_key: gateway
                .option(API_KEY)
                .and_then(|k| k.secret_name())
                .unwrap_or(DEFAULT_API_KEY_VARIABLE),
        }
    }

    /// The greeting the gateway answers with.
    pub fn greeting(&self) -> &'a str {
        self.greeting.unwrap_or(DEFAULT_GREETING)
    }

    /// The greeting as the gateway says it: in capitals when shouting.
    pub fn banner(&self) -> String {
        if self.shout {
            self.greeting().to_uppercase()
        } else {
            self.greeting().to_owned()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use gwscript_plugin::testing::{
        assert_options_described, gateway, literal, secret, with_gateway_options,
    };

    #[test]
    fn every_option_is_described_and_no_other_is_allowed() {
        let schema = gateway_options();
        assert_eq!(schema["additionalProperties"], false);
        let properties = schema["properties"].as_object().expect("properties");
        let names: Vec<&str> = properties.keys().map(String::as_str).collect();
        assert_eq!(names, [API_KEY, GREETING, SHOUT]);
        assert_options_described(&schema);
        assert_eq!(
            schema["properties"][API_KEY]["required"],
            gwscript_plugin::serde_json::json!(["$secret"])
        );
    }

    #[test]
    fn unset_options_take_their_defaults() {
        let gw = gateway("hello", vec![], vec![]);
        let options = HelloOptions::of(&gw);
        assert_eq!(options.greeting(), DEFAULT_GREETING);
        assert!(!options.shout);
        assert_eq!(options.api_key, DEFAULT_API_KEY_VARIABLE);
        assert_eq!(options.banner(), "Hello");
    }

    #[test]
    fn set_options_are_read_by_type() {
        let gw = with_gateway_options(
            gateway("hello", vec![], vec![]),
            [
                (GREETING, literal("Grüß dich")),
                (SHOUT, literal(true)),
                (API_KEY, secret("HELLO_UPSTREAM_KEY")),
            ],
        );
        let options = HelloOptions::of(&gw);
        assert_eq!(options.greeting(), "Grüß dich");
        assert_eq!(options.banner(), "GRÜSS DICH");
        assert_eq!(options.api_key, "HELLO_UPSTREAM_KEY");
    }
}
