"""Black-box comparison of `dojo trace` with the reference MinAtar 1.0.15 (pip install minatar==1.0.15).

For every game and seed, plays the reference with a mix of policies that reach deep states
(a ball-tracking paddle, a wave-clearing cannon, a diver-collecting submarine that surfaces in
time, plus random actions), records the chosen actions, replays them with
`dojo trace <game> --seed S --actions FILE`, and requires every line to match: executed
action, reward, terminal flag and observation CRC. Exit status 1 on the first mismatch.

Usage: python scripts/minatar_compare.py DOJO_BINARY [--seeds 0,1,2] [--steps 20000]
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import zlib

import numpy as np
from minatar import Environment

GAMES = ["breakout", "space_invaders", "freeway", "asterix", "seaquest"]


def crc(state):
    return f"{zlib.crc32(np.packbits(state.reshape(-1).astype(np.uint8)).tobytes()) & 0xFFFFFFFF:08x}"


def cells(state, channel):
    ys, xs = np.nonzero(state[:, :, channel])
    return list(zip(ys.tolist(), xs.tolist()))


def toward(dx, left=1, right=3, stay=0):
    return left if dx < 0 else right if dx > 0 else stay


def heuristic(game, state, rng):
    """A competent-ish action from the observation alone (never the reference's internals)."""
    if game == "breakout":
        paddle, ball, trail = cells(state, 0), cells(state, 1), cells(state, 2)
        if paddle and ball and trail:
            (by, bx), (ty, tx) = ball[0], trail[0]
            dx, dy = (bx - tx) or 1, by - ty
            if dy > 0:  # falling: follow the diagonal, bouncing off the side walls, to row 8
                while by < 8:
                    bx, by = bx + dx, by + 1
                    if bx < 0 or bx > 9:
                        dx, bx = -dx, min(9, max(0, bx))
            return toward(bx - paddle[0][1])
    elif game == "space_invaders":
        cannon, aliens, shots = cells(state, 0), cells(state, 1), cells(state, 5)
        if cannon and aliens:
            x = cannon[0][1]
            if any(sx == x and sy >= 6 for sy, sx in shots):
                return 1 if x > 0 else 3
            target = min(aliens, key=lambda c: abs(c[1] - x))[1]
            return 5 if target == x or rng.rand() < 0.5 else toward(target - x)
    elif game == "freeway":
        return 2
    elif game == "asterix":
        player, enemies, gold = cells(state, 0), cells(state, 1), cells(state, 3)
        if player:
            y, x = player[0]
            if any(abs(ey - y) <= 0 and abs(ex - x) <= 2 for ey, ex in enemies):
                return 2 if y > 1 else 4
            if gold:
                gy, gx = min(gold, key=lambda c: abs(c[0] - y) + abs(c[1] - x))
                return 2 if gy < y else 4 if gy > y else toward(gx - x)
    elif game == "seaquest":
        front, oxygen, divers_aboard = cells(state, 0), len(cells(state, 7)), len(cells(state, 8))
        divers, enemies = cells(state, 9), cells(state, 5) + cells(state, 6)
        if front:
            y, x = front[0]
            if oxygen <= 3 or divers_aboard >= 6 or (oxygen <= 5 and divers_aboard > 0):
                return 2
            if any(ey == y for ey, _ in enemies) and rng.rand() < 0.7:
                return 5
            if divers:
                dy, dx = min(divers, key=lambda c: abs(c[0] - y) + abs(c[1] - x))
                return 2 if dy < y else 4 if dy > y else toward(dx - x)
            return 4 if y < 4 else toward(rng.randint(3) - 1)
    return int(rng.randint(6))


def reference_run(game, seed, steps):
    env = Environment(game)
    env.seed(seed)
    env.reset()
    rng = np.random.RandomState(seed + 1000)
    lines = [{"k": "reset", "crc": crc(env.state())}]
    actions = []
    skill = 0.9
    for t in range(steps):
        a = heuristic(game, env.state(), rng) if rng.rand() < skill else int(rng.randint(6))
        actions.append(a)
        r, done = env.act(a)
        lines.append({"k": "step", "t": t, "a": a, "x": int(env.last_action), "r": int(r), "d": int(done), "crc": crc(env.state())})
        if done:
            env.reset()
            lines.append({"k": "reset", "crc": crc(env.state())})
            skill = rng.choice([0.0, 0.9, 1.0, 1.0])
    return actions, lines


def main():
    p = argparse.ArgumentParser()
    p.add_argument("dojo")
    p.add_argument("--seeds", default="0,1,2")
    p.add_argument("--steps", type=int, default=20000)
    args = p.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        for game in GAMES:
            for seed in map(int, args.seeds.split(",")):
                actions, expected = reference_run(game, seed, args.steps)
                path = os.path.join(tmp, "actions.txt")
                with open(path, "w") as f:
                    f.write("\n".join(map(str, actions)) + "\n")
                out = subprocess.run([args.dojo, "trace", f"minatar/{game}", "--seed", str(seed), "--steps",
                                      str(len(actions)), "--actions", path], capture_output=True, text=True, check=True)
                got = [json.loads(line) for line in out.stdout.splitlines() if line]
                episodes = sum(1 for d in expected if d["k"] == "reset") - 1
                score = sum(d.get("r", 0) for d in expected)
                best, run = 0, 0
                for d in expected:
                    run = 0 if d["k"] == "reset" else run + d["r"]
                    best = max(best, run)
                for i, (e, g) in enumerate(zip(expected, got)):
                    if e != g:
                        print(f"MISMATCH {game} seed {seed} line {i}: reference {e} dojo {g}")
                        sys.exit(1)
                if len(expected) != len(got):
                    print(f"MISMATCH {game} seed {seed}: {len(expected)} reference lines, {len(got)} from dojo")
                    sys.exit(1)
                print(f"ok {game} seed {seed}: {len(actions)} steps, {episodes} episodes, total reward {score}, best episode {best}")


if __name__ == "__main__":
    main()
