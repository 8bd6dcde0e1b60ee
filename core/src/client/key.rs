//! Where Claude Code's credential comes from, decided once for the checks and the files.

use gwscript_plugin::model::{Param, ProviderKind, Setup};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeySource<'a> {
    /// A command the apiKeyHelper runs (a secret manager's CLI, say).
    Command(&'a str),
    /// The named secret, read from the environment.
    Secret(&'a str),
}

/// The helper command first, then the gateway token, then (without a gateway) the Anthropic
/// provider's key, each only when given by reference.
pub fn key_source(setup: &Setup) -> Option<KeySource<'_>> {
    let client = &setup.client;
    if let Some(command) = client
        .api_key_helper
        .as_ref()
        .and_then(|h| h.command.as_deref())
    {
        return Some(KeySource::Command(command));
    }
    if let Some(token) = &client.auth_token {
        return Some(KeySource::Secret(&token.secret));
    }
    let provider = setup
        .provider
        .as_ref()
        .filter(|p| p.kind == ProviderKind::Anthropic)?;
    provider
        .option("api_key")
        .and_then(Param::secret_name)
        .map(KeySource::Secret)
}
