"""NeuMF for ranking (He et al. 2017, section 3.4): GMF and MLP side by side, one head.

With ``pretrain`` on, as in the paper, a GMF and an MLP of the same sizes are trained first
on the same data (each at its own training defaults, with the run's seed, negatives and batch
size), NeuMF starts from their weights and its head from ``[alpha * h_GMF, (1 - alpha) *
h_MLP]``, and is then trained further with the run's settings (the paper uses plain SGD
there; a small learning rate keeps what the parts learned)."""

from __future__ import annotations

from dataclasses import dataclass

import torch

from recsys_core.i18n import N_
from recsys_core.models.base import tower
from recsys_core.models.code import tower_code
from recsys_core.models.config import param
from recsys_core.models.ranking import base, gmf, mlp
from recsys_core.models.ranking.code import (
    ModelCode,
    class_code,
    embedding,
    factor_tables,
    l2_lines,
    sequential,
)
from recsys_core.models.ranking.gmf import RankGMFConfig
from recsys_core.models.ranking.mlp import RankMLPConfig, hidden_layers


@dataclass
class RankNeuMFConfig:
    dim: int = base.factors(16, N_("GMF factors"), N_("size of the GMF part's embeddings"))
    mlp_dim: int = base.factors(32, N_("MLP embedding size"),
                                N_("size of the MLP part's embeddings"))
    hidden: tuple[int, ...] = hidden_layers()
    init_std: float = base.init_spread()
    pretrain: bool = param(False, N_("Start from trained GMF and MLP"),
                           N_("train a GMF and an MLP first and start from their weights, as "
                              "in the paper (three trainings instead of one)"))
    alpha: float = param(0.5, N_("GMF share of the head"),
                         N_("with pretraining: the head starts as this share of GMF's and the "
                            "rest of MLP's"), min=0.0, max=1.0, step=0.05, advanced=True)


class RankNeuMF(base.FactorModel):
    """score = h · [p_u * q_i, tower([p'_u, q'_i])] + b: separate embeddings for each part."""

    name = "neumf"

    def __init__(self, n_users, n_items, cfg: RankNeuMFConfig):
        super().__init__(n_users, n_items, cfg)
        self.user_mlp = base.embedding(n_users, cfg.mlp_dim, cfg.init_std)
        self.item_mlp = base.embedding(n_items, cfg.mlp_dim, cfg.init_std)
        sizes = [2 * cfg.mlp_dim, *cfg.hidden]
        self.layers = tower(sizes, "relu", 0.0)
        self.head = torch.nn.Linear(cfg.dim + sizes[-1], 1)

    def forward(self, users, items):
        gmf = self.rows(self.user_factors, users) * self.rows(self.item_factors, items)
        joined = torch.cat([self.rows(self.user_mlp, users), self.rows(self.item_mlp, items)],
                           dim=1)
        return self.head(torch.cat([gmf, self.layers(joined)], dim=1)).squeeze(1)

    @torch.no_grad()
    def start_from(self, gmf, mlp, alpha: float) -> None:
        """The paper's pretraining: embeddings and tower copied, the heads joined."""
        self.user_factors.weight.copy_(gmf.user_factors.weight)
        self.item_factors.weight.copy_(gmf.item_factors.weight)
        self.user_mlp.weight.copy_(mlp.user_factors.weight)
        self.item_mlp.weight.copy_(mlp.item_factors.weight)
        self.layers.load_state_dict(mlp.layers.state_dict())
        self.head.weight.copy_(torch.cat([alpha * gmf.head.weight,
                                          (1 - alpha) * mlp.head.weight], dim=1))
        self.head.bias.copy_(alpha * gmf.head.bias + (1 - alpha) * mlp.head.bias)


def parts_configs(cfg: RankNeuMFConfig) -> tuple[RankGMFConfig, RankMLPConfig]:
    """The GMF and the MLP that pretraining trains: the same sizes as NeuMF's parts."""
    return (RankGMFConfig(dim=cfg.dim, init_std=cfg.init_std),
            RankMLPConfig(dim=cfg.mlp_dim, hidden=cfg.hidden, init_std=cfg.init_std))


def prepare(model: RankNeuMF, train, fit) -> None:
    """With ``pretrain``: train GMF and MLP of the same sizes first and start from them."""
    cfg = model.config
    if not cfg.pretrain:
        return
    gmf_config, mlp_config = parts_configs(cfg)
    model.start_from(fit("gmf", gmf_config), fit("mlp", mlp_config), cfg.alpha)


START_FROM = [
    "# the paper's pretraining: embeddings and tower copied, the heads joined",
    "with torch.no_grad():",
    "    for mine, theirs in ((self.user_factors, gmf.user_factors),",
    "                         (self.item_factors, gmf.item_factors),",
    "                         (self.user_mlp, mlp.user_factors), (self.item_mlp, mlp.item_factors)):",
    "        mine.weight.copy_(theirs.weight)",
    "    self.layers.load_state_dict(mlp.layers.state_dict())",
    "    self.head.weight.copy_(torch.cat([alpha * gmf.head.weight,",
    "                                      (1 - alpha) * mlp.head.weight], dim=1))",
    "    self.head.bias.copy_(alpha * gmf.head.bias + (1 - alpha) * mlp.head.bias)",
]


def script_code(cfg: RankNeuMFConfig, fit) -> ModelCode:
    """``class NeuMF`` for the exported script; with ``pretrain``, the lines that train a
    GMF and an MLP first (``fit``) and start from them."""
    sizes = [2 * int(cfg.mlp_dim), *[int(h) for h in cfg.hidden]]
    methods = {"forward(self, users, items)": [
        "p, q = self.user_factors(users), self.item_factors(items)",
        "pm, qm = self.user_mlp(users), self.item_mlp(items)",
        *l2_lines(["p", "q", "pm", "qm"]),
        "joined = self.layers(torch.cat([pm, qm], dim=1))",
        "return self.head(torch.cat([p * q, joined], dim=1)).squeeze(1)",
    ]}
    prepare_lines, needs = (), ()
    if cfg.pretrain:
        methods["start_from(self, gmf, mlp, alpha)"] = START_FROM
        gmf_config, mlp_config = parts_configs(cfg)
        needs = (gmf.script_code(gmf_config).source, mlp.script_code(mlp_config).source)
        prepare_lines = ("# pretraining, as in the paper: a GMF and an MLP of the same sizes",
                         *fit("gmf", gmf_config, "gmf"), *fit("mlp", mlp_config, "mlp"),
                         f"net.start_from(gmf, mlp, alpha={float(cfg.alpha)!r})")
    return class_code("NeuMF", "score = h . [p_u * q_i, tower([p'_u, q'_i])] + b, a logit", [
        *factor_tables(cfg),
        *embedding("user_mlp", "user", cfg.mlp_dim, cfg.init_std),
        *embedding("item_mlp", "item", cfg.mlp_dim, cfg.init_std),
        *sequential("layers", tower_code(sizes, "relu", 0.0, head=False)),
        f"self.head = torch.nn.Linear({int(cfg.dim) + sizes[-1]}, 1)",
    ], methods, prepare=prepare_lines, needs=needs)


SPEC = base.RankingSpec(
    name="neumf", title=N_("NeuMF (NCF)"),
    description=N_("The NCF paper's model: GMF and MLP side by side with one output, trained "
                   "with log loss and sampled negatives; optionally started from a trained "
                   "GMF and MLP."),
    config_cls=RankNeuMFConfig, module_cls=RankNeuMF, loss="log", prepare=prepare,
    code=script_code)
