"""GMF for ranking (He et al. 2017, section 3.2): ``h · (p_u * q_i)``, a logit."""

from __future__ import annotations

from dataclasses import dataclass

import torch

from recsys_core.i18n import N_
from recsys_core.models.ranking import base
from recsys_core.models.ranking.code import ModelCode, class_code, factor_forward, factor_tables


@dataclass
class RankGMFConfig:
    dim: int = base.factors(32)
    init_std: float = base.init_spread()


class RankGMF(base.FactorModel):
    """score = h · (p_u * q_i) + b: matrix factorisation whose factors each get a weight."""

    name = "gmf"

    def __init__(self, n_users, n_items, cfg: RankGMFConfig):
        super().__init__(n_users, n_items, cfg)
        self.head = torch.nn.Linear(cfg.dim, 1)

    def features(self, users, items):
        return self.rows(self.user_factors, users) * self.rows(self.item_factors, items)

    def forward(self, users, items):
        return self.head(self.features(users, items)).squeeze(1)

    @torch.no_grad()
    def score_rows(self, users):
        weighted = self.user_factors(users) * self.head.weight  # (b, d): h folded into p_u
        return weighted @ self.item_factors.weight.T + self.head.bias


def script_code(cfg: RankGMFConfig, fit=None) -> ModelCode:
    """``class GMF`` for the exported script."""
    return class_code("GMF", "score = h . (p_u * q_i) + b, a logit", [
        *factor_tables(cfg),
        f"self.head = torch.nn.Linear({int(cfg.dim)}, 1)",
    ], factor_forward("return self.head(p * q).squeeze(1)"))


SPEC = base.RankingSpec(
    name="gmf", title=N_("GMF (NCF)"),
    description=N_("Generalised MF from He et al. 2017, trained on clicks with log loss and "
                   "sampled negatives: the products of user and item factors, weighted."),
    config_cls=RankGMFConfig, module_cls=RankGMF, loss="log", code=script_code,
    # validation HR@10 peaked at epoch 8 (BENCHMARKS.md)
    train_defaults={"lr": 0.01, "epochs": 8})
