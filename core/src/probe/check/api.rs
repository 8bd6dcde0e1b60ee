//! The three wire formats a gateway can serve Claude Code in, and how a probe request looks in
//! each: its path under the base URL, its body, and where the API version and betas travel.

use serde_json::{Value, json};

/// The `anthropic-version` header Claude Code sends on Messages and Vertex requests.
pub const ANTHROPIC_VERSION: &str = "2023-06-01";
/// The body `anthropic_version` of Bedrock requests.
const BEDROCK_VERSION: &str = "bedrock-2023-05-31";
/// The body `anthropic_version` of Vertex requests.
const VERTEX_VERSION: &str = "vertex-2023-10-16";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Api {
    /// `POST {base}/v1/messages?beta=true` (`ANTHROPIC_BASE_URL`).
    Messages,
    /// `POST {base}/model/{id}/invoke[-with-response-stream]` (`ANTHROPIC_BEDROCK_BASE_URL`).
    Bedrock,
    /// `POST {base}/projects/{p}/locations/{r}/publishers/anthropic/models/{m}:[stream]rawPredict`
    /// (`ANTHROPIC_VERTEX_BASE_URL`, which ends in `/v1`).
    Vertex,
}

/// Where a Vertex request goes: project and region are part of its path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VertexPlace {
    pub project: String,
    pub region: String,
}

impl Api {
    pub fn name(self) -> &'static str {
        match self {
            Api::Messages => "Messages",
            Api::Bedrock => "Bedrock",
            Api::Vertex => "Vertex",
        }
    }

    /// The model id Claude Code would send in this format when none is given.
    pub fn default_model(self) -> &'static str {
        match self {
            Api::Messages => "claude-sonnet-4-5",
            Api::Bedrock => "us.anthropic.claude-sonnet-4-5-20250929-v1:0",
            Api::Vertex => "claude-sonnet-4-5@20250929",
        }
    }

    /// The prompt request's path and query under the base URL.
    pub fn path(self, model: &str, vertex: &VertexPlace, stream: bool) -> String {
        match self {
            Api::Messages => "/v1/messages?beta=true".to_owned(),
            Api::Bedrock => {
                let action = if stream {
                    "invoke-with-response-stream"
                } else {
                    "invoke"
                };
                format!("/model/{}/{action}", path_segment(model))
            }
            Api::Vertex => {
                let action = if stream {
                    "streamRawPredict"
                } else {
                    "rawPredict"
                };
                format!(
                    "/projects/{}/locations/{}/publishers/anthropic/models/{}:{action}",
                    path_segment(&vertex.project),
                    path_segment(&vertex.region),
                    path_segment(model)
                )
            }
        }
    }

    /// Whether the `anthropic-version` header goes out (Bedrock takes it in the body only).
    pub fn sends_version_header(self) -> bool {
        self != Api::Bedrock
    }

    /// Whether betas travel in the `anthropic-beta` header (Bedrock: the body's `anthropic_beta`).
    pub fn betas_in_header(self) -> bool {
        self != Api::Bedrock
    }

    /// The body of a prompt request in this format: the Messages body Claude Code builds, with
    /// the model moved to the path and the version into the body where the format wants it.
    pub fn body(self, model: &str, mut messages: Value, stream: bool, betas: &[&str]) -> Value {
        match self {
            Api::Messages => {
                messages["model"] = json!(model);
                messages["stream"] = json!(stream);
            }
            Api::Bedrock => {
                // The route says whether to stream; the body carries version and betas.
                messages["anthropic_version"] = json!(BEDROCK_VERSION);
                if !betas.is_empty() {
                    messages["anthropic_beta"] = json!(betas);
                }
            }
            Api::Vertex => {
                messages["anthropic_version"] = json!(VERTEX_VERSION);
                messages["stream"] = json!(stream);
            }
        }
        messages
    }
}

/// `text` safe to put in one path segment: what is not unreserved is percent-encoded, except
/// `:` and `@`, which Bedrock profile ids and Vertex model versions hold and gateways route on.
/// A segment of dots alone is encoded too: URL parsing would resolve `..` away.
fn path_segment(text: &str) -> String {
    let dots_only = text.bytes().all(|b| b == b'.');
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if (byte.is_ascii_alphanumeric() || b"-._~:@".contains(&byte)) && !dots_only {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn place() -> VertexPlace {
        VertexPlace {
            project: "p".to_owned(),
            region: "us-east5".to_owned(),
        }
    }

    #[test]
    fn paths_are_the_ones_claude_code_requests() {
        assert_eq!(
            Api::Messages.path("m", &place(), true),
            "/v1/messages?beta=true"
        );
        assert_eq!(
            Api::Bedrock.path(Api::Bedrock.default_model(), &place(), true),
            "/model/us.anthropic.claude-sonnet-4-5-20250929-v1:0/invoke-with-response-stream"
        );
        assert_eq!(
            Api::Vertex.path(Api::Vertex.default_model(), &place(), false),
            "/projects/p/locations/us-east5/publishers/anthropic/models/claude-sonnet-4-5@20250929:rawPredict"
        );
    }

    #[test]
    fn a_hostile_model_cannot_leave_its_segment() {
        assert_eq!(
            Api::Bedrock.path("../x?y#z/", &place(), false),
            "/model/..%2Fx%3Fy%23z%2F/invoke"
        );
        assert_eq!(
            Api::Bedrock.path("..", &place(), false),
            "/model/%2E%2E/invoke"
        );
    }

    #[test]
    fn version_and_betas_travel_where_each_format_wants_them() {
        let bedrock = Api::Bedrock.body("m", json!({}), true, &["b1"]);
        assert_eq!(
            bedrock,
            json!({ "anthropic_version": BEDROCK_VERSION, "anthropic_beta": ["b1"] })
        );
        let vertex = Api::Vertex.body("m", json!({}), true, &["b1"]);
        assert_eq!(
            vertex,
            json!({ "anthropic_version": VERTEX_VERSION, "stream": true })
        );
        let messages = Api::Messages.body("m", json!({}), false, &["b1"]);
        assert_eq!(messages, json!({ "model": "m", "stream": false }));
    }
}
