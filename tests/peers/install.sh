#!/usr/bin/env bash
# Installs the real peers the end-to-end tests drive, pinned, under target/peers/.
# Idempotent: a peer whose stamp matches its pinned version is left alone.
set -euo pipefail

LITELLM_VERSION="1.102.4"
CLAUDE_CODE_VERSION="2.1.197"
# Debian bookworm's nginx (upstream release pinned; Debian's security revisions follow it), the
# custom gateway the tests run.
NGINX_VERSION="1.22.1"
# Validates the OpenAPI files the Zuplo plugin emits.
OPENAPI_VALIDATOR_VERSION="0.9.0"

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
peers="${GWSCRIPT_PEERS_DIR:-$root/target/peers}"
mkdir -p "$peers"

# A Python package, pinned, in a venv of its own under $peers; skipped when the stamp matches.
install_venv() {
    local name="$1" requirement="$2"
    local venv="$peers/$name" stamp="$peers/$name/.gwscript-version"
    if [[ -f "$stamp" && "$(cat "$stamp")" == "$requirement" ]]; then
        return
    fi
    echo "peers: installing $requirement into $venv" >&2
    rm -rf "$venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check "$requirement"
    echo "$requirement" >"$stamp"
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

# Debian packages, pinned. The package scripts must not start the services: the tests start
# their own instances on loopback, with their own configs.
install_debian_packages() {
    # gettext-base: envsubst for the custom gateway's start.sh; deck: offline kong.yaml validation.
    # curl: the MintMCP hook script posts with it; tinyproxy: the corporate proxy in the proxy tests;
    # openssl: a throwaway service-account key for Claude Code's Vertex credentials test;
    # wrk: the mock's throughput benchmark (tests/bench/mock.sh).
    local wanted=(nginx-light gettext-base deck curl tinyproxy openssl wrk)
    if [[ "$(dpkg-query -W -f='${Version}' nginx-light 2>/dev/null)" == "$NGINX_VERSION"-* ]] \
        && dpkg-query -W -f='${Status}\n' "${wanted[@]}" 2>/dev/null | grep -c 'install ok installed' | grep -qx "${#wanted[@]}"; then
        return
    fi
    echo "peers: installing ${wanted[*]} from Debian" >&2
    local sudo=()
    [[ "$(id -u)" == 0 ]] || sudo=(sudo)
    local policy=/usr/sbin/policy-rc.d created_policy=""
    if [[ ! -e "$policy" ]]; then
        printf '#!/bin/sh\nexit 101\n' | "${sudo[@]}" tee "$policy" >/dev/null
        "${sudo[@]}" chmod 755 "$policy"
        created_policy=1
    fi
    "${sudo[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${wanted[@]}" >/dev/null
    [[ -z "$created_policy" ]] || "${sudo[@]}" rm -f "$policy"
    local got
    got="$(dpkg-query -W -f='${Version}' nginx-light)"
    if [[ "$got" != "$NGINX_VERSION"-* ]]; then
        echo "peers: Debian served nginx-light $got, not $NGINX_VERSION; update NGINX_VERSION after checking the tests" >&2
        exit 1
    fi
}

install_venv litellm-venv "litellm[proxy]==$LITELLM_VERSION"
# LiteLLM's Vertex routes mint Google tokens with google-auth, which litellm[proxy] lacks.
"$peers/litellm-venv/bin/pip" install --quiet --disable-pip-version-check "google-auth==2.40.3"
install_claude_code
install_debian_packages
install_venv tools-venv "openapi-spec-validator==$OPENAPI_VALIDATOR_VERSION"
# TrueFoundry's manifest models (pydantic), which validate the TrueFoundry plugin's YAML offline.
install_venv truefoundry-venv "truefoundry-sdk==0.6.0"
# The LiteLLM plugin's tests: Prisma Client Python as its database_url install line pins it, and
# the AWS CLI whose invocations its report prints (both against loopback only).
install_venv prisma-venv "prisma==0.11.0"
install_venv awscli-venv "awscli==1.46.2"
echo "peers: litellm $LITELLM_VERSION, claude-code $CLAUDE_CODE_VERSION, nginx $NGINX_VERSION and openapi-spec-validator $OPENAPI_VALIDATOR_VERSION ready" >&2
