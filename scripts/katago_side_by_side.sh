#!/usr/bin/env bash
# Dojo's KataGo-shaped network (`dojo bench kata-train`, `kata-infer`) against its PyTorch twin
# (scripts/torch_katago_bench.py), alternating within each round so both see the same host:
# ROUNDS rounds (default 3) at each thread count; prints per-workload medians and the median
# of the per-round ratios. Needs a release build of dojo (DOJO, default .build/release/dojo)
# and `pip install torch`.
# Usage: scripts/katago_side_by_side.sh [threads...]     (default: 1 2)
set -euo pipefail
cd "$(dirname "$0")/.."
dojo="${DOJO:-.build/release/dojo}"
out="${OUT:-bench-results/katago}"
rounds="${ROUNDS:-3}"
mkdir -p "$out"
thread_counts=("$@")
[ ${#thread_counts[@]} -eq 0 ] && thread_counts=(1 2)
for round in $(seq 1 "$rounds"); do
  for threads in "${thread_counts[@]}"; do
    "$dojo" bench kata-train --threads "$threads" --json > "$out/dojo_t${threads}_r${round}.jsonl"
    "$dojo" bench kata-infer --threads "$threads" --json >> "$out/dojo_t${threads}_r${round}.jsonl"
    python3 scripts/torch_katago_bench.py --threads "$threads" --json "$out/torch_t${threads}_r${round}.json" > /dev/null
  done
done
python3 - "$out" <<'PY'
import glob, json, os, re, statistics, sys
out = sys.argv[1]
pairs = {}
for path in glob.glob(os.path.join(out, "dojo_t*_r*.jsonl")):
    t, r = map(int, re.search(r"dojo_t(\d+)_r(\d+)", path).groups())
    torch_rows = json.load(open(os.path.join(out, f"torch_t{t}_r{r}.json")))["rows"]
    theirs = {(x["workload"], x["batch"]): x["per_second"] for x in torch_rows}
    for line in open(path):
        row = json.loads(line)
        key = (row["workload"], row["batch"])
        if key in theirs:
            pairs.setdefault((key[0], t, key[1]), []).append((row["median"], theirs[key]))
print("| workload | threads | batch | Dojo (median) | PyTorch (median) | ratio (median of rounds) |")
print("|---|---|---|---|---|---|")
for (w, t, b), values in sorted(pairs.items()):
    mine = statistics.median(v[0] for v in values)
    theirs = statistics.median(v[1] for v in values)
    ratio = statistics.median(v[0] / v[1] for v in values)
    print(f"| {w} | {t} | {b} | {mine:.1f} | {theirs:.1f} | {ratio:.2f}x |")
PY
