#!/usr/bin/env bash
# Runs Dojo's speed-goal workloads and the PyTorch reference (../shared/reference/perf/
# torch_bench.py) on the same workloads, alternating workload by workload (the DQN step, then
# the AlphaZero net) so each pair is timed within a minute or two of each other on a host whose
# speed drifts: ROUNDS rounds (default 3) at each thread count, raw outputs in bench-results/,
# then the README table (medians over rounds, ratios as the median of the per-round ratios).
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
    mine="$out/dojo_t${threads}_r${round}.jsonl"
    .build/release/dojo bench dqn-step --threads "$threads" --json > "$mine"
    python3 "$reference" --threads "$threads" --only a --json "$out/torch_t${threads}_r${round}_a.json" \
      > "$out/torch_t${threads}_r${round}_a.txt"
    .build/release/dojo bench az-train --threads "$threads" --json >> "$mine"
    .build/release/dojo bench az-infer --threads "$threads" --json >> "$mine"
    python3 "$reference" --threads "$threads" --only c --json "$out/torch_t${threads}_r${round}_c.json" \
      > "$out/torch_t${threads}_r${round}_c.txt"
  done
done
python3 scripts/compare_bench.py "$out"
