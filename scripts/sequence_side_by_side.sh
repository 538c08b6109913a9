#!/usr/bin/env bash
# Sequence layers' speed, Dojo against PyTorch on the same shapes (`dojo bench sequence` against
# scripts/torch_sequence_bench.py: LSTM and GRU 128 hidden, 32 steps, 64 inputs; 4-head attention
# of width 64 on 64 steps; batch 16; forward and backward), alternating implementation by
# implementation for ROUNDS rounds (default 5) at each thread count; prints medians and the
# median of the per-round ratios. Both sides compute the input gradient (Dojo's layers always
# pass it down); the column "PyTorch, no input gradient" is the lighter call PyTorch makes when
# its input needs none, for comparison with earlier tables. Needs a release build
# (`make release`) and `pip install torch`. Usage: scripts/sequence_side_by_side.sh [threads...]
# (default: 1).
set -euo pipefail
cd "$(dirname "$0")/.."
rounds="${ROUNDS:-5}"
out="${OUT:-bench-results/sequence}"
mkdir -p "$out"
thread_counts=("$@")
[ ${#thread_counts[@]} -eq 0 ] && thread_counts=(1)
for round in $(seq 1 "$rounds"); do
  for threads in "${thread_counts[@]}"; do
    .build/release/dojo bench sequence --threads "$threads" --json > "$out/dojo_t${threads}_r${round}.jsonl"
    OMP_NUM_THREADS="$threads" python3 scripts/torch_sequence_bench.py --threads "$threads" > "$out/torch_t${threads}_r${round}.jsonl"
    OMP_NUM_THREADS="$threads" python3 scripts/torch_sequence_bench.py --threads "$threads" --no-input-gradient > "$out/torch_light_t${threads}_r${round}.jsonl"
  done
done
python3 - "$out" "$rounds" "${thread_counts[@]}" <<'PY'
import json, statistics, sys
out, rounds, threads = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
def load(path): return {j["variant"]: j["median"] for j in map(json.loads, open(path))}
print("| threads | layer | Dojo sequences/s | PyTorch sequences/s | ratio | PyTorch, no input gradient | ratio |")
print("|---|---|---:|---:|---:|---:|---:|")
for t in threads:
    runs = [(load(f"{out}/dojo_t{t}_r{r}.jsonl"), load(f"{out}/torch_t{t}_r{r}.jsonl"), load(f"{out}/torch_light_t{t}_r{r}.jsonl"))
            for r in range(1, rounds + 1)]
    for layer in runs[0][0]:
        mine = [d[layer] for d, _, _ in runs]; ref = [p[layer] for _, p, _ in runs]; light = [q[layer] for _, _, q in runs]
        ratio = statistics.median(m / p for m, p in zip(mine, ref))
        light_ratio = statistics.median(m / q for m, q in zip(mine, light))
        print(f"| {t} | {layer} | {statistics.median(mine):,.0f} | {statistics.median(ref):,.0f} | {ratio:.2f}× "
              f"| {statistics.median(light):,.0f} | {light_ratio:.2f}× |")
        print(f"<!-- {layer} t{t} per round: Dojo {[round(m) for m in mine]}, PyTorch {[round(p) for p in ref]}, "
              f"no input gradient {[round(q) for q in light]} -->")
PY
