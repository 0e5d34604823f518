"""The baseline every model should beat: global mean + b_u + b_i, kept on the scale."""

from __future__ import annotations

from dataclasses import dataclass

import torch

from recsys_core.i18n import L_, N_
from recsys_core.models import base, steps
from recsys_core.models.code import BIAS_LINES, bias_tables


@dataclass
class BaselineConfig:
    """Average + user bias + item bias; regularised through the training's weight decay."""


class Baseline(base.RatingModel):
    """prediction = global mean + b_u + b_i, kept inside the rating scale."""

    name = "baseline"
    user_tables = ("user_bias",)

    def __init__(self, n_users, n_items, scale, global_mean, cfg: BaselineConfig):
        super().__init__(cfg)
        self.user_bias = base.embedding(n_users, 1, 0.0)
        self.item_bias = base.embedding(n_items, 1, 0.0)
        self.mean = float(global_mean)
        self.low, self.high = float(scale[0]), float(scale[1])

    def forward(self, users, items):
        raw = (self.mean + self.rows(self.user_bias, users).squeeze(1)
               + self.rows(self.item_bias, items).squeeze(1))
        return raw.clamp(self.low, self.high)


def breakdown(model: Baseline, u, i) -> list[steps.Step]:
    bu, bu_step = steps.bias("user_bias", L_("user bias b_u (W_bias)"), model.user_bias, u)
    bi, bi_step = steps.bias("item_bias", L_("item bias b_i (M_bias)"), model.item_bias, i)
    raw = model.mean + bu + bi
    return [steps.Step("mean", L_("average training rating"), L_("mean of the training ratings"),
                       float(model.mean)), bu_step, bi_step,
            steps.total("raw", L_("average + biases"),
                        {"mean": model.mean, "b_u": steps.num(bu), "b_i": steps.num(bi)}, raw),
            steps.Step("rating", L_("predicted rating, kept on the scale"),
                       f"clamp(raw, {model.low:g}, {model.high:g})",
                       steps.num(raw.clamp(model.low, model.high)),
                       {"mode": "clamp", "low": model.low, "high": model.high})]


def fold_in(model: Baseline, items: torch.Tensor, values: torch.Tensor,
            decay: float) -> dict[str, torch.Tensor]:
    """A new user's bias in closed form, the mean and the item biases fixed.

    The training objective restricted to the visitor's n ratings is
    ``Σ_i (mean + b + b_i - y_i)² + decay·n·b²`` (the per-rating L2 weighs the user's bias
    row once per rating; see :func:`.mf.fold_in`), whose minimiser is the mean of the
    residuals ``y_i - mean - b_i`` shrunk by ``1 + decay``. That is the training objective as
    long as no prediction is clamped to the scale (a clamped one would pull no further); one
    number, so no gradient steps are needed."""
    with torch.no_grad():
        residual = values.double() - model.mean - model.item_bias.weight[items, 0].double()
        ones = torch.ones(residual.shape[0], 1, dtype=residual.dtype)
        bias = base.ridge(ones, residual, torch.ones_like(residual), decay * values.numel())
    return {"user_bias": bias.to(model.user_bias.weight.dtype)[None, :]}


def net_parts(cfg: BaselineConfig):
    return bias_tables("zero")


SPEC = base.ModelSpec(
    name="baseline", title=N_("Baseline (average + biases)"),
    description=N_("The average rating, shifted by how generous each user and how liked each "
                   "item is. Every model should beat it."),
    config_cls=BaselineConfig, module_cls=Baseline, breakdown=breakdown, net_parts=net_parts,
    forward_code=BIAS_LINES,
    l2_rows=("W_bias", "M_bias"),
    large_data=base.Recipe(lr=0.04, weight_decay=0.1, epochs=10, dim=0),
    has_biases=True, fold_in=fold_in)
