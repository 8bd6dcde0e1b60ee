#!/usr/bin/env bash
# Benchmark for `gwscript probe` (issue #9):
# - the whole suite, without the idle test (--idle-test 0), against a local gateway: Debian's
#   nginx as a streaming reverse proxy in front of `gwscript mock`, timed with hyperfine;
#   target: median <= 10 s;
# - LiteLLM's overhead: the pinned LiteLLM proxy on a gwscript-emitted config forwarding to the
#   mock, `probe --bench N` (N requests and N streams each way, sequential; the gateway's
#   percentile minus the mock's), and the suite's duration through it.
# Needs nginx, hyperfine and LiteLLM (bash tests/peers/install.sh; apt-get install hyperfine).
# BENCH_N sets N (default 200). Exits 1 when the suite target is missed.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
. tests/bench/lib.sh

MAX_SUITE_S=10
BENCH_N="${BENCH_N:-200}"
nginx=/usr/sbin/nginx
litellm_bin="target/peers/litellm-venv/bin"
command -v hyperfine >/dev/null || { echo "bench: hyperfine is missing: apt-get install hyperfine" >&2; exit 2; }
[ -x "$nginx" ] || { echo "bench: nginx is missing: bash tests/peers/install.sh" >&2; exit 2; }
[ -x "$litellm_bin/litellm" ] || { echo "bench: LiteLLM is missing: bash tests/peers/install.sh" >&2; exit 2; }

cargo build --locked --release --workspace
bin=target/release/gwscript
out="$(mktemp -d)"
pids=()
stop() {
    for pid in "${pids[@]}"; do
        kill "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    rm -rf "$out"
}
trap stop EXIT

mock_port="$(free_port)"
"$bin" mock anthropic --listen "127.0.0.1:$mock_port" >"$out/mock.log" 2>&1 &
pids+=($!)
mock="http://127.0.0.1:$mock_port"
wait_for "$mock/_mock/requests"

# nginx as Claude Code needs it: unbuffered, long timeouts, bodies up to 32 MiB, headers and
# query untouched.
start_nginx "$out/nginx" 1 "            proxy_pass $mock;
            proxy_http_version 1.1;
            proxy_set_header Connection \"\";
            proxy_buffering off;
            proxy_request_buffering off;
            proxy_read_timeout 3600s;"
pids+=("$nginx_pid")

median_s() {
    python3 -c 'import json,sys; print("%.2f" % json.load(open(sys.argv[1]))["results"][0]["median"])' "$1"
}

echo "== the suite against nginx in front of the mock (--idle-test 0)"
hyperfine -N --warmup 1 --runs 5 --export-json "$out/suite.json" \
    "$bin probe $nginx_url --mock $mock --idle-test 0 --format json"
suite="$(median_s "$out/suite.json")"

echo "== LiteLLM on an emitted config forwarding to the mock"
litellm_port="$(free_port)"
master_key="sk-gwscript-bench-$RANDOM$RANDOM"
cat >"$out/recipe.rhai" <<RHAI
let gw = gateway("litellm", #{ url: "http://127.0.0.1:$litellm_port", master_key: secret("LITELLM_MASTER_KEY") });
gw.deploy("claude-sonnet-4-5", provider("anthropic", #{ api_key: secret("ANTHROPIC_API_KEY"), api_base: "$mock" }));
emit(pattern("gateway", #{ gateway: gw, scope: "user", model: "claude-sonnet-4-5", auth_token: secret("LITELLM_MASTER_KEY") }));
RHAI
"$bin" run "$out/recipe.rhai" --out "$out/emitted" >/dev/null
mkdir -p "$out/home"
env -i HOME="$out/home" PATH="$PWD/$litellm_bin:/usr/bin:/bin" \
    LITELLM_LOCAL_MODEL_COST_MAP=True LITELLM_LOCAL_ANTHROPIC_BETA_HEADERS=True \
    LITELLM_MASTER_KEY="$master_key" ANTHROPIC_API_KEY=sk-ant-gwscript-bench \
    bash "$out/emitted/litellm/start.sh" >"$out/litellm.log" 2>&1 &
pids+=($!)
wait_for "http://127.0.0.1:$litellm_port/health/liveliness" 1200

started=$SECONDS
"$bin" probe "http://127.0.0.1:$litellm_port" --mock "$mock" --token "$master_key" \
    --idle-test 0 --bench "$BENCH_N" --format json >"$out/litellm.json" || true
took=$((SECONDS - started))
python3 - "$out/litellm.json" <<'PY'
import json, sys
for check in json.load(open(sys.argv[1]))["checks"]:
    if check["id"] == "bench.overhead":
        print(f"LiteLLM --bench: {check['status']}: {check['evidence']}")
    elif check["status"] != "pass":
        print(f"LiteLLM {check['id']}: {check['status']}")
PY
echo "the suite with --bench $BENCH_N through LiteLLM took ${took} s"
echo "suite against nginx: median ${suite} s (target <= ${MAX_SUITE_S} s)"
awk -v s="$suite" -v max="$MAX_SUITE_S" 'BEGIN { exit !(s <= max) }' || { echo "bench: suite target missed" >&2; exit 1; }
