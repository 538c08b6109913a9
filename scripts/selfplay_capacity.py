#!/usr/bin/env python3
"""What binds an AlphaZero run: network size or window (docs/results/go.md, "What binds").

Fits a PyTorch twin of Dojo's KataGo-shaped network (stem, BLOCKS residual blocks of FILTERS,
global pooling of POOLED channels in every third block, policy / value / ownership heads) from
scratch to the positions of a run's self-play files (DOJOAZ04, Agents/AlphaZero/SelfPlayRecord.swift)
of iterations TRAIN_FIRST..TRAIN_LAST, and reports the cross-entropy against the search's policy
targets, the value MSE against game outcomes and the ownership MSE on the held-out iterations
TEST_FIRST..TEST_LAST. Adam 1e-3 with cosine decay, weight decay 1e-4, batch 256, a random board
symmetry per batch, EPOCHS passes over the training positions; WINDOW keeps only the newest that
many training positions (the run's windowPositions) for the same number of steps when EPOCHS is
scaled to match. One thread, seed 0.

Usage: scripts/selfplay_capacity.py RUN/selfplay TRAIN_FIRST TRAIN_LAST TEST_FIRST TEST_LAST \
           BLOCKS FILTERS POOLED EPOCHS [WINDOW]
Needs numpy and torch.
"""
import struct, sys, time, glob, os, re
import numpy as np, torch, torch.nn as nn, torch.nn.functional as F

def read(path):
    b = open(path, 'rb').read()
    assert b[:8] == b'DOJOAZ04', path
    C, H, W, K, O, V, P = struct.unpack_from('<7I', b, 8)
    off = 36
    pb = (C * H * W + 7) // 8; lb = (K + 7) // 8
    X, L, PI, Z, F, OW, S = [], [], [], [], [], [], []
    for _ in range(P):
        bits = np.unpackbits(np.frombuffer(b, np.uint8, pb, off), bitorder='little')[:C * H * W]; off += pb
        legal = np.unpackbits(np.frombuffer(b, np.uint8, lb, off), bitorder='little')[:K]; off += lb
        pi = np.frombuffer(b, '<f4', K, off); off += 4 * K
        z, = struct.unpack_from('<f', b, off); off += 4
        flags = b[off]; off += 1
        X.append(bits.reshape(C, H, W)); L.append(legal); PI.append(pi); Z.append(z); F.append(flags & 1)
        if O:
            OW.append(np.frombuffer(b, np.int8, O, off).astype(np.float32)); off += O
            s, = struct.unpack_from('<f', b, off); off += 4; S.append(s)
    return (np.array(X, np.float32), np.array(L, bool), np.array(PI, np.float32), np.array(Z, np.float32),
            np.array(F, bool), np.array(OW, np.float32), np.array(S, np.float32), V)
def load(folder, first, last):
    parts = [read(p) for p in sorted(glob.glob(os.path.join(folder, 'iter*.dojoaz')))
             if first <= int(re.search(r'iter(\d+)', p).group(1)) <= last]
    return [np.concatenate([p[i] for p in parts]) for i in range(7)]

torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0)
folder, a, b, c, d = sys.argv[1], *map(int, sys.argv[2:6])
blocks, filters, pooled, epochs = map(int, sys.argv[6:10])
window = int(sys.argv[10]) if len(sys.argv) > 10 else 0
train = load(folder, a, b); test = load(folder, c, d)
if window: train = [x[-window:] for x in train]
N = 81
class Block(nn.Module):
    def __init__(s, ch, pooled=0):
        super().__init__(); s.pooled = pooled
        s.conv1, s.bn1 = nn.Conv2d(ch, ch, 3, padding=1, bias=False), nn.BatchNorm2d(ch)
        kept = ch - pooled; s.fc = nn.Linear(2 * pooled, kept) if pooled else None
        s.conv2, s.bn2 = nn.Conv2d(kept, ch, 3, padding=1, bias=False), nn.BatchNorm2d(ch)
    def forward(s, x):
        h = F.relu(s.bn1(s.conv1(x)))
        if s.pooled:
            k = h.shape[1] - s.pooled; xs, gs = h[:, :k], h[:, k:]
            h = xs + s.fc(torch.cat([gs.mean(dim=(2, 3)), gs.amax(dim=(2, 3))], 1))[:, :, None, None]
        return F.relu(x + s.bn2(s.conv2(h)))
