"""Item-kNN with cosine similarity (Sarwar et al. 2001; Deshpande and Karypis 2004).

Two items are similar when the same users interacted with both: the cosine of their columns
of the 0/1 users x items matrix. Each item keeps its ``neighbours`` most similar items, and a
user's score of an item is the sum of its similarities to the items in the user's history.

Fitting holds the users x items 0/1 matrix densely (4 bytes a cell: 24 MB for MovieLens
latest-small, 90 MB for MovieLens 1M) and one block of ``BLOCK`` x items similarities at a
time; much larger catalogues would need a sparse product on both sides.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import torch

from recsys_core.i18n import N_
from recsys_core.models.config import param
from recsys_core.models.ranking import base
from recsys_core.models.ranking.code import ModelCode, class_code

BLOCK = 1024
"""Items whose similarities are computed at once (a block x items dense slice)."""


def _csr(coo: torch.Tensor) -> torch.Tensor:
    """A sparse matrix in CSR form, whose products with dense matrices are several times faster
    than COO's here (torch calls its CSR support beta; the warning says only that)."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Sparse CSR tensor support is in beta")
        return coo.to_sparse_csr()


@dataclass
class ItemKNNConfig:
    neighbours: int = param(100, N_("Neighbours"),
                            N_("most similar items each item keeps; the rest count as 0"),
                            min=1, max=10_000, step=1)
    shrink: float = param(0.0, N_("Shrinkage"),
                          N_("added to the denominator of the cosine, so items with few "
                             "users in common count less"), min=0.0, max=1000.0, step=1.0,
                          advanced=True)


class ItemKNN(base.RankingModel):
    name = "itemknn"

    def __init__(self, n_users, n_items, cfg: ItemKNNConfig):
        super().__init__(n_users, n_items, cfg)
        k = min(cfg.neighbours, max(n_items - 1, 1))
        self.register_buffer("neighbour_idx", torch.zeros(n_items, k, dtype=torch.int64))
        self.register_buffer("neighbour_sim", torch.zeros(n_items, k))
        self.history = base.History(n_users, n_items)

    def fit_closed(self, users, items):
        self.history.set(users, items)
        counts = np.bincount(items, minlength=self.n_items).astype(np.float32)
        norms = torch.as_tensor(np.sqrt(counts))  # |column| of a 0/1 column
        x = torch.zeros(self.n_users, self.n_items)  # dense: users x items float32
        x[torch.as_tensor(users), torch.as_tensor(items)] = 1.0
        k = self.neighbour_idx.shape[1]
        for start in range(0, self.n_items, BLOCK):
            stop = min(start + BLOCK, self.n_items)
            inside = (items >= start) & (items < stop)  # the block's columns, sparse
            block = torch.sparse_coo_tensor(
                torch.as_tensor(np.stack([items[inside] - start, users[inside]])),
                torch.ones(int(inside.sum())), (stop - start, self.n_users),
                check_invariants=False)
            sims = _csr(block) @ x  # users in common, (block, items)
            sims /= norms[start:stop, None] * norms[None, :] + self.config.shrink + 1e-12
            here = torch.arange(stop - start)
            sims[here, here + start] = -1.0  # not its own neighbour
            top = torch.topk(sims, k, dim=1)
            self.neighbour_idx[start:stop] = top.indices
            self.neighbour_sim[start:stop] = top.values.clamp_min(0.0)
        self._cached = None

    def __getstate__(self):
        """Copies and pickles leave the sparse cache behind (a CSR tensor cannot be copied);
        it is made again when first needed."""
        return {**super().__getstate__(), "_cached": None}

    def _load_from_state_dict(self, *args, **kwargs):
        self._cached = None
        super()._load_from_state_dict(*args, **kwargs)

    def _similarity(self) -> torch.Tensor:
        """The kept similarities as a sparse items x items matrix, made once."""
        if getattr(self, "_cached", None) is None:
            rows = torch.arange(self.n_items).repeat_interleave(self.neighbour_idx.shape[1])
            self._cached = _csr(torch.sparse_coo_tensor(
                torch.stack([self.neighbour_idx.reshape(-1), rows]),
                self.neighbour_sim.reshape(-1), (self.n_items, self.n_items),
                check_invariants=False).coalesce())
        return self._cached  # transposed: [j, h] = sim(h, j)

    @torch.no_grad()
    def score_rows(self, users):
        history = self.history.rows(users).to_dense()  # (b, items) 0/1
        return (self._similarity() @ history.T).T  # Σ_h∈history sim(h, ·)

    @torch.no_grad()
    def fold_in_visitor(self, liked, loss=None, *_, **__) -> tuple[np.ndarray, None]:
        """Exact, as for any user: the sum of each item's similarities to the liked items (no
        user vector: item-kNN has no embeddings)."""
        history = torch.zeros(self.n_items, 1)
        history[torch.as_tensor(np.asarray(liked, dtype=np.int64))] = 1.0
        return (self._similarity() @ history)[:, 0].numpy().copy(), None

    @torch.no_grad()
    def forward(self, users, items):
        out = torch.empty(users.numel())
        for start in range(0, users.numel(), 50_000):
            u, i = users[start:start + 50_000], items[start:start + 50_000]
            unique, where = torch.unique(u, return_inverse=True)
            rows = self.score_rows(unique)
            out[start:start + u.numel()] = rows[where, i]
        return out


def script_code(cfg: ItemKNNConfig, fit=None) -> ModelCode:
    """``class ItemKNN`` for the exported script: the similarities in the library's blocks
    (a block's products are exact counts either way, so the top-k picks the same neighbours
    among equals), kept as a dense items x items matrix."""
    return class_code("ItemKNN", "score = sum of the item's cosine to the user's "
                                  "items, over each item's nearest neighbours", [
        "self.n_users, self.n_items = n_users, n_items",
        f"self.k = min({int(cfg.neighbours)}, max(n_items - 1, 1))  # neighbours each item keeps",
    ], {"fit(self, users, items)": [
        "x = torch.zeros(self.n_users, self.n_items)  # users x items, 1 = interacted",
        "x[torch.as_tensor(users), torch.as_tensor(items)] = 1.0",
        "norms = torch.as_tensor(np.sqrt(np.bincount(items, minlength=self.n_items)",
        "                                 .astype(np.float32)))",
        "self.history, self.similarity = x, torch.zeros(self.n_items, self.n_items)",
        f"for start in range(0, self.n_items, {BLOCK}):",
        f"    stop = min(start + {BLOCK}, self.n_items)",
        "    sims = x[:, start:stop].T @ x  # users in common",
        f"    sims /= norms[start:stop, None] * norms[None, :] + {float(cfg.shrink)!r} + 1e-12",
        "    here = torch.arange(stop - start)",
        "    sims[here, here + start] = -1.0  # not its own neighbour",
        "    top = torch.topk(sims, self.k, dim=1)",
        "    self.similarity[start:stop].scatter_(1, top.indices, top.values.clamp_min(0.0))",
    ], "score_rows(self, users)": [
        "return self.history[users] @ self.similarity",
    ]})


SPEC = base.RankingSpec(
    name="itemknn", title=N_("Item-kNN (cosine)"),
    description=N_("Items similar to those a user already has: the cosine of two items' "
                   "columns of users, each item's nearest neighbours summed over the user's "
                   "history."),
    config_cls=ItemKNNConfig, module_cls=ItemKNN, loss=None, code=script_code,
    training_settings=("seed",))  # the split's seed; computed once, nothing to train
