#!/usr/bin/env python3
"""A PyTorch PPO on the reference MinAtar package, for side-by-side speed (and sanity) checks of
`dojo train ppo` (issue 23). One file in the style of CleanRL's ppo.py, written for Dojo: the
same config as Dojo's MinAtar preset (64 copies x 128 steps, 4 epochs x 8 minibatches, GAE
0.99/0.95, clip 0.2, entropy 0.01, value 0.5, Adam eps 1e-5 with the learning rate annealed,
gradient norm 0.5), the same network (conv 16x3x3 valid -> ReLU -> 128 -> ReLU -> policy and
value heads, orthogonal init), truncation bootstrapped from V(final observation) like Dojo. With --memory lstm|gru, the
recurrent PPO of CleanRL's ppo_atari_lstm as Dojo builds it (`--set memory=lstm`): a recurrent
layer of 128 between the trunk and the heads (orthogonal weights, zero biases), its state
carried across steps and zeroed where an episode starts, minibatches of whole rollouts of
copies run from their initial state.

Prints one JSON line: frames, seconds, frames_per_second, update_seconds (time in the update
phase), rollout_seconds, and the mean return of the last 100 episodes.

Usage: python3 scripts/ppo_reference.py --game breakout --frames 500000 --threads 1
"""
import argparse
import json
import time

import numpy as np
import torch
import torch.nn as nn
from minatar import Environment


def layer(module, gain):
    nn.init.orthogonal_(module.weight, gain)
    nn.init.zeros_(module.bias)
    return module


class ActorCritic(nn.Module):
    def __init__(self, channels, actions, filters=16, hidden=128, memory=None, units=128):
        super().__init__()
        root = 2 ** 0.5
        self.trunk = nn.Sequential(
            layer(nn.Conv2d(channels, filters, 3), root), nn.ReLU(), nn.Flatten(),
            layer(nn.Linear(filters * 8 * 8, hidden), root), nn.ReLU())
        self.memory = None
        if memory:
            self.memory = (nn.LSTM if memory == "lstm" else nn.GRU)(hidden, units)
            for name, p in self.memory.named_parameters():
                (nn.init.orthogonal_(p, 1.0) if "weight" in name else nn.init.zeros_(p))
            hidden = units
        self.policy = layer(nn.Linear(hidden, actions), 0.01)
        self.value = layer(nn.Linear(hidden, 1), 1.0)

    def forward(self, x):
        h = self.trunk(x)
        return self.policy(h), self.value(h).squeeze(-1)

    def zero_state(self, n):
        h = torch.zeros(1, n, self.memory.hidden_size)
        return (h, torch.zeros_like(h)) if isinstance(self.memory, nn.LSTM) else h

    def sequence(self, x, state, starts):
        """x [T*B, C, H, W] time-major, state before step 0, starts [T, B] (1 where an episode
        starts: the state is zeroed before that step) -> logits, values [T*B], final state."""
        steps, batch = starts.shape
        h = self.trunk(x).reshape(steps, batch, -1)
        out = []
        for t in range(steps):
            keep = (1.0 - starts[t]).view(1, -1, 1)
            state = tuple(s * keep for s in state) if isinstance(state, tuple) else state * keep
            y, state = self.memory(h[t].unsqueeze(0), state)
            out.append(y)
        y = torch.cat(out).reshape(steps * batch, -1)
        return self.policy(y), self.value(y).squeeze(-1), state


def rows(state, idx):
    return tuple(s[:, idx] for s in state) if isinstance(state, tuple) else state[:, idx]


