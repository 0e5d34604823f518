"""MLP for ranking (He et al. 2017, section 3.3): a tower of ReLU layers on ``[p_u, q_i]``."""

from __future__ import annotations

from dataclasses import dataclass

import torch

from recsys_core.i18n import N_
from recsys_core.models.base import tower
from recsys_core.models.code import tower_code
from recsys_core.models.config import param
from recsys_core.models.ranking import base
from recsys_core.models.ranking.code import (
    ModelCode,
    class_code,
    factor_forward,
    factor_tables,
    sequential,
)


def hidden_layers(default=(32, 16, 8)):
    return param(default, N_("Hidden layers"),
                 N_("sizes of the ReLU layers on the joined embeddings, halving as in the paper; "
                    "the last is the predictive factors"))


@dataclass
class RankMLPConfig:
    dim: int = base.factors(32, N_("Embedding size"), N_("size of the user and item "
                                                         "embeddings the layers join"))
    hidden: tuple[int, ...] = hidden_layers()
    init_std: float = base.init_spread()


class RankMLP(base.FactorModel):
    """score = h · tower([p_u, q_i]) + b."""

    name = "mlp"

    def __init__(self, n_users, n_items, cfg: RankMLPConfig):
        super().__init__(n_users, n_items, cfg)
        sizes = [2 * cfg.dim, *cfg.hidden]
        self.layers = tower(sizes, "relu", 0.0)
        self.head = torch.nn.Linear(sizes[-1], 1)

    def features(self, users, items):
        joined = torch.cat([self.rows(self.user_factors, users),
                            self.rows(self.item_factors, items)], dim=1)
        return self.layers(joined)

    def forward(self, users, items):
        return self.head(self.features(users, items)).squeeze(1)


def script_code(cfg: RankMLPConfig, fit=None) -> ModelCode:
    """``class MLP`` for the exported script."""
    sizes = [2 * int(cfg.dim), *[int(h) for h in cfg.hidden]]
    return class_code("MLP", "score = h . tower([p_u, q_i]) + b, a logit", [
        *factor_tables(cfg),
        *sequential("layers", tower_code(sizes, "relu", 0.0, head=False)),
        f"self.head = torch.nn.Linear({sizes[-1]}, 1)",
    ], factor_forward("return self.head(self.layers(torch.cat([p, q], dim=1))).squeeze(1)"))


SPEC = base.RankingSpec(
    name="mlp", title=N_("MLP (NCF)"),
    description=N_("The NCF paper's multi-layer perceptron on the joined user and item "
                   "embeddings, trained with log loss and sampled negatives."),
    config_cls=RankMLPConfig, module_cls=RankMLP, loss="log", code=script_code)
