#!/usr/bin/env bash
# The whole test suite, from a fresh clone: installs the pinned peers (LiteLLM, Claude Code),
# builds every artifact the tests load (the gwscript binary, the plugin libraries and the
# refusal fixtures), then runs every test in the workspace.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash tests/peers/install.sh
cargo build --locked --workspace --all-targets
cargo test --locked --workspace
