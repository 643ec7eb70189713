"""kobai's first-order optimizers in PyTorch's shape, stepping NumPy arrays in place.

    w = np.zeros((784, 10), np.float32); b = np.zeros(10, np.float32)
    opt = kobai.optim.Adam([w, b], lr=1e-3)
    for ...:
        gw, gb = gradients(w, b)          # arrays of the same dtype and shape
        opt.step([gw, gb])                # w and b change where they are: no copy, no temporary

Names, arguments and defaults are torch.optim's (1.13), and so are the updates (checked step by
step against torch.optim). Differences: the gradients are passed to step() (NumPy arrays have no
.grad), there is no closure, and one parameter group. param_groups[0]["lr"] may be changed
between steps, as with torch. Parameters must be float32 or float64 C-contiguous writeable
arrays; anything else raises TypeError at construction (never a silent copy, which would leave
your array unchanged). Steps over 32,768 elements or more release the GIL.
"""
import numpy as np

from . import _kobai

__all__ = ["Optimizer", "SGD", "Adagrad", "Adadelta", "RMSprop", "Adam", "AdamW", "Adamax", "NAdam"]


class Optimizer:
    """A kobai optimizer over a list of NumPy arrays (use a subclass: SGD, Adam, ...)."""

    _kobai_name = None

    def __init__(self, params, defaults):
        if isinstance(params, np.ndarray):
            raise TypeError("params must be an iterable of numpy arrays (e.g. [w, b]), got a single "
                            "numpy.ndarray; pass [array]")
        params = list(params)
        settings = {k: v for k, v in defaults.items() if k != "betas"}
        if "betas" in defaults:
            betas = defaults["betas"]
            try:
                settings["beta1"], settings["beta2"] = betas
            except (TypeError, ValueError):
                raise ValueError(f"betas must be a pair (beta1, beta2), got {betas!r}") from None
        try:
            self._impl = _kobai.ArrayOptimizer(self._kobai_name, settings, params)
        except ValueError as e:  # "beta1 must be ..." reads "betas[0] must be ..." here
            message = str(e)
            for i, name in enumerate(("beta1", "beta2")):
                if "betas" in defaults and message.startswith(name + " "):
                    message = f"betas[{i}]" + message[len(name):]
            raise ValueError(message) from None
        self.defaults = dict(defaults)
        self.param_groups = [dict(defaults, params=params)]
        self._lr = self._impl.lr

    def step(self, grads):
        """One step of every parameter array with its gradient (a list in params' order; a single
        array when there is one parameter)."""
        lr = self.param_groups[0]["lr"]
        if lr != self._lr:
            self._impl.lr = lr
            self._lr = lr
        if isinstance(grads, np.ndarray):
            grads = (grads,)
        self._impl.step(grads)

    def zero_grad(self, set_to_none=True):
        """Nothing to do: gradients are passed to step() (kept for PyTorch-shaped loops)."""

    @property
    def params(self):
        return self.param_groups[0]["params"]

    def state_dict(self):
        """PyTorch's structure: {"state": {index: {"step": ..., buffers...}}, "param_groups": [...]}
        with NumPy arrays (copies) for the buffers."""
        if not hasattr(self._impl, "state"):
            raise NotImplementedError("this build of kobai has no optimizer state access")
        group = {k: v for k, v in self.param_groups[0].items() if k != "params"}
        group["params"] = list(range(len(self.params)))
        return {"state": self._impl.state(), "param_groups": [group]}

    def load_state_dict(self, state_dict):
        """Restores what state_dict() returned (buffers copied in; lr and hyperparameters from the
        group). Raises ValueError naming a missing or mis-shaped entry."""
        if not hasattr(self._impl, "load_state"):
            raise NotImplementedError("this build of kobai has no optimizer state access")
        try:
            state, groups = state_dict["state"], state_dict["param_groups"]
        except (TypeError, KeyError) as e:
            raise ValueError(f"state_dict must have 'state' and 'param_groups', missing {e}") from None
        if len(groups) != 1:
            raise ValueError(f"state_dict must have one parameter group, got {len(groups)}")
        group = dict(groups[0])
        if len(group.get("params", ())) != len(self.params):
            raise ValueError(f"state_dict's group has {len(group.get('params', ()))} parameters, "
                             f"this optimizer {len(self.params)}")
        for key in self.defaults:
            if key in group and group[key] != self.param_groups[0][key] and key != "lr":
                raise ValueError(f"state_dict's {key} is {group[key]!r}, this optimizer's "
                                 f"{self.param_groups[0][key]!r}; make the optimizer with the same "
                                 "hyperparameters")
        # torch.optim.SGD keeps no "step"; a momentum buffer means at least one step was taken, and
        # for SGD any count >= 1 behaves the same.
        state = {i: (dict(entry, step=1) if "step" not in entry and len(entry) > 0 else entry)
                 for i, entry in state.items()}
        self._impl.load_state(state)
        if "lr" in group:
            self.param_groups[0]["lr"] = group["lr"]

    def __repr__(self):
        settings = ", ".join(f"{k}={v!r}" for k, v in self.defaults.items())
        return f"kobai.optim.{type(self).__name__}({settings})"


