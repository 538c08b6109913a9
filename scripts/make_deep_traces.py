"""Deep golden traces from the reference MinAtar 1.0.15 (pip install minatar==1.0.15).

The seed-0 golden traces end before most difficulty ramps and timers fire; these are played by
scripts/minatar_compare.py's observation-only heuristics (skill 0.9, then varied per episode),
long enough to pass Asterix's first ramps (every 102 steps of an episode), Space Invaders'
cleared waves, Seaquest's surfacings and Breakout's brick refills. Tests/MinAtarTests replays
them line by line without needing Python.

Usage: python scripts/make_deep_traces.py OUT_DIR [--seed 5] [--steps 3000]
"""
import argparse
import json
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
from minatar_compare import GAMES, reference_run  # noqa: E402


def main():
    p = argparse.ArgumentParser()
    p.add_argument("out")
    p.add_argument("--seed", type=int, default=5)
    p.add_argument("--steps", type=int, default=3000)
    args = p.parse_args()
    for game in GAMES:
        if game == "freeway":
            continue  # the seed-0 trace already covers whole 2,501-step episodes
        actions, lines = reference_run(game, args.seed, args.steps)
        lengths, n = [], 0
        for d in lines[1:]:
            if d["k"] == "reset":
                lengths.append(n)
                n = 0
            else:
                n += 1
        lengths.append(n)
        meta = {"k": "meta", "game": game, "minatar": "1.0.15", "env_seed": args.seed, "sticky_action_prob": 0.1,
                "ramping": True, "steps": args.steps, "policy": "scripts/minatar_compare.py heuristic",
                "episode_lengths": lengths}
        path = os.path.join(args.out, f"{game}_deep_seed{args.seed}.jsonl")
        with open(path, "w") as f:
            for d in [meta] + lines:
                f.write(json.dumps(d, separators=(",", ":")) + "\n")
        print(f"{path}: {len(actions)} steps, episodes {lengths}")


if __name__ == "__main__":
    main()
