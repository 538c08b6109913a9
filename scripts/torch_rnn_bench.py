#!/usr/bin/env python3
"""PyTorch's LSTM and GRU on the shapes of `dojo bench rnn` (128 hidden, 32 steps, batch 16, 64
inputs), forward and backward, sequences per second: median of repeats. One JSON line per layer.

Usage: python3 scripts/torch_rnn_bench.py --threads 1
"""
import argparse, json, statistics, time
import torch

p = argparse.ArgumentParser()
p.add_argument("--threads", type=int, default=1)
p.add_argument("--repeats", type=int, default=7)
a = p.parse_args()
torch.set_num_threads(a.threads)
steps, batch, inputs, hidden = 32, 16, 64, 128
x = torch.rand(steps, batch, inputs) * 2 - 1
dy = torch.rand(steps, batch, hidden) * 2 - 1
for name, module in [("lstm", torch.nn.LSTM), ("gru", torch.nn.GRU)]:
    net = module(inputs, hidden)
    def call():
        net.zero_grad(set_to_none=True)
        y, _ = net(x)
        y.backward(dy)
    for _ in range(5):
        call()
    calls = 1
    while True:
        t = time.perf_counter()
        for _ in range(calls):
            call()
        if time.perf_counter() - t > 0.25:
            break
        calls *= 2
    runs = []
    for _ in range(a.repeats):
        t = time.perf_counter()
        for _ in range(calls):
            call()
        runs.append((time.perf_counter() - t) / calls)
    print(json.dumps({"workload": "rnn", "implementation": "pytorch", "variant": f"{name} h{hidden} T{steps} in{inputs}",
                      "threads": a.threads, "batch": batch, "unit": "sequences/s", "median": batch / statistics.median(runs),
                      "torch": torch.__version__}))
