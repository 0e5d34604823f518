"""How one cell's prediction is made: the current model's real numbers, step by step.

A student who clicks a cell should be able to redo the prediction with a calculator:
:func:`explain_cell` lists every intermediate number the model computes for one
(user, item) pair, in the order it computes them, with a label and a formula for each. The
numbers are the model's own (read from its tables and layers, computed with its own torch
operations; each model's file in :mod:`recsys_core.models` says which), so the last step *is*
``model(user, item)``; ``tests/test_explain.py`` recomputes
the prediction from the listed numbers alone, for every model type and both output modes.

:func:`breakdown_code` writes the same computation as a few lines of torch in the lecture's
names (``W_feature``, ``M_feature``, ``W_bias``, ``M_bias``, ``score``, ``yhat``), to run after
the exported script (see :mod:`recsys_core.results.codegen`), whose network calls its tables ``ebdd1``,
``ebdd2``, ``b1``, ``b2`` ... :func:`as_exported_net` shows an app model under those names.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd
import torch
from torch import nn

from recsys_core.models import MODELS
from recsys_core.models.code import exported_modules
from recsys_core.models.steps import SHOWN_NUMBERS, Step


@dataclass
class Breakdown:
    """Every step of one cell's prediction; ``prediction`` is ``model(user, item)``."""

    model_name: str
    user: int
    item: int
    steps: list[Step]
    prediction: float
    user_label: str | None = None
    item_label: str | None = None

    def __getitem__(self, name: str) -> Step:
        for step in self.steps:
            if step.name == name:
                return step
        raise KeyError(f"no step named {name!r}; steps: {', '.join(self.names())}")

    def __contains__(self, name: str) -> bool:
        return any(step.name == name for step in self.steps)

    def names(self) -> list[str]:
        return [step.name for step in self.steps]

    def table(self, digits: int = 4) -> pd.DataFrame:
        """One row per step: ``step, formula, size, value`` (vectors shortened)."""
        return pd.DataFrame({
            "step": [s.label for s in self.steps],
            "formula": [s.formula for s in self.steps],
            "size": [s.size for s in self.steps],
            "value": [s.shown(digits) for s in self.steps],
        })


# =========================================================================================
# Computing it
# =========================================================================================
@torch.no_grad()
def explain_cell(model: nn.Module, user_idx: int, item_idx: int, *,
                 user_label: str | None = None, item_label: str | None = None) -> Breakdown:
    """The steps by which ``model`` predicts the rating of user ``user_idx`` for item
    ``item_idx`` (row numbers of its embedding tables), with the model's current numbers.

    The model is read in evaluation mode (no dropout), as predictions are made, and left in
    the mode it was in.
    """
    spec = MODELS.get(getattr(model, "name", ""))
    if spec is None:
        raise NotImplementedError(f"no breakdown for model type {getattr(model, 'name', '?')!r}")
    _check_cell(model, user_idx, item_idx)
    was_training = model.training
    model.eval()
    try:
        device = next(model.parameters()).device
        u = torch.tensor([int(user_idx)], device=device)
        i = torch.tensor([int(item_idx)], device=device)
        steps = spec.breakdown(model, u, i)
        prediction = float(model(u, i)[0])
    finally:
        model.train(was_training)
    return Breakdown(model.name, int(user_idx), int(item_idx), steps, prediction,
                     user_label, item_label)


def explain_result(result, user_idx: int, item_idx: int) -> Breakdown:
    """:func:`explain_cell` of a ``FitResult``'s model, with the user's and item's names."""
    r = result.ratings
    return explain_cell(result.model, user_idx, item_idx, user_label=r.users[user_idx],
                        item_label=r.items[item_idx])


def _check_cell(model, user_idx, item_idx) -> None:
    n_users, n_items = _table_rows(model, "user"), _table_rows(model, "item")
    if not (0 <= int(user_idx) < n_users and 0 <= int(item_idx) < n_items):
        raise ValueError(f"There is no cell (user {int(user_idx) + 1}, item {int(item_idx) + 1}): "
                         f"the model knows {n_users} users and {n_items} items")


