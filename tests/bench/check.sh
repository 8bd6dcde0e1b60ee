#!/usr/bin/env bash
# Benchmark for `gwscript check` (issue #8).
# Targets: a generated LiteLLM config with 10,000 deployments and a 5,000-edge fallback chain in
# <= 200 ms (median); 20,000 deployments (10,000 edges) in <= 2.3x that; a typical config (the
# quickstart's emitted config.yaml) in <= 5 ms and >= 500x faster than LiteLLM loading the same
# file (the pinned LiteLLM's own ProxyConfig.load_config, from process start, as the proxy does at
# start-up), both measured here in the same run.
# Needs hyperfine (apt-get install hyperfine) and the pinned LiteLLM (bash tests/peers/install.sh).
# Exits 1 when a target is missed.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

command -v hyperfine >/dev/null || { echo "bench: hyperfine is missing: apt-get install hyperfine" >&2; exit 2; }
python=target/peers/litellm-venv/bin/python
[ -x "$python" ] || { echo "bench: LiteLLM is missing: bash tests/peers/install.sh" >&2; exit 2; }

cargo build --locked --release --workspace
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
bin=target/release/gwscript

# One deployment per group, so N deployments are N groups; the chain g0 -> g1 -> ... has N/2 edges.
generate() {
    python3 - "$1" "$2" <<'PY'
import sys
path, n = sys.argv[1], int(sys.argv[2])
with open(path, "w") as f:
    f.write("model_list:\n")
    for i in range(n):
        f.write(f"  - model_name: g{i}\n    litellm_params:\n      model: anthropic/claude-sonnet-4-5-20250929\n"
                f"      api_key: os.environ/ANTHROPIC_API_KEY\n      rpm: {100 + i % 50}\n")
    f.write("router_settings:\n  routing_strategy: simple-shuffle\n  fallbacks:\n")
    for i in range(n // 2):
        f.write(f"    - g{i}: [g{i + 1}]\n")
    f.write("general_settings:\n  master_key: os.environ/LITELLM_MASTER_KEY\n")
PY
}
generate "$out/10k.yaml" 10000
generate "$out/20k.yaml" 20000
"$bin" run scripts/quickstart.rhai --out "$out/quickstart" >/dev/null
cp "$out/quickstart/litellm/config.yaml" "$out/typical.yaml"
# Each must check clean: a benchmark of a failing check would time the wrong thing.
for f in 10k 20k typical; do "$bin" check --deny-warnings "$out/$f.yaml" >/dev/null; done

cat >"$out/litellm_load.py" <<'PY'
import asyncio, sys
from litellm.proxy.proxy_server import ProxyConfig
async def main():
    await ProxyConfig().load_config(router=None, config_file_path=sys.argv[1])
asyncio.run(main())
PY
export LITELLM_MASTER_KEY=sk-bench-only ANTHROPIC_API_KEY=sk-ant-bench-only
"$python" "$out/litellm_load.py" "$out/typical.yaml" # must load

hyperfine -N --warmup 5 --runs 50 --export-json "$out/gw.json" \
    -n typical "$bin check $out/typical.yaml" \
    -n 10k "$bin check $out/10k.yaml" \
    -n 20k "$bin check $out/20k.yaml"
hyperfine -N --warmup 1 --runs 5 --export-json "$out/litellm.json" \
    -n litellm "$python $out/litellm_load.py $out/typical.yaml"

python3 - "$out/gw.json" "$out/litellm.json" <<'PY'
import json, sys
median = {}
for path in sys.argv[1:]:
    median.update({r["command"]: r["median"] * 1000 for r in json.load(open(path))["results"]})
ratio20 = median["20k"] / median["10k"]
speedup = median["litellm"] / median["typical"]
print(f"check, typical config (quickstart):        {median['typical']:8.2f} ms (target <= 5 ms)")
print(f"LiteLLM loading the same config:           {median['litellm']:8.1f} ms")
print(f"check is faster by:                        {speedup:8.0f} x (target >= 500 x)")
print(f"check, 10,000 deployments, 5,000 edges:    {median['10k']:8.1f} ms (target <= 200 ms)")
print(f"check, 20,000 deployments, 10,000 edges:   {median['20k']:8.1f} ms")
print(f"twice the config:                          {ratio20:8.2f} x the time (target <= 2.3 x)")
missed = [what for what, ok in [
    ("typical <= 5 ms", median["typical"] <= 5),
    (">= 500x LiteLLM", speedup >= 500),
    ("10,000 deployments <= 200 ms", median["10k"] <= 200),
    ("doubling <= 2.3 x", ratio20 <= 2.3)] if not ok]
if missed:
    print("TARGET MISSED: " + "; ".join(missed))
    sys.exit(1)
print("targets met")
PY
