#!/usr/bin/env bash
# Benchmark for `gwscript mock` (issue #9): non-streaming POST /v1/messages throughput.
# Targets: >= 20,000 requests/s, and >= 0.5x what Debian's nginx serves for a static `return 200`
# of the same JSON body in the same run, both measured with Debian's wrk (-t2 -c64 -d10s) on
# loopback. Needs wrk and nginx (bash tests/peers/install.sh). Exits 1 when a target is missed.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

MIN_RPS=20000
MIN_RATIO=0.5
nginx=/usr/sbin/nginx
command -v wrk >/dev/null || { echo "bench: wrk is missing: bash tests/peers/install.sh" >&2; exit 2; }
[ -x "$nginx" ] || { echo "bench: nginx is missing: bash tests/peers/install.sh" >&2; exit 2; }

cargo build --locked --release -p gwscript
bin=target/release/gwscript
out="$(mktemp -d)"
mock_pid="" nginx_pid=""
stop() {
    [ -z "$mock_pid" ] || { kill "$mock_pid" 2>/dev/null || true; wait "$mock_pid" 2>/dev/null || true; }
    [ -z "$nginx_pid" ] || { kill "$nginx_pid" 2>/dev/null || true; wait "$nginx_pid" 2>/dev/null || true; }
    rm -rf "$out"
}
trap stop EXIT

# A free loopback port: bind port 0, read what the kernel picked.
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# Waits (at most 10 s) until URL answers.
wait_for() {
    for _ in $(seq 100); do
        curl -s -o /dev/null "$1" && return 0
        sleep 0.1
    done
    echo "bench: $1 did not come up" >&2
    exit 2
}

request='{"model":"claude-sonnet-4-5","max_tokens":64,"messages":[{"role":"user","content":"say hello"}]}'

mock_port="$(free_port)"
"$bin" mock anthropic --listen "127.0.0.1:$mock_port" >"$out/mock.log" &
mock_pid=$!
wait_for "http://127.0.0.1:$mock_port/_mock/requests"
body="$(curl -s -H 'content-type: application/json' -d "$request" "http://127.0.0.1:$mock_port/v1/messages")"
case "$body" in *'"type":"message"'*) ;; *) echo "bench: unexpected mock answer: $body" >&2; exit 2 ;; esac

# nginx as a static server of the same body: one worker per core, like the mock's runtime.
nginx_port="$(free_port)"
mkdir -p "$out/nginx/logs"
cat >"$out/nginx/nginx.conf" <<CONF
worker_processes $(nproc);
pid $out/nginx/nginx.pid;
error_log stderr warn;
events { worker_connections 1024; }
http {
    access_log off;
    client_body_temp_path $out/nginx/body;
    server {
        listen 127.0.0.1:$nginx_port;
        location / {
            default_type application/json;
            return 200 '$body';
        }
    }
}
CONF
"$nginx" -p "$out/nginx" -c nginx.conf -e stderr -g 'daemon off;' &
nginx_pid=$!
wait_for "http://127.0.0.1:$nginx_port/"

cat >"$out/post.lua" <<LUA
wrk.method = "POST"
wrk.body = '$request'
wrk.headers["content-type"] = "application/json"
LUA

# Requests/s from wrk; any non-2xx answer or socket error voids the run.
measure() {
    local report
    report="$(wrk -t2 -c64 -d10s -s "$out/post.lua" "$1")"
    echo "$report" >&2
    if grep -qE 'Non-2xx|Socket errors' <<<"$report"; then
        echo "bench: errors against $1" >&2
        exit 1
    fi
    awk '/^Requests\/sec:/ { printf "%d\n", $2 }' <<<"$report"
}

mock_rps="$(measure "http://127.0.0.1:$mock_port/v1/messages")"
nginx_rps="$(measure "http://127.0.0.1:$nginx_port/v1/messages")"
ratio="$(awk -v m="$mock_rps" -v n="$nginx_rps" 'BEGIN { printf "%.2f", m / n }')"
echo "mock: $mock_rps req/s; nginx return 200: $nginx_rps req/s; ratio $ratio (targets >= $MIN_RPS req/s, >= ${MIN_RATIO}x)"
awk -v m="$mock_rps" -v r="$ratio" -v min="$MIN_RPS" -v minr="$MIN_RATIO" \
    'BEGIN { exit !(m >= min && r >= minr) }' || { echo "bench: target missed" >&2; exit 1; }
