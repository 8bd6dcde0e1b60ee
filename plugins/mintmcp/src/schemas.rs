//! The option schemas the manifest declares. The host validates every recipe's gateway options
//! against them (unknown keys, wrong types) before the plugin is called, in either role. MintMCP takes no
//! deployment options: it has no public configuration gwscript could write them into.

use crate::hooks::Event;
use gwscript_plugin::schema::{
    boolean, described, list_of, object, one_of_strings, string, string_matching, string_or_secret,
};
use serde_json::{Value, json};

/// The map given to `gateway("mintmcp", #{ … })`, without `url`.
pub fn gateway_options() -> Value {
    let event_names: Vec<&str> = Event::ALL.iter().map(|event| event.name()).collect();
    let mut events = list_of(one_of_strings(&event_names));
    events["minItems"] = json!(1);
    events["uniqueItems"] = json!(true);
    object(
        [
            (
                "events_url",
                described(
                    string_matching("^https?://[^/]"),
                    "MINTMCP_BASE_URL, where the hook posts events; default: a monitor's url, \
                     or https://app.mintmcp.com when MintMCP is the gateway",
                ),
            ),
            (
                // A literal passes the schema so GW4301 can say why it is refused.
                "org_key",
                described(
                    string_or_secret(),
                    "secret(\"NAME\") holding the MintMCP org key, exported to Claude Code as \
                     MINTMCP_ORG_KEY; default secret(\"MINTMCP_ORG_KEY\")",
                ),
            ),
            (
                "events_path",
                described(
                    string(),
                    "path below MINTMCP_BASE_URL the hook posts to, with {org_key} and {user} \
                     filled in; default /h/{org_key},{user}/claudecode (MintMCP's own hooks)",
                ),
            ),
            (
                "org_key_header",
                described(
                    string_matching("^[A-Za-z0-9-]+$"),
                    "also send the org key in this request header (unverified: MintMCP \
                     documents none)",
                ),
            ),
            (
                "hook_path",
                described(
                    json!({ "type": "string", "minLength": 1 }),
                    "absolute path the hook script is installed at; default beside the \
                     settings of the recipe's scope",
                ),
            ),
            (
                "event_timeout",
                described(
                    json!({ "type": "number", "exclusiveMinimum": 0, "maximum": 60 }),
                    "seconds one event may take to post before the hook gives up; default 5",
                ),
            ),
            (
                "events",
                described(
                    events,
                    "the hook events posted; default all of PreToolUse, PostToolUse, \
                     UserPromptSubmit",
                ),
            ),
            (
                "enforce",
                described(
                    boolean(),
                    "block the tool call or prompt (hook exit 2) when an event cannot be \
                     delivered; default false",
                ),
            ),
        ],
        &[],
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use gwscript_plugin::testing::assert_options_described;

    fn accepts(instance: Value) -> bool {
        jsonschema::validator_for(&gateway_options())
            .expect("the schema compiles")
            .is_valid(&instance)
    }

    #[test]
    fn the_schema_is_valid_json_schema_and_describes_every_option() {
        let schema = gateway_options();
        assert!(jsonschema::meta::is_valid(&schema), "{schema}");
        assert_options_described(&schema);
    }

    #[test]
    fn accepts_what_the_example_recipe_sends() {
        assert!(accepts(json!({})));
        assert!(accepts(json!({
            "events_url": "https://app.mintmcp.com",
            "org_key": { "$secret": "MINTMCP_ORG_KEY" },
            "events_path": "/h/{org_key},{user}/claudecode",
            "org_key_header": "X-MintMCP-Org-Key",
            "hook_path": "/etc/claude-code/mintmcp-hook.sh",
            "event_timeout": 2.5,
            "events": ["PreToolUse", "UserPromptSubmit"],
            "enforce": false,
        })));
        // Refused by GW4301, not by the schema, so the message can say why.
        assert!(accepts(json!({ "org_key": "mint-live-key" })));
    }

    #[test]
    fn refuses_wrong_types_and_unknown_keys() {
        for refused in [
            json!({ "events_url": "app.mintmcp.com" }),
            json!({ "events_url": "https:///x" }),
            json!({ "org_key": { "$secret": "not a name" } }),
            json!({ "org_key_header": "X Org Key" }),
            json!({ "org_key_header": "X-Key: evil" }),
            json!({ "hook_path": "" }),
            json!({ "event_timeout": 0 }),
            json!({ "event_timeout": 600 }),
            json!({ "events": [] }),
            json!({ "events": ["Stop"] }),
            json!({ "events": ["PreToolUse", "PreToolUse"] }),
            json!({ "enforce": "yes" }),
            json!({ "master_key": { "$secret": "X" } }),
        ] {
            assert!(!accepts(refused.clone()), "accepted {refused}");
        }
    }
}
