#!/usr/bin/env python3
"""PyTorch twin of `dojo bench kata-train` and `dojo bench kata-infer`.

The 9x9 AlphaGo Zero network of the shared reference (17 planes, stem and 6 residual blocks of
64, policy head 2 channels, value head 256 hidden) with KataGo's additions as Dojo builds them
(Wu 2019): global pooling in blocks 3 and 6 (16 of 64 channels pooled by mean and max into
biases for the other 48 before the second convolution) and two auxiliary heads, ownership
(1x1 conv with bias, tanh per point) and score (1x1 conv, BN, ReLU, dense 256, ReLU, dense 1).
Training: batch 256, Adam lr 1e-3, loss = soft-target policy cross-entropy + value MSE
+ 1.5 * ownership MSE + score MSE. Inference: eval mode, policy and value (what search needs),
batch 1, 8 and 64. Timing: 7 repeats of calibrated length (>= 0.3 s), median per call.

Usage: python3 scripts/torch_katago_bench.py [--threads 1,2] [--json out.json]
"""
import argparse, json, statistics, time
import torch
import torch.nn as nn
import torch.nn.functional as F

BOARD, PLANES, FILTERS, BLOCKS, POOLED = 9, 17, 64, 6, 16


class Block(nn.Module):
    def __init__(self, c, pooled=0):
        super().__init__()
        self.pooled = pooled
        self.conv1, self.bn1 = nn.Conv2d(c, c, 3, padding=1, bias=False), nn.BatchNorm2d(c)
        kept = c - pooled
        self.fc = nn.Linear(2 * pooled, kept) if pooled else None
        self.conv2, self.bn2 = nn.Conv2d(kept, c, 3, padding=1, bias=False), nn.BatchNorm2d(c)

    def forward(self, x):
        a = F.relu(self.bn1(self.conv1(x)))
        if self.pooled:
            kept = a.shape[1] - self.pooled
            xs, gs = a[:, :kept], a[:, kept:]
            features = torch.cat([gs.mean(dim=(2, 3)), gs.amax(dim=(2, 3))], 1)
            a = xs + self.fc(features)[:, :, None, None]
        return F.relu(x + self.bn2(self.conv2(a)))


class KataNet(nn.Module):
    def __init__(self):
        super().__init__()
        n = BOARD * BOARD
        self.stem = nn.Sequential(nn.Conv2d(PLANES, FILTERS, 3, padding=1, bias=False), nn.BatchNorm2d(FILTERS), nn.ReLU())
        self.trunk = nn.Sequential(*[Block(FILTERS, POOLED if i % 3 == 2 else 0) for i in range(BLOCKS)])
        self.policy = nn.Sequential(nn.Conv2d(FILTERS, 2, 1, bias=False), nn.BatchNorm2d(2), nn.ReLU(), nn.Flatten(), nn.Linear(2 * n, n + 1))
        self.value = nn.Sequential(nn.Conv2d(FILTERS, 1, 1, bias=False), nn.BatchNorm2d(1), nn.ReLU(), nn.Flatten(),
                                   nn.Linear(n, 256), nn.ReLU(), nn.Linear(256, 1), nn.Tanh())
        self.ownership = nn.Sequential(nn.Conv2d(FILTERS, 1, 1), nn.Tanh(), nn.Flatten())
        self.score = nn.Sequential(nn.Conv2d(FILTERS, 1, 1, bias=False), nn.BatchNorm2d(1), nn.ReLU(), nn.Flatten(),
                                   nn.Linear(n, 256), nn.ReLU(), nn.Linear(256, 1))

    def forward(self, x, auxiliary=True):
        h = self.trunk(self.stem(x))
        out = (self.policy(h), self.value(h))
        return out + (self.ownership(h), self.score(h)) if auxiliary else out


def per_call(fn, warmup=3, repeats=7, seconds=0.3):
    for _ in range(warmup):
        fn()
    start, n = time.perf_counter(), 0
    while time.perf_counter() - start < seconds / 2:
        fn(); n += 1
    calls = max(1, int(n * seconds / (time.perf_counter() - start)))
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        for _ in range(calls):
            fn()
        times.append((time.perf_counter() - t) / calls)
    return statistics.median(times)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--json", default=None)
    args = ap.parse_args()
    torch.manual_seed(0)
    rows = []
    n = BOARD * BOARD
    for threads in [int(t) for t in args.threads.split(",")]:
        torch.set_num_threads(threads)
        net = KataNet()
        opt = torch.optim.Adam(net.parameters(), lr=1e-3)
        batch = 256
        x = (torch.rand(batch, PLANES, BOARD, BOARD) < 0.3).float()
        pi = torch.softmax(torch.randn(batch, n + 1), 1)
        z = torch.randint(-1, 2, (batch, 1)).float()
        owners = torch.randint(-1, 2, (batch, n)).float()
        margins = torch.rand(batch, 1) * 2 - 1

        def step():
            p, v, o, s = net(x)
            loss = -(pi * F.log_softmax(p, 1)).sum(1).mean() + F.mse_loss(v, z) + 1.5 * F.mse_loss(o, owners) + F.mse_loss(s, margins)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
        seconds = per_call(step, warmup=2)
        rows.append(dict(workload="kata-train", threads=threads, batch=batch, per_second=1 / seconds))
        print(f"kata-train threads {threads} batch {batch}: {1 / seconds:.2f} steps/s", flush=True)
        net.eval()
        for b in (1, 8, 64):
            xb = (torch.rand(b, PLANES, BOARD, BOARD) < 0.3).float()

            def infer():
                with torch.inference_mode():
                    net(xb, auxiliary=False)
            seconds = per_call(infer)
            rows.append(dict(workload="kata-infer", threads=threads, batch=b, per_second=b / seconds))
            print(f"kata-infer threads {threads} batch {b}: {b / seconds:.0f} positions/s", flush=True)
    if args.json:
        with open(args.json, "w") as fh:
            json.dump(dict(torch=torch.__version__, rows=rows), fh, indent=1)


if __name__ == "__main__":
    main()
