#!/usr/bin/env bash
# MinAtar environment speed, Dojo against the reference (pip minatar==1.0.15), side by side:
# ROUNDS alternating runs of `dojo bench env --json` and the reference's bench_env.py
# (act+state: the observation built every step, as an agent needs), then a table of medians
# and ratios. Release build first: `make release`.
#   usage: scripts/env_side_by_side.sh [ROUNDS] [SECONDS_PER_GAME]
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${1:-3}
SECONDS_PER_GAME=${2:-5}
REFERENCE=${MINATAR_BENCH:-../shared/reference/minatar/bench_env.py}
[ -f "$REFERENCE" ] || { echo "reference benchmark not found at $REFERENCE; set MINATAR_BENCH=path/to/bench_env.py"; exit 1; }
OUT=bench-results/env-$(date +%Y%m%d-%H%M%S)
mkdir -p "$OUT"
for round in $(seq 1 "$ROUNDS"); do
  echo "round $round/$ROUNDS: dojo" >&2
  .build/release/dojo bench env --json --repeats 5 --min-time 0.5 > "$OUT/dojo-$round.jsonl"
  echo "round $round/$ROUNDS: reference" >&2
  python3 "$REFERENCE" --seconds "$SECONDS_PER_GAME" > "$OUT/reference-$round.txt"
done
python3 - "$OUT" "$ROUNDS" <<'PY'
import json, statistics, sys
out, rounds = sys.argv[1], int(sys.argv[2])
dojo, ref = {}, {}
for r in range(1, rounds + 1):
    for line in open(f"{out}/dojo-{r}.jsonl"):
        d = json.loads(line)
        dojo.setdefault(d["variant"].split("/")[1], []).append(d["median"])
    for line in open(f"{out}/reference-{r}.txt"):
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) >= 6 and cells[1] == "act+state":
            ref.setdefault(cells[0], []).append(float(cells[5].replace(",", "")))
print("| game | Dojo steps/s | reference steps/s (act+state) | ratio (range over rounds) |")
print("|---|---:|---:|---|")
for game in ["breakout", "space_invaders", "freeway", "asterix", "seaquest"]:
    d, p = statistics.median(dojo[game]), statistics.median(ref[game])
    ratios = [a / b for a, b in zip(dojo[game], ref[game])]
    print(f"| {game} | {d:,.0f} | {p:,.0f} | {d / p:.0f}× ({min(ratios):.0f}–{max(ratios):.0f}) |")
PY
