//! The mock's HTTP service: every request but an inspection is buffered and recorded once, then
//! `POST /v1/messages` is answered straight away and everything else goes through the router.
//! The Messages route is the one gateways and the throughput benchmark hammer; answering it
//! without the router's matching, extensions and boxed services made the mock about a quarter
//! faster there.

use super::anthropic::{self, Anthropic};
use super::record::{self, INSPECTION_PREFIX, Recorder};
use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::{Method, Request};
use axum::response::Response;
use hyper::body::Incoming;
use hyper_util::service::TowerToHyperService;
use std::convert::Infallible;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

/// One clone per connection; every clone shares the same routes and records.
#[derive(Clone)]
pub(super) struct MockService(Arc<Routes>);

struct Routes {
    anthropic: Arc<Anthropic>,
    recorder: Recorder,
    read_timeout: Duration,
    /// Every route, `POST /v1/messages` included (its other methods get the router's 405).
    router: TowerToHyperService<Router>,
}

impl MockService {
    pub(super) fn new(
        anthropic: Arc<Anthropic>,
        recorder: Recorder,
        read_timeout: Duration,
        router: Router,
    ) -> MockService {
        MockService(Arc::new(Routes {
            anthropic,
            recorder,
            read_timeout,
            router: TowerToHyperService::new(router),
        }))
    }
}

type Answer = Pin<Box<dyn Future<Output = Result<Response, Infallible>> + Send>>;

impl hyper::service::Service<Request<Incoming>> for MockService {
    type Response = Response;
    type Error = Infallible;
    type Future = Answer;

    fn call(&self, request: Request<Incoming>) -> Answer {
        let routes = Arc::clone(&self.0);
        Box::pin(async move { Ok(routes.answer(request).await) })
    }
}

impl Routes {
    async fn answer(&self, request: Request<Incoming>) -> Response {
        let (parts, body) = request.into_parts();
        let body = Body::new(body);
        if parts.uri.path().starts_with(INSPECTION_PREFIX) {
            return self.route(Request::from_parts(parts, body)).await;
        }
        let bytes = match record::buffer_and_record(&self.recorder, self.read_timeout, &parts, body)
            .await
        {
            Ok(bytes) => bytes,
            Err(refused) => return refused,
        };
        if parts.method == Method::POST && parts.uri.path() == anthropic::MESSAGES_PATH {
            return anthropic::messages(State(Arc::clone(&self.anthropic)), bytes).await;
        }
        self.route(Request::from_parts(parts, Body::from(bytes)))
            .await
    }

    async fn route(&self, request: Request<Body>) -> Response {
        use hyper::service::Service;
        match self.router.call(request).await {
            Ok(response) => response,
            Err(never) => match never {},
        }
    }
}
