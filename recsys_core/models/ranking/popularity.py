"""Popularity: every user gets the items most interacted with in training, the yardstick."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from recsys_core.i18n import N_
from recsys_core.models.ranking import base
from recsys_core.models.ranking.code import ModelCode, class_code


@dataclass
class PopularityConfig:
    """No settings: the score of an item is how many training interactions it has."""


class Popularity(base.RankingModel):
    name = "popularity"

    def __init__(self, n_users, n_items, cfg: PopularityConfig):
        super().__init__(n_users, n_items, cfg)
        self.register_buffer("counts", torch.zeros(n_items))

    def fit_closed(self, users, items):
        self.counts = torch.as_tensor(np.bincount(items, minlength=self.n_items),
                                      dtype=torch.float32)

    def forward(self, users, items):
        return self.counts[items]

    @torch.no_grad()
    def score_rows(self, users):
        return self.counts.expand(users.numel(), -1)

    def fold_in_visitor(self, liked, loss=None, *_, **__) -> tuple[np.ndarray, None]:
        """The same for everyone: a newcomer gets the most popular items they have not liked
        (no user vector: popularity has no embeddings)."""
        return self.counts.numpy().copy(), None


def script_code(cfg: PopularityConfig, fit=None) -> ModelCode:
    """``class Popularity`` for the exported script."""
    return class_code("Popularity", "score = the item's training interactions", [
        "self.n_items = n_items",
    ], {"fit(self, users, items)": [
        "self.counts = torch.as_tensor(np.bincount(items, minlength=self.n_items),",
        "                              dtype=torch.float32)",
    ], "score_rows(self, users)": [
        "return self.counts.expand(len(users), -1)",
    ]})


SPEC = base.RankingSpec(
    name="popularity", title=N_("Popularity"),
    description=N_("The same list for everyone: the items with the most interactions in "
                   "training. Any personal model has to beat it."),
    config_cls=PopularityConfig, module_cls=Popularity, loss=None, code=script_code,
    training_settings=("seed",))  # the split's seed; computed once, nothing to train
