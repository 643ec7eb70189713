#!/usr/bin/python3
"""PyTorch conformance: kobai's first-order optimizers against torch.optim (1.13), float64.

Runs the C++ program tests/conformance/optimizer_trajectories (path given as argv[1]); it prints,
for every optimizer variant and problem, the hyperparameters it used and its iterates. This script
rebuilds each case with torch.optim — same hyperparameters, gradients by autograd — and compares
iterate by iterate: |kobai − torch| <= 1e-10 · max(1, |torch|) for every component of every step.

Why 1e-10: both sides evaluate the same update formulas in the same order in IEEE double, so they
differ only by the last-bit rounding of the gradients (analytic formula vs autograd) and by FMA
contraction inside torch's kernels; over 200 steps that stays below ~1e-13 on these problems. A
wrong formula (a missing bias correction, eps in the wrong place, the seed's off-by-one) shows up
as 1e-4 or more within a few steps.

Prints a table (optimizer, variant, problem, steps, max relative difference) and exits non-zero,
naming the worst mismatch, when any case disagrees.
"""
import json
import subprocess
import sys

import torch

TOLERANCE = 1e-10


def beale(x):
    a = 1.5 - x[0] + x[0] * x[1]
    b = 2.25 - x[0] + x[0] * x[1] ** 2
    c = 2.625 - x[0] + x[0] * x[1] ** 3
    return a * a + b * b + c * c


def rosenbrock(x):
    odd, even = x[0::2], x[1::2]
    return (100 * (even - odd * odd) ** 2 + (1 - odd) ** 2).sum()


def elliptic(x):
    return x[0] ** 2 / 16 + 9 * x[1] ** 2


def sphere(x):
    return (x * x).sum()


PROBLEMS = {"beale": beale, "rosenbrock4": rosenbrock, "elliptic": elliptic, "sphere": sphere}


def make_torch_optimizer(name, h, x):
    """torch.optim optimizer for kobai's registry name and hyperparameters (kobai's names)."""
    betas = (h.get("beta1"), h.get("beta2"))
    if name in ("gd", "momentum", "nesterov"):
        return torch.optim.SGD([x], lr=h["lr"], momentum=h["momentum"], dampening=h["dampening"],
                               nesterov=bool(h["nesterov"]), weight_decay=h["weight_decay"],
                               foreach=False)
    if name == "adagrad":
        return torch.optim.Adagrad([x], lr=h["lr"], lr_decay=h["lr_decay"],
                                   weight_decay=h["weight_decay"],
                                   initial_accumulator_value=h["initial_accumulator_value"],
                                   eps=h["eps"], foreach=False)
    if name == "adadelta":
        opt = torch.optim.Adadelta([x], lr=h["lr"], rho=h["rho"], eps=h["eps"],
                                   weight_decay=h["weight_decay"], foreach=False)
        start = h["initial_accumulator_value"]
        if start != 0:  # kobai's option (seed 003); torch has none, so seed its lazy state
            opt.state[x] = {"step": 0, "square_avg": torch.full_like(x, start).detach(),
                            "acc_delta": torch.full_like(x, start).detach()}
        return opt
    if name == "rmsprop":
        opt = torch.optim.RMSprop([x], lr=h["lr"], alpha=h["alpha"], eps=h["eps"],
                                  weight_decay=h["weight_decay"], momentum=h["momentum"],
                                  centered=bool(h["centered"]), foreach=False)
        start = h["initial_square_avg"]
        if start != 0:
            state = {"step": 0, "square_avg": torch.full_like(x, start).detach()}
            if h["momentum"] > 0:
                state["momentum_buffer"] = torch.zeros_like(x).detach()
            if h["centered"]:
                state["grad_avg"] = torch.zeros_like(x).detach()
            opt.state[x] = state
        return opt
    if name in ("adam", "amsgrad"):
        return torch.optim.Adam([x], lr=h["lr"], betas=betas, eps=h["eps"],
                                weight_decay=h["weight_decay"], amsgrad=bool(h["amsgrad"]),
                                foreach=False)
    if name == "adamw":
        return torch.optim.AdamW([x], lr=h["lr"], betas=betas, eps=h["eps"],
                                 weight_decay=h["weight_decay"], amsgrad=bool(h["amsgrad"]),
                                 foreach=False)
    if name == "adamax":
        return torch.optim.Adamax([x], lr=h["lr"], betas=betas, eps=h["eps"],
                                  weight_decay=h["weight_decay"], foreach=False)
    if name == "nadam":
        return torch.optim.NAdam([x], lr=h["lr"], betas=betas, eps=h["eps"],
                                 weight_decay=h["weight_decay"],
                                 momentum_decay=h["momentum_decay"], foreach=False)
    raise SystemExit(f"torch_conformance: no torch.optim counterpart for '{name}'")


def torch_trajectory(case):
    f = PROBLEMS[case["problem"]]
    x = torch.tensor(case["x0"], dtype=torch.float64, requires_grad=True)
    opt = make_torch_optimizer(case["optimizer"], case["hyperparameters"], x)
    out = []
    for _ in range(case["steps"]):
        opt.zero_grad()
        f(x).backward()
        opt.step()
        out.append(x.detach().clone())
    return torch.stack(out)


def main():
    if len(sys.argv) < 2:
        raise SystemExit("usage: torch_conformance.py PATH/TO/optimizer_trajectories [steps]")
    steps = sys.argv[2] if len(sys.argv) > 2 else "200"
    data = json.loads(subprocess.run([sys.argv[1], steps], check=True, capture_output=True,
                                     text=True).stdout)
    rows, worst, failures = [], None, 0
    for case in data["cases"]:
        kobai = torch.tensor(case["trajectory"], dtype=torch.float64)
        reference = torch_trajectory(case)
        if kobai.shape != reference.shape or not torch.isfinite(reference).all():
            raise SystemExit(f"torch_conformance: case {case['optimizer']}/{case['variant']}/"
                             f"{case['problem']} has shape {tuple(kobai.shape)} vs "
                             f"{tuple(reference.shape)} or a non-finite torch iterate; fix the case")
        scaled = (kobai - reference).abs() / reference.abs().clamp(min=1.0)
        diff = scaled.max().item()
        step = int(scaled.max(dim=1).values.argmax().item()) + 1
        rows.append((case["optimizer"], case["variant"], case["problem"], case["steps"], diff))
        if diff > TOLERANCE:
            failures += 1
        if worst is None or diff > worst[0]:
            worst = (diff, case, step, kobai[step - 1].tolist(), reference[step - 1].tolist())

    print(f"{'optimizer':<10} {'variant':<18} {'problem':<12} {'steps':>5} {'max rel diff':>13}")
    for optimizer, variant, problem, n, diff in rows:
        flag = "" if diff <= TOLERANCE else "   <-- FAIL"
        print(f"{optimizer:<10} {variant:<18} {problem:<12} {n:>5} {diff:>13.3e}{flag}")
    diff, case, step, ours, theirs = worst
    print(f"\n{len(rows)} cases, worst: {case['optimizer']}/{case['variant']} on {case['problem']} "
          f"at step {step}: {diff:.3e}\n  kobai {ours}\n  torch {theirs}")
    if failures:
        print(f"FAIL: {failures} case(s) differ from torch.optim by more than {TOLERANCE:g} "
              f"(relative)", file=sys.stderr)
        return 1
    print(f"OK: every iterate agrees with torch.optim to {TOLERANCE:g} (relative)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
