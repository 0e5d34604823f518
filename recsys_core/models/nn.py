"""NN, the lecture's neural network (section 5A, 풀이2): [p_u, q_i, b_u, b_i] -> MLP -> rating."""

from __future__ import annotations

from dataclasses import dataclass

import torch

from recsys_core.i18n import L_, N_
from recsys_core.models import base, steps
from recsys_core.models.code import BIAS_LINES, FACTOR_LINES, Layers, bias_tables, factor_tables, tower_code
from recsys_core.models.config import param


@dataclass
class NNConfig(base.OutputConfig):
    dim: int = base.embedding_size(8, help=N_("factors per user and item fed to the network"))
    hidden: tuple = param((32, 16), N_("Hidden layers"), N_("sizes of the hidden layers, e.g. 15,15"))
    activation: str = base.activation_choice()
    dropout: float = base.dropout_share()


def _sizes(cfg: NNConfig) -> list[int]:
    return base.tower_sizes(2 * cfg.dim + 2, cfg.hidden)


class NN(base.RatingModel):
    """The embeddings and biases of the pair, side by side, through hidden layers to a score.

    Tables are created in the lecture's order (user factors, item factors, user bias, item
    bias, then the layers), so the lecture's seed gives the lecture's starting network.
    """

    name = "nn"
    user_tables = ("user_factors", "user_bias")

    def __init__(self, n_users, n_items, scale, global_mean, cfg: NNConfig):
        super().__init__(cfg)
        self.user_factors, self.item_factors = base.factor_pair(n_users, n_items, cfg.dim,
                                                                cfg.init_std)
        self.user_bias = base.embedding(n_users, 1, cfg.init_std)
        self.item_bias = base.embedding(n_items, 1, cfg.init_std)
        sizes = _sizes(cfg)
        self.hidden = base.tower(sizes, cfg.activation, cfg.dropout)
        self.head = torch.nn.Linear(sizes[-1], 1)
        self.out = base.RatingOutput(scale, global_mean, cfg)

    def features(self, users, items):
        return torch.cat([self.rows(self.user_factors, users), self.rows(self.item_factors, items),
                          self.rows(self.user_bias, users), self.rows(self.item_bias, items)], dim=1)

    def forward(self, users, items):
        return self.out(self.head(self.hidden(self.features(users, items))).squeeze(1))


def breakdown(model: NN, u, i) -> list[steps.Step]:
    return steps.network(model, u, i, model.features(u, i), with_biases=True,
                         described=L_("[W_feature, M_feature, W_bias, M_bias] side by side"))


def net_parts(cfg: NNConfig):
    # the export's Sequential ends with the output layer: the library's hidden layers + head
    return [*factor_tables(cfg.dim), *bias_tables("factors"),  # biases start like factors here
            Layers("mlp", tower_code(_sizes(cfg), cfg.activation, cfg.dropout, head=True),
                   lambda model: torch.nn.Sequential(*model.hidden, model.head))]


SPEC = base.ModelSpec(
    name="nn", title=N_("NN (lecture network)"),
    description=N_("Embeddings and biases of the pair go through a small neural network, as in "
                   "the lecture's 풀이2."),
    config_cls=NNConfig, module_cls=NN, breakdown=breakdown, net_parts=net_parts,
    forward_code=(*FACTOR_LINES, *BIAS_LINES,
                  ("Z = torch.concat([W_feature, M_feature, W_bias, M_bias], axis=1)", "input"),
                  ("score = self.mlp(Z).squeeze(1)", "score")),
    l2_rows=("W_feature", "M_feature", "W_bias", "M_bias"),
    # The weight decay also acts on the layers, through Adam's gradient: at 0.1 it pins the
    # pure-network models to predicting the average. NN takes a small decay.
    large_data=base.Recipe(lr=0.01, weight_decay=0.01, epochs=10, dim=32),
    has_biases=False, fold_in=base.fold_in_by_steps)
