//! Refusal fixture (GW2012): a well-formed plugin whose `gateway_options` is not a valid JSON
//! Schema (`no-such-type` is not a JSON type). The host must refuse it at load, not fail on the
//! first recipe that uses the gateway.

mod fixture;

use fixture::{Fixture, NoChecks};
use gwscript_plugin::{Manifest, declare_plugin};

struct BadSchema;

impl Fixture for BadSchema {
    fn manifest() -> Manifest {
        Manifest {
            gateway_options: Some(serde_json::json!({
                "type": "object",
                "properties": { "port": { "type": "no-such-type" } },
            })),
            ..fixture::manifest(
                "bad-option-schema",
                "bad-option-schema",
                "Bad option schema",
                "declares gateway options with a schema that is not a JSON Schema",
            )
        }
    }
}

declare_plugin!(NoChecks<BadSchema>);
