"""MF with BPR loss (Rendle et al. 2009): ``p_u · q_i + b_i``, trained on pairs."""

from __future__ import annotations

from dataclasses import dataclass

import torch

from recsys_core.i18n import N_
from recsys_core.models.ranking import base
from recsys_core.models.ranking.code import ModelCode, class_code, embedding, factor_forward, factor_tables


@dataclass
class BPRConfig:
    dim: int = base.factors(64)
    init_std: float = base.init_spread()


class BPRMF(base.FactorModel):
    """score = p_u · q_i + b_i; only differences of scores are trained, so no user bias."""

    name = "bpr"

    def __init__(self, n_users, n_items, cfg: BPRConfig):
        super().__init__(n_users, n_items, cfg)
        self.item_bias = base.embedding(n_items, 1, 0.0)

    def forward(self, users, items):
        dot = (self.rows(self.user_factors, users) * self.rows(self.item_factors, items)).sum(1)
        return dot + self.rows(self.item_bias, items).squeeze(1)

    @torch.no_grad()
    def score_rows(self, users):
        return self.user_factors(users) @ self.item_factors.weight.T + self.item_bias.weight.T


def script_code(cfg: BPRConfig, fit=None) -> ModelCode:
    """``class BPRMF`` for the exported script."""
    return class_code("BPRMF", "score = p_u . q_i + b_i", [
        *factor_tables(cfg),
        *embedding("item_bias", "item", 1, 0.0),
    ], factor_forward("return (p * q).sum(1) + b.squeeze(1)", b="self.item_bias(items)"))


SPEC = base.RankingSpec(
    name="bpr", title=N_("MF with BPR loss"),
    description=N_("Matrix factorisation trained to score each clicked item above a sampled "
                   "unclicked one (Bayesian personalised ranking, Rendle et al. 2009)."),
    config_cls=BPRConfig, module_cls=BPRMF, loss="bpr", code=script_code,
    # validation HR@10 with L2 0.0005 at lr 0.005 rose to the last epoch (0.751); at lr 0.01
    # without L2 it peaked in epoch 4 (0.725) and fell (BENCHMARKS.md)
    train_defaults={"weight_decay": 0.0005})
