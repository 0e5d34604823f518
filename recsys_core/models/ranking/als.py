"""ALS for implicit feedback (Hu, Koren and Volinsky, ICDM 2008): ``score = x_u · y_i``.

Every (user, item) cell is a target: 1 where the user clicked, 0 elsewhere, and a click
counts ``1 + alpha`` times as much as a missing one (a missing click is weak evidence). The
loss is a weighted sum of squares over *all* cells, so nothing is sampled: with the item
factors fixed each user's best factors solve one small linear system, and the other way
round; an epoch is one such sweep, users then items.

The systems are solved by three steps of conjugate gradient from the last sweep's answer
(Takács, Pilászy and Tikk, RecSys 2011; the ``implicit`` library does the same), which
touch only the clicked cells: ``YᵀY`` is the same for every user, so a sweep costs about
(clicks + users + items) x factors², not users x items.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import torch

from recsys_core.i18n import N_
from recsys_core.models.config import param
from recsys_core.models.ranking import base
from recsys_core.models.ranking.code import ModelCode, class_code, factor_tables


@dataclass
class ALSConfig:
    """Defaults chosen on MovieLens latest-small's validation split (each user's
    second-latest interaction, the latest being the test): see BENCHMARKS.md."""

    dim: int = base.factors(32)
    regularization: float = param(
        5.0, N_("Regularisation (λ)"),
        N_("pulls every user's and item's factors toward zero"), min=0.0, max=10_000.0,
        step=0.5)
    alpha: float = param(
        10.0, N_("Confidence of a click (α)"),
        N_("a click weighs 1 + α times as much as a cell without one"), min=0.0,
        max=10_000.0, step=1.0)
    cg_steps: int = param(
        3, N_("Solver steps"),
        N_("conjugate-gradient steps per user and per item in each epoch, from the last "
           "epoch's answer; more comes closer to the exact solution"), min=1, max=256, step=1,
        advanced=True)
    init_std: float = base.init_spread()


def click_matrix(rows, cols, n_rows, n_cols, dtype=torch.float32):
    """The clicks as a sparse ``n_rows x n_cols`` matrix of ones (compressed rows): row
    ``rows[k]`` clicked column ``cols[k]``. Sparse products touch only the clicked cells."""
    rows, cols = np.asarray(rows), np.asarray(cols)
    order = np.lexsort((cols, rows))
    starts = np.concatenate([[0], np.cumsum(np.bincount(rows, minlength=n_rows))])
    return torch.sparse_csr_tensor(torch.as_tensor(starts), torch.as_tensor(cols[order]),
                                   torch.ones(rows.size, dtype=dtype), (n_rows, n_cols),
                                   check_invariants=False)


def solve_side(X, Y, clicks, alpha, regularization, steps):
    """New rows of ``X`` for fixed ``Y``, where ``clicks`` (rows of X x rows of Y, ones)
    says who clicked what: each row ``x`` moves toward the solution of
    ``(YᵀY + alpha Σ y yᵀ + λI) x = (1 + alpha) Σ y`` (the sums over that row's clicks) by
    ``steps`` of conjugate gradient starting from ``x`` as it is. For the items' side, pass
    the items' factors first and the transposed clicks."""
    gram = Y.T @ Y + regularization * torch.eye(Y.shape[1], dtype=Y.dtype)

    def times_A(P):  # (YᵀY + λI) p + alpha Σ_clicks (p · y) y, for every row p of P
        along = torch.sparse.sampled_addmm(clicks, P, Y.T, beta=0.0, alpha=alpha)
        return P @ gram + along @ Y

    residual = (1 + alpha) * (clicks @ Y) - times_A(X)
    direction = residual.clone()
    size = (residual * residual).sum(1, keepdim=True)
    for _ in range(steps):
        A_direction = times_A(direction)
        step = size / (direction * A_direction).sum(1, keepdim=True).clamp_min(1e-20)
        X = X + step * direction
        residual = residual - step * A_direction
        new_size = (residual * residual).sum(1, keepdim=True)
        direction = residual + (new_size / size.clamp_min(1e-20)) * direction
        size = new_size
    return X


def weighted_loss(X, Y, clicks, alpha, regularization):
    """The objective per click: ``Σ_all c (p - x·y)² + λ(|X|² + |Y|²)`` divided by the
    clicks, ``p`` 1 on a click and 0 elsewhere, ``c`` 1 + alpha on a click and 1 elsewhere.
    The sum of ``(x·y)²`` over every cell is ``trace(XᵀX YᵀY)``: no users x items matrix."""
    every_cell = ((X.T @ X) * (Y.T @ Y)).sum()
    score = torch.sparse.sampled_addmm(clicks, X, Y.T, beta=0.0).values()
    on_clicks = ((1 + alpha) * (1 - score) ** 2 - score ** 2).sum()
    penalty = regularization * ((X ** 2).sum() + (Y ** 2).sum())
    return float((every_cell + on_clicks + penalty) / max(score.numel(), 1))


class ImplicitALS(base.FactorModel):
    """score = x_u · y_i, trained by alternating least squares (:meth:`sweep`)."""

    name = "als"

    def __init__(self, n_users, n_items, cfg: ALSConfig):
        super().__init__(n_users, n_items, cfg)
        self.requires_grad_(False)  # solved, never stepped by an optimiser

    def forward(self, users, items):
        return (self.user_factors(users) * self.item_factors(items)).sum(1)

    @torch.no_grad()
    def score_rows(self, users):
        return self.user_factors(users) @ self.item_factors.weight.T

    def sweep(self, users: np.ndarray, items: np.ndarray) -> float:
        """One epoch: every user's factors, then every item's; returns the loss per click."""
        cfg = self.config
        by_user, by_item = self._click_matrices(users, items)
        X, Y = self.user_factors.weight, self.item_factors.weight
        X.copy_(solve_side(X, Y, by_user, cfg.alpha, cfg.regularization, cfg.cg_steps))
        Y.copy_(solve_side(Y, X, by_item, cfg.alpha, cfg.regularization, cfg.cg_steps))
        return weighted_loss(X, Y, by_user, cfg.alpha, cfg.regularization)

    def _click_matrices(self, users, items):
        """Both sparse views of the training clicks, made once: the trainer passes the same
        arrays every epoch, and sorting 100,000 clicks twice an epoch was a third of a fit."""
        cached = getattr(self, "_clicks", None)
        if cached is None or cached[0] is not users or cached[1] is not items:
            with warnings.catch_warnings():  # torch: "sparse CSR support is in beta"; as documented
                warnings.simplefilter("ignore", UserWarning)
                cached = (users, items, click_matrix(users, items, self.n_users, self.n_items),
                          click_matrix(items, users, self.n_items, self.n_users))
            self._clicks = cached
        return cached[2], cached[3]

    def __getstate__(self):
        """Copies (the run's snapshots) and pickles leave the click matrices behind: they
        are the training data's, remade by the next :meth:`sweep` that needs them."""
        state = dict(super().__getstate__())
        state.pop("_clicks", None)
        return state

    @torch.no_grad()
    def fold_in_visitor(self, liked, loss=None, *_, **__) -> tuple[np.ndarray, np.ndarray]:
        """A newcomer's factors solved exactly (not by conjugate gradient: one small system)
        against the fixed item factors, with the run's alpha and λ: every item's score, and
        the factors."""
        cfg = self.config
        Y = self.item_factors.weight.double()
        clicked = Y[torch.as_tensor(np.asarray(liked, dtype=np.int64))]
        ridge = cfg.regularization * torch.eye(cfg.dim, dtype=torch.float64)
        A = Y.T @ Y + cfg.alpha * clicked.T @ clicked + ridge
        x = torch.linalg.solve(A, (1 + cfg.alpha) * clicked.sum(0))
        return (Y @ x).float().numpy(), x.numpy()


def script_code(cfg: ALSConfig, fit=None) -> ModelCode:
    """``class ALS`` for the exported script: the library's own solver functions, copied."""
    import inspect

    args = f"{float(cfg.alpha)!r}, {float(cfg.regularization)!r}, {int(cfg.cg_steps)}"
    return class_code("ALS", "score = x_u . y_i, by alternating least squares", [
        *factor_tables(cfg),
        "self.n_users, self.n_items = n_users, n_items",
        "self.requires_grad_(False)",
    ], {"forward(self, users, items)": [
        "return (self.user_factors(users) * self.item_factors(items)).sum(1)",
    ], "score_rows(self, users)": [
        "return self.user_factors(users) @ self.item_factors.weight.T",
    ], "sweep(self, users, items)": [
        '"""One epoch: every user\'s factors, then every item\'s; the loss per click."""',
        "by_user = click_matrix(users, items, self.n_users, self.n_items)",
        "by_item = click_matrix(items, users, self.n_items, self.n_users)",
        "X, Y = self.user_factors.weight, self.item_factors.weight",
        f"X.copy_(solve_side(X, Y, by_user, {args}))",
        f"Y.copy_(solve_side(Y, X, by_item, {args}))",
        f"return weighted_loss(X, Y, by_user, {float(cfg.alpha)!r}, "
        f"{float(cfg.regularization)!r})",
    ]}, needs=tuple(inspect.getsource(f) for f in (click_matrix, solve_side, weighted_loss)))


SPEC = base.RankingSpec(
    name="als", title=N_("ALS (implicit feedback)"),
    description=N_("Matrix factorisation fitted to every cell at once, a click weighing more "
                   "than a missing one, by alternating least squares (Hu, Koren and Volinsky "
                   "2008): no negatives sampled, about a second on MovieLens."),
    config_cls=ALSConfig, module_cls=ImplicitALS, loss=base.SWEEP, code=script_code,
    train_defaults={"epochs": 15}, training_settings=("epochs", "seed"))
