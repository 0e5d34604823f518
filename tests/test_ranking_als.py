"""ALS for implicit feedback (recsys_core/models/ranking/als.py): the sweep solves the least
squares it claims, the loss it reports is the weighted error over every cell, each sweep
lowers it, and a newcomer's fold-in is the exact solve a trained user's row converges to."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
import torch

from recsys_core.data.synthetic import generate_clicks
from recsys_core.models import RANKING_MODELS
from recsys_core.models.ranking.als import ALSConfig, click_matrix, solve_side, weighted_loss
from recsys_core.ranking.split import leave_one_out
from recsys_core.ranking.training import RankingTrainConfig, RankingTrainer
from tests.tolerance import FLOAT32_RTOL

ALPHA, LAMBDA = 10.0, 5.0


pytestmark = pytest.mark.filterwarnings("ignore:Sparse CSR tensor support is in beta")


@pytest.fixture(scope="module")
def small():
    """12 users x 9 items, each user 3 distinct clicks, factors of size 4, in float64."""
    rng = np.random.default_rng(0)
    users = np.repeat(np.arange(12), 3)
    items = np.concatenate([rng.choice(9, 3, replace=False) for _ in range(12)])
    gen = torch.Generator().manual_seed(0)
    X = torch.randn(12, 4, generator=gen, dtype=torch.float64)
    Y = torch.randn(9, 4, generator=gen, dtype=torch.float64)
    return torch.as_tensor(users), torch.as_tensor(items), X, Y


def exact_rows(users, items, Y, n_users):
    """Each user's minimiser of Σ_items c (p - x·y)² + λ|x|², written out cell by cell."""
    rows = []
    for u in range(n_users):
        p = torch.zeros(Y.shape[0], dtype=Y.dtype)
        p[items[users == u]] = 1.0
        c = 1 + ALPHA * p
        A = Y.T @ (c[:, None] * Y) + LAMBDA * torch.eye(Y.shape[1], dtype=Y.dtype)
        rows.append(torch.linalg.solve(A, Y.T @ (c * p)))
    return torch.stack(rows)


def test_enough_solver_steps_give_each_users_exact_least_squares_solution(small):
    users, items, X, Y = small
    clicks = click_matrix(users, items, 12, 9, torch.float64)
    solved = solve_side(X, Y, clicks, ALPHA, LAMBDA, steps=4)  # CG is exact in dim steps
    assert torch.allclose(solved, exact_rows(users, items, Y, 12), atol=1e-8)
    few = solve_side(X, Y, clicks, ALPHA, LAMBDA, steps=1)
    assert not torch.allclose(few, solved, atol=1e-3)  # one step is only on the way


def test_the_items_side_is_the_same_solve_with_the_roles_swapped(small):
    users, items, X, Y = small
    solved = solve_side(Y, X, click_matrix(items, users, 9, 12, torch.float64), ALPHA, LAMBDA,
                        steps=4)
    assert torch.allclose(solved, exact_rows(items, users, X, 9), atol=1e-8)


def test_the_reported_loss_is_the_weighted_squared_error_over_every_cell(small):
    users, items, X, Y = small
    p = torch.zeros(12, 9, dtype=torch.float64)
    p[users, items] = 1.0
    c = 1 + ALPHA * p
    by_cell = (c * (p - X @ Y.T) ** 2).sum() + LAMBDA * ((X ** 2).sum() + (Y ** 2).sum())
    clicks = click_matrix(users, items, 12, 9, torch.float64)
    assert weighted_loss(X, Y, clicks, ALPHA, LAMBDA) == pytest.approx(
        float(by_cell) / users.numel(), rel=1e-12)


@pytest.fixture(scope="module")
def trained():
    data, _, _ = generate_clicks(n_users=60, n_items=40, n_groups=3, clicks_per_user=8,
                                 taste=0.95, seed=4)
    split = leave_one_out(data, seed=0)
    train = dataclasses.replace(RankingTrainConfig(), epochs=10, seed=3)
    return RankingTrainer(split, "als", ALSConfig(dim=6), train).fit()


def test_every_sweep_lowers_the_loss_and_nothing_is_stepped_by_an_optimiser(trained):
    losses = [epoch.loss for epoch in trained.history]
    assert len(losses) == 10
    # float32 sums: a converged sweep may round a few last bits up (tests/tolerance.py)
    assert all(b <= a * (1 + FLOAT32_RTOL) for a, b in zip(losses, losses[1:])), losses
    assert trained.optimizer is None
    assert not any(p.requires_grad for p in trained.model.parameters())


def test_a_visitors_fold_in_is_the_exact_solve_a_trained_users_row_comes_to(trained):
    """User 5's row solved exactly against the trained item factors, from the training
    clicks, scores every item as the fold-in of a newcomer with the same clicks does."""
    users, items = trained.split.train_pairs()
    model = trained.model
    Y = model.item_factors.weight.double()
    liked = np.sort(items[users == 5])
    clicks = click_matrix(users, items, model.n_users, model.n_items, torch.float64)
    exact = solve_side(model.user_factors.weight.double(), Y, clicks, ALPHA, LAMBDA, steps=6)[5]
    before = [p.clone() for p in model.parameters()]
    visitor = model.visitor_scores(liked)
    assert np.allclose(visitor, (Y @ exact).numpy(), atol=1e-5)
    assert all(torch.equal(a, b) for a, b in zip(before, model.parameters()))


def test_als_trains_its_epochs_from_the_form_and_reads_no_sampling_setting():
    spec = RANKING_MODELS["als"]
    assert spec.loss == "als" and not spec.gradient
    assert set(spec.training_settings) == {"epochs", "seed"}
    assert spec.train_defaults == {"epochs": 15}
