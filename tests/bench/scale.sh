#!/usr/bin/env bash
# Scale benchmark for `gwscript run` (issue #6): a generated recipe (tests/bench/scale.rhai) with
# 5,000 model groups of two deployments each and a fallback chain through them.
# Targets: 10,000 deployments in <= 200 ms (median), and twice the recipe in <= 2.3x the time of
# half of it (5,000 -> 10,000 deployments).
# Phases, each a median: start-up (process, plugin load, a one-deployment run); the recipe's own
# evaluation (every deploy call, then a one-deployment emit, minus start-up); and checks, render,
# report and write (the whole run minus the recipe).
# Needs hyperfine: apt-get install hyperfine. Exits 1 when a target is missed.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

command -v hyperfine >/dev/null || { echo "bench: hyperfine is missing: apt-get install hyperfine" >&2; exit 2; }

cargo build --locked --release --workspace
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
bin=target/release/gwscript

# scale.rhai with `groups` and `whole` set.
recipe() {
    local name="$1" groups="$2" whole="$3"
    sed -e "s/^let groups = [0-9]*;/let groups = $groups;/" -e "s/^let whole = [a-z]*;/let whole = $whole;/" \
        tests/bench/scale.rhai >"$out/$name.rhai"
    "$bin" run "$out/$name.rhai" --out "$out/check-$name" >/dev/null # must succeed
}
recipe startup 0 false
recipe recipe 5000 false
recipe half 2500 true
recipe full 5000 true

hyperfine -N --warmup 3 --runs 20 --export-json "$out/scale.json" \
    -n startup "$bin run $out/startup.rhai --out $out/o-startup" \
    -n recipe "$bin run $out/recipe.rhai --out $out/o-recipe" \
    -n half "$bin run $out/half.rhai --out $out/o-half" \
    -n full "$bin run $out/full.rhai --out $out/o-full"

python3 - "$out/scale.json" <<'PY'
import json, sys
median = {r["command"]: r["median"] * 1000 for r in json.load(open(sys.argv[1]))["results"]}
print(f"start-up (one deployment):              {median['startup']:7.1f} ms")
print(f"recipe evaluation (10,000 deploy calls): {median['recipe'] - median['startup']:7.1f} ms")
print(f"checks, render, report, write:           {median['full'] - median['recipe']:7.1f} ms")
print(f"whole run,  5,000 deployments:           {median['half']:7.1f} ms")
print(f"whole run, 10,000 deployments:           {median['full']:7.1f} ms (target <= 200 ms)")
ratio = median["full"] / median["half"]
print(f"twice the recipe:                        {ratio:7.2f} x the time (target <= 2.3 x)")
missed = [what for what, ok in [("10,000 deployments <= 200 ms", median["full"] <= 200), ("doubling <= 2.3 x", ratio <= 2.3)] if not ok]
if missed:
    print("TARGET MISSED: " + "; ".join(missed))
    sys.exit(1)
print("targets met")
PY
