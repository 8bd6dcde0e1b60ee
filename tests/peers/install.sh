#!/usr/bin/env bash
# Installs the real peers the end-to-end tests drive, pinned, under target/peers/.
# Idempotent: a peer whose stamp matches its pinned version is left alone.
set -euo pipefail

LITELLM_VERSION="1.102.4"
CLAUDE_CODE_VERSION="2.1.197"

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
peers="${GWSCRIPT_PEERS_DIR:-$root/target/peers}"
mkdir -p "$peers"

install_litellm() {
    local venv="$peers/litellm-venv" stamp="$peers/litellm-venv/.gwscript-version"
    if [[ -f "$stamp" && "$(cat "$stamp")" == "$LITELLM_VERSION" ]]; then
        return
    fi
    echo "peers: installing litellm[proxy]==$LITELLM_VERSION into $venv" >&2
    rm -rf "$venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check "litellm[proxy]==$LITELLM_VERSION"
    echo "$LITELLM_VERSION" >"$stamp"
}

install_claude_code() {
    local dir="$peers/claude-code" stamp="$peers/claude-code/.gwscript-version"
    if [[ -f "$stamp" && "$(cat "$stamp")" == "$CLAUDE_CODE_VERSION" ]]; then
        return
    fi
    echo "peers: installing @anthropic-ai/claude-code@$CLAUDE_CODE_VERSION into $dir" >&2
    rm -rf "$dir"
    mkdir -p "$dir"
    npm install --silent --no-audit --no-fund --prefix "$dir" "@anthropic-ai/claude-code@$CLAUDE_CODE_VERSION"
    echo "$CLAUDE_CODE_VERSION" >"$stamp"
}

install_litellm
install_claude_code
echo "peers: litellm $LITELLM_VERSION and claude-code $CLAUDE_CODE_VERSION ready under $peers" >&2
