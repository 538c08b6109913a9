#!/usr/bin/env bash
# Search speed with a 19×19 network, Dojo against Leela Zero 0.17 (`leelaz --cpu-only`, Debian),
# side by side: ROUNDS rounds (default 3) alternating `dojo bench mcts-nn` and the reference's
# bench_leelaz.py (1,600 visits of genmove b on the empty board, random BLOCKSxFILTERS network
# from make_lz_weights.py) at each thread count; prints each round and the medians.
# Needs a release build (`make release`) and `apt-get install --no-install-recommends leela-zero`.
# Usage: scripts/lz_side_by_side.sh [threads...]     (default: 1 2)
set -euo pipefail
cd "$(dirname "$0")/.."
reference="${REFERENCE:-../shared/reference/go}"
rounds="${ROUNDS:-3}" blocks="${BLOCKS:-6}" filters="${FILTERS:-64}"
out="${OUT:-bench-results}"
mkdir -p "$out"
weights="$out/lz_random_${blocks}x${filters}.txt"
[ -f "$weights" ] || python3 scripts/go-reference/make_lz_weights.py "$weights" --blocks "$blocks" --filters "$filters" >/dev/null
thread_counts=("$@")
[ ${#thread_counts[@]} -eq 0 ] && thread_counts=(1 2)
for threads in "${thread_counts[@]}"; do
  : > "$out/lz_pair_t${threads}.txt"
  for round in $(seq 1 "$rounds"); do
    dojo=$(.build/release/dojo bench mcts-nn --size 19 --blocks "$blocks" --filters "$filters" --threads "$threads" --repeats 3 --json \
           | python3 -c 'import json,sys; rows=[json.loads(l) for l in sys.stdin if l.startswith("{")]; print([r for r in rows if r["unit"]=="visits/s"][0]["median"])')
    lz=$(python3 "$reference/bench_leelaz.py" --weights "$weights" --threads "$threads" --repeats 1 \
         | python3 -c 'import json,sys; print([json.loads(l) for l in sys.stdin if l.startswith("{")][-1]["nps"])')
    echo "$dojo $lz" >> "$out/lz_pair_t${threads}.txt"
    echo "threads $threads round $round: dojo $dojo visits/s, leelaz $lz visits/s"
  done
  python3 - "$out/lz_pair_t${threads}.txt" "$threads" <<'PY'
import statistics, sys
pairs = [tuple(map(float, l.split())) for l in open(sys.argv[1]) if l.strip()]
d = statistics.median(p[0] for p in pairs); l = statistics.median(p[1] for p in pairs)
ratios = [p[0] / p[1] for p in pairs]
print(f"threads {sys.argv[2]}: dojo {d:.0f} visits/s, leelaz {l:.0f} visits/s, ratio {d / l:.2f}x (rounds {min(ratios):.2f}-{max(ratios):.2f})")
PY
done
