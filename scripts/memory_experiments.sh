#!/usr/bin/env bash
# The memory results of docs/results/memory.md: feed-forward, LSTM, GRU and attention PPO on
# the T-maze gridworld/memory-N,view=3 (N = 4, 16, 32, 60; 500k frames) and on MinAtar Breakout
# with flickering observations (flicker=0.5; 5M frames; and without, for comparison), seeds
# 1–3; attention with and without positions and with GTrXL's gate; then R2D2 on the same tasks. Resumable: a finished run
# (its log has the evaluation line) is skipped, an unfinished one continues with --resume.
# Needs a release build (`make release`). Usage: scripts/memory_experiments.sh [OUT]
# (default: ../runs/memory, beside the repository). DOJO=path runs another binary (keep one
# build for a whole queue); ONLY=regex runs only the rows whose names match it.
set -euo pipefail
cd "$(dirname "$0")/.."
dojo="${DOJO:-$PWD/.build/release/dojo}"
only="${ONLY:-.}"
out="${1:-../runs/memory}"
mkdir -p "$out"
run_with() {  # agent name env frames seed settings...
  local agent=$1 name=$2 env=$3 frames=$4 seed=$5; shift 5
  local dir="$out/$name" args
  [[ $name =~ $only ]] || return 0
  mkdir -p "$dir"
  if grep -q "^evaluation" "$dir/log" 2>/dev/null; then return; fi
  local run
  run=$(ls -d "$dir"/*__"$agent"__* 2>/dev/null | head -1 || true)
  if [ -n "$run" ]; then args=(train "$agent" --resume "$run" --quiet)
  else args=(train "$agent" --env "$env" --seed "$seed" --run-dir "$dir" --quiet --set "frames=$frames" "$@"); fi
  OPENBLAS_NUM_THREADS=1 "$dojo" "${args[@]}" --eval-episodes 100 >> "$dir/log" 2>&1
}
run_one() { run_with ppo "$@"; }
agents() {  # prefix env frames seed
  run_one "$1-ff-s$4" "$2" "$3" "$4" --set memory=none
  run_one "$1-lstm-s$4" "$2" "$3" "$4" --set memory=lstm
  run_one "$1-gru-s$4" "$2" "$3" "$4" --set memory=gru
  # The first attention rows were trained before positions existed: memoryPositions=false.
  run_one "$1-attn16-s$4" "$2" "$3" "$4" --set memory=attention --set memoryLength=16 --set memoryPositions=false
  run_one "$1-attn64-s$4" "$2" "$3" "$4" --set memory=attention --set memoryLength=64 --set memoryPositions=false
  run_one "$1-attn16pos-s$4" "$2" "$3" "$4" --set memory=attention --set memoryLength=16
  run_one "$1-attn16gate-s$4" "$2" "$3" "$4" --set memory=attention --set memoryLength=16 --set memoryGate=true
}
for seed in 1 2 3; do
  for n in 4 16 32 60; do agents "maze$n" "gridworld/memory-$n,view=3" 500000 "$seed"; done
done
# memory-60 again with rollouts of 256 steps: the preset's 64 are shorter than the 61 steps from
# the cue to the junction, so truncated backpropagation (which stops at a rollout's start)
# rarely links the two. 1M frames; attention with a window of 64 steps, which holds the cue.
for seed in 1 2 3; do
  run_one "maze60-steps256-lstm-s$seed" gridworld/memory-60,view=3 1000000 "$seed" --set memory=lstm --set steps=256
  run_one "maze60-steps256-gru-s$seed" gridworld/memory-60,view=3 1000000 "$seed" --set memory=gru --set steps=256
  run_one "maze60-steps256-ff-s$seed" gridworld/memory-60,view=3 1000000 "$seed" --set memory=none --set steps=256
  run_one "maze60-steps256-attn64pos-s$seed" gridworld/memory-60,view=3 1000000 "$seed" --set memory=attention --set memoryLength=64 --set steps=256
  # The control: the preset's 64-step rollouts for as many frames.
  run_one "maze60-1M-lstm-s$seed" gridworld/memory-60,view=3 1000000 "$seed" --set memory=lstm
  run_one "maze60-1M-gru-s$seed" gridworld/memory-60,view=3 1000000 "$seed" --set memory=gru
done
for seed in 1 2 3; do
  run_one "breakout-flicker-ff-s$seed" minatar/breakout,flicker=0.5 5000000 "$seed" --set memory=none
  run_one "breakout-flicker-lstm-s$seed" minatar/breakout,flicker=0.5 5000000 "$seed" --set memory=lstm
  run_one "breakout-flicker-attn16-s$seed" minatar/breakout,flicker=0.5 5000000 "$seed" --set memory=attention --set memoryPositions=false
  run_one "breakout-flicker-attn16pos-s$seed" minatar/breakout,flicker=0.5 5000000 "$seed" --set memory=attention
  run_one "breakout-ff-s$seed" minatar/breakout 5000000 "$seed" --set memory=none
  run_one "breakout-lstm-s$seed" minatar/breakout 5000000 "$seed" --set memory=lstm
done
# R2D2 (a recurrent DQN: stored states, burn-in; evaluated greedily): the mazes at 500k frames,
# flickering Breakout at 5M.
for seed in 1 2 3; do
  for n in 4 16 32 60; do run_with r2d2 "maze$n-r2d2-s$seed" "gridworld/memory-$n,view=3" 500000 "$seed"; done
done
for seed in 1 2 3; do
  run_with r2d2 "breakout-flicker-r2d2-s$seed" minatar/breakout,flicker=0.5 5000000 "$seed"
done
# A memoryless DQN (the MinAtar reference config) under the same flicker, 2M frames: the baseline
# R2D2's memory has to beat.
for seed in 1 2 3; do
  run_with dqn "breakout-flicker-dqn-s$seed" minatar/breakout,flicker=0.5 2000000 "$seed"
done
# Tables: the evaluation line of every run.
for log in "$out"/*/log; do echo "$(basename "$(dirname "$log")") $(grep -h '^evaluation' "$log" | tail -1)"; done
