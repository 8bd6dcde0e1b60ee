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

. tests/bench/lib.sh

request='{"model":"claude-sonnet-4-5","max_tokens":64,"messages":[{"role":"user","content":"say hello"}]}'

mock_port="$(free_port)"
"$bin" mock anthropic --listen "127.0.0.1:$mock_port" >"$out/mock.log" &
mock_pid=$!
wait_for "http://127.0.0.1:$mock_port/_mock/requests"
body="$(curl -s -H 'content-type: application/json' -d "$request" "http://127.0.0.1:$mock_port/v1/messages")"
case "$body" in *'"type":"message"'*) ;; *) echo "bench: unexpected mock answer: $body" >&2; exit 2 ;; esac

# nginx as a static server of the same body: one worker per core, like the mock's runtime.
start_nginx "$out/nginx" "$(nproc)" "            default_type application/json;
            return 200 '$body';"

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
nginx_rps="$(measure "$nginx_url/v1/messages")"
ratio="$(awk -v m="$mock_rps" -v n="$nginx_rps" 'BEGIN { printf "%.2f", m / n }')"
echo "mock: $mock_rps req/s; nginx return 200: $nginx_rps req/s; ratio $ratio (targets >= $MIN_RPS req/s, >= ${MIN_RATIO}x)"
awk -v m="$mock_rps" -v r="$ratio" -v min="$MIN_RPS" -v minr="$MIN_RATIO" \
    'BEGIN { exit !(m >= min && r >= minr) }' || { echo "bench: target missed" >&2; exit 1; }
