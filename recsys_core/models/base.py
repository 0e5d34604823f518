"""What every model shares: the output scaling, the embedding bookkeeping, and the spec that
tells the rest of the library what a model brings.

Every model is ``model(user_idx, item_idx) -> predicted rating``. Models differ only in how
they turn a (user, item) pair into a *score*; all of them then map the score onto the rating
scale the same way (:class:`RatingOutput`). Each is built from a dataclass config (see
:mod:`recsys_core.models.config`), so the app's form, the CLI and saved files speak one language.
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from recsys_core.i18n import N_
from recsys_core.models.config import param

OUTPUT_CHOICES = ("scale", "top")
TARGET_CLIP = 0.01
"""How far inside the ends of its output range a rating is kept before :meth:`RatingOutput.inverse`
takes its logit, as a share of the range: the sigmoid reaches its ends only at infinite scores
(the lecture's ``sigmoid(score) * 5`` never gives a 5 or a 0; the default output, widened by
its margin, reaches both ends of the scale and is not clipped there)."""
ACTIVATIONS = {"relu": nn.ReLU, "tanh": nn.Tanh, "sigmoid": nn.Sigmoid, "gelu": nn.GELU}


# ----- what a model brings -----------------------------------------------------------------
@dataclass(frozen=True)
class Recipe:
    """Training of one model on a large data set (learning rate at ``defaults.LARGE_BATCH``)."""

    lr: float
    weight_decay: float
    epochs: int
    dim: int
    optimizer: str = "adam"


@dataclass(frozen=True)
class ModelSpec:
    """Everything the library knows about one model, in the model's own file.

    - ``config_cls`` / ``module_cls``: the settings dataclass (the app's form is made from it)
      and the ``torch.nn.Module``.
    - ``breakdown(model, u, i)``: the steps of one cell's prediction with the model's own
      numbers (:mod:`recsys_core.results.explain` shows them; they add up to the prediction).
    - ``net_parts(config)``, ``forward_code``, ``l2_rows``: the model as the exported script's
      ``class Net`` writes it (:mod:`recsys_core.results.codegen`), in the lecture's names.
    - ``large_data``: the training recipe for large data (:mod:`recsys_core.models.defaults`).
    - ``has_biases``: a user and an item bias are part of every prediction (cold-start note).
    - ``fold_in(model, items, values, decay)``: the rows of a new user who rated ``items``
      with ``values``, found with every weight of ``model`` fixed, as ``{table: (1, d) row}``
      for each of the model's ``user_tables`` (:mod:`recsys_core.training.foldin` runs it): solved in
      closed form where the model allows (MF, the baseline), else by gradient steps on the
      training objective (:func:`fold_in_by_steps`).
    - ``factor_note`` / ``factor_map_note``: catalogue keys of the factor figures' subtitles.
    - ``task``: "ratings", always, for these models (see below).
    """

    name: str
    title: str
    description: str
    config_cls: type
    module_cls: type
    breakdown: Callable
    net_parts: Callable
    forward_code: tuple[tuple[str, str | None], ...]
    l2_rows: tuple[str, ...]
    large_data: Recipe
    has_biases: bool
    fold_in: Callable
    factor_note: str = "factor.how_net"
    factor_map_note: str | None = None
    task: str = "ratings"
    """The task the model is for: "ratings" (this spec: fills a rating matrix) or "ranking"
    (:class:`~recsys_core.models.ranking.base.RankingSpec`: ranks unseen items from
    implicit feedback). Each task has its own table in the registry (``TASKS``)."""


# ----- the output scale ---------------------------------------------------------------------
@dataclass
class OutputConfig:
    """How a score becomes a rating (shared by the squashing models)."""

    output: str = param("scale", N_("Output range"),
                        N_("scale: sigmoid mapped onto the rating scale, a touch beyond both ends; "
                           "top: sigmoid(score) x highest rating, as in the lecture"),
                        choices=OUTPUT_CHOICES, advanced=True)
    margin: float = param(0.05, N_("Range margin"),
                          N_("how far beyond the scale the output may reach, as a share of its width, "
                             "so the top and bottom ratings stay reachable"),
                          min=0.0, max=0.5, step=0.01, advanced=True)
    mean_offset: bool = param(True, N_("Start at the average"),
                              N_("shift the score so an untrained model predicts the average rating"),
                              advanced=True)
    init_std: float | None = param(0.1, N_("Initial spread"),
                                   N_("standard deviation of the starting embeddings; empty = "
                                      "PyTorch's default N(0,1), as in the lecture"),
                                   min=0.0, max=2.0, step=0.01, advanced=True)


def embedding_size(default: int, label: str = N_("Embedding size k"),
                   help: str = N_("factors per user and item")):
    return param(default, label, help, min=1, max=256, step=1)


def activation_choice():
    return param("relu", N_("Activation"), N_("non-linearity between layers"), choices=tuple(ACTIVATIONS))


def dropout_share():
    return param(0.0, N_("Dropout"), N_("share of hidden units dropped while training"),
                 min=0.0, max=0.9, step=0.05, advanced=True)


class RatingOutput(nn.Module):
    """Maps an unbounded score to a rating.

    ``top`` is the lecture's ``sigmoid(score) * 5``. ``scale`` stretches the sigmoid over the
    rating scale widened by ``margin`` at both ends (fastai's ``y_range`` idea: a sigmoid never
    reaches its ends, so without the margin the top rating would be unreachable).
    ``mean_offset`` adds the logit of the average rating, so a model whose score starts near
    zero starts by predicting the average instead of the middle of the scale.
    """

    def __init__(self, scale: tuple[float, float], global_mean: float, cfg: OutputConfig):
        super().__init__()
        lo, hi = scale
        if cfg.output == "top":
            self.low, self.high = 0.0, float(hi)
        else:
            pad = cfg.margin * (hi - lo)
            self.low, self.high = float(lo - pad), float(hi + pad)
        self.top_only = cfg.output == "top"
        share = (global_mean - self.low) / (self.high - self.low)
        share = min(max(share, 1e-3), 1 - 1e-3)
        self.offset = math.log(share / (1 - share)) if cfg.mean_offset else 0.0

    def forward(self, score: torch.Tensor) -> torch.Tensor:
        if self.offset:
            score = score + self.offset
        if self.top_only:  # literally the lecture's expression, so its numbers reproduce
            return torch.sigmoid(score) * self.high
        return self.low + (self.high - self.low) * torch.sigmoid(score)

    def inverse(self, rating: torch.Tensor, clip: float = TARGET_CLIP) -> torch.Tensor:
        """The score whose output is ``rating``: the logit of where the rating sits in the
        output range, less the offset. The rating is first kept ``clip`` of the range inside
        the ends (see ``TARGET_CLIP``), so every score is finite."""
        share = ((rating - self.low) / (self.high - self.low)).clamp(clip, 1 - clip)
        return torch.logit(share) - self.offset

    def slope(self, score: torch.Tensor) -> torch.Tensor:
        """How fast the output moves with the score at ``score``: d rating / d score."""
        squashed = torch.sigmoid(score + self.offset)
        return (self.high - self.low) * squashed * (1 - squashed)

    def bend(self, score: torch.Tensor) -> torch.Tensor:
        """How fast the slope moves with the score: d² rating / d score²."""
        return self.slope(score) * (1 - 2 * torch.sigmoid(score + self.offset))


# ----- building blocks ----------------------------------------------------------------------
def embedding(n: int, dim: int, init_std: float | None) -> nn.Embedding:
    """A table of ``n`` rows; ``init_std`` None keeps PyTorch's N(0, 1), as the lecture does."""
    table = nn.Embedding(n, dim)
    if init_std is not None:
        nn.init.normal_(table.weight, std=init_std)
    return table


def bias_std(cfg) -> float | None:
    """Biases start at zero, except in the lecture's set-up (no ``init_std``: PyTorch's own)."""
    return None if getattr(cfg, "init_std", None) is None else 0.0


def factor_pair(n_users: int, n_items: int, dim: int,
                init_std: float | None) -> tuple[nn.Embedding, nn.Embedding]:
    """A user table and an item table of ``dim`` factors each, made in that order (the order
    a seed draws their starting values in)."""
    return embedding(n_users, dim, init_std), embedding(n_items, dim, init_std)


def tower_sizes(width: int, hidden) -> list[int]:
    """The layer sizes of a tower that takes ``width`` numbers through the ``hidden`` sizes."""
    return [width, *[int(h) for h in hidden]]


def tower(sizes: list[int], activation: str, dropout: float) -> nn.Sequential:
    """Linear layers of the given sizes, each followed by the activation (and dropout)."""
    layers: list[nn.Module] = []
    for size_in, size_out in zip(sizes[:-1], sizes[1:]):
        layers += [nn.Linear(size_in, size_out), ACTIVATIONS[activation]()]
        if dropout:
            layers.append(nn.Dropout(dropout))
    return nn.Sequential(*layers)


class FactorVectors:
    """What the 2-D map and fold-in read of a model: its ``user_factors`` and
    ``item_factors`` tables (the lecture's names), None for a model without them. Rating and
    ranking models alike."""

    def user_vectors(self) -> torch.Tensor | None:
        table = getattr(self, "user_factors", None)
        return None if table is None else table.weight

    def item_vectors(self) -> torch.Tensor | None:
        table = getattr(self, "item_factors", None)
        return None if table is None else table.weight


class RatingModel(FactorVectors, nn.Module):
    """Common surface: ``forward`` gives ratings; ``user_vectors``/``item_vectors`` expose the
    learned embeddings for maps and "because" explanations; ``config`` is the settings the
    model was built from.

    Every embedding lookup goes through :meth:`rows`, so that training can regularise exactly
    the rows the forward pass used without looking them up again, two ways with the same
    gradient: :meth:`forward_with_penalty` computes the penalty (the reference, which the
    lecture's code and the exported script spell out), :meth:`forward_regularised` adds its
    gradient straight to the rows' gradients (faster; for large models).
    """

    name = "model"
    user_tables: tuple[str, ...] = ()
    """The embedding tables with a row per user (factors and biases): what a new user needs
    (:meth:`visiting`, ``ModelSpec.fold_in``)."""

    def __init__(self, cfg=None) -> None:
        super().__init__()
        self.config = cfg
        self._decay_scale = 0.0
        self._fast = False
        self._used: list[torch.Tensor] | None = None
        self._visitor: dict[int, torch.Tensor] | None = None

    def rows(self, table: nn.Embedding, idx: torch.Tensor) -> torch.Tensor:
        """``table(idx)``: remembered inside :meth:`forward_with_penalty`; inside
        :meth:`forward_regularised` looked up with ``index_select`` (the same numbers, and a
        backward pass 2-3 times faster than the embedding's on a CPU) and given the pull
        toward zero in its gradient. Inside :meth:`visiting`, a user table gives the
        visitor's row for every example instead."""
        if self._visitor is not None and id(table) in self._visitor:
            looked_up = self._visitor[id(table)].expand(idx.shape[0], -1)
            if self._used is not None:
                self._used.append(looked_up)
            return looked_up
        if not self._fast:
            looked_up = table(idx)
            if self._used is not None:
                self._used.append(looked_up)
            return looked_up
        looked_up = table.weight.index_select(0, idx)
        if self._decay_scale and looked_up.requires_grad:
            kept, scale = looked_up.detach(), self._decay_scale
            looked_up.register_hook(lambda grad: grad.add(kept, alpha=scale))
        return looked_up

    def forward_with_penalty(self, users: torch.Tensor, items: torch.Tensor):
        """Predictions and, per example, the squared size of the embedding rows they used.

        Training adds ``weight_decay * penalty.mean()`` to the loss. Regularising only the rows
        a batch touches (as SVD's SGD does) keeps the pull toward zero proportional to how
        often a user or item is seen; a plain weight decay on whole tables would shrink
        rarely-seen rows at every step and erase what they learned.
        """
        return with_penalty(self, users, items)

    def penalty(self, users: torch.Tensor, items: torch.Tensor) -> torch.Tensor:
        """Squared size of the embedding rows ``forward(users, items)`` uses, per example."""
        return self.forward_with_penalty(users, items)[1]

    def forward_regularised(self, users: torch.Tensor, items: torch.Tensor,
                            decay: float = 0.0) -> torch.Tensor:
        """Predictions whose backward pass also pulls the embedding rows they used toward zero
        with the gradient of ``decay * penalty(users, items).mean()``, added straight to each
        row's gradient (``2 * decay / batch * row``), so the penalty is never computed.

        The same gradient as :meth:`forward_with_penalty`'s, with fewer operations: about
        twice as fast a training step for MF on MovieLens. Floating-point sums run in
        another order, so the numbers agree to about 1e-7, not to the last bit.
        """
        self._fast, self._decay_scale = True, 2.0 * float(decay) / max(1, users.shape[0])
        try:
            return self(users, items)
        finally:
            self._fast, self._decay_scale = False, 0.0

    @contextlib.contextmanager
    def visiting(self, rows: dict[str, torch.Tensor]):
        """Within this block every user is the visitor: each user table named in ``rows``
        (one ``(1, d)`` row per table of :attr:`user_tables`) gives that row whatever the user
        index, so ``self(users, items)`` with any user indices predicts the visitor's ratings
        of ``items``, and :meth:`forward_with_penalty` counts the visitor's rows in the
        penalty. The rows may require gradients; the model's own weights are only read."""
        unknown = set(rows) - set(self.user_tables)
        if unknown:
            raise KeyError(f"{type(self).__name__} has no user table {sorted(unknown)}")
        saved, self._visitor = self._visitor, {id(getattr(self, name)): row.reshape(1, -1)
                                               for name, row in rows.items()}
        try:
            yield self
        finally:
            self._visitor = saved

    def visitor_vector(self, rows: dict[str, torch.Tensor]) -> torch.Tensor | None:
        """The visitor's counterpart of a row of :meth:`user_vectors` (for the 2-D map): their
        ``user_factors`` row, as :meth:`user_vectors` is that table, None without one."""
        return rows.get("user_factors")

    def visitor_scores(self, items: torch.Tensor):
        """For fold-in: a function from a visitor's rows (as :meth:`visiting` takes them) to
        their predictions of ``items``, with everything that does not depend on the visitor
        worked out once here, or None where the model has no such shortcut (fold-in then goes
        through :meth:`forward` inside :meth:`visiting`). Call it in evaluation mode."""
        return None

    def rating_rows(self, users: slice) -> torch.Tensor | None:
        """Predictions of the users ``users`` for every item at once, when the model can make
        them faster than cell by cell (MF: one matrix product); None otherwise."""
        return None


# ----- a new user, every weight fixed ----------------------------------------------------------
FOLD_IN_STEPS = 10
"""The most L-BFGS iterations :func:`fold_in_by_steps` takes (each a forward and backward pass
over the visitor's ratings, a few where the line search needs them); it stops sooner once the
rows stop moving. Measured on MovieLens (held-out users, ``bench/foldin.py``'s split): 5, 15
and 40 iterations score the held-out ratings within 0.002 RMSE of each other for every
network, and 40 take up to 8 times as long as 5."""


def fold_in_by_steps(model: RatingModel, items: torch.Tensor, values: torch.Tensor,
                     decay: float, steps: int = FOLD_IN_STEPS) -> dict[str, torch.Tensor]:
    """A new user's rows found by gradient steps, every weight of ``model`` frozen.

    The rows start at zero, the "nothing known" user that cold start gives (see
    :mod:`recsys_core.training.coldstart`), and L-BFGS steps (a quasi-Newton method: gradient steps
    scaled by the curvature it has seen, with a line search) minimise the training objective
    restricted to the visitor's ratings: ``mse + decay * penalty.mean()``, the same loss and
    the same per-rating L2 on the rows used as :class:`~recsys_core.training.trainer.Trainer`
    (:meth:`RatingModel.forward_with_penalty`), which weighs the visitor's rows ``decay`` per
    rating. Only the visitor's rows get gradients (``torch.autograd.grad`` on them alone): the
    model's weights, their ``.grad`` and its train/eval mode are as they were. Dropout is off
    (evaluation mode), so the answer does not depend on a random draw. A model with
    :meth:`RatingModel.visitor_scores` (NeuMF) predicts through it, its items' side worked
    out once; the penalty then leaves out the items' rows, a constant that moves neither the
    minimum nor the gradient.
    """
    rows = {name: torch.zeros(1, getattr(model, name).embedding_dim, requires_grad=True,
                              device=items.device)
            for name in model.user_tables}
    params = list(rows.values())
    users = torch.zeros_like(items)
    optimiser = torch.optim.LBFGS(params, lr=1.0, max_iter=steps, history_size=10,
                                  tolerance_grad=1e-6, tolerance_change=1e-9,
                                  line_search_fn="strong_wolfe")

    def objective():
        if scores is None:
            with model.visiting(rows):
                predicted, penalty = model.forward_with_penalty(users, items)
            size = penalty.mean()
        else:  # the penalty less the item rows' part, a constant: the same gradient
            predicted, size = scores(rows), sum(row.pow(2).sum() for row in params)
        loss = torch.nn.functional.mse_loss(predicted, values) + decay * size
        for row, grad in zip(params, torch.autograd.grad(loss, params)):
            row.grad = grad
        return loss

    with evaluating(model):
        scores = model.visitor_scores(items)
        optimiser.step(objective)
    return {name: row.detach() for name, row in rows.items()}


@contextlib.contextmanager
def evaluating(model: nn.Module):
    """``model`` in evaluation mode (no dropout) within the block, then as it was; a model
    already in it is left alone (switching walks every submodule)."""
    if not model.training:
        yield model
        return
    model.eval()
    try:
        yield model
    finally:
        model.train()


def ridge(x: torch.Tensor, z: torch.Tensor, w: torch.Tensor, strength: float) -> torch.Tensor:
    """``argmin_θ Σ_i w_i (x_i·θ - z_i)² + strength |θ|²``, in float64.

    The normal equations ``(xᵀWx + strength·I) θ = xᵀWz`` solved directly (numpy's LAPACK
    call: a 65 x 65 system in about 0.2 ms, where torch's took 2 ms and its least squares 4);
    with ``strength`` 0 the least-squares solution of smallest size instead, so that fewer
    ratings than unknowns still give an answer."""
    x = x.detach().cpu().double().numpy()
    z = z.detach().cpu().double().numpy()
    w = np.clip(w.detach().cpu().double().numpy(), 0.0, None)
    if strength > 0:
        weighted = x.T * w
        system = weighted @ x
        system[np.diag_indices_from(system)] += strength
        theta = np.linalg.solve(system, weighted @ z)
    else:
        root = np.sqrt(w)
        theta = np.linalg.lstsq(root[:, None] * x, root * z, rcond=None)[0]
    return torch.from_numpy(theta)


def with_penalty(model: nn.Module, users: torch.Tensor, items: torch.Tensor):
    """``model(users, items)`` and, per example, the squared size of the embedding rows it
    looked up: the model appends each lookup to its ``_used`` list while it is a list (rating
    and ranking models alike)."""
    model._used = []
    try:
        out = model(users, items)
        used = model._used
    finally:
        model._used = None
    penalty = torch.zeros_like(out)
    for looked_up in used:
        penalty = penalty + looked_up.pow(2).sum(dim=1)
    return out, penalty
