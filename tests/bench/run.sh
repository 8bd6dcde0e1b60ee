#!/usr/bin/env bash
# Benchmarks for `gwscript run` and the plugin host.
# Targets: run median <= 20 ms and peak RSS <= 40 MB (issue #2); one plugin loads in <= 2 ms;
# discovering and loading all five first-party plugins <= 5 ms, and `run` with five plugins
# installed within 1 ms of `run` with one (issue #5).
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
recipe=scripts/quickstart.rhai

median_ms() {
    python3 - "$1" <<'PY'
import json, sys
for r in json.load(open(sys.argv[1]))["results"]:
    print(f"{r['command']}: median {r['median'] * 1000:.2f} ms, mean {r['mean'] * 1000:.2f} ms, max {r['max'] * 1000:.2f} ms")
PY
}

echo "== gwscript run $recipe (process start, plugin discovery, recipe, render, write)"
hyperfine -N --warmup 5 --runs 50 --export-json "$out/run.json" "$bin run $recipe --out $out/artifacts"
median_ms "$out/run.json"

echo "== peak RSS of the same run"
peaks=()
for _ in 1 2 3 4 5; do
    peaks+=("$(/usr/bin/time -f '%M' "$bin" run "$recipe" --out "$out/artifacts" 2>&1 >/dev/null | tail -n 1)")
done
printf '%s\n' "${peaks[@]}" | sort -n | awk '{a[NR]=$1} END {printf "median peak RSS %.1f MB (target <= 40 MB)\n", a[int((NR+1)/2)]/1024}'

echo "== run with one plugin installed vs all first-party plugins (target: within 1 ms)"
for set in one all; do
    mkdir -p "$out/$set"
    cp "$bin" "$out/$set/gwscript"
done
cp target/release/libgwscript_litellm.so "$out/one/"
cp target/release/libgwscript_*.so "$out/all/"
echo "installed: $(cd "$out/all" && ls libgwscript_*.so | tr '\n' ' ')"
hyperfine -N --warmup 5 --runs 100 --export-json "$out/sets.json" \
    -n one "$out/one/gwscript run $recipe --out $out/artifacts-one" \
    -n all "$out/all/gwscript run $recipe --out $out/artifacts-all"
median_ms "$out/sets.json"

echo "== loading plugins in-process"
cargo bench --locked -p gwscript --bench plugin_load
