"""MLP from NCF (He et al., 2017): a tower of layers on the user and item embeddings."""

from __future__ import annotations

from dataclasses import dataclass

import torch

from recsys_core.i18n import L_, N_
from recsys_core.models import base, steps
from recsys_core.models.code import FACTOR_LINES, Layers, factor_tables, tower_code
from recsys_core.models.config import param


@dataclass
class MLPConfig(base.OutputConfig):
    dim: int = base.embedding_size(16)
    hidden: tuple = param((32, 16, 8), N_("Hidden layers"), N_("tower of hidden layer sizes"))
    activation: str = base.activation_choice()
    dropout: float = base.dropout_share()


def _sizes(cfg: MLPConfig) -> list[int]:
    return base.tower_sizes(2 * cfg.dim, cfg.hidden)


class MLP(base.RatingModel):
    """[p_u, q_i] side by side through hidden layers to one score."""

    name = "mlp"
    user_tables = ("user_factors",)

    def __init__(self, n_users, n_items, scale, global_mean, cfg: MLPConfig):
        super().__init__(cfg)
        self.user_factors, self.item_factors = base.factor_pair(n_users, n_items, cfg.dim,
                                                                cfg.init_std)
        sizes = _sizes(cfg)
        self.hidden = base.tower(sizes, cfg.activation, cfg.dropout)
        self.head = torch.nn.Linear(sizes[-1], 1)
        self.out = base.RatingOutput(scale, global_mean, cfg)

    def forward(self, users, items):
        joint = torch.cat([self.rows(self.user_factors, users),
                           self.rows(self.item_factors, items)], dim=1)
        return self.out(self.head(self.hidden(joint)).squeeze(1))


def breakdown(model: MLP, u, i) -> list[steps.Step]:
    z = torch.cat([model.user_factors(u), model.item_factors(i)], dim=1)
    return steps.network(model, u, i, z, with_biases=False,
                         described=L_("[W_feature, M_feature] side by side"))


def net_parts(cfg: MLPConfig):
    return [*factor_tables(cfg.dim),
            Layers("mlp", tower_code(_sizes(cfg), cfg.activation, cfg.dropout, head=True),
                   lambda model: torch.nn.Sequential(*model.hidden, model.head))]


SPEC = base.ModelSpec(
    name="mlp", title=N_("MLP (NCF)"),
    description=N_("He et al.'s MLP tower on the user and item embeddings side by side."),
    config_cls=MLPConfig, module_cls=MLP, breakdown=breakdown, net_parts=net_parts,
    forward_code=(*FACTOR_LINES,
                  ("Z = torch.concat([W_feature, M_feature], axis=1)", "input"),
                  ("score = self.mlp(Z).squeeze(1)", "score")),
    l2_rows=("W_feature", "M_feature"),
    # Adam's weight decay at 0.1 pins the layers to the average; AdamW's decoupled decay
    # shrinks them without out-voting the data
    large_data=base.Recipe(lr=0.02, weight_decay=0.1, epochs=10, dim=32, optimizer="adamw"),
    has_biases=False, fold_in=base.fold_in_by_steps)
