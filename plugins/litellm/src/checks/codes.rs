//! The diagnostic codes this plugin emits. Each has a page `book/src/diagnostics/<code>.md`;
//! codes are never reused for another meaning.

pub const CIRCULAR_FALLBACK: &str = "GW4001";
pub const FALLBACK_TO_UNSERVED_GROUP: &str = "GW4002";
pub const UNKNOWN_ROUTING_STRATEGY: &str = "GW4003";
pub const UNKNOWN_PROVIDER_PREFIX: &str = "GW4004";
pub const LITERAL_SECRET: &str = "GW4005";
pub const CLIENT_MODEL_NOT_SERVED: &str = "GW4006";
pub const BEDROCK_WITHOUT_REGION: &str = "GW4007";
pub const VERTEX_WITHOUT_PROJECT_OR_LOCATION: &str = "GW4008";
pub const MIXED_ORDERED_AND_UNORDERED: &str = "GW4009";
pub const NO_MASTER_KEY: &str = "GW4010";
pub const UNKNOWN_PROVIDER_OPTION: &str = "GW4011";
pub const UNKNOWN_GATEWAY_OPTION: &str = "GW4012";
pub const DUPLICATE_DEPLOYMENT: &str = "GW4013";

#[cfg(test)]
pub const ALL: &[&str] = &[
    CIRCULAR_FALLBACK,
    FALLBACK_TO_UNSERVED_GROUP,
    UNKNOWN_ROUTING_STRATEGY,
    UNKNOWN_PROVIDER_PREFIX,
    LITERAL_SECRET,
    CLIENT_MODEL_NOT_SERVED,
    BEDROCK_WITHOUT_REGION,
    VERTEX_WITHOUT_PROJECT_OR_LOCATION,
    MIXED_ORDERED_AND_UNORDERED,
    NO_MASTER_KEY,
    UNKNOWN_PROVIDER_OPTION,
    UNKNOWN_GATEWAY_OPTION,
    DUPLICATE_DEPLOYMENT,
];
