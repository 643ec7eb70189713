"""state_dict()/load_state_dict(): torch.optim's structure, and a run resumed from it goes on as if
never stopped — from kobai's own state_dict and from torch.optim's."""
import numpy as np
import pytest
import torch

import kobai

pytestmark = pytest.mark.skipif(not hasattr(kobai._kobai.ArrayOptimizer, "state"),
                                reason="this build has no named optimizer state (kobai/optim/state.hpp)")

CASES = [("SGD", dict(lr=0.05, momentum=0.9)), ("Adagrad", dict(lr=0.1)), ("Adadelta", dict(rho=0.9)),
         ("RMSprop", dict(lr=0.01, momentum=0.5, centered=True)), ("Adam", dict(lr=0.05, amsgrad=True)),
         ("AdamW", dict(lr=0.05)), ("Adamax", dict(lr=0.05)), ("NAdam", dict(lr=0.05))]


def grads(w, b):
    return np.cos(w) + w, (b - 1.0) ** 3


def start():
    rng = np.random.default_rng(3)
    return rng.normal(size=(3, 2)), rng.normal(size=4)


def steps(opt, w, b, n):
    for _ in range(n):
        opt.step(list(grads(w, b)))


@pytest.mark.parametrize("name,options", CASES, ids=[c[0] for c in CASES])
def test_resume_from_own_state_dict(name, options):
    w, b = start()
    whole = getattr(kobai.optim, name)([w, b], **options)
    steps(whole, w, b, 10)

    w2, b2 = start()
    first = getattr(kobai.optim, name)([w2, b2], **options)
    steps(first, w2, b2, 5)
    saved = first.state_dict()
    assert set(saved) == {"state", "param_groups"} and saved["param_groups"][0]["params"] == [0, 1]
    assert saved["state"][0]["step"] == 5
    buffers = [k for k, v in saved["state"][0].items() if isinstance(v, np.ndarray)]
    assert buffers and all(saved["state"][0][k].shape == (3, 2) for k in buffers)
    second = getattr(kobai.optim, name)([w2, b2], **options)
    second.load_state_dict(saved)
    steps(second, w2, b2, 5)
    np.testing.assert_array_equal(w2, w)
    np.testing.assert_array_equal(b2, b)


@pytest.mark.parametrize("name,options", CASES, ids=[c[0] for c in CASES])
def test_resume_from_torch_state_dict(name, options):
    w, b = start()
    tw, tb = torch.tensor(w), torch.tensor(b)
    topt = getattr(torch.optim, name)([tw, tb], foreach=False, **options)
    with torch.no_grad():
        for _ in range(5):
            tw.grad, tb.grad = (torch.tensor(g) for g in grads(tw.numpy(), tb.numpy()))
            topt.step()
    state = {i: {k: (v.numpy() if torch.is_tensor(v) and v.ndim > 0 else float(v)) for k, v in s.items()}
             for i, s in topt.state_dict()["state"].items()}
    w2, b2 = tw.numpy().copy(), tb.numpy().copy()
    opt = getattr(kobai.optim, name)([w2, b2], **options)
    opt.load_state_dict({"state": state, "param_groups": [dict(options, params=[0, 1])]})
    with torch.no_grad():
        for _ in range(5):
            tw.grad, tb.grad = (torch.tensor(g) for g in grads(tw.numpy(), tb.numpy()))
            topt.step()
            opt.step(list(grads(w2, b2)))
    np.testing.assert_allclose(w2, tw.numpy(), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(b2, tb.numpy(), rtol=1e-10, atol=1e-12)


def test_bad_state_is_refused_and_changes_nothing():
    w, b = start()
    opt = kobai.optim.Adam([w, b])
    steps(opt, w, b, 2)
    saved = opt.state_dict()
    bad = {"state": {0: dict(saved["state"][0], exp_avg=np.zeros(5))}, "param_groups": saved["param_groups"]}
    with pytest.raises(ValueError, match="exp_avg"):
        opt.load_state_dict(bad)
    assert opt.state_dict()["state"][0]["step"] == 2
    with pytest.raises(ValueError, match="state_dict's betas"):
        kobai.optim.Adam([w, b], betas=(0.8, 0.9)).load_state_dict(saved)
