#!/usr/bin/env bash
# Benchmarks for `gwscript run scripts/quickstart.rhai` and for loading one plugin.
# Targets (issue #2): run median <= 20 ms and peak RSS <= 40 MB; plugin load <= 2 ms.
# Needs hyperfine and GNU time: apt-get install hyperfine time
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

for tool in hyperfine /usr/bin/time; do
    command -v "$tool" >/dev/null || { echo "bench: $tool is missing: apt-get install hyperfine time" >&2; exit 2; }
done

cargo build --locked --release --workspace
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
bin=target/release/gwscript

echo "== gwscript run scripts/quickstart.rhai (process start, plugin load, recipe, render, write)"
hyperfine --warmup 5 --runs 50 --export-json "$out/run.json" \
    "$bin run scripts/quickstart.rhai --out $out/artifacts"
python3 - "$out/run.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"][0]
print(f"median {r['median'] * 1000:.2f} ms, mean {r['mean'] * 1000:.2f} ms, max {r['max'] * 1000:.2f} ms (target <= 20 ms)")
PY

echo "== peak RSS of the same run"
peaks=()
for _ in 1 2 3 4 5; do
    peaks+=("$(/usr/bin/time -f '%M' "$bin" run scripts/quickstart.rhai --out "$out/artifacts" 2>&1 >/dev/null | tail -n 1)")
done
printf '%s\n' "${peaks[@]}" | sort -n | awk '{a[NR]=$1} END {printf "median peak RSS %.1f MB (target <= 40 MB)\n", a[int((NR+1)/2)]/1024}'

echo "== loading one plugin"
cargo bench --locked -p gwscript --bench plugin_load
