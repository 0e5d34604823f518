"""GMF, generalised MF from NCF (He et al., 2017): a learned weighting of p_u * q_i."""

from __future__ import annotations

from dataclasses import dataclass

import torch

from recsys_core.i18n import L_, N_
from recsys_core.models import base, steps
from recsys_core.models.code import FACTOR_LINES, Layers, factor_tables


@dataclass
class GMFConfig(base.OutputConfig):
    dim: int = base.embedding_size(16)


class GMF(base.RatingModel):
    """score = h · (p_u * q_i) + b: MF whose factors each get a learned weight."""

    name = "gmf"
    user_tables = ("user_factors",)

    def __init__(self, n_users, n_items, scale, global_mean, cfg: GMFConfig):
        super().__init__(cfg)
        self.user_factors, self.item_factors = base.factor_pair(n_users, n_items, cfg.dim,
                                                                cfg.init_std)
        self.head = torch.nn.Linear(cfg.dim, 1)
        self.out = base.RatingOutput(scale, global_mean, cfg)

    def forward(self, users, items):
        product = self.rows(self.user_factors, users) * self.rows(self.item_factors, items)
        return self.out(self.head(product).squeeze(1))


def breakdown(model: GMF, u, i) -> list[steps.Step]:
    product, shown = steps.factors(u, i, model.user_factors, model.item_factors)
    score, head = steps.head("score", L_("score: weighted sum of the products"), model.head,
                             product)
    return shown + [head] + steps.output(model.out, score)


def net_parts(cfg: GMFConfig):
    return [*factor_tables(cfg.dim),
            Layers("h", (f"torch.nn.Linear({cfg.dim}, 1)",), lambda model: model.head,
                   sequential=False, note=N_("weights of the product"))]


SPEC = base.ModelSpec(
    name="gmf", title=N_("GMF (NCF)"),
    description=N_("Generalised MF from He et al. 2017: the factors' products, weighted by a "
                   "learned layer."),
    config_cls=GMFConfig, module_cls=GMF, breakdown=breakdown, net_parts=net_parts,
    forward_code=(*FACTOR_LINES,
                  ("score = self.h(W_feature * M_feature).squeeze(1)", "score")),
    l2_rows=("W_feature", "M_feature"),
    # AdamW's decoupled decay shrinks the layer without out-voting the data (Adam's at 0.1
    # pins it to the average).
    large_data=base.Recipe(lr=0.02, weight_decay=0.1, epochs=8, dim=64, optimizer="adamw"),
    has_biases=False, fold_in=base.fold_in_by_steps, factor_note="factor.how_gmf")
