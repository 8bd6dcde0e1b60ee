//! A setup resolved for rendering: the server, both URLs parsed, the credential references and
//! the model Claude Code sends. The checks have refused every setup this could fail on, so a
//! failure here means a check is missing and is reported as a render error, not written out.

use crate::options::{self, Options, Server};
use crate::probes::Probes;
use crate::routes::{Route, routes};
use crate::url::HttpUrl;
use crate::{checklist, kong, nginx};
use gwscript_plugin::Setup;
use gwscript_plugin::model::Gateway;
use serde_json::Value;

/// The model the verification commands request when the recipe names none.
const FALLBACK_MODEL: &str = "claude-sonnet-4-5";

#[derive(Debug)]
pub struct Plan<'a> {
    pub setup: &'a Setup,
    pub gateway: &'a Gateway,
    pub options: Options<'a>,
    pub gateway_url: HttpUrl,
    pub upstream: HttpUrl,
    pub upstream_key: Option<&'a str>,
    pub gateway_token: Option<&'a str>,
}

impl<'a> Plan<'a> {
    pub fn new(setup: &'a Setup, gateway: &'a Gateway) -> Result<Self, String> {
        let options = Options::of(gateway);
        let parse = |what: &str, url: &str| {
            HttpUrl::parse(url).map_err(|why| format!("the {what} {url:?} is unusable: {why}"))
        };
        Ok(Plan {
            setup,
            gateway,
            options,
            gateway_url: parse("gateway url", &gateway.url)?,
            upstream: parse("upstream", options.upstream())?,
            upstream_key: options::upstream_key(gateway),
            gateway_token: options::gateway_token(setup, gateway),
        })
    }

    pub fn server(&self) -> Server {
        self.options.server()
    }

    /// The model id Claude Code sends: its main model, else the first model group.
    pub fn model(&self) -> Option<&'a str> {
        self.setup
            .client
            .model
            .as_ref()
            .map(|m| m.value.as_str())
            .or_else(|| self.gateway.model_groups().first().copied())
    }

    pub fn routes(&self) -> Vec<Route> {
        routes(&self.gateway_url, &self.upstream)
    }

    pub fn probes(&self) -> Probes {
        Probes::new(
            &self.gateway.url,
            self.gateway_token,
            self.model().unwrap_or(FALLBACK_MODEL),
        )
    }

    /// The template context for the chosen server.
    pub fn context(&self) -> Result<Value, String> {
        let missing = |what: &str| format!("the {} gateway has no {what}", self.server().name());
        match self.server() {
            Server::Nginx => nginx::context(
                self.options,
                &self.gateway_url,
                &self.upstream,
                nginx::Credentials {
                    upstream_key: self.upstream_key.ok_or_else(|| missing("upstream key"))?,
                    gateway_token: self.gateway_token.ok_or_else(|| missing("gateway token"))?,
                },
            ),
            Server::Kong => Ok(kong::context(
                self.options,
                &self.gateway_url,
                &self.upstream,
                self.upstream_key.ok_or_else(|| missing("upstream key"))?,
                self.gateway_token.ok_or_else(|| missing("gateway token"))?,
                self.setup
                    .client
                    .model
                    .as_ref()
                    .map(|m| m.value.as_str())
                    .ok_or_else(|| missing("model for ai-proxy"))?,
            )),
            Server::Checklist => Ok(checklist::context(
                self.options,
                &self.gateway_url,
                &self.upstream,
                self.upstream_key,
                &self.probes(),
            )),
        }
    }
}
