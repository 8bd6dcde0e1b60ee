//! Claude on Amazon Bedrock as Claude Code calls it: `POST /model/{id}/invoke` (one Messages
//! response), `POST /model/{id}/invoke-with-response-stream` (the Messages events in AWS
//! event-stream chunks) and `GET /inference-profiles`, which Claude Code asks once at start.

use super::anthropic::{self, Anthropic, Framing};
use super::request::MessagesRequest;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Json, Response};
use axum::routing::{get, post};
use serde_json::json;
use std::sync::Arc;

/// The profile ids `GET /inference-profiles` lists.
const PROFILES: [&str; 2] = [
    "us.anthropic.claude-sonnet-4-5-20250929-v1:0",
    "us.anthropic.claude-haiku-4-5-20251001-v1:0",
];

pub(super) fn router(state: Arc<Anthropic>) -> Router {
    Router::new()
        .route("/model/{id}/invoke", post(invoke))
        .route(
            "/model/{id}/invoke-with-response-stream",
            post(invoke_with_response_stream),
        )
        .route("/inference-profiles", get(inference_profiles))
        .with_state(state)
}

async fn invoke(state: State<Arc<Anthropic>>, id: Path<String>, body: Bytes) -> Response {
    answer(state, id, body, None).await
}

async fn invoke_with_response_stream(
    state: State<Arc<Anthropic>>,
    id: Path<String>,
    body: Bytes,
) -> Response {
    answer(state, id, body, Some(Framing::EventStream)).await
}

/// Bedrock takes the API version (and betas) in the body, the model from the path, and whether
/// to stream from the route.
async fn answer(
    State(mock): State<Arc<Anthropic>>,
    Path(model): Path<String>,
    body: Bytes,
    stream: Option<Framing>,
) -> Response {
    let Some(request) = MessagesRequest::parse(&body) else {
        return anthropic::not_an_object();
    };
    if !request.anthropic_version {
        return anthropic::no_anthropic_version();
    }
    mock.answer(&model, &request, body.len(), stream).await
}

async fn inference_profiles() -> Response {
    let summaries: Vec<_> = PROFILES
        .iter()
        .map(|id| {
            json!({
                "inferenceProfileId": id,
                "inferenceProfileName": id,
                "inferenceProfileArn":
                    format!("arn:aws:bedrock:us-east-1:000000000000:inference-profile/{id}"),
                "status": "ACTIVE",
                "type": "SYSTEM_DEFINED",
                "models": [],
            })
        })
        .collect();
    Json(json!({ "inferenceProfileSummaries": summaries })).into_response()
}
