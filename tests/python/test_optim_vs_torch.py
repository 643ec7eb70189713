"""kobai.optim against torch.optim (1.13), step by step, on NumPy arrays.

The conformance cases of tests/torch_conformance.py, now through the Python objects: every
optimizer and variant, two parameter arrays (a matrix and a vector), 60 steps. Both sides get the
gradient of the same loss at their own current parameters, so a wrong update shows up as a growing
difference. float64: |kobai - torch| <= 1e-10 * max(1, |torch|) (both evaluate the same formulas in
the same order; they differ by FMA contraction in torch's kernels, ~1e-15 per step). float32:
1e-4 relative after 60 steps (float32 rounding, 6e-8 per operation, compounded).
"""
import numpy as np
import pytest
import torch

import kobai

CASES = [
    ("SGD", dict(lr=0.05)),
    ("SGD", dict(lr=0.05, momentum=0.9, dampening=0.1, weight_decay=0.01)),
    ("SGD", dict(lr=0.05, momentum=0.9, nesterov=True)),
    ("Adagrad", dict(lr=0.1, lr_decay=0.01, weight_decay=0.01, initial_accumulator_value=0.1)),
    ("Adadelta", dict(lr=1.0, rho=0.95, eps=1e-6, weight_decay=0.01)),
    ("RMSprop", dict(lr=0.01, alpha=0.9)),
    ("RMSprop", dict(lr=0.01, alpha=0.9, momentum=0.8, centered=True, weight_decay=0.01)),
    ("Adam", dict(lr=0.05, betas=(0.9, 0.8))),
    ("Adam", dict(lr=0.05, betas=(0.8, 0.99), weight_decay=0.01, amsgrad=True)),
    ("AdamW", dict(lr=0.05, weight_decay=0.1)),
    ("AdamW", dict(lr=0.05, weight_decay=0.1, amsgrad=True)),
    ("Adamax", dict(lr=0.05, weight_decay=0.01)),
    ("NAdam", dict(lr=0.05, weight_decay=0.01, momentum_decay=0.004)),
]
STEPS = 60


def gradients(w, b):
    """Gradient of sum(0.5 * w*A*w) + sum((b - 1)^4 / 4) + sum(sin(w)): curvature varies per entry."""
    a = np.linspace(0.5, 3.0, w.size).reshape(w.shape)
    return a * w + np.cos(w), (b - 1.0) ** 3


def start(dtype):
    rng = np.random.default_rng(7)
    return rng.normal(size=(4, 3)).astype(dtype), rng.normal(size=5).astype(dtype)


def torch_run(name, options, dtype):
    w, b = (torch.tensor(a) for a in start(dtype))
    opt = getattr(torch.optim, name)([w, b], foreach=False, **options)
    out = []
    for _ in range(STEPS):
        gw, gb = gradients(w.numpy(), b.numpy())
        w.grad, b.grad = torch.tensor(gw.astype(dtype)), torch.tensor(gb.astype(dtype))
        opt.step()
        out.append((w.numpy().copy(), b.numpy().copy()))
    return out


def kobai_run(name, options, dtype):
    w, b = start(dtype)
    opt = getattr(kobai.optim, name)([w, b], **options)
    out = []
    for _ in range(STEPS):
        gw, gb = gradients(w, b)
        opt.step([gw.astype(dtype), gb.astype(dtype)])
        out.append((w.copy(), b.copy()))
    return out


@pytest.mark.parametrize("name,options", CASES, ids=[f"{n}-{i}" for i, (n, _) in enumerate(CASES)])
@pytest.mark.parametrize("dtype,tolerance", [(np.float64, 1e-10), (np.float32, 1e-4)])
def test_steps_match_torch(name, options, dtype, tolerance):
    with torch.no_grad():
        expected = torch_run(name, options, dtype)
    got = kobai_run(name, options, dtype)
    for step, ((kw, kb), (tw, tb)) in enumerate(zip(got, expected)):
        for k, t in ((kw, tw), (kb, tb)):
            assert k.dtype == dtype
            error = np.max(np.abs(k.astype(np.float64) - t) / np.maximum(1.0, np.abs(t)))
            assert error <= tolerance, f"{name} {options} step {step + 1}: relative difference {error:.3g}"


def test_a_wrong_rule_would_fail():
    """The tolerance can fail: Adam with a different beta2 drifts far past it within the run."""
    with torch.no_grad():
        expected = torch_run("Adam", dict(lr=0.05, betas=(0.9, 0.8)), np.float64)
    got = kobai_run("Adam", dict(lr=0.05, betas=(0.9, 0.81)), np.float64)
    assert np.max(np.abs(got[-1][0] - expected[-1][0])) > 1e-6


def test_lr_changed_through_param_groups_as_with_torch():
    w_t = torch.tensor(start(np.float64)[1])
    w_k = start(np.float64)[1]
    opt_t = torch.optim.SGD([w_t], lr=0.1, momentum=0.5, foreach=False)
    opt_k = kobai.optim.SGD([w_k], lr=0.1, momentum=0.5)
    with torch.no_grad():
        for step in range(10):
            if step == 5:
                opt_t.param_groups[0]["lr"] = 0.01
                opt_k.param_groups[0]["lr"] = 0.01
            w_t.grad = torch.tensor(gradients(np.zeros((1, 1)), w_t.numpy())[1])
            opt_t.step()
            opt_k.step([gradients(np.zeros((1, 1)), w_k)[1]])
    np.testing.assert_allclose(w_k, w_t.numpy(), rtol=1e-12, atol=0)
