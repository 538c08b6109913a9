#!/usr/bin/env python3
"""PyTorch's LSTM, GRU and multi-head self-attention on the shapes of `dojo bench sequence`
(LSTM/GRU: 128 hidden, 32 steps, 64 inputs; attention: width 64, 4 heads, 64 steps; batch 16),
forward and backward, sequences per second: median of repeats. One JSON line per layer.
The inputs require gradients, as `dojo bench sequence` computes them (a layer inside a
network passes its input gradient down); without it PyTorch skips the input products — for
attention a sixth of the work. `--no-input-gradient` measures that lighter call instead.

Usage: python3 scripts/torch_sequence_bench.py --threads 1
"""
import argparse, json, statistics, time
import torch

p = argparse.ArgumentParser()
p.add_argument("--threads", type=int, default=1)
p.add_argument("--repeats", type=int, default=7)
p.add_argument("--no-input-gradient", action="store_true")
a = p.parse_args()
torch.set_num_threads(a.threads)
steps, batch, inputs, hidden = 32, 16, 64, 128
x = (torch.rand(steps, batch, inputs) * 2 - 1).requires_grad_(not a.no_input_gradient)
dy = torch.rand(steps, batch, hidden) * 2 - 1


def timed(call):
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
    return batch / statistics.median(runs)


def report(variant, value):
    print(json.dumps({"workload": "sequence", "implementation": "pytorch", "variant": variant, "threads": a.threads,
                      "batch": batch, "unit": "sequences/s", "median": value, "input_gradient": not a.no_input_gradient,
                      "torch": torch.__version__}))


for name, module in [("lstm", torch.nn.LSTM), ("gru", torch.nn.GRU)]:
    net = module(inputs, hidden)
    def call():
        net.zero_grad(set_to_none=True)
        x.grad = None
        y, _ = net(x)
        y.backward(dy)
    report(f"{name} h{hidden} T{steps} in{inputs}", timed(call))

attention = torch.nn.MultiheadAttention(64, 4)
ax = (torch.rand(64, batch, 64) * 2 - 1).requires_grad_(not a.no_input_gradient)
ady = torch.rand(64, batch, 64) * 2 - 1
def attention_call():
    attention.zero_grad(set_to_none=True)
    ax.grad = None
    y, _ = attention(ax, ax, ax, need_weights=False)
    y.backward(ady)
report("attention e64 h4 T64", timed(attention_call))
