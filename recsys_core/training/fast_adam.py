"""Adam and AdamW for the fast training path, without ``torch.optim``'s one-time start-up cost.

The first ``torch.optim`` optimiser a process makes imports ``torch._dynamo`` (the compiler:
``Optimizer.__init__`` and ``step`` are wrapped to switch it off, which imports it first),
800 modules with sympy among them: measured 0.8 s on a quiet machine, most of the "warm-up"
that made a one-shot ``python -m recsys_core fit`` 4 times slower than a later fit in the same
process (issue 17). This class calls the very kernel ``torch.optim.Adam(fused=True)`` calls
(``torch._fused_adam_``, or ``torch._fused_adamw_``), with the same state, so its steps are
the same numbers to the last bit (``tests/test_training.py`` checks it), and never imports
the compiler. Small models (the lecture's) keep ``torch.optim``: their numbers are the
lecture's own code's.
"""

from __future__ import annotations

import torch


class FusedAdam:
    """``torch.optim.Adam(groups, lr=lr, fused=True)`` (``decoupled=True``: AdamW), the parts
    the trainer uses: ``param_groups`` (each with its ``lr`` and ``weight_decay``), ``state``
    (per parameter: ``step``, ``exp_avg``, ``exp_avg_sq``), ``step()`` and ``zero_grad()``."""

    def __init__(self, groups: list[dict], lr: float, betas=(0.9, 0.999), eps: float = 1e-8,
                 decoupled: bool = False) -> None:
        self.defaults = {"lr": lr, "betas": betas, "eps": eps, "weight_decay": 0.0}
        self.param_groups = [{**self.defaults, **group, "params": list(group["params"])}
                             for group in groups]
        self.state: dict[torch.Tensor, dict[str, torch.Tensor]] = {}
        self._kernel = torch._fused_adamw_ if decoupled else torch._fused_adam_

    @torch.no_grad()
    def step(self) -> None:
        for group in self.param_groups:
            params = [p for p in group["params"] if p.grad is not None]
            if not params:
                continue
            states = [self._state(p) for p in params]
            steps = [s["step"] for s in states]
            torch._foreach_add_(steps, 1)
            beta1, beta2 = group["betas"]
            self._kernel(params, [p.grad for p in params], [s["exp_avg"] for s in states],
                         [s["exp_avg_sq"] for s in states], [], steps, amsgrad=False,
                         lr=group["lr"], beta1=beta1, beta2=beta2,
                         weight_decay=group["weight_decay"], eps=group["eps"], maximize=False,
                         grad_scale=None, found_inf=None)

    def zero_grad(self) -> None:
        for group in self.param_groups:
            for p in group["params"]:
                p.grad = None

    def _state(self, p: torch.Tensor) -> dict[str, torch.Tensor]:
        state = self.state.get(p)
        if state is None:  # as torch.optim.Adam's first step makes it (fused: step on p's device)
            state = self.state[p] = {
                "step": torch.zeros((), dtype=torch.float32, device=p.device),
                "exp_avg": torch.zeros_like(p, memory_format=torch.preserve_format),
                "exp_avg_sq": torch.zeros_like(p, memory_format=torch.preserve_format)}
        return state


def supported(device: torch.device | str) -> bool:
    """Whether the fused kernels run on ``device`` (CPU and CUDA in the torch pinned here)."""
    return torch.device(device).type in ("cpu", "cuda")
