"""NeuMF from NCF (He et al., 2017): GMF and MLP with their own embeddings, fused by one layer."""

from __future__ import annotations

from dataclasses import dataclass

import torch

from recsys_core.i18n import L_, N_
from recsys_core.models import base, steps
from recsys_core.models.code import Layers, Table, bias_tables, tower_code
from recsys_core.models.config import param


@dataclass
class NeuMFConfig(base.OutputConfig):
    dim: int = base.embedding_size(8, N_("GMF embedding size"), N_("factors of the GMF part"))
    mlp_dim: int = base.embedding_size(8, N_("MLP embedding size"), N_("factors of the MLP part"))
    hidden: tuple = param((16, 8), N_("Hidden layers"), N_("tower of hidden layer sizes of the MLP part"))
    activation: str = base.activation_choice()
    dropout: float = base.dropout_share()


def _sizes(cfg: NeuMFConfig) -> list[int]:
    return base.tower_sizes(2 * cfg.mlp_dim, cfg.hidden)


class NeuMF(base.RatingModel):
    """h · [p_u * q_i, MLP(p'_u, q'_i)] + b_u + b_i, then onto the rating scale."""

    name = "neumf"
    user_tables = ("gmf_users", "mlp_users", "user_bias")

    def __init__(self, n_users, n_items, scale, global_mean, cfg: NeuMFConfig):
        super().__init__(cfg)
        self.gmf_users, self.gmf_items = base.factor_pair(n_users, n_items, cfg.dim, cfg.init_std)
        self.mlp_users, self.mlp_items = base.factor_pair(n_users, n_items, cfg.mlp_dim,
                                                          cfg.init_std)
        sizes = _sizes(cfg)
        self.hidden = base.tower(sizes, cfg.activation, cfg.dropout)
        self.user_bias = base.embedding(n_users, 1, base.bias_std(cfg))
        self.item_bias = base.embedding(n_items, 1, base.bias_std(cfg))
        self.head = torch.nn.Linear(cfg.dim + sizes[-1], 1)
        self.out = base.RatingOutput(scale, global_mean, cfg)

    def forward(self, users, items):
        gmf = self.rows(self.gmf_users, users) * self.rows(self.gmf_items, items)
        mlp = self.hidden(torch.cat([self.rows(self.mlp_users, users),
                                     self.rows(self.mlp_items, items)], dim=1))
        score = self.head(torch.cat([gmf, mlp], dim=1)).squeeze(1)
        return self.out(score + self.rows(self.user_bias, users).squeeze(1)
                        + self.rows(self.item_bias, items).squeeze(1))

    def user_vectors(self):
        return torch.cat([self.gmf_users.weight, self.mlp_users.weight], dim=1)

    def visitor_vector(self, rows):
        return torch.cat([rows["gmf_users"], rows["mlp_users"]], dim=1)

    def item_vectors(self):
        return torch.cat([self.gmf_items.weight, self.mlp_items.weight], dim=1)

    def visitor_scores(self, items):
        """:meth:`forward` for one visitor with the items' side done once: their GMF rows,
        their biases and their share of the first hidden layer (``W [p; q] = W_p p + W_q q``).
        Each fold-in step then multiplies a handful of small matrices, where the forward pass
        looked up every table and ran the whole tower again (NeuMF's fold-in on MovieLens:
        about half its time, ``bench/foldin.py``)."""
        if not len(self.hidden) or not isinstance(self.hidden[0], torch.nn.Linear):
            return None
        first, rest = self.hidden[0], self.hidden[1:]
        width = self.mlp_users.embedding_dim
        with torch.no_grad():
            gmf_items = self.gmf_items.weight[items]
            mlp_items = torch.nn.functional.linear(self.mlp_items.weight[items],
                                                   first.weight[:, width:], first.bias)
            item_bias = self.item_bias.weight[items, 0]
        user_part = first.weight[:, :width]

        def scores(rows):
            gmf = rows["gmf_users"].reshape(1, -1) * gmf_items
            mlp = rest(mlp_items + rows["mlp_users"].reshape(1, -1) @ user_part.T)
            score = self.head(torch.cat([gmf, mlp], dim=1)).squeeze(1)
            return self.out(score + rows["user_bias"].reshape(()) + item_bias)

        return scores


