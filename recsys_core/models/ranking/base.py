"""What every ranking model shares: the spec the registry lists, and the module's surface.

A ranking model gives a *score* to a (user, item) pair, higher = more likely to be
interacted with; only the order of the scores matters. The neural ones (GMF, MLP, NeuMF) are
trained with log loss on observed pairs (label 1) and sampled negatives (label 0), so their
score is a logit; MF-BPR is trained with the pairwise BPR loss; ALS solves its own least-squares
sweep each epoch (``sweep``); popularity and item-kNN are computed in closed form from the
training interactions (``fit_closed``).
"""

from __future__ import annotations

import copy
import math
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import torch
from torch import nn

from recsys_core.i18n import N_
from recsys_core.models.base import FactorVectors, with_penalty
from recsys_core.models.config import param

LOSSES = ("log", "bpr")
SWEEP = "als"
"""A ``RankingSpec.loss`` for a model that trains itself an epoch at a time, by its own
``sweep(users, items) -> loss`` (ALS), with no optimiser and no sampled negatives."""
TRAINING_SETTINGS = ("epochs", "lr", "optimizer", "batch_size", "negatives", "weight_decay",
                     "seed")
"""``log``: binary cross-entropy on positives and sampled negatives (NCF's pointwise loss);
``bpr``: ``-log sigmoid(score(u, i) - score(u, j))`` for a positive i and a negative j
(Rendle et al. 2009)."""


@dataclass(frozen=True)
class RankingSpec:
    """One ranking model, in its own file: its settings dataclass (the app's form is made
    from it), its module, how it is trained (``loss`` one of :data:`LOSSES`, :data:`SWEEP`
    for a model that solves its own epochs, or None for a model computed in closed form) and
    the ``task`` it is for, always "ranking" (a rating model's
    :class:`~recsys_core.models.base.ModelSpec` says "ratings")."""

    name: str
    title: str
    description: str
    config_cls: type
    module_cls: type
    loss: str | None
    prepare: Callable | None = None
    """``prepare(model, train_config, fit)``: work before the first epoch (NeuMF
    starting from a trained GMF and MLP); ``fit(name, config)`` trains another model of the
    registry on the same data and returns it."""
    train_defaults: dict = field(default_factory=dict)
    """Training settings this model starts from, over ``RankingTrainConfig``'s defaults."""
    code: Callable | None = None
    """``code(config, fit) -> ModelCode``: the model as the exported script writes it
    (:mod:`.code`)."""
    task: str = "ranking"
    training_settings: tuple[str, ...] = TRAINING_SETTINGS
    """The ``RankingTrainConfig`` fields this model's training reads (the app's form shows
    only these; the split's seed counts for every model)."""

    @property
    def gradient(self) -> bool:
        """Trained by an optimiser on a sampled loss (log or BPR)."""
        return self.loss in LOSSES


def factors(default: int = 8, label: str = N_("Predictive factors"),
            help: str = N_("size of the user and item embeddings")):
    return param(default, label, help, min=1, max=256, step=1)


def init_spread():
    return param(0.01, N_("Initial spread"),
                 N_("standard deviation of the starting embeddings (the NCF paper: 0.01)"),
                 min=0.0, max=1.0, step=0.001, advanced=True)


def embedding(n: int, dim: int, std: float) -> nn.Embedding:
    table = nn.Embedding(n, dim)
    nn.init.normal_(table.weight, std=std)
    return table


VISITOR_STEPS = 100
VISITOR_LR = 0.05
"""A visitor's few liked items make a full batch of a few dozen pairs: 100 Adam steps at
0.05 settle a row of embedding numbers (tests/test_ranking_foldin.py measures it)."""