class SGD(Optimizer):
    """torch.optim.SGD: gradient descent with optional (Nesterov) momentum and weight decay."""
    _kobai_name = "gd"

    def __init__(self, params, lr=0.01, momentum=0, dampening=0, weight_decay=0, nesterov=False):
        super().__init__(params, dict(lr=lr, momentum=momentum, dampening=dampening,
                                      weight_decay=weight_decay, nesterov=nesterov))


class Adagrad(Optimizer):
    """torch.optim.Adagrad."""
    _kobai_name = "adagrad"

    def __init__(self, params, lr=1e-2, lr_decay=0, weight_decay=0, initial_accumulator_value=0, eps=1e-10):
        super().__init__(params, dict(lr=lr, lr_decay=lr_decay, weight_decay=weight_decay,
                                      initial_accumulator_value=initial_accumulator_value, eps=eps))


class Adadelta(Optimizer):
    """torch.optim.Adadelta (initial_accumulator_value: kobai's, for seed 003; torch has 0)."""
    _kobai_name = "adadelta"

    def __init__(self, params, lr=1.0, rho=0.9, eps=1e-6, weight_decay=0, initial_accumulator_value=0):
        super().__init__(params, dict(lr=lr, rho=rho, eps=eps, weight_decay=weight_decay,
                                      initial_accumulator_value=initial_accumulator_value))


class RMSprop(Optimizer):
    """torch.optim.RMSprop (initial_square_avg: kobai's; torch has 0)."""
    _kobai_name = "rmsprop"

    def __init__(self, params, lr=1e-2, alpha=0.99, eps=1e-8, weight_decay=0, momentum=0, centered=False,
                 initial_square_avg=0):
        super().__init__(params, dict(lr=lr, alpha=alpha, eps=eps, weight_decay=weight_decay, momentum=momentum,
                                      centered=centered, initial_square_avg=initial_square_avg))


class Adam(Optimizer):
    """torch.optim.Adam (amsgrad=True: AMSGrad)."""
    _kobai_name = "adam"

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0, amsgrad=False):
        super().__init__(params, dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay, amsgrad=amsgrad))


class AdamW(Optimizer):
    """torch.optim.AdamW: Adam with decoupled weight decay."""
    _kobai_name = "adamw"

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2, amsgrad=False):
        super().__init__(params, dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay, amsgrad=amsgrad))


class Adamax(Optimizer):
    """torch.optim.Adamax."""
    _kobai_name = "adamax"

    def __init__(self, params, lr=2e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0):
        super().__init__(params, dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay))


class NAdam(Optimizer):
    """torch.optim.NAdam."""
    _kobai_name = "nadam"

    def __init__(self, params, lr=2e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0, momentum_decay=4e-3):
        super().__init__(params, dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay,
                                      momentum_decay=momentum_decay))
