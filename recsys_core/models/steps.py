"""The pieces a model's ``breakdown`` is made of: one :class:`Step` per intermediate number.

A student who clicks a cell should be able to redo the prediction with a calculator, so every
model lists the numbers it computes for one (user, item) pair, in its own order, read from its
own tables and layers with its own torch operations. These helpers make the common steps
(a looked-up row, a bias, factor products, hidden layers, the output layer, the sigmoid onto
the scale); each model's file strings them together. :mod:`recsys_core.results.explain` runs them.
A step's ``label`` and worded ``formula`` are messages (``L_``): English, and the app says them
in its language; formulas of numbers and symbols stay as they are.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import torch
from torch import nn

from recsys_core.i18n import L_
from recsys_core.models.base import ACTIVATIONS

SHOWN_NUMBERS = 8
"""A vector longer than this is shortened with "…" when shown (never in ``values``)."""


@dataclass(frozen=True)
class Step:
    """One intermediate result.

    ``values`` is a number or a list of numbers, always complete; :meth:`shown` shortens
    long vectors for display. ``params`` holds the constants the step used, so the step can
    be redone from the breakdown alone: a layer's ``weight`` (rows) and ``bias`` and its
    ``activation``, or the ``low`` and ``high`` ends of the output scale.
    """

    name: str
    label: str
    formula: str
    values: float | list[float]
    params: dict = field(default_factory=dict)

    @property
    def size(self) -> int:
        return len(self.values) if isinstance(self.values, list) else 1

    def shown(self, digits: int = 4, limit: int = SHOWN_NUMBERS) -> str:
        """The values as text, a long vector cut to its first ``limit`` numbers."""
        if not isinstance(self.values, list):
            return fmt(self.values, digits)
        head = ", ".join(fmt(v, digits) for v in self.values[:limit])
        if self.size <= limit:
            return f"[{head}]"
        return L_("[{head}, … ({n} numbers)]", head=head, n=self.size)


def fmt(value: float, digits: int = 4) -> str:
    return f"{value:.{digits}f}"


def vec(t: torch.Tensor) -> list[float]:
    return [float(v) for v in t.reshape(-1).cpu().tolist()]


def num(t) -> float:
    return float(t.reshape(-1)[0]) if isinstance(t, torch.Tensor) else float(t)


def lookup(name: str, label: str, table: nn.Embedding, idx: torch.Tensor):
    """A table's row for ``idx``, and the step that shows it."""
    row = table(idx)
    return row, Step(name, label, L_("row {n} of its table", n=int(idx[0]) + 1), vec(row))


def bias(name: str, label: str, table: nn.Embedding, idx: torch.Tensor):
    row = table(idx).squeeze(1)
    return row, Step(name, label, L_("row {n} of its bias table", n=int(idx[0]) + 1), num(row))


def part_of(part: str, label: str) -> str:
    """``label`` of a part of the model ("GMF part: user factors ..."), or as it is."""
    return L_("{part} {label}", part=part, label=label) if part else label


def factors(u, i, user_table, item_table, prefix: str = "", part: str = ""):
    """The user's and the item's factor rows and their element-wise products (``part``: the
    part of the model they belong to, e.g. ``L_("GMF part:")``)."""
    p, user_step = lookup(f"{prefix}user_factors",
                          part_of(part, L_("user factors p_u (W_feature)")), user_table, u)
    q, item_step = lookup(f"{prefix}item_factors",
                          part_of(part, L_("item factors q_i (M_feature)")), item_table, i)
    product = p * q
    product_step = Step(f"{prefix}products", part_of(part, L_("products, factor by factor")),
                        L_("p_u[f] × q_i[f] for each factor f"), vec(product))
    return product, [user_step, item_step, product_step]


def network_input(model, u, i, with_biases: bool) -> list[Step]:
    """NN and MLP: the looked-up rows the layers receive side by side."""
    _, p_step = lookup("user_factors", L_("user factors (W_feature)"), model.user_factors, u)
    _, q_step = lookup("item_factors", L_("item factors (M_feature)"), model.item_factors, i)
    steps = [p_step, q_step]
    if with_biases:
        steps += [bias("user_bias", L_("user bias (W_bias)"), model.user_bias, u)[1],
                  bias("item_bias", L_("item bias (M_bias)"), model.item_bias, i)[1]]
    return steps


