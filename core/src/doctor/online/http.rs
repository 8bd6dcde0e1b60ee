//! The gateway's HTTP answers, through reqwest with doctor's TLS configuration, along the route
//! Claude Code would take (the proxy, unless `NO_PROXY` covers the gateway). Redirects are not
//! followed: Claude Code's requests are not either, and a login page's 302 is an answer to report.

use super::connect::{Route, TIMEOUT};
use rustls::ClientConfig;

/// A status, or why there was none.
pub type Answer = Result<u16, String>;

#[derive(Debug)]
pub struct Http {
    runtime: tokio::runtime::Runtime,
    client: reqwest::Client,
}

impl Http {
    pub fn new(tls: &ClientConfig, route: &Route<'_>) -> Result<Http, String> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| e.to_string())?;
        // The client's connector starts its timers in the runtime it is built in.
        let _entered = runtime.enter();
        let mut builder = reqwest::Client::builder()
            .no_proxy()
            .connect_timeout(TIMEOUT)
            .timeout(TIMEOUT)
            .redirect(reqwest::redirect::Policy::none())
            .tls_backend_preconfigured(tls.clone());
        if let Route::Via(proxy) = route {
            let proxy = reqwest::Proxy::all(&proxy.url).map_err(|e| cause(&e))?;
            builder = builder.proxy(proxy);
        }
        let client = builder.build().map_err(|e| cause(&e))?;
        drop(_entered);
        Ok(Http { runtime, client })
    }

    /// `GET url`, with `header` (name, value) when given: the status, or why there is none.
    pub fn get(&self, url: &str, header: Option<(&str, &str)>) -> Answer {
        let mut request = self.client.get(url);
        if let Some((name, value)) = header {
            request = request.header(name, value);
        }
        self.runtime
            // Sending starts the timeout's timer: inside the runtime.
            .block_on(async { request.send().await })
            .map(|response| response.status().as_u16())
            .map_err(|e| {
                if e.is_timeout() {
                    format!("no answer within {} s", TIMEOUT.as_secs())
                } else {
                    cause(&e)
                }
            })
    }
}

/// The innermost cause of a reqwest error ("Connection refused (os error 111)"), which names
/// neither the URL nor its credentials.
fn cause(error: &(dyn std::error::Error + 'static)) -> String {
    let mut inner = error;
    while let Some(source) = inner.source() {
        inner = source;
    }
    inner.to_string()
}