def _table_rows(model, who: str) -> int:
    return next(m.num_embeddings for name, m in model.named_modules()
                if isinstance(m, nn.Embedding) and who in name)


# =========================================================================================
# The same, as code
# =========================================================================================
def as_exported_net(model: nn.Module) -> nn.Module:
    """The model's tables and layers under the names of the exported script's ``Net``
    (``ebdd1``, ``b1``, ``mlp``, ``h`` ...), so :func:`breakdown_code` also runs on it.

    The parts are shared, not copied: ``net.eval()`` puts the model itself in evaluation
    mode too."""
    net = nn.Module()
    parts = MODELS[model.name].net_parts(model.config)
    for name, module in exported_modules(parts, model).items():
        net.add_module(name, module)
    return net


def forward_code(model_name: str) -> list[tuple[str, str | None]]:
    """The model's forward pass as the exported ``Net.forward`` writes it, on ``net`` (the
    trained network) instead of ``self``, with the breakdown step each line's comment shows."""
    return [(text.replace("self.", "net."), step) for text, step in MODELS[model_name].forward_code]


def breakdown_code(source, user_idx: int | None = None, item_idx: int | None = None) -> str:
    """The cell's computation as lecture-style torch code, each line's value in its comment.

    ``source`` is a :class:`Breakdown`, or a model (then give ``user_idx`` and ``item_idx``).
    The code runs after the exported script, where ``net`` is the trained network; with an
    app model, ``net = as_exported_net(model)`` first.
    """
    b = source if isinstance(source, Breakdown) else explain_cell(source, user_idx, item_idx)
    who = _who(b)
    lines = [f"# {who}: how the trained net predicts it"]
    if b["rating"].params["mode"] != "clamp":  # the output goes through a sigmoid
        lines.append("sig = torch.nn.Sigmoid()")
    lines.append("net.eval()  # predicting: no dropout")
    lines.append(f"X1, X2 = torch.tensor([{b.user}]), torch.tensor([{b.item}])  # row numbers")
    for text, step in forward_code(b.model_name):
        lines.append(f"{text}  # {b[step].shown()}" if step else text)
    lines += _output_code(b)
    return "\n".join(lines) + "\n"


def _who(b: Breakdown) -> str:
    user = f"user {_safe(b.user_label)}" if b.user_label is not None else f"user {b.user + 1}"
    item = f"item {_safe(b.item_label)}" if b.item_label is not None else f"item {b.item + 1}"
    return f"{user} x {item}"


def _safe(label: str) -> str:
    """A label inside a comment: quoted, with no line break that could end the comment."""
    return repr(" ".join(str(label).splitlines()))


def _output_code(b: Breakdown) -> list[str]:
    rating = b["rating"]
    low, high = rating.params["low"], rating.params["high"]
    if rating.params["mode"] == "clamp":
        return [f"yhat = ({_lit(b['mean'].values)} + W_bias.squeeze(1) + M_bias.squeeze(1))"
                f".clamp({_lit(low)}, {_lit(high)})  # {rating.shown()}"]
    lines = []
    if "offset" in b:
        lines.append(f"score = score + {_lit(b['offset'].values)}  # offset: start at the average")
    if rating.params["mode"] == "top":
        lines.append(f"yhat = sig(score) * {_lit(high)}  # {rating.shown()}")
    else:
        lines.append(f"yhat = {_lit(low)} + {_lit(high - low)} * sig(score)  # {rating.shown()}")
    return lines


def _lit(value: float) -> str:
    """A literal that reads back as exactly this float (5.0 is written 5)."""
    value = float(value)
    if math.isfinite(value) and value == int(value) and abs(value) < 1e15:
        return str(int(value))
    return repr(value)


__all__ = ["Step", "Breakdown", "explain_cell", "explain_result", "breakdown_code",
           "as_exported_net", "forward_code", "SHOWN_NUMBERS"]
