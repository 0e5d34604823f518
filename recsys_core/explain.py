"""How one cell's prediction is made: the current model's real numbers, step by step.

A student who clicks a cell should be able to redo the prediction with a calculator:
:func:`explain_cell` lists every intermediate number the model computes for one
(user, item) pair, in the order it computes them, with a label and a formula for each. The
numbers are the model's own (read from its tables and layers, computed with its own torch
operations), so the last step *is* ``model(user, item)``; ``tests/test_explain.py`` recomputes
the prediction from the listed numbers alone, for every model type and both output modes.

:func:`breakdown_code` writes the same computation as a few lines of torch in the lecture's
names (``W_feature``, ``M_feature``, ``W_bias``, ``M_bias``, ``score``, ``yhat``), to run after
the exported script (see :mod:`recsys_core.codegen`), whose network calls its tables ``ebdd1``,
``ebdd2``, ``b1``, ``b2`` ... :func:`as_exported_net` shows an app model under those names.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import pandas as pd
import torch
from torch import nn

from .models import ACTIVATIONS

SHOWN_NUMBERS = 8
"""A vector longer than this is shortened with "…" when shown (never in ``values``)."""


# =========================================================================================
# The breakdown
# =========================================================================================
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
            return _fmt(self.values, digits)
        head = ", ".join(_fmt(v, digits) for v in self.values[:limit])
        if self.size <= limit:
            return f"[{head}]"
        return f"[{head}, … ({self.size} numbers)]"


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


def _fmt(value: float, digits: int = 4) -> str:
    return f"{value:.{digits}f}"


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
    builder = _BUILDERS.get(getattr(model, "name", ""))
    if builder is None:
        raise NotImplementedError(f"no breakdown for model type {getattr(model, 'name', '?')!r}")
    _check_cell(model, user_idx, item_idx)
    was_training = model.training
    model.eval()
    try:
        device = next(model.parameters()).device
        u = torch.tensor([int(user_idx)], device=device)
        i = torch.tensor([int(item_idx)], device=device)
        steps = builder(model, u, i)
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


def _vec(t: torch.Tensor) -> list[float]:
    return [float(v) for v in t.reshape(-1).cpu().tolist()]


def _num(t) -> float:
    return float(t.reshape(-1)[0]) if isinstance(t, torch.Tensor) else float(t)


def _lookup(name: str, label: str, table: nn.Embedding, idx: torch.Tensor):
    row = table(idx)
    return row, Step(name, label, f"row {int(idx[0]) + 1} of its table", _vec(row))


def _bias(name: str, label: str, table: nn.Embedding, idx: torch.Tensor):
    row = table(idx).squeeze(1)
    return row, Step(name, label, f"row {int(idx[0]) + 1} of its bias table", _num(row))


def _factors(u, i, user_table, item_table, prefix: str = "", words: str = ""):
    """The user's and the item's factor rows and their element-wise products."""
    p, user_step = _lookup(f"{prefix}user_factors", f"{words}user factors p_u (W_feature)",
                           user_table, u)
    q, item_step = _lookup(f"{prefix}item_factors", f"{words}item factors q_i (M_feature)",
                           item_table, i)
    product = p * q
    product_step = Step(f"{prefix}products", f"{words}products, factor by factor",
                        "p_u[f] × q_i[f] for each factor f", _vec(product))
    return product, [user_step, item_step, product_step]


def _layer_steps(tower: nn.Sequential, x: torch.Tensor):
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
        label = f"hidden layer {number}: {linear.in_features} → {linear.out_features} numbers"
        label += f", then {activation}" if activation else ""
        formula = f"{activation}(W · previous + b)" if activation else "W · previous + b"
        steps.append(Step(f"layer{number}", label, formula, _vec(x),
                          {"weight": linear.weight.cpu().tolist(),
                           "bias": linear.bias.cpu().tolist(), "activation": activation}))
    return x, steps


def _head(name: str, label: str, head: nn.Linear, x: torch.Tensor):
    score = head(x).squeeze(1)
    return score, Step(name, label, f"w · ({head.in_features} numbers) + b", _num(score),
                       {"weight": head.weight[0].cpu().tolist(), "bias": float(head.bias[0]),
                        "activation": None})


def _output_steps(out, score: torch.Tensor) -> list[Step]:
    """score -> (+ offset) -> sigmoid -> rating, as :class:`RatingOutput` does it."""
    steps = []
    shifted = score
    if out.offset:
        steps.append(Step("offset", "offset: an untrained model starts at the average rating",
                          "log(share / (1 − share)), share = where the average sits in the "
                          "output range", float(out.offset)))
        shifted = score + out.offset
    what = "score + offset" if out.offset else "score"
    steps.append(Step("sigmoid", "sigmoid: squashed between 0 and 1",
                      f"sig(x) = 1 / (1 + exp(−x)), x = {what} = {_fmt(_num(shifted))}",
                      _num(torch.sigmoid(shifted))))
    if out.top_only:
        formula = f"yhat = sig × {out.high:g}"
    else:
        formula = f"yhat = low + (high − low) × sig = {out.low:g} + {out.high - out.low:g} × sig"
    steps.append(Step("rating", "predicted rating", formula, _num(out(score)),
                      {"mode": "top" if out.top_only else "scale", "low": out.low,
                       "high": out.high}))
    return steps


def _sum_step(name: str, label: str, parts: dict[str, float], value) -> Step:
    words = " + ".join(parts)
    return Step(name, label, f"{words} = {_signed_sum(list(parts.values()))}", _num(value))


def _signed_sum(values: list[float]) -> str:
    """e.g. ``1.1493 − 0.1212 + 0.2374``: a minus sign instead of ``+ -0.1212``."""
    text = _fmt(values[0])
    for v in values[1:]:
        text += f" − {_fmt(-v)}" if v < 0 else f" + {_fmt(v)}"
    return text


def _mf(model, u, i) -> list[Step]:
    product, steps = _factors(u, i, model.user_factors, model.item_factors)
    dot = product.sum(dim=1)
    bu, bu_step = _bias("user_bias", "user bias b_u (W_bias)", model.user_bias, u)
    bi, bi_step = _bias("item_bias", "item bias b_i (M_bias)", model.item_bias, i)
    score = dot + bu + bi
    steps += [Step("dot", "dot product p_u · q_i", "sum of the products", _num(dot)),
              bu_step, bi_step,
              _sum_step("score", "score", {"dot": _num(dot), "b_u": _num(bu), "b_i": _num(bi)},
                        score)]
    return steps + _output_steps(model.out, score)


def _network_input(model, u, i, with_biases: bool) -> list[Step]:
    """NN and MLP: the looked-up rows, and the vector the layers receive."""
    _, p_step = _lookup("user_factors", "user factors (W_feature)", model.user_factors, u)
    _, q_step = _lookup("item_factors", "item factors (M_feature)", model.item_factors, i)
    steps = [p_step, q_step]
    if with_biases:
        steps += [_bias("user_bias", "user bias (W_bias)", model.user_bias, u)[1],
                  _bias("item_bias", "item bias (M_bias)", model.item_bias, i)[1]]
    return steps


def _nn(model, u, i) -> list[Step]:
    z = model.features(u, i)
    steps = _network_input(model, u, i, with_biases=True)
    steps.append(Step("input", f"network input Z: {z.shape[1]} numbers",
                      "[W_feature, M_feature, W_bias, M_bias] side by side", _vec(z)))
    x, layers = _layer_steps(model.hidden, z)
    score, head = _head("score", "score: output layer → 1 number", model.head, x)
    return steps + layers + [head] + _output_steps(model.out, score)


def _gmf(model, u, i) -> list[Step]:
    product, steps = _factors(u, i, model.user_factors, model.item_factors)
    score, head = _head("score", "score: weighted sum of the products", model.head, product)
    return steps + [head] + _output_steps(model.out, score)


def _mlp(model, u, i) -> list[Step]:
    z = torch.cat([model.user_factors(u), model.item_factors(i)], dim=1)
    steps = _network_input(model, u, i, with_biases=False)
    steps.append(Step("input", f"network input Z: {z.shape[1]} numbers",
                      "[W_feature, M_feature] side by side", _vec(z)))
    x, layers = _layer_steps(model.hidden, z)
    score, head = _head("score", "score: output layer → 1 number", model.head, x)
    return steps + layers + [head] + _output_steps(model.out, score)


def _neumf(model, u, i) -> list[Step]:
    gmf, steps = _factors(u, i, model.gmf_users, model.gmf_items, "gmf_", "GMF part: ")
    p, p_step = _lookup("mlp_user_factors", "MLP part: user factors", model.mlp_users, u)
    q, q_step = _lookup("mlp_item_factors", "MLP part: item factors", model.mlp_items, i)
    z = torch.cat([p, q], dim=1)
    steps += [p_step, q_step, Step("input", f"MLP input: {z.shape[1]} numbers",
                                   "[MLP user factors, MLP item factors] side by side", _vec(z))]
    x, layers = _layer_steps(model.hidden, z)
    fused = torch.cat([gmf, x], dim=1)
    head_score, head = _head("head", "output layer → 1 number", model.head, fused)
    bu, bu_step = _bias("user_bias", "user bias (W_bias)", model.user_bias, u)
    bi, bi_step = _bias("item_bias", "item bias (M_bias)", model.item_bias, i)
    score = head_score + bu + bi
    steps += layers + [
        Step("fused", f"GMF products and MLP output: {fused.shape[1]} numbers",
             "[GMF products, last hidden layer] side by side", _vec(fused)),
        head, bu_step, bi_step,
        _sum_step("score", "score", {"output": _num(head_score), "b_u": _num(bu),
                                     "b_i": _num(bi)}, score)]
    return steps + _output_steps(model.out, score)


def _baseline(model, u, i) -> list[Step]:
    bu, bu_step = _bias("user_bias", "user bias b_u (W_bias)", model.user_bias, u)
    bi, bi_step = _bias("item_bias", "item bias b_i (M_bias)", model.item_bias, i)
    raw = model.mean + bu + bi
    return [Step("mean", "average training rating", "mean of the training ratings",
                 float(model.mean)), bu_step, bi_step,
            _sum_step("raw", "average + biases",
                      {"mean": model.mean, "b_u": _num(bu), "b_i": _num(bi)}, raw),
            Step("rating", "predicted rating, kept on the scale",
                 f"clamp(raw, {model.low:g}, {model.high:g})",
                 _num(raw.clamp(model.low, model.high)),
                 {"mode": "clamp", "low": model.low, "high": model.high})]


_BUILDERS = {"mf": _mf, "nn": _nn, "gmf": _gmf, "mlp": _mlp, "neumf": _neumf,
             "baseline": _baseline}


# =========================================================================================
# The same, as code
# =========================================================================================
def as_exported_net(model: nn.Module) -> nn.Module:
    """The model's tables and layers under the names of the exported script's ``Net``
    (``ebdd1``, ``b1``, ``mlp``, ``h`` ...), so :func:`breakdown_code` also runs on it.

    The parts are shared, not copied: ``net.eval()`` puts the model itself in evaluation
    mode too."""
    names = {
        "mf": dict(ebdd1="user_factors", ebdd2="item_factors", b1="user_bias", b2="item_bias"),
        "nn": dict(ebdd1="user_factors", ebdd2="item_factors", b1="user_bias", b2="item_bias"),
        "gmf": dict(ebdd1="user_factors", ebdd2="item_factors", h="head"),
        "mlp": dict(ebdd1="user_factors", ebdd2="item_factors"),
        "neumf": dict(gmf1="gmf_users", gmf2="gmf_items", mlp1="mlp_users", mlp2="mlp_items",
                      mlp="hidden", b1="user_bias", b2="item_bias", h="head"),
        "baseline": dict(b1="user_bias", b2="item_bias"),
    }[model.name]
    net = nn.Module()
    for new, old in names.items():
        net.add_module(new, getattr(model, old))
    if model.name in ("nn", "mlp"):  # the export's Sequential ends with the output layer
        net.add_module("mlp", nn.Sequential(*model.hidden, model.head))
    return net


FORWARD_CODE = {
    "mf": [("W_feature = net.ebdd1(X1)", "user_factors"),
           ("M_feature = net.ebdd2(X2)", "item_factors"),
           ("W_bias = net.b1(X1)", "user_bias"), ("M_bias = net.b2(X2)", "item_bias"),
           ("score = (W_feature * M_feature).sum(axis=1) + W_bias.squeeze(1) "
            "+ M_bias.squeeze(1)", "score")],
    "nn": [("W_feature = net.ebdd1(X1)", "user_factors"),
           ("M_feature = net.ebdd2(X2)", "item_factors"),
           ("W_bias = net.b1(X1)", "user_bias"), ("M_bias = net.b2(X2)", "item_bias"),
           ("Z = torch.concat([W_feature, M_feature, W_bias, M_bias], axis=1)", "input"),
           ("score = net.mlp(Z).squeeze(1)", "score")],
    "gmf": [("W_feature = net.ebdd1(X1)", "user_factors"),
            ("M_feature = net.ebdd2(X2)", "item_factors"),
            ("score = net.h(W_feature * M_feature).squeeze(1)", "score")],
    "mlp": [("W_feature = net.ebdd1(X1)", "user_factors"),
            ("M_feature = net.ebdd2(X2)", "item_factors"),
            ("Z = torch.concat([W_feature, M_feature], axis=1)", "input"),
            ("score = net.mlp(Z).squeeze(1)", "score")],
    "neumf": [("G1, G2 = net.gmf1(X1), net.gmf2(X2)", None),
              ("P1, P2 = net.mlp1(X1), net.mlp2(X2)", None),
              ("Z = net.mlp(torch.concat([P1, P2], axis=1))", None),
              ("score = net.h(torch.concat([G1 * G2, Z], axis=1)).squeeze(1)", "head"),
              ("W_bias, M_bias = net.b1(X1), net.b2(X2)", None),
              ("score = score + W_bias.squeeze(1) + M_bias.squeeze(1)", "score")],
    "baseline": [("W_bias = net.b1(X1)", "user_bias"), ("M_bias = net.b2(X2)", "item_bias")],
}
"""Each model's forward pass as the exported ``Net.forward`` writes it, with the breakdown
step whose value each line's comment shows."""


def breakdown_code(source, user_idx: int | None = None, item_idx: int | None = None) -> str:
    """The cell's computation as lecture-style torch code, each line's value in its comment.

    ``source`` is a :class:`Breakdown`, or a model (then give ``user_idx`` and ``item_idx``).
    The code runs after the exported script, where ``net`` is the trained network; with an
    app model, ``net = as_exported_net(model)`` first.
    """
    b = source if isinstance(source, Breakdown) else explain_cell(source, user_idx, item_idx)
    who = _who(b)
    lines = [f"# {who}: how the trained net predicts it"]
    if b.model_name != "baseline":
        lines.append("sig = torch.nn.Sigmoid()")
    lines.append("net.eval()  # predicting: no dropout")
    lines.append(f"X1, X2 = torch.tensor([{b.user}]), torch.tensor([{b.item}])  # row numbers")
    for text, step in FORWARD_CODE[b.model_name]:
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
           "as_exported_net", "SHOWN_NUMBERS"]