def breakdown(model: NeuMF, u, i) -> list[steps.Step]:
    gmf, shown = steps.factors(u, i, model.gmf_users, model.gmf_items, "gmf_", L_("GMF part:"))
    mlp = L_("MLP part:")
    p, p_step = steps.lookup("mlp_user_factors", steps.part_of(mlp, L_("user factors")),
                             model.mlp_users, u)
    q, q_step = steps.lookup("mlp_item_factors", steps.part_of(mlp, L_("item factors")),
                             model.mlp_items, i)
    z = torch.cat([p, q], dim=1)
    shown += [p_step, q_step,
              steps.Step("input", L_("MLP input: {n} numbers", n=z.shape[1]),
                         L_("[MLP user factors, MLP item factors] side by side"), steps.vec(z))]
    x, hidden = steps.layers(model.hidden, z)
    fused = torch.cat([gmf, x], dim=1)
    head_score, head = steps.head("head", L_("output layer → 1 number"), model.head, fused)
    bu, bu_step = steps.bias("user_bias", L_("user bias (W_bias)"), model.user_bias, u)
    bi, bi_step = steps.bias("item_bias", L_("item bias (M_bias)"), model.item_bias, i)
    score = head_score + bu + bi
    shown += hidden + [
        steps.Step("fused", L_("GMF products and MLP output: {n} numbers", n=fused.shape[1]),
                   L_("[GMF products, last hidden layer] side by side"), steps.vec(fused)),
        head, bu_step, bi_step,
        steps.total("score", L_("score"), {"output": steps.num(head_score), "b_u": steps.num(bu),
                                       "b_i": steps.num(bi)}, score)]
    return shown + steps.output(model.out, score)


def net_parts(cfg: NeuMFConfig):
    sizes = _sizes(cfg)
    return [Table("gmf1", "gmf_users", "user", cfg.dim, "factors", N_("user factors, GMF part")),
            Table("gmf2", "gmf_items", "item", cfg.dim, "factors", N_("item factors, GMF part")),
            Table("mlp1", "mlp_users", "user", cfg.mlp_dim, "factors", N_("user factors, MLP part")),
            Table("mlp2", "mlp_items", "item", cfg.mlp_dim, "factors", N_("item factors, MLP part")),
            Layers("mlp", tower_code(sizes, cfg.activation, cfg.dropout, head=False),
                   lambda model: model.hidden),
            *bias_tables("bias"),
            Layers("h", (f"torch.nn.Linear({cfg.dim + sizes[-1]}, 1)",), lambda model: model.head,
                   sequential=False)]


SPEC = base.ModelSpec(
    name="neumf", title=N_("NeuMF (NCF)"),
    description=N_("He et al.'s fusion of GMF and MLP, each with its own embeddings."),
    config_cls=NeuMFConfig, module_cls=NeuMF, breakdown=breakdown, net_parts=net_parts,
    forward_code=(("G1, G2 = self.gmf1(X1), self.gmf2(X2)", None),
                  ("P1, P2 = self.mlp1(X1), self.mlp2(X2)", None),
                  ("Z = self.mlp(torch.concat([P1, P2], axis=1))", None),
                  ("score = self.h(torch.concat([G1 * G2, Z], axis=1)).squeeze(1)", "head"),
                  ("W_bias, M_bias = self.b1(X1), self.b2(X2)", None),
                  ("score = score + W_bias.squeeze(1) + M_bias.squeeze(1)", "score")),
    l2_rows=("G1", "G2", "P1", "P2", "W_bias", "M_bias"),
    # the same per-batch L2 as MF keeps its curve flat; a smaller step does better than MF's
    large_data=base.Recipe(lr=0.02, weight_decay=0.1, epochs=10, dim=64),
    has_biases=True, fold_in=base.fold_in_by_steps, factor_map_note="factor.note_neumf")
