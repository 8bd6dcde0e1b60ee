//! The real LiteLLM proxy (installed with the peers), started by a recipe's emitted
//! `litellm/start.sh` with a clean environment, offline, on loopback.

use crate::emit::Emitted;
use crate::process::Proc;
use crate::tool::SYSTEM_PATH;
use crate::{http_client, peers, poll_until};
use std::process::Command;
use std::time::Duration;

/// A cold LiteLLM start on a shared two-core machine.
pub const READY_TIMEOUT: Duration = Duration::from_secs(120);

/// Runs `emitted`'s `litellm/start.sh` with only `env` (the variables its config reads, and any
/// the test adds) besides HOME, PATH and the offline switches, and waits until the proxy answers
/// its liveness route on `port`.
pub fn start(emitted: &Emitted, port: u16, env: &[(&str, &str)]) -> Proc {
    let home = emitted.dir().join("home-litellm");
    std::fs::create_dir_all(&home)
        .unwrap_or_else(|e| panic!("cannot create {}: {e}", home.display()));
    let mut command = Command::new("bash");
    command
        .arg(emitted.out("litellm/start.sh"))
        .current_dir(emitted.dir())
        .env_clear()
        .env("HOME", &home)
        .env(
            "PATH",
            format!("{}:{SYSTEM_PATH}", peers().litellm_bin_dir.display()),
        )
        // Offline: LiteLLM would otherwise fetch its cost map and beta-header table at start.
        .env("LITELLM_LOCAL_MODEL_COST_MAP", "True")
        .env("LITELLM_LOCAL_ANTHROPIC_BETA_HEADERS", "True")
        .envs(env.iter().copied());
    let mut litellm = Proc::spawn("litellm", command);
    wait_until_live(&mut litellm, port);
    litellm
}

fn wait_until_live(litellm: &mut Proc, port: u16) {
    let url = format!("http://127.0.0.1:{port}/health/liveliness");
    let client = http_client();
    let live = poll_until(READY_TIMEOUT, Duration::from_millis(250), || {
        if client
            .get(&url)
            .send()
            .is_ok_and(|r| r.status().is_success())
        {
            return Some(true);
        }
        // A dead proxy never becomes live: stop waiting instead of running into the timeout.
        litellm.try_status().map(|_| false)
    });
    assert!(
        live == Some(true),
        "LiteLLM did not become live at {url} within {READY_TIMEOUT:?}\n{}",
        litellm.diagnostics()
    );
}
