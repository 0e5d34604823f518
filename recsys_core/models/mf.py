"""MF, the lecture's matrix factorisation: score = <p_u, q_i> + b_u + b_i (lecture 11wk-1, 3B)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from recsys_core.i18n import L_, N_
from recsys_core.models import base, steps
from recsys_core.models.code import BIAS_LINES, FACTOR_LINES, bias_tables, factor_tables
from recsys_core.models.config import param


@dataclass
class MFConfig(base.OutputConfig):
    dim: int = base.embedding_size(16, help=N_("number of hidden taste factors per user and item"))
    solver: str = param("gradient", N_("Solver"),
                        N_("gradient: the optimiser, batch by batch; als: alternating least "
                           "squares, each epoch solves every user's rows, then every item's, "
                           "in one batched step (no learning rate or batches)"),
                        choices=("gradient", "als"), advanced=True)


class MF(base.RatingModel):
    """score = <p_u, q_i> + b_u + b_i, then onto the rating scale.

    The four tables are created in the lecture's order (user factors, user bias, item factors,
    item bias) so that ``torch.manual_seed`` gives the lecture's starting numbers.
    """

    name = "mf"
    user_tables = ("user_factors", "user_bias")

    def __init__(self, n_users, n_items, scale, global_mean, cfg: MFConfig):
        super().__init__(cfg)
        self.user_factors = base.embedding(n_users, cfg.dim, cfg.init_std)
        self.user_bias = base.embedding(n_users, 1, base.bias_std(cfg))
        self.item_factors = base.embedding(n_items, cfg.dim, cfg.init_std)
        self.item_bias = base.embedding(n_items, 1, base.bias_std(cfg))
        self.out = base.RatingOutput(scale, global_mean, cfg)

    def score(self, users, items):
        dot = (self.rows(self.user_factors, users) * self.rows(self.item_factors, items)).sum(dim=1)
        return (dot + self.rows(self.user_bias, users).squeeze(1)
                + self.rows(self.item_bias, items).squeeze(1))

    def forward(self, users, items):
        return self.out(self.score(users, items))

    def rating_rows(self, users: slice) -> torch.Tensor:
        """Every item for these users as one matrix product, ``U Vᵀ + b_u + b_i`` through the
        output (the 610 x 9,724 MovieLens matrix: 0.15 s instead of 2.5 s cell by cell)."""
        score = (self.user_factors.weight[users] @ self.item_factors.weight.T
                 + self.user_bias.weight[users, 0, None] + self.item_bias.weight[None, :, 0])
        return self.out(score)


def breakdown(model: MF, u, i) -> list[steps.Step]:
    product, shown = steps.factors(u, i, model.user_factors, model.item_factors)
    dot = product.sum(dim=1)
    bu, bu_step = steps.bias("user_bias", L_("user bias b_u (W_bias)"), model.user_bias, u)
    bi, bi_step = steps.bias("item_bias", L_("item bias b_i (M_bias)"), model.item_bias, i)
    score = dot + bu + bi
    shown += [steps.Step("dot", L_("dot product p_u · q_i"), L_("sum of the products"),
                         steps.num(dot)),
              bu_step, bi_step,
              steps.total("score", L_("score"),
                          {"dot": steps.num(dot), "b_u": steps.num(bu), "b_i": steps.num(bi)},
                          score)]
    return shown + steps.output(model.out, score)


REFINE_STEPS = 10
"""The most Newton steps :func:`solve` takes after the closed form; it stops sooner, once the
rows stop moving (usually after 3 to 5). Measured on MovieLens (``python -m bench.foldin``):
the closed form alone scores the held-out ratings about 0.03 RMSE worse than the minimiser
of the training objective, which one step nearly reaches."""


def fold_in(model: MF, items: torch.Tensor, values: torch.Tensor, decay: float,
            refine: int = REFINE_STEPS) -> dict[str, torch.Tensor]:
    """A new user's factors ``p`` and bias ``b``, the item factors ``q_i``, item biases
    ``b_i`` and the output fixed: ridge regression in closed form, then the training
    objective's own minimiser (:func:`solve`), as rows of the model's float32 tables."""
    theta = solve(model, items, values, decay, refine).to(model.user_factors.weight.dtype)
    return {"user_factors": theta[None, :-1], "user_bias": theta[None, -1:]}


def solve(model: MF, items: torch.Tensor, values: torch.Tensor, decay: float,
          refine: int = REFINE_STEPS) -> torch.Tensor:
    """``θ = [p; b]`` of a new user who rated ``items`` with ``values``, in float64.

    **The regularisation.** Training minimises, batch by batch, the batch's mean of
    ``(ŷ_ui - y_ui)² + decay (|p_u|² + b_u² + |q_i|² + b_i²)`` (the per-rating L2 on the rows
    a rating uses, :meth:`~.base.RatingModel.forward_with_penalty`). An epoch sums that over
    every rating once, up to the batch's constant ``1/|B|``; user u's rows appear once per
    rating of theirs, so the terms that hold ``p_u`` and ``b_u`` are
    ``Σ_i (ŷ_ui - y_ui)² + decay·n_u (|p_u|² + b_u²)``, with ``n_u`` the user's number of
    ratings: the visitor's rows are penalised ``λ = decay·n``, n the ratings they gave. With
    the items fixed, that is the visitor's whole training objective,

        ``F(θ) = Σ_i (g(x_i·θ + b_i) - y_i)² + λ|θ|²``,  ``θ = [p; b]``, ``x_i = [q_i; 1]``.

    **The closed form, in the score space** (``refine=0`` stops here). MF's output is not
    linear: ``ŷ = g(s) = low + (high - low)·σ(s + c)`` with ``s = p·q_i + b + b_i``
    (:class:`~.base.RatingOutput`). Each rating, first kept inside the output's range
    (``TARGET_CLIP``), is turned into the score that gives it, ``s*_i = g⁻¹(y_i)`` (a logit);
    near it ``(g(s) - y_i)² ≈ g'(s*_i)² (s - s*_i)²``, a squared error in scores weighted by
    the output's slope there, squared. With ``z_i = s*_i - b_i`` and ``w_i = g'(s*_i)²``:

        ``J(θ) = Σ_i w_i (x_i·θ - z_i)² + λ|θ|²``,

    minimised in closed form by ``θ = (XᵀWX + λI)⁻¹ XᵀWz`` (:func:`~.base.ridge`;
    :func:`score_targets` gives x, z and w). J is F to first order around the ratings; a
    rating at an end of the lecture's ``sigmoid(score) * 5``, which the output never
    reaches, is clipped and counts little (the slope there is small).

    **Then F itself** (up to ``refine`` steps). The ratings are rarely where the fit lands,
    so J weighs them by the slope at the wrong place. From the closed form, Newton steps on
    F: ``H δ = -∇F`` with ``∇F = Σ_i (g - y_i) g' x_i + λθ`` and
    ``H = Σ_i (g'² + (g - y_i) g'') x_i x_iᵀ + λI`` (halved), or the Gauss-Newton ``H``
    without the ``g''`` term where that one is not positive definite, each step halved until
    F does not rise. It ends where F's gradient is zero.
    """
    x, z, w = score_targets(model, items, values)
    strength = decay * values.numel()
    theta = base.ridge(x, z, w, strength)
    if not refine:
        return theta
    out = model.out
    with torch.no_grad():
        offsets = model.item_bias.weight[items, 0].double()
        wanted = values.double()

        def objective(candidate):
            predicted = out(x @ candidate + offsets)
            return float(((predicted - wanted) ** 2).sum() + strength * (candidate**2).sum())

        current = objective(theta)
        for _ in range(refine):
            score = x @ theta + offsets
            residual, slope = out(score) - wanted, out.slope(score)
            gradient = x.T @ (residual * slope) + strength * theta
            step = _newton_step(x, slope**2 + residual * out.bend(score), slope**2, gradient,
                                strength)
            for _ in range(30):  # halve the step until F does not rise
                candidate = theta + step
                value = objective(candidate)
                if value <= current:
                    break
                step = step / 2
            else:
                break
            theta, current = candidate, value
            if float(step.abs().max()) <= 1e-10 * (1.0 + float(theta.abs().max())):
                break
    return theta


def _newton_step(x, curvature, gauss_newton, gradient, strength) -> torch.Tensor:
    """``-H⁻¹ ∇F`` with ``H = xᵀ diag(curvature) x + strength·I``, or with ``gauss_newton``
    in place of ``curvature`` where that ``H`` is not positive definite (the least-squares
    step of smallest size when even that one is singular)."""
    x, g = x.numpy(), gradient.numpy()
    for weights in (curvature.numpy(), gauss_newton.numpy()):
        hessian = (x.T * weights) @ x
        hessian[np.diag_indices_from(hessian)] += strength
        try:
            factor = np.linalg.cholesky(hessian)
        except np.linalg.LinAlgError:
            continue
        return torch.from_numpy(-np.linalg.solve(factor.T, np.linalg.solve(factor, g)))
    return torch.from_numpy(-np.linalg.lstsq(hessian, g, rcond=None)[0])


def score_targets(model: MF, items: torch.Tensor, values: torch.Tensor):
    """``x_i = [q_i; 1]``, ``z_i = g⁻¹(y_i) - b_i`` and ``w_i = g'(g⁻¹(y_i))²`` of
    :func:`solve`'s closed form, in float64."""
    with torch.no_grad():
        q = model.item_factors.weight[items].double()
        x = torch.cat([q, torch.ones(q.shape[0], 1, dtype=q.dtype)], dim=1)
        wanted = model.out.inverse(values.double())
        z = wanted - model.item_bias.weight[items, 0].double()
        w = model.out.slope(wanted) ** 2
    return x, z, w


def net_parts(cfg: MFConfig):
    (users, items), (user_bias, item_bias) = factor_tables(cfg.dim), bias_tables("bias")
    return [users, user_bias, items, item_bias]  # the lecture's order


SPEC = base.ModelSpec(
    name="mf", title=N_("MF (matrix factorisation)"),
    description=N_("Each user and item gets k hidden numbers; a rating is their dot product plus "
                   "two biases. Small, fast, easy to look inside."),
    config_cls=MFConfig, module_cls=MF, breakdown=breakdown, net_parts=net_parts,
    forward_code=(*FACTOR_LINES, *BIAS_LINES,
                  ("score = (W_feature * M_feature).sum(axis=1) + W_bias.squeeze(1) "
                   "+ M_bias.squeeze(1)", "score")),
    l2_rows=("W_feature", "M_feature", "W_bias", "M_bias"),
    # MF converges in about 10 epochs to a flat validation curve (no drift upward after it).
    large_data=base.Recipe(lr=0.04, weight_decay=0.1, epochs=10, dim=64),
    has_biases=True, fold_in=fold_in, factor_note="factor.how_mf")
