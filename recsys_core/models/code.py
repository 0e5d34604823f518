"""A model as the exported script writes it: the parts of its ``class Net``.

The script (:mod:`recsys_core.results.codegen`) spells each model out in the lecture's names
(``ebdd1``, ``b1``, ``mlp``, ``h`` ...). Each model's file lists its parts in the order the
library creates them, so ``torch.manual_seed`` gives the script the app's starting numbers:
:class:`Table` for an embedding table, :class:`Layers` for layers written as code. The same
list maps the script's names back onto the library model (:func:`exported_modules`), which is
how a breakdown's code runs on an app model.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from torch import nn

from recsys_core.i18n import N_

ACTIVATION_CODE = {"relu": "torch.nn.ReLU()", "tanh": "torch.nn.Tanh()",
                   "sigmoid": "torch.nn.Sigmoid()", "gelu": "torch.nn.GELU()"}


@dataclass(frozen=True)
class Table:
    """``self.<attr> = torch.nn.Embedding(n, dim)`` for the library's table ``module``.

    ``init``: ``"factors"`` starts at N(0, init_std), ``"bias"`` at zero (both PyTorch's own
    N(0, 1) when the config has no ``init_std``, as in the lecture), ``"zero"`` always zero.
    ``note`` is the comment beside it (English, ``N_``-marked; the script is written in a language)."""

    attr: str
    module: str
    side: str  # "user" or "item"
    dim: int
    init: str
    note: str

    def std(self, cfg) -> float | None:
        init_std = getattr(cfg, "init_std", None)
        if self.init == "zero":
            return 0.0
        if self.init == "bias":
            return None if init_std is None else 0.0
        return init_std


@dataclass(frozen=True)
class Layers:
    """``self.<attr> = <code>`` (a Linear, or a Sequential written one part a line), standing
    for ``module(model)`` of the library model. ``note``: a comment (``N_``-marked English), or ''."""

    attr: str
    parts: tuple[str, ...]
    module: Callable[[nn.Module], nn.Module]
    sequential: bool = True
    note: str = ""


FACTOR_LINES = (("W_feature = self.ebdd1(X1)", "user_factors"),
                ("M_feature = self.ebdd2(X2)", "item_factors"))
BIAS_LINES = (("W_bias = self.b1(X1)", "user_bias"), ("M_bias = self.b2(X2)", "item_bias"))
"""The lecture's lookups, shared by the models whose tables they read."""


def factor_tables(dim: int) -> list[Table]:
    """``ebdd1`` (users) and ``ebdd2`` (items), the lecture's factor tables."""
    return [Table("ebdd1", "user_factors", "user", dim, "factors", N_("user factors")),
            Table("ebdd2", "item_factors", "item", dim, "factors", N_("item factors"))]


def bias_tables(init: str) -> list[Table]:
    """``b1`` (users) and ``b2`` (items), the lecture's bias tables."""
    return [Table("b1", "user_bias", "user", 1, init, N_("user bias")),
            Table("b2", "item_bias", "item", 1, init, N_("item bias"))]


def tower_code(sizes: list[int], activation: str, dropout: float, head: bool) -> tuple[str, ...]:
    """The parts of ``models.base.tower`` (and the output layer) as code."""
    parts = []
    for a, b in zip(sizes[:-1], sizes[1:]):
        parts += [f"torch.nn.Linear({a}, {b})", ACTIVATION_CODE[activation]]
        if dropout:
            parts.append(f"torch.nn.Dropout({float(dropout)!r})")
    if head:
        parts.append(f"torch.nn.Linear({sizes[-1]}, 1)")
    return tuple(parts)


def exported_modules(parts, model: nn.Module) -> dict[str, nn.Module]:
    """The script's names for the library model's tables and layers (shared, not copied)."""
    return {part.attr: getattr(model, part.module) if isinstance(part, Table) else part.module(model)
            for part in parts}
