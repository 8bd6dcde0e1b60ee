//! The minimum of Vertex AI a gateway's Vertex route needs upstream: Claude on Vertex's
//! `POST /v1/projects/{project}/locations/{location}/publishers/anthropic/models/{model}:rawPredict`
//! (and `:streamRawPredict`), answered like `/v1/messages` for the model named in the path, and
//! Google's OAuth token endpoint, `POST /token`, so a gateway holding a service-account key whose
//! `token_uri` points at the mock gets an access token without Google.

use super::anthropic::{self, Anthropic, Framing};
use super::request::MessagesRequest;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{Method, Uri};
use axum::response::{IntoResponse, Json, Response};
use axum::routing::post;
use serde_json::json;
use std::sync::Arc;

/// The access token the mock's token endpoint issues; upstream requests that carry it were
/// signed with a token from the mock.
const ACCESS_TOKEN: &str = "ya29.gwscript-mock-access-token";

/// The predict actions Claude Code calls, as the suffix of the model segment.
const ACTIONS: [&str; 2] = ["rawPredict", "streamRawPredict"];

pub(super) fn router(state: Arc<Anthropic>) -> Router {
    Router::new()
        .route(
            "/v1/projects/{project}/locations/{location}/publishers/anthropic/models/{model}",
            post(raw_predict),
        )
        .route("/token", post(token))
        .with_state(state)
}

async fn raw_predict(
    State(mock): State<Arc<Anthropic>>,
    Path((_project, _location, model_action)): Path<(String, String, String)>,
    method: Method,
    uri: Uri,
    body: Bytes,
) -> Response {
    let Some((model, _)) = model_action
        .split_once(':')
        .filter(|(_, action)| ACTIONS.contains(action))
    else {
        return anthropic::not_found(method, uri).await;
    };
    let Some(request) = MessagesRequest::parse(&body) else {
        return anthropic::not_an_object();
    };
    // Vertex takes the API version in the body; the model comes from the path.
    if !request.anthropic_version {
        return anthropic::no_anthropic_version();
    }
    let stream = request.stream.then_some(Framing::Sse);
    mock.answer(model, &request, body.len(), stream).await
}

/// Google's answer to a token request; the grant itself (a signed JWT) is not checked.
async fn token() -> Response {
    Json(json!({
        "access_token": ACCESS_TOKEN,
        "expires_in": 3600,
        "token_type": "Bearer",
    }))
    .into_response()
}
