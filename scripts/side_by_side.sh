#!/usr/bin/env bash
# Runs `dojo bench` and the PyTorch reference (../shared/reference/perf/torch_bench.py) on the
# same workloads, one after the other in one sitting, at 1 and 2 threads, and writes the raw
# outputs to bench-results/. Needs a release build (make release) and `pip install torch`.
# Usage: scripts/side_by_side.sh [threads...]     (default: 1 2)
set -euo pipefail
cd "$(dirname "$0")/.."
reference="${REFERENCE:-../shared/reference/perf/torch_bench.py}"
out="${OUT:-bench-results}"
mkdir -p "$out"
for t in "${@:-1 2}"; do
  for threads in $t; do
    .build/release/dojo bench core --threads "$threads" --json > "$out/dojo_t$threads.jsonl"
    python3 "$reference" --threads "$threads" --only a,c --json "$out/torch_t$threads.json" > "$out/torch_t$threads.txt"
  done
done
python3 scripts/compare_bench.py "$out"
