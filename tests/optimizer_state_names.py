#!/usr/bin/python3
"""kobai's optimizer state against torch.optim's state_dict(): the same names, the same values.

Runs tests/conformance/optimizer_trajectories (argv[1]) for a few steps; for every optimizer
variant and problem it prints kobai's state after the last step (AnyFirstOrder::state() and
state_names()). This script replays each case with torch.optim (tests/torch_conformance.py builds
the optimizers) and compares with state_dict()['state'][0]:

- names: torch's keys, less "step" and entries that are None (torch 1.13's plain SGD writes
  momentum_buffer = None), must be exactly kobai's state_names() and the keys of its buffers and
  scalars;
- step: where torch keeps one (all but SGD), it equals kobai's;
- values: every buffer to 1e-12 relative (|kobai − torch| <= 1e-12 · max(1, |torch|)).
  Both sides compute the same formulas in the same order in float64, so after a few steps they
  differ only in the last bits (the analytic gradient against autograd's). A wrong buffer, or one
  holding a different quantity (v instead of √v, m before the bias correction), is off by far
  more. Scalars must be equal: NAdam's mu_product is rounded to float32 on both sides.

Exits non-zero naming the first mismatch of each failing case.
"""
import json
import math
import os
import subprocess
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from torch_conformance import PROBLEMS, make_torch_optimizer  # noqa: E402

TOLERANCE = 1e-12
STEPS = 5


def torch_state(case):
    f = PROBLEMS[case["problem"]]
    x = torch.tensor(case["x0"], dtype=torch.float64, requires_grad=True)
    opt = make_torch_optimizer(case["optimizer"], case["hyperparameters"], x)
    for _ in range(case["steps"]):
        opt.zero_grad()
        f(x).backward()
        opt.step()
    return opt.state_dict()["state"][0]


def close(ours, theirs):
    return abs(ours - theirs) <= TOLERANCE * max(1.0, abs(theirs))


def compare(case):
    """The first difference between kobai's and torch's state for the case, or None."""
    ours = case["state"]
    theirs = {k: v for k, v in torch_state(case).items() if v is not None}
    torch_names = sorted(k for k in theirs if k != "step")
    kobai_names = sorted(ours["names"])
    kept = sorted(list(ours["buffers"]) + list(ours["scalars"]))
    if kobai_names != torch_names:
        return f"names: kobai {kobai_names}, torch {torch_names}"
    if kept != kobai_names:
        return f"state() holds {kept} but state_names() says {kobai_names}"
    if "step" in theirs and int(theirs["step"]) != ours["step"]:
        return f"step: kobai {ours['step']}, torch {int(theirs['step'])}"
    for name, values in ours["buffers"].items():
        reference = theirs[name].detach().reshape(-1).tolist()
        if len(values) != len(reference):
            return f"{name}: kobai has {len(values)} elements, torch {len(reference)}"
        for i, (a, b) in enumerate(zip(values, reference)):
            if not close(a, b):
                return f"{name}[{i}]: kobai {a!r}, torch {b!r}"
    for name, value in ours["scalars"].items():
        reference = float(theirs[name])
        if not math.isfinite(value) or value != reference:
            return f"{name}: kobai {value!r}, torch {reference!r}"
    return None


def main():
    if len(sys.argv) < 2:
        raise SystemExit("usage: optimizer_state_names.py PATH/TO/optimizer_trajectories")
    out = subprocess.run([sys.argv[1], str(STEPS)], check=True, capture_output=True, text=True).stdout
    cases = json.loads(out)["cases"]
    failures = 0
    seen = {}
    for case in cases:
        problem = compare(case)
        label = f"{case['optimizer']}/{case['variant']}/{case['problem']}"
        if problem:
            failures += 1
            print(f"FAIL {label}: {problem}", file=sys.stderr)
        seen.setdefault((case["optimizer"], case["variant"]), case["state"]["names"])
    for (optimizer, variant), names in seen.items():
        print(f"{optimizer:<10} {variant:<18} {', '.join(names) or '(none)'}")
    if failures:
        print(f"FAIL: {failures} of {len(cases)} cases differ from torch.optim's state_dict()",
              file=sys.stderr)
        return 1
    print(f"OK: {len(cases)} cases, names equal to torch.optim's state_dict() and values within "
          f"{TOLERANCE:g} (relative) after {STEPS} steps")
    return 0


if __name__ == "__main__":
    sys.exit(main())
