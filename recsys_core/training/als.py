"""Alternating least squares for MF: every user's rows in one batched solve, then every item's.

MF's prediction is ``g(p_u·q_i + b_u + b_i)``, ``g`` the sigmoid output onto the rating scale
(:class:`~.models.base.RatingOutput`), so, unlike Spark's ALS on a plain dot product, a user's
rows with the items fixed are not a linear least-squares problem. Each half-sweep takes one
Gauss-Newton step per row on the very objective the gradient path minimises (an epoch of
``mse + weight_decay * penalty.mean()`` summed over the training ratings):

    ``F(θ_u) = Σ_i (g(x_i·θ_u + b_i) - y_ui)² + λ_u |θ_u|²``, ``θ_u = [p_u; b_u]``,
    ``x_i = [q_i; 1]``, ``λ_u = weight_decay · n_u`` (``n_u`` the user's training ratings),

    ``θ_u ← θ_u - (Σ_i g'² x_i x_iᵀ + λ_u I)⁻¹ (Σ_i (g - y_ui) g' x_i + λ_u θ_u)``,

for every user at once: the weighted Gram matrices ``Σ_i g'² x_i x_iᵀ`` of all users come from
one sparse-dense product (the ratings' weights times each item's ``x_i x_iᵀ``), and
``torch.linalg.solve`` solves the whole batch. Then the same for the items with the users
fixed. No learning rate, no batches; an epoch is one sweep.

Measured on MovieLens latest-small (fold 1, one thread): with k=64 it reaches the gradient
path's RMSE (0.854) but each sweep costs about as much as the whole gradient fit, since the
Gram matrices grow with k²; with k=10 a sweep is fast and the RMSE that of Cornac's MF (about
0.875). See BENCHMARKS.md for the 5-fold numbers.
"""

from __future__ import annotations

import warnings

import torch

SOLVERS = ("gradient", "als")
JITTER = 1e-6
"""Added to every diagonal so that a row with few ratings and no weight decay still solves."""


class ALS:
    """The sweeps of one trainer: the ratings' layout (which row and column each training
    rating falls in, sorted for the sparse products) is worked out once, here."""

    def __init__(self, model, users: torch.Tensor, items: torch.Tensor, values: torch.Tensor,
                 n_users: int, n_items: int) -> None:
        self.model, self.values = model, values
        self.users, self.items = users, items
        self.halves = [_Layout(users, items, n_users, n_items),
                       _Layout(items, users, n_items, n_users)]

    @torch.no_grad()
    def sweep(self, decay: float, update: bool = True) -> float:
        """One epoch: the users' rows, then the items'. Returns the training MSE before it."""
        m = self.model
        tables = ((m.user_factors.weight, m.user_bias.weight, m.item_factors.weight,
                   m.item_bias.weight),
                  (m.item_factors.weight, m.item_bias.weight, m.user_factors.weight,
                   m.user_bias.weight))
        loss = None
        for layout, (factors, bias, other, other_bias) in zip(self.halves, tables):
            mse = layout.step(m.out, factors, bias, other, other_bias, self.values, decay,
                              update)
            loss = mse if loss is None else loss
            if not update:
                break
        return loss


class _Layout:
    def __init__(self, rows: torch.Tensor, cols: torch.Tensor, n_rows: int, n_cols: int):
        order = torch.argsort(rows * n_cols + cols)
        self.order, self.rows, self.cols = order, rows, cols
        counts = torch.bincount(rows, minlength=n_rows)
        self.counts = counts.to(torch.float32)
        self.crow = torch.cat([counts.new_zeros(1), counts.cumsum(0)])
        self.col_sorted = cols[order]
        self.shape = (n_rows, n_cols)
        self.seen = counts > 0

    def step(self, out, factors, bias, other, other_bias, values, decay, update) -> float:
        rows, cols = self.rows, self.cols
        score = (factors[rows] * other[cols]).sum(1) + bias[rows, 0] + other_bias[cols, 0]
        residual, slope = out(score) - values, out.slope(score)
        mse = float((residual * residual).mean())
        if not update:
            return mse
        k = factors.shape[1] + 1
        x = torch.cat([other, torch.ones_like(other[:, :1])], 1)  # (n_cols, k)
        outer = (x[:, :, None] * x[:, None, :]).reshape(x.shape[0], k * k)
        with warnings.catch_warnings():  # "sparse CSR support is in beta": the product is not
            warnings.simplefilter("ignore", UserWarning)
            weights = torch.sparse_csr_tensor(self.crow, self.col_sorted,
                                              (slope * slope)[self.order], self.shape,
                                              check_invariants=False)
        gram = torch.sparse.mm(weights, outer).reshape(-1, k, k)
        theta = torch.cat([factors, bias], 1)
        strength = decay * self.counts
        gradient = torch.zeros_like(theta).index_add_(0, rows, (residual * slope)[:, None] * x[cols])
        gradient += strength[:, None] * theta
        gram.diagonal(dim1=1, dim2=2).add_((strength + JITTER)[:, None])
        seen = self.seen
        theta[seen] -= torch.linalg.solve(gram[seen], gradient[seen][:, :, None])[:, :, 0]
        factors.copy_(theta[:, :-1])
        bias.copy_(theta[:, -1:])
        return mse
