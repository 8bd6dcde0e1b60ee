#!/usr/bin/env bash
# The whole test suite, from a fresh clone: installs the pinned peers (LiteLLM, Claude Code,
# nginx, decK and the validators), builds every artifact the tests load (the gwscript binary, the
# plugin libraries and the refusal fixtures), then runs every test in the workspace and the
# out-of-tree example plugin's own tests.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash tests/peers/install.sh
cargo build --locked --workspace --all-targets
cargo test --locked --workspace
# The out-of-tree example plugin has its own workspace; its unit tests run as an outsider's would.
cargo test --locked --manifest-path plugins/examples/hello-gateway/Cargo.toml --target-dir target/hello-gateway
