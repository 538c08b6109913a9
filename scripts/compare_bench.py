#!/usr/bin/env python3
"""Prints the README's side-by-side table from scripts/side_by_side.sh output.

Usage: python3 scripts/compare_bench.py bench-results
Files: dojo_t<threads>_r<round>.jsonl (dojo bench --json) and torch_t<threads>_r<round>*.json
(torch_bench.py --json, one file or one per workload group). Each cell is the median over
rounds of the per-round medians; the ratio is the median of the per-round ratios (each round
times the two sides close together), with their range. The sgemm peak is the one each Dojo
run measured (gflops / peak_fraction of its rows).
"""
import glob, json, os, re, statistics, sys
from collections import defaultdict

folder = sys.argv[1] if len(sys.argv) > 1 else "bench-results"

WORKLOADS = [  # (label, dojo workload, dojo batch, dojo variant prefix, torch bench, torch uses items/s)
    ("dqn-step (steps/s)", "dqn-step", 32, "minatar", "a MinAtar DQN train step b32", False),
    ("az-train (steps/s)", "az-train", 256, "", "c AZ 9x9 6x64 train step b256", False),
    ("az-infer b1 (positions/s)", "az-infer", 1, "", "c AZ 9x9 6x64 infer b1", True),
    ("az-infer b8 (positions/s)", "az-infer", 8, "", "c AZ 9x9 6x64 infer b8", True),
    ("az-infer b64 (positions/s)", "az-infer", 64, "", "c AZ 9x9 6x64 infer b64", True),
]

ours = defaultdict(list)     # (label, threads) -> [median per round]
theirs = defaultdict(list)
gflops = defaultdict(list)
peaks = defaultdict(list)
for path in sorted(glob.glob(os.path.join(folder, "dojo_t*_r*.jsonl"))):
    threads, round_ = map(int, re.search(r"_t(\d+)_r(\d+)", path).groups())
    rows = [json.loads(line) for line in open(path) if line.strip()]
    for r in rows:
        if r.get("gflops") and r.get("peak_fraction"):
            peaks[threads].append(r["gflops"] / r["peak_fraction"])
            break
    for label, workload, batch, prefix, _, _ in WORKLOADS:
        for r in rows:
            if r["workload"] == workload and r["batch"] == batch and (r.get("variant") or "").startswith(prefix):
                ours[(label, threads)].append(r["median"])
                if r.get("gflops"):
                    gflops[(label, threads)].append(r["gflops"])
                break
    trows = [row for torch_path in sorted(glob.glob(os.path.join(folder, f"torch_t{threads}_r{round_}.json"))
                                          + glob.glob(os.path.join(folder, f"torch_t{threads}_r{round_}_*.json")))
             for row in json.load(open(torch_path))["rows"]]
    if trows:
        for label, _, _, _, bench, items in WORKLOADS:
            for r in trows:
                if r["bench"] == bench and r["what"] in ("step", "forward"):
                    theirs[(label, threads)].append(r["items_per_s"] if items else r["per_s_median"])
                    break


def fmt(v):
    return f"{v:.2f}" if v < 10 else f"{v:.0f}"


print("| workload | threads | Dojo | PyTorch | Dojo / PyTorch (median, range over rounds) | Dojo GFLOP/s | sgemm 1024³ GFLOP/s | rounds |")
print("|---|---|---|---|---|---|---|---|")
for threads in sorted({t for _, t in ours}):
    for label, *_ in WORKLOADS:
        a, b = ours.get((label, threads), []), theirs.get((label, threads), [])
        if not a:
            continue
        ratios = [x / y for x, y in zip(a, b)]
        ratio = f"{statistics.median(ratios):.2f}× ({min(ratios):.2f}–{max(ratios):.2f})" if b else "–"
        g, peak = gflops.get((label, threads)), peaks.get(threads)
        print(f"| {label} | {threads} | {fmt(statistics.median(a))} | {fmt(statistics.median(b)) if b else '–'} | "
              f"{ratio} | {f'{statistics.median(g):.0f}' if g else '–'} | "
              f"{f'{statistics.median(peak):.0f}' if peak else '–'} | {len(a)} |")