class Copies:
    """N MinAtar environments stepped in turn, reset in the same step when an episode ends."""

    def __init__(self, game, count, sticky, seed, max_steps):
        self.envs = []
        for i in range(count):
            env = Environment(game, sticky_action_prob=sticky)
            env.seed(seed + i)
            env.reset()
            self.envs.append(env)
        self.max_steps = max_steps
        self.lengths = np.zeros(count, dtype=np.int64)
        self.returns = np.zeros(count)
        self.finished = []

    def observe(self, env):
        return np.transpose(env.state(), (2, 0, 1)).astype(np.float32)

    def observations(self):
        return np.stack([self.observe(e) for e in self.envs])

    def step(self, actions):
        n = len(self.envs)
        rewards = np.zeros(n, dtype=np.float32)
        terminated = np.zeros(n, dtype=bool)
        truncated = np.zeros(n, dtype=bool)
        finals = {}
        for i, env in enumerate(self.envs):
            r, done = env.act(int(actions[i]))
            self.lengths[i] += 1
            self.returns[i] += r
            rewards[i] = r
            cut = not done and self.max_steps and self.lengths[i] >= self.max_steps
            if done or cut:
                terminated[i], truncated[i] = done, cut
                if cut:
                    finals[i] = self.observe(env)
                self.finished.append(self.returns[i])
                self.lengths[i] = 0
                self.returns[i] = 0
                env.reset()
        return rewards, terminated, truncated, finals


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--game", default="breakout")
    p.add_argument("--frames", type=int, default=500_000)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--environments", type=int, default=64)
    p.add_argument("--steps", type=int, default=128)
    p.add_argument("--epochs", type=int, default=4)
    p.add_argument("--minibatches", type=int, default=8)
    p.add_argument("--learning-rate", type=float, default=5e-4)
    p.add_argument("--sticky", type=float, default=0.1)
    p.add_argument("--max-steps", type=int, default=0, help="truncate episodes after this many steps (0: never)")
    p.add_argument("--memory", choices=["lstm", "gru"], default=None, help="a recurrent layer between trunk and heads")
    p.add_argument("--check", action="store_true", help="report how far the update's first pass is from the rollout's log-probabilities")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    np.random.seed(a.seed)
    rng = np.random.default_rng(a.seed)
    copies = Copies(a.game, a.environments, a.sticky, a.seed, a.max_steps)
    shape = copies.observations().shape[1:]
    actions_count = copies.envs[0].num_actions()
    net = ActorCritic(shape[0], actions_count, memory=a.memory)
    optimizer = torch.optim.Adam(net.parameters(), lr=a.learning_rate, eps=1e-5)
    n, t_steps = a.environments, a.steps
    batch = n * t_steps
    minibatch = batch // a.minibatches
    iterations = (a.frames + batch - 1) // batch
    gamma, lam, clip = 0.99, 0.95, 0.2

    obs_buf = torch.zeros((t_steps, n) + shape)
    act_buf = torch.zeros((t_steps, n), dtype=torch.long)
    logp_buf = torch.zeros((t_steps, n))
    val_buf = torch.zeros((t_steps, n))
    rew_buf = torch.zeros((t_steps, n))
    term_buf = torch.zeros((t_steps, n), dtype=torch.bool)
    trunc_buf = torch.zeros((t_steps, n), dtype=torch.bool)
    trunc_val = torch.zeros((t_steps, n))

    start_buf = torch.zeros((t_steps, n))
    obs = torch.from_numpy(copies.observations())
    state = net.zero_state(n) if a.memory else None
    started = torch.zeros(n)   # 1 where the copy's episode ended at the last step
    rollout_seconds = update_seconds = 0.0
    worst = 0.0
    start = time.perf_counter()
    frames = 0
    for iteration in range(iterations):
        for g in optimizer.param_groups:
            g["lr"] = a.learning_rate * (1 - iteration / iterations)
        t0 = time.perf_counter()
        with torch.no_grad():
            initial = tuple(s.clone() for s in state) if isinstance(state, tuple) else (state.clone() if a.memory else None)
            for t in range(t_steps):
                if a.memory:
                    start_buf[t] = started
                    logits, value, state = net.sequence(obs, state, started.view(1, -1))
                else:
                    logits, value = net(obs)
                dist = torch.distributions.Categorical(logits=logits)
                action = dist.sample()
                obs_buf[t], act_buf[t], logp_buf[t], val_buf[t] = obs, action, dist.log_prob(action), value
                rewards, terminated, truncated, finals = copies.step(action.numpy())
                rew_buf[t] = torch.from_numpy(rewards)
                term_buf[t] = torch.from_numpy(terminated)
                trunc_buf[t] = torch.from_numpy(truncated)
                trunc_val[t] = 0
                if finals:
                    idx = sorted(finals)
                    final_obs = torch.from_numpy(np.stack([finals[i] for i in idx]))
                    if a.memory:
                        trunc_val[t, idx] = net.sequence(final_obs, rows(state, idx), torch.zeros(1, len(idx)))[1]
                    else:
                        trunc_val[t, idx] = net(final_obs)[1]
                started = torch.from_numpy((terminated | truncated).astype(np.float32))
                obs = torch.from_numpy(copies.observations())
            frames += batch
            last = net.sequence(obs, state, started.view(1, -1))[1] if a.memory else net(obs)[1]
            adv = torch.zeros((t_steps, n))
            following = torch.zeros(n)
            for t in reversed(range(t_steps)):
                ended = term_buf[t] | trunc_buf[t]
                nxt = last if t == t_steps - 1 else val_buf[t + 1]
                nxt = torch.where(term_buf[t], torch.zeros(n), torch.where(trunc_buf[t], trunc_val[t], nxt))
                delta = rew_buf[t] + gamma * nxt - val_buf[t]
                following = delta + gamma * lam * following * (~ended)
                adv[t] = following
            ret = adv + val_buf
        t1 = time.perf_counter()
        b_obs, b_act, b_logp = obs_buf.reshape((-1,) + shape), act_buf.reshape(-1), logp_buf.reshape(-1)
        b_adv, b_ret = adv.reshape(-1), ret.reshape(-1)
        per = n // a.minibatches
        for epoch in range(a.epochs):
            order = rng.permutation(n if a.memory else batch)
            for s in range(0, len(order), per if a.memory else minibatch):
                if a.memory:
                    envs = torch.from_numpy(order[s:s + per])
                    mb = (torch.arange(t_steps).unsqueeze(1) * n + envs.unsqueeze(0)).reshape(-1)   # time-major rows
                    logits, value, _ = net.sequence(b_obs[mb], rows(initial, envs), start_buf[:, envs])
                else:
                    mb = torch.from_numpy(order[s:s + minibatch])
                    logits, value = net(b_obs[mb])
                logp_all = torch.log_softmax(logits, -1)
                logp = logp_all.gather(1, b_act[mb].unsqueeze(1)).squeeze(1)
                if a.check and epoch == 0 and s == 0:
                    worst = max(worst, float((logp - b_logp[mb]).abs().max()))
                entropy = -(logp_all.exp() * logp_all).sum(-1).mean()
                ratio = (logp - b_logp[mb]).exp()
                mb_adv = b_adv[mb]
                mb_adv = (mb_adv - mb_adv.mean()) / (mb_adv.std() + 1e-8)
                pg = torch.max(-mb_adv * ratio, -mb_adv * ratio.clamp(1 - clip, 1 + clip)).mean()
                v_loss = 0.5 * ((value - b_ret[mb]) ** 2).mean()
                loss = pg - 0.01 * entropy + 0.5 * v_loss
                optimizer.zero_grad()
                loss.backward()
                nn.utils.clip_grad_norm_(net.parameters(), 0.5)
                optimizer.step()
        t2 = time.perf_counter()
        rollout_seconds += t1 - t0
        update_seconds += t2 - t1
    seconds = time.perf_counter() - start
    recent = copies.finished[-100:]
    print(json.dumps({
        "workload": "ppo-memory" if a.memory else "ppo-train", "memory": a.memory, "implementation": "pytorch", "game": a.game, "threads": a.threads,
        "frames": frames, "seconds": round(seconds, 3), "frames_per_second": round(frames / seconds, 1),
        "rollout_seconds": round(rollout_seconds, 3), "update_seconds": round(update_seconds, 3),
        "update_microseconds_per_frame": round(1e6 * update_seconds / frames, 2),
        "recent_return": round(float(np.mean(recent)), 3) if recent else None,
        "torch": torch.__version__,
        **({"first_pass_logp_error": worst} if a.check else {}),
    }))


if __name__ == "__main__":
    main()
