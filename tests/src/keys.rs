//! Throwaway keys for tests, made by Debian's openssl: nothing real is ever signed with them.

use crate::tool::{TOOL_TIMEOUT, installed, run_tool};
use std::path::Path;
use std::process::Command;

/// A fresh 2048-bit RSA private key written to `path` as PEM, and its text (for a service-account
/// file, whose `private_key` holds it).
pub fn rsa_private_key(path: &Path) -> String {
    let mut genpkey = Command::new(installed("/usr/bin/openssl"));
    genpkey
        .args([
            "genpkey",
            "-algorithm",
            "RSA",
            "-pkeyopt",
            "rsa_keygen_bits:2048",
            "-out",
        ])
        .arg(path)
        .env_clear();
    let ran = run_tool("openssl genpkey", genpkey, TOOL_TIMEOUT);
    assert!(ran.success(), "{}", ran.diagnostics());
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}
