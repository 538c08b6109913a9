#!/usr/bin/env bash
# PPO training speed, Dojo against the PyTorch reference (scripts/ppo_reference.py) on the same
# config, network, copies and update schedule (MinAtar Breakout, 64 × 128, 4 epochs × 8
# minibatches), alternating implementation by implementation for ROUNDS rounds (default 3) at
# each thread count; prints medians and the median of the per-round ratios. Needs a release
# build (`make release`), `pip install torch minatar`.
# With MEMORY=lstm or gru, the recurrent agents (`dojo bench ppo-memory` against the reference's
# --memory). Usage: [MEMORY=lstm] scripts/ppo_side_by_side.sh [threads...]     (default: 1 2)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds="${ROUNDS:-3}"
frames="${FRAMES:-131072}"
memory="${MEMORY:-}"
workload=ppo-train; [ -n "$memory" ] && workload=ppo-memory
out="${OUT:-bench-results/ppo${memory:+-$memory}}"
mkdir -p "$out"
thread_counts=("$@")
[ ${#thread_counts[@]} -eq 0 ] && thread_counts=(1 2)
for round in $(seq 1 "$rounds"); do
  for threads in "${thread_counts[@]}"; do
    .build/release/dojo bench "$workload" --threads "$threads" --json > "$out/dojo_t${threads}_r${round}.jsonl"
    OMP_NUM_THREADS="$threads" python3 scripts/ppo_reference.py --frames "$frames" --threads "$threads" ${memory:+--memory "$memory"} > "$out/torch_t${threads}_r${round}.json"
  done
done
python3 - "$out" "$rounds" "$memory" "${thread_counts[@]}" <<'PY'
import json, statistics, sys
out, rounds, memory, threads = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4:]
whole, update = ("ppo-memory", "ppo-memory-update") if memory else ("ppo-train", "ppo-update")
def key(j): return j["workload"] if not memory or j.get("variant", "").endswith(" " + memory) else None
print("| threads | Dojo frames/s | PyTorch frames/s | ratio | Dojo update µs/frame | PyTorch update µs/frame | update ratio |")
print("|---|---:|---:|---:|---:|---:|---:|")
for t in threads:
    rows = []
    for r in range(1, rounds + 1):
        mine = {key(j): j for j in map(json.loads, open(f"{out}/dojo_t{t}_r{r}.jsonl"))}
        ref = json.load(open(f"{out}/torch_t{t}_r{r}.json"))
        rows.append((mine[whole]["median"], ref["frames_per_second"], 1e6 / mine[update]["median"], ref["update_microseconds_per_frame"]))
    med = lambda k: statistics.median(x[k] for x in rows)
    ratio = statistics.median(x[0] / x[1] for x in rows)
    update_ratio = statistics.median(x[3] / x[2] for x in rows)
    print(f"| {t} | {med(0):,.0f} | {med(1):,.0f} | {ratio:.2f}× | {med(2):.1f} | {med(3):.1f} | {update_ratio:.2f}× |")
PY
