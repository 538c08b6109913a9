#!/usr/bin/env bash
# Runs `dojo bench core` and the PyTorch reference (../shared/reference/perf/torch_bench.py) on
# the same workloads, alternating, in one sitting: ROUNDS rounds (default 3) at each thread
# count, raw outputs in bench-results/, then the README table (medians over rounds).
# Needs a release build (`make release`) and `pip install torch`.
# Usage: scripts/side_by_side.sh [threads...]     (default: 1 2)
set -euo pipefail
cd "$(dirname "$0")/.."
reference="${REFERENCE:-../shared/reference/perf/torch_bench.py}"
out="${OUT:-bench-results}"
rounds="${ROUNDS:-3}"
mkdir -p "$out"
thread_counts=("$@")
[ ${#thread_counts[@]} -eq 0 ] && thread_counts=(1 2)
for round in $(seq 1 "$rounds"); do
  for threads in "${thread_counts[@]}"; do
    .build/release/dojo bench core --threads "$threads" --json > "$out/dojo_t${threads}_r${round}.jsonl"
    python3 "$reference" --threads "$threads" --only a,c --json "$out/torch_t${threads}_r${round}.json" \
      > "$out/torch_t${threads}_r${round}.txt"
  done
done
python3 scripts/compare_bench.py "$out"