class Net(nn.Module):
    def __init__(s):
        super().__init__()
        s.stem = nn.Sequential(nn.Conv2d(17, filters, 3, padding=1, bias=False), nn.BatchNorm2d(filters), nn.ReLU())
        s.trunk = nn.Sequential(*[Block(filters, pooled if i % 3 == 2 else 0) for i in range(blocks)])
        s.policy = nn.Sequential(nn.Conv2d(filters, 2, 1, bias=False), nn.BatchNorm2d(2), nn.ReLU(), nn.Flatten(), nn.Linear(2 * N, N + 1))
        s.value = nn.Sequential(nn.Conv2d(filters, 1, 1, bias=False), nn.BatchNorm2d(1), nn.ReLU(), nn.Flatten(), nn.Linear(N, 64), nn.ReLU(), nn.Linear(64, 1), nn.Tanh())
        s.own = nn.Sequential(nn.Conv2d(filters, 1, 1), nn.Tanh(), nn.Flatten())
    def forward(s, x):
        h = s.trunk(s.stem(x)); return s.policy(h), s.value(h).squeeze(1), s.own(h)
def sym(x, pi, own, k, flip):
    # the same dihedral transform on planes, the 81 board moves (pass kept) and ownership
    B = x.shape[0]
    board = pi[:, :N].reshape(B, 1, 9, 9); o = own.reshape(B, 1, 9, 9)
    t = lambda t: torch.rot90(torch.flip(t, [3]) if flip else t, k, [2, 3])
    return t(x), torch.cat([t(board).reshape(B, N), pi[:, N:]], 1), t(o).reshape(B, N)
def tensors(d, idx):
    # planes, policy targets, outcomes, owners, and whether the policy is a target (a cheap
    # search's visits are not: playout cap randomization)
    return (torch.from_numpy(d[0][idx]), torch.from_numpy(d[2][idx]), torch.from_numpy(d[3][idx]), torch.from_numpy(d[5][idx]),
            torch.from_numpy(d[4][idx]).float())
net = Net(); opt = torch.optim.Adam(net.parameters(), lr=1e-3, weight_decay=1e-4)
params = sum(p.numel() for p in net.parameters())
def evaluate():
    net.eval(); tot = np.zeros(3); n = 0; targets = 0
    with torch.no_grad():
        for i in range(0, len(test[0]), 1024):
            x, pi, z, own, target = tensors(test, slice(i, i + 1024))
            p, v, o = net(x)
            tot += [-(target * (pi * F.log_softmax(p, 1)).sum(1)).sum().item(), ((v - z) ** 2).sum().item(), ((o - own) ** 2).mean(1).sum().item()]
            n += len(z); targets += target.sum().item()
    net.train(); return tot / [max(1, targets), n, n]
M = len(train[0]); steps = epochs * M // 256; t0 = time.time()
sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, steps)
print(f"{blocks}x{filters} pooled {pooled}: {params} parameters, {M} train / {len(test[0])} held-out positions, {steps} steps", flush=True)
for step in range(steps):
    idx = np.random.randint(0, M, 256)
    x, pi, z, own, target = tensors(train, idx)
    x, pi, own = sym(x, pi, own, np.random.randint(4), np.random.randint(2) == 1)
    p, v, o = net(x)
    policy = -(target * (pi * F.log_softmax(p, 1)).sum(1)).sum() / target.sum().clamp(min=1)
    loss = policy + F.mse_loss(v, z) + 1.5 * F.mse_loss(o, own)
    opt.zero_grad(); loss.backward(); opt.step(); sched.step()
    if (step + 1) % max(1, steps // 4) == 0 or step + 1 == steps:
        e = evaluate(); print(f"step {step + 1}: held-out policy CE {e[0]:.4f}  value MSE {e[1]:.4f}  ownership MSE {e[2]:.4f}  ({time.time() - t0:.0f} s)", flush=True)
