#!/usr/bin/env python3
"""Prints the README's side-by-side table from scripts/side_by_side.sh output.

Usage: python3 scripts/compare_bench.py bench-results
Each row: workload, threads, Dojo median, PyTorch median (same unit), ratio Dojo / PyTorch.
"""
import glob, json, os, sys

folder = sys.argv[1] if len(sys.argv) > 1 else "bench-results"
rows = []
for path in sorted(glob.glob(os.path.join(folder, "dojo_t*.jsonl"))):
    threads = int(path.split("_t")[-1].split(".")[0])
    dojo = [json.loads(line) for line in open(path) if line.strip()]
    torch_path = os.path.join(folder, f"torch_t{threads}.json")
    torch = json.load(open(torch_path))["rows"] if os.path.exists(torch_path) else []

    def torch_rate(bench, items=False):
        for r in torch:
            if r["bench"] == bench and r["what"] in ("step", "forward"):
                return r["items_per_s"] if items else r["per_s_median"]
        return None

    def dojo_rate(workload, batch, variant_prefix=""):
        for r in dojo:
            if r["workload"] == workload and r["batch"] == batch and (r.get("variant") or "").startswith(variant_prefix):
                return r
        return None

    pairs = [
        ("dqn-step (steps/s)", dojo_rate("dqn-step", 32, "minatar"), torch_rate("a MinAtar DQN train step b32")),
        ("az-train (steps/s)", dojo_rate("az-train", 256), torch_rate("c AZ 9x9 6x64 train step b256")),
        ("az-infer b1 (positions/s)", dojo_rate("az-infer", 1), torch_rate("c AZ 9x9 6x64 infer b1", True)),
        ("az-infer b8 (positions/s)", dojo_rate("az-infer", 8), torch_rate("c AZ 9x9 6x64 infer b8", True)),
        ("az-infer b64 (positions/s)", dojo_rate("az-infer", 64), torch_rate("c AZ 9x9 6x64 infer b64", True)),
    ]
    peak = dojo_rate("gemm", 1, "square 1024")
    for name, ours, theirs in pairs:
        if ours is None:
            continue
        ratio = f"{ours['median'] / theirs:.2f}×" if theirs else "–"
        theirs_text = f"{theirs:.2f}" if theirs and theirs < 10 else (f"{theirs:.0f}" if theirs else "–")
        ours_text = f"{ours['median']:.2f}" if ours["median"] < 10 else f"{ours['median']:.0f}"
        gf = f"{ours['gflops']:.0f}" if ours.get("gflops") else "–"
        rows.append((name, threads, ours_text, theirs_text, ratio, gf, f"{peak['median']:.0f}" if peak else "–"))

print("| workload | threads | Dojo | PyTorch | Dojo / PyTorch | Dojo GFLOP/s (effective) | sgemm 1024³ GFLOP/s |")
print("|---|---|---|---|---|---|---|")
for r in rows:
    print("| " + " | ".join(str(x) for x in r) + " |")