def network(model, u, i, z: torch.Tensor, with_biases: bool, described: str) -> list[Step]:
    """NN and MLP: the looked-up rows, the vector ``z`` the layers receive (``described`` says
    what stands side by side in it), each hidden layer, the output layer and the scale."""
    shown = network_input(model, u, i, with_biases)
    shown.append(Step("input", L_("network input Z: {n} numbers", n=z.shape[1]), described,
                      vec(z)))
    x, hidden = layers(model.hidden, z)
    score, last = head("score", L_("score: output layer → 1 number"), model.head, x)
    return shown + hidden + [last] + output(model.out, score)


def layers(tower: nn.Sequential, x: torch.Tensor):
    """Each hidden layer's output (size and values) with the weights that made it."""
    blocks: list[list[nn.Module]] = []  # [Linear, activation, (Dropout)] per layer
    for module in tower:
        if isinstance(module, nn.Linear) or not blocks:
            blocks.append([module])
        else:
            blocks[-1].append(module)
    steps = []
    for number, block in enumerate(blocks, start=1):
        for module in block:
            x = module(x)  # dropout does nothing in evaluation mode
        linear = block[0]
        activation = next((name for m in block[1:] for name, cls in ACTIVATIONS.items()
                           if isinstance(m, cls)), None)
        sizes = {"n": number, "inp": linear.in_features, "out": linear.out_features}
        label = (L_("hidden layer {n}: {inp} → {out} numbers, then {act}", act=activation,
                    **sizes) if activation else
                 L_("hidden layer {n}: {inp} → {out} numbers", **sizes))
        formula = (L_("{act}(W · previous + b)", act=activation) if activation
                   else L_("W · previous + b"))
        steps.append(Step(f"layer{number}", label, formula, vec(x),
                          {"weight": linear.weight.cpu().tolist(),
                           "bias": linear.bias.cpu().tolist(), "activation": activation}))
    return x, steps


def head(name: str, label: str, layer: nn.Linear, x: torch.Tensor):
    """The output layer's one number, with its weights."""
    score = layer(x).squeeze(1)
    return score, Step(name, label, L_("w · ({n} numbers) + b", n=layer.in_features),
                       num(score),
                       {"weight": layer.weight[0].cpu().tolist(), "bias": float(layer.bias[0]),
                        "activation": None})


def output(out, score: torch.Tensor) -> list[Step]:
    """score -> (+ offset) -> sigmoid -> rating, as :class:`RatingOutput` does it."""
    steps = []
    shifted = score
    if out.offset:
        steps.append(Step("offset", L_("offset: an untrained model starts at the average rating"),
                          L_("log(share / (1 − share)), share = where the average sits in the "
                             "output range"), float(out.offset)))
        shifted = score + out.offset
    what = L_("score + offset") if out.offset else L_("score")
    steps.append(Step("sigmoid", L_("sigmoid: squashed between 0 and 1"),
                      L_("sig(x) = 1 / (1 + exp(−x)), x = {what} = {x}", what=what,
                         x=fmt(num(shifted))),
                      num(torch.sigmoid(shifted))))
    if out.top_only:
        formula = f"yhat = sig × {out.high:g}"
    else:
        formula = f"yhat = low + (high − low) × sig = {out.low:g} + {out.high - out.low:g} × sig"
    steps.append(Step("rating", L_("predicted rating"), formula, num(out(score)),
                      {"mode": "top" if out.top_only else "scale", "low": out.low,
                       "high": out.high}))
    return steps


def total(name: str, label: str, parts: dict[str, float], value) -> Step:
    """A sum, its terms written out: ``dot + b_u + b_i = 1.1493 − 0.1212 + 0.2374``."""
    words = " + ".join(parts)
    return Step(name, label, f"{words} = {signed_sum(list(parts.values()))}", num(value))


def signed_sum(values: list[float]) -> str:
    """e.g. ``1.1493 − 0.1212 + 0.2374``: a minus sign instead of ``+ -0.1212``."""
    text = fmt(values[0])
    for v in values[1:]:
        text += f" − {fmt(-v)}" if v < 0 else f" + {fmt(v)}"
    return text