class RankingModel(FactorVectors, nn.Module):
    """``model(users, items)`` scores pairs; :meth:`score_rows` scores every item for some
    users; embedding rows go through :meth:`rows` so training can penalise exactly the rows
    a batch used (:meth:`penalty`)."""

    name = "model"

    def __init__(self, n_users: int, n_items: int, cfg=None) -> None:
        super().__init__()
        self.config = cfg
        self.n_users, self.n_items = int(n_users), int(n_items)
        self._used: list[torch.Tensor] | None = None

    def rows(self, table: nn.Embedding, idx: torch.Tensor) -> torch.Tensor:
        looked_up = table(idx)
        if self._used is not None:
            self._used.append(looked_up)
        return looked_up

    def forward_with_penalty(self, users: torch.Tensor, items: torch.Tensor):
        """Scores and, per pair, the squared size of the embedding rows they used."""
        return with_penalty(self, users, items)

    @torch.no_grad()
    def score_rows(self, users: torch.Tensor) -> torch.Tensor:
        """``(len(users), n_items)`` scores of every item; by pairs unless a model knows a
        faster way."""
        items = torch.arange(self.n_items, device=users.device)
        out = torch.empty(users.numel(), self.n_items, device=users.device)
        chunk = max(1, 2_000_000 // max(self.n_items, 1))
        for start in range(0, users.numel(), chunk):
            some = users[start:start + chunk]
            out[start:start + some.numel()] = self(
                some.repeat_interleave(self.n_items), items.repeat(some.numel())
            ).reshape(some.numel(), self.n_items)
        return out

    def fit_closed(self, users: np.ndarray, items: np.ndarray) -> None:
        """Models without gradient training compute themselves here from the training
        pairs; the others have nothing to do."""

    def visitor_scores(self, liked: np.ndarray, loss: str | None = None, negatives: int = 4,
                       steps: int = VISITOR_STEPS, lr: float = VISITOR_LR,
                       seed: int = 0) -> np.ndarray:
        """Every item's score for a newcomer who liked the items ``liked`` (positions): the
        scores of :meth:`fold_in_visitor`."""
        return self.fold_in_visitor(liked, loss, negatives, steps, lr, seed)[0]

    def fold_in_visitor(self, liked: np.ndarray, loss: str | None, negatives: int = 4,
                        steps: int = VISITOR_STEPS, lr: float = VISITOR_LR,
                        seed: int = 0) -> tuple[np.ndarray, np.ndarray | None]:
        """A newcomer who liked the items ``liked`` (positions), without retraining: every
        item's score, and their user vector (the counterpart of a row of
        :meth:`user_vectors`, which places them on the run's map; None for a model without
        embeddings). A fresh row in each user table, trained by ``steps`` full-batch Adam
        steps of the model's own ``loss`` on the liked items against ``negatives`` drawn per
        liked item each step, every other weight frozen (the model itself is not changed).
        Closed-form models override this with their exact formula."""
        visitor, rows = self._visitor_copy(seed)
        rng = np.random.default_rng([5, int(seed)])
        others = np.setdiff1d(np.arange(self.n_items), liked)
        positives = torch.as_tensor(np.repeat(liked, negatives))
        user = torch.zeros(positives.numel(), dtype=torch.int64)
        from recsys_core.training.trainer import _threads_for  # (the training module imports the models)

        def batch_loss() -> torch.Tensor:
            drawn = torch.as_tensor(rng.choice(others, positives.numel()))
            return visitor_loss(visitor(user, positives), visitor(user, drawn), loss)

        with _threads_for(large=False):  # a few dozen pairs: a second thread only waits
            adam_steps(rows, batch_loss, steps if others.size else 0, lr)
            with torch.no_grad():
                scores = visitor.score_rows(torch.zeros(1, dtype=torch.int64))[0].numpy().copy()
                vectors = visitor.user_vectors()
        vector = None if vectors is None else vectors[0].detach().double().numpy().copy()
        return scores, vector

    def _visitor_copy(self, seed: int) -> tuple[RankingModel, list[nn.Parameter]]:
        """A copy whose user tables have one fresh row (the visitor's, drawn from ``seed``),
        the only weights that can learn."""
        draw = torch.Generator().manual_seed(int(seed))
        visitor = copy.deepcopy(self).eval()
        visitor.requires_grad_(False)
        spread = float(getattr(self.config, "init_std", 0.01) or 0.01)
        rows = []
        for name, table in list(visitor.named_children()):
            if isinstance(table, nn.Embedding) and name.startswith("user"):
                fresh = nn.Embedding(1, table.embedding_dim)
                nn.init.normal_(fresh.weight, std=spread, generator=draw)
                setattr(visitor, name, fresh)
                rows.append(fresh.weight)
        visitor.n_users = 1
        return visitor, rows


class FactorModel(RankingModel):
    """A ranking model with ``user_factors`` and ``item_factors`` tables of ``cfg.dim``
    numbers drawn from N(0, ``cfg.init_std``), created first and in that order (the exported
    scripts draw them the same way after ``torch.manual_seed``); subclasses add the rest."""

    def __init__(self, n_users: int, n_items: int, cfg) -> None:
        super().__init__(n_users, n_items, cfg)
        self.user_factors = embedding(n_users, cfg.dim, cfg.init_std)
        self.item_factors = embedding(n_items, cfg.dim, cfg.init_std)


def adam_steps(rows: list[torch.Tensor], batch_loss: Callable[[], torch.Tensor], steps: int,
               lr: float, betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8) -> None:
    """``steps`` Adam steps (Kingma and Ba, as ``torch.optim.Adam`` takes them) on ``rows``,
    each on a new ``batch_loss()``. Written out because making any ``torch.optim`` optimiser
    imports ``torch._dynamo`` first: 1.7 s of a fresh process (``recommend DIR`` on the
    command line), a hundred times the fold-in itself."""
    first = [torch.zeros_like(row) for row in rows]
    second = [torch.zeros_like(row) for row in rows]
    for step in range(1, steps + 1):
        for row in rows:
            row.grad = None
        batch_loss().backward()
        with torch.no_grad():
            for row, m, v in zip(rows, first, second):
                m.mul_(betas[0]).add_(row.grad, alpha=1 - betas[0])
                v.mul_(betas[1]).addcmul_(row.grad, row.grad, value=1 - betas[1])
                denominator = (v.sqrt() / math.sqrt(1 - betas[1] ** step)).add_(eps)
                row.addcdiv_(m, denominator, value=-lr / (1 - betas[0] ** step))


def visitor_loss(positive: torch.Tensor, negative: torch.Tensor, loss: str) -> torch.Tensor:
    """The training losses of :mod:`recsys_core.ranking.training` on one batch: log loss on
    positives (1) and negatives (0), or BPR on the pairs."""
    if loss == "bpr":
        return -nn.functional.logsigmoid(positive - negative).mean()
    logits = torch.cat([positive, negative])
    labels = torch.cat([torch.ones_like(positive), torch.zeros_like(negative)])
    return nn.functional.binary_cross_entropy_with_logits(logits, labels)


class History(nn.Module):
    """The training interactions as a sparse users x items 0/1 matrix kept in buffers (so
    ``state_dict`` saves it), for models whose scores are computed from a user's history."""

    def __init__(self, n_users: int, n_items: int) -> None:
        super().__init__()
        self.shape = (int(n_users), int(n_items))
        self.register_buffer("indptr", torch.zeros(n_users + 1, dtype=torch.int64))
        self.register_buffer("indices", torch.zeros(0, dtype=torch.int64))

    def set(self, users: np.ndarray, items: np.ndarray) -> None:
        order = np.lexsort((items, users))
        counts = np.bincount(users, minlength=self.shape[0])
        self.indptr = torch.as_tensor(np.concatenate([[0], np.cumsum(counts)]), dtype=torch.int64)
        self.indices = torch.as_tensor(items[order], dtype=torch.int64)

    def _load_from_state_dict(self, state_dict, prefix, *args, **kwargs):
        for name in ("indptr", "indices"):  # their size is the data's, not the constructor's
            if prefix + name in state_dict:
                setattr(self, name, torch.empty_like(state_dict[prefix + name]))
        super()._load_from_state_dict(state_dict, prefix, *args, **kwargs)

    def rows(self, users: torch.Tensor) -> torch.Tensor:
        """The users' rows as a sparse COO tensor ``(len(users), n_items)`` of ones."""
        users = users.cpu()
        starts, ends = self.indptr[users], self.indptr[users + 1]
        lengths = ends - starts
        row = torch.repeat_interleave(torch.arange(users.numel()), lengths)
        offsets = torch.arange(int(lengths.sum())) - torch.repeat_interleave(
            torch.cumsum(lengths, 0) - lengths, lengths)
        col = self.indices[torch.repeat_interleave(starts, lengths) + offsets]
        return torch.sparse_coo_tensor(torch.stack([row, col]), torch.ones(row.numel()),
                                       (users.numel(), self.shape[1]), check_invariants=False)
