"""Made-up rating data whose hidden structure we know, so a model's guesses can be checked.

Every user and every item belongs to one of ``n_groups`` hidden taste groups. A user rates
the items of their own group high and all other items low; each user and each item also has
a small bias of its own (some people rate everything a bit higher, some items are a bit
better liked), and every rating gets Gaussian noise on top. Then a share of the cells is
hidden. Because the complete matrix is known, it travels along as ``Ratings.truth`` and
:meth:`FitResult.truth_metrics` can say how well a model guessed the hidden cells, which real
data never allows.

Entry points:

- :func:`generate` a small or medium matrix, with its truth (the class's playground);
- :func:`generate_with_groups` the same, plus the hidden group of every user and item;
- :func:`generate_long` millions of ratings without ever building the dense matrix (benchmarks);
- :func:`generate_clicks` implicit feedback instead of ratings: who clicked what, and when,
  with the same kind of hidden taste groups (the ranking task's playground).
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass

import numpy as np

from recsys_core.data.errors import LoadWarning
from recsys_core.data.ratings import Ratings
from recsys_core.i18n import L_

HIGH_SHARE = 0.8
"""Where a liked item sits on the scale before bias and noise (0 = lowest, 1 = highest)."""
LOW_SHARE = 0.2
"""Where a disliked item sits on the scale before bias and noise."""
BIAS_SHARE = 0.05
"""Spread (standard deviation) of the user and item biases, as a share of the scale width."""
DENSE_CELL_LIMIT = 20_000_000
"""Above this many cells the full truth matrix (8 bytes a cell, plus temporaries) is too big
to keep: :func:`generate` then samples the ratings directly and returns no truth."""


@dataclass(frozen=True)
class _Tastes:
    """The hidden structure: who belongs to which group, and everyone's personal bias."""

    user_groups: np.ndarray
    item_groups: np.ndarray
    user_bias: np.ndarray
    item_bias: np.ndarray
    high: float
    low: float


def generate(n_users: int = 30, n_items: int = 20, n_groups: int = 3, missing: float = 0.3,
             noise: float = 0.2, seed: int = 0,
             scale: tuple[float, float] = (1.0, 5.0)) -> Ratings:
    """A users x items rating matrix with hidden taste groups and a ``missing`` share hidden.

    Parameters
    ----------
    n_users, n_items : size of the matrix (at least 1 each).
    n_groups : number of hidden taste groups, 1 to min(n_users, n_items), so that every
        group has at least one user and one item.
    missing : share of cells left empty, 0 (none) up to but not including 1. Every user and
        every item keeps at least one rating, so very sparse requests may come out a little
        denser than asked.
    noise : standard deviation of the Gaussian noise, in rating points (0 = none).
    seed : the same seed always gives the same data.
    scale : lowest and highest possible rating; every value is clipped into it and rounded
        to 2 decimals.

    Returns
    -------
    Ratings with labels "user 1", "item 1", ... and ``truth`` set to the complete matrix
    (observed cells equal their truth). Above ``DENSE_CELL_LIMIT`` cells the truth matrix
    would not fit in memory: the ratings are then sampled as :func:`generate_long` does,
    ``truth`` is None and a warning says so.
    """
    return generate_with_groups(n_users, n_items, n_groups, missing, noise, seed, scale)[0]


def generate_with_groups(n_users: int = 30, n_items: int = 20, n_groups: int = 3,
                         missing: float = 0.3, noise: float = 0.2, seed: int = 0,
                         scale: tuple[float, float] = (1.0, 5.0),
                         ) -> tuple[Ratings, np.ndarray, np.ndarray]:
    """Like :func:`generate`, and also the hidden group (0 .. n_groups-1) of every user and
    every item, e.g. to colour an embedding map by the answer the model was never told."""
    lo, hi = _check_common(n_users, n_items, n_groups, noise, seed, scale)
    _check_share(missing)
    n_cells = n_users * n_items
    n_observed = max(round((1.0 - missing) * n_cells), max(n_users, n_items))
    rng = np.random.default_rng(seed)
    tastes = _draw_tastes(rng, n_users, n_items, n_groups, lo, hi)
    if n_cells > DENSE_CELL_LIMIT:
        ratings = _sampled_ratings(rng, tastes, n_observed, noise, (lo, hi))
        ratings.warnings.append(LoadWarning("no_truth", L_(
            "{users} x {items} cells are too many to keep the complete matrix, so accuracy on "
            "the hidden cells cannot be measured.", users=f"{n_users:,}", items=f"{n_items:,}")))
        return ratings, tastes.user_groups, tastes.item_groups
    truth = _rate(rng, tastes, np.arange(n_users)[:, None], np.arange(n_items)[None, :],
                  noise, (lo, hi))
    flat = _dense_observed_cells(rng, n_users, n_items, n_observed)
    users, items = np.divmod(flat, n_items)
    ratings = _ratings(n_users, n_items, users, items, truth[users, items], (lo, hi), truth)
    return ratings, tastes.user_groups, tastes.item_groups


def generate_long(n_ratings: int, n_users: int, n_items: int, n_groups: int = 3,
                  noise: float = 0.2, seed: int = 0,
                  scale: tuple[float, float] = (1.0, 5.0)) -> Ratings:
    """``n_ratings`` distinct (user, item) ratings drawn straight into long form.

    Builds nothing of size n_users x n_items, so 10 million ratings of 100,000 users x 2,000
    items take seconds and a few hundred MB. Every user and item gets at least one rating,
    so ``n_ratings`` must lie between max(n_users, n_items) and n_users x n_items.
    ``truth`` is None: the complete matrix is exactly what this function avoids building.
    The same structure as :func:`generate` (groups, biases, noise, clipping, rounding).
    """
    lo, hi = _check_common(n_users, n_items, n_groups, noise, seed, scale)
    _check_count(n_ratings, n_users, n_items)
    rng = np.random.default_rng(seed)
    tastes = _draw_tastes(rng, n_users, n_items, n_groups, lo, hi)
    return _sampled_ratings(rng, tastes, n_ratings, noise, (lo, hi))


# ----- the hidden structure and the ratings it produces ---------------------------------
def _draw_tastes(rng, n_users, n_items, n_groups, lo, hi) -> _Tastes:
    """Groups dealt out evenly (so none is empty) in a random order, and small biases."""
    width = hi - lo
    return _Tastes(
        user_groups=rng.permutation(np.arange(n_users) % n_groups),
        item_groups=rng.permutation(np.arange(n_items) % n_groups),
        user_bias=rng.normal(0.0, BIAS_SHARE * width, n_users),
        item_bias=rng.normal(0.0, BIAS_SHARE * width, n_items),
        high=lo + HIGH_SHARE * width,
        low=lo + LOW_SHARE * width,
    )


def _rate(rng, tastes: _Tastes, users, items, noise, scale) -> np.ndarray:
    """Ratings for the given users and items (broadcast like numpy arrays): liked or not,
    plus both biases, plus noise, clipped into the scale and rounded to 2 decimals."""
    same_group = tastes.user_groups[users] == tastes.item_groups[items]
    value = np.where(same_group, tastes.high, tastes.low)
    value = value + tastes.user_bias[users] + tastes.item_bias[items]
    value = value + rng.normal(0.0, noise, value.shape) if noise > 0 else value
    return np.clip(np.round(value, 2), *scale)


def _sampled_ratings(rng, tastes: _Tastes, n_ratings, noise, scale) -> Ratings:
    n_users, n_items = tastes.user_groups.size, tastes.item_groups.size
    flat = _sparse_observed_cells(rng, n_users, n_items, n_ratings)
    users, items = np.divmod(flat, n_items)
    values = _rate(rng, tastes, users, items, noise, scale)
    return _ratings(n_users, n_items, users, items, values, scale, None)


def _ratings(n_users, n_items, users, items, values, scale, truth) -> Ratings:
    return Ratings(
        users=[f"user {k}" for k in range(1, n_users + 1)],
        items=[f"item {k}" for k in range(1, n_items + 1)],
        user_idx=users, item_idx=items, values=values, scale=scale, truth=truth,
        source=f"synthetic {n_users:,} x {n_items:,}",
    )


# ----- which cells are observed ---------------------------------------------------------
def _spine(rng, n_users, n_items) -> np.ndarray:
    """max(n_users, n_items) distinct cells that touch every user and every item once at
    least: walking k = 0, 1, ... through a shuffled user list and a shuffled item list at the
    same time. The cells are distinct because the longer list never repeats a position."""
    steps = np.arange(max(n_users, n_items))
    users = rng.permutation(n_users)[steps % n_users]
    items = rng.permutation(n_items)[steps % n_items]
    return users.astype(np.int64) * n_items + items


def _dense_observed_cells(rng, n_users, n_items, n_observed) -> np.ndarray:
    """Flat, sorted (row-major) indices of the observed cells: the spine, then the cells
    with the smallest random scores. One pass over all cells, nothing quadratic."""
    scores = rng.random(n_users * n_items)
    scores[_spine(rng, n_users, n_items)] = -1.0  # always kept
    if n_observed >= scores.size:
        return np.arange(scores.size)
    return np.sort(np.argpartition(scores, n_observed - 1)[:n_observed])


def _sparse_observed_cells(rng, n_users, n_items, n_ratings) -> np.ndarray:
    """Flat, sorted indices of ``n_ratings`` distinct cells, spine included, by drawing
    random cells and dropping repeats until there are enough; memory grows with
    ``n_ratings``, never with the number of cells."""
    n_cells = n_users * n_items
    spine = _sorted_unique(_spine(rng, n_users, n_items))
    extra_needed = n_ratings - spine.size
    extra = np.empty(0, dtype=np.int64)
    while extra.size < extra_needed:
        free_share = 1.0 - (spine.size + extra.size) / n_cells
        draw = math.ceil((extra_needed - extra.size) * 1.05 / free_share) + 100
        fresh = rng.integers(0, n_cells, size=draw, dtype=np.int64)
        extra = _sorted_unique(np.concatenate([extra, fresh]))
        extra = extra[~np.isin(extra, spine, assume_unique=True)]
    extra = rng.permutation(extra)[:extra_needed]  # drop the surplus at random, not the tail
    return np.sort(np.concatenate([spine, extra]))


def _sorted_unique(values: np.ndarray) -> np.ndarray:
    """``np.unique`` by sorting, several times faster than numpy 2's hash-based default
    on tens of millions of integers."""
    values = np.sort(values)
    keep = np.ones(values.size, dtype=bool)
    keep[1:] = values[1:] != values[:-1]
    return values[keep]


# ----- argument checks ------------------------------------------------------------------
def _check_common(n_users, n_items, n_groups, noise, seed, scale) -> tuple[float, float]:
    _check_whole("n_users", n_users, 1)
    _check_whole("n_items", n_items, 1)
    _check_whole("n_groups", n_groups, 1)
    if n_groups > min(n_users, n_items):
        raise ValueError(L_("n_groups must lie between 1 and min(n_users, n_items) = {most} so "
                            "every group has a user and an item; got {n}",
                            most=min(n_users, n_items), n=n_groups))
    _check_whole("seed", seed, 0)
    lo, hi = _check_scale(scale)
    if not (isinstance(noise, numbers.Real) and math.isfinite(noise)) or not 0 <= noise <= hi - lo:
        raise ValueError(L_("noise (standard deviation in rating points) must lie between 0 "
                            "and the scale width {width}; got {noise}", width=f"{hi - lo:g}",
                            noise=repr(noise)))
    return lo, hi


def _check_whole(name: str, value, smallest: int) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < smallest:
        raise ValueError(L_("{name} must be a whole number of at least {smallest}; got {value}",
                            name=name, smallest=smallest, value=repr(value)))


def _check_scale(scale) -> tuple[float, float]:
    try:
        lo, hi = (float(x) for x in scale)
    except (TypeError, ValueError):
        raise ValueError(L_("scale must be two numbers (lowest, highest); got {scale}",
                            scale=repr(scale))) from None
    if not (math.isfinite(lo) and math.isfinite(hi) and lo < hi):
        raise ValueError(L_("scale must be two finite numbers, lowest first, e.g. (1, 5); got "
                            "{scale}", scale=repr(scale)))
    return lo, hi


def _check_share(missing) -> None:
    if not (isinstance(missing, numbers.Real) and math.isfinite(missing)) or not 0 <= missing < 1:
        raise ValueError(L_("missing (share of empty cells) must lie in 0 <= missing < 1; got "
                            "{missing}", missing=repr(missing)))


def _check_count(n_ratings, n_users, n_items) -> None:
    _check_whole("n_ratings", n_ratings, 1)
    least, most = max(n_users, n_items), n_users * n_items
    if not least <= n_ratings <= most:
        raise ValueError(L_("n_ratings must lie between {least} (one rating for every user and "
                            "item) and {most} (every cell); got {n}", least=f"{least:,}",
                            most=f"{most:,}", n=f"{n_ratings:,}"))


# ----- clicks: implicit feedback with known tastes ----------------------------------------
POPULARITY_EXPONENT = 0.8
"""Item k of a group (in a random order) is drawn with weight ``1 / (k + 1) ** 0.8``: a few
items are clicked far more than most, as in every real log, so popularity is a fair
baseline to beat, not a straw man."""


def generate_clicks(n_users: int = 100, n_items: int = 50, n_groups: int = 3,
                    clicks_per_user: int = 10, taste: float = 0.8, seed: int = 0):
    """Who clicked what, and when: ``Interactions`` with hidden taste groups.

    Every user and item belongs to one of ``n_groups`` groups (dealt out evenly in a random
    order). A user makes ``clicks_per_user`` clicks on distinct items (at most ``n_items``):
    their own group's items share the weight ``taste``, the others ``1 - taste``, more
    popular items more (``POPULARITY_EXPONENT``), and an item clicked is not drawn again (so
    a user who clicks more than a few of their group's items clicks a little less than
    ``taste`` of them there). Clicks come one after
    another in time (``timestamps``: seconds, a user's clicks in the order drawn), so the
    latest click of a user is as predictable as any other.

    Returns ``(interactions, user_groups, item_groups)``: a model that learned the tastes
    ranks each user's held-out item among their own group's.
    """
    from recsys_core.ranking.data import Interactions

    for name, value, smallest in (("n_users", n_users, 1), ("n_items", n_items, 2),
                                  ("n_groups", n_groups, 1), ("clicks_per_user",
                                                              clicks_per_user, 1)):
        _check_whole(name, value, smallest)
    _check_whole("seed", seed, 0)
    if n_groups > min(n_users, n_items):
        raise ValueError(L_("n_groups must lie between 1 and min(n_users, n_items) = {most} so "
                            "every group has a user and an item; got {n}",
                            most=min(n_users, n_items), n=n_groups))
    if not (isinstance(taste, numbers.Real) and 0 <= taste <= 1):
        raise ValueError(L_("taste (share of clicks in the user's own group) must lie between "
                            "0 and 1; got {taste}", taste=repr(taste)))
    rng = np.random.default_rng(seed)
    user_groups = rng.permutation(np.arange(n_users) % n_groups)
    item_groups = rng.permutation(np.arange(n_items) % n_groups)
    popularity = np.empty(n_items)
    for group in range(n_groups):
        members = np.flatnonzero(item_groups == group)
        popularity[rng.permutation(members)] = 1.0 / (np.arange(members.size) + 1.0) ** POPULARITY_EXPONENT
    size = min(clicks_per_user, n_items)
    users, items, times = [], [], []
    for user in range(n_users):
        own = item_groups == user_groups[user]
        weights = np.where(own, taste * popularity / popularity[own].sum(),
                           (1 - taste) * popularity / max(popularity[~own].sum(), 1e-12))
        if not (~own).any():
            weights = popularity / popularity.sum()
        weights = np.clip(weights, 1e-12, None)
        chosen = rng.choice(n_items, size=size, replace=False, p=weights / weights.sum())
        start = rng.uniform(0, 86_400 * 30)
        users.append(np.full(size, user))
        items.append(chosen)
        times.append(start + np.cumsum(rng.exponential(3_600.0, size)))
    return (Interactions(users=[f"user {k}" for k in range(1, n_users + 1)],
                         items=[f"item {k}" for k in range(1, n_items + 1)],
                         user_idx=np.concatenate(users), item_idx=np.concatenate(items),
                         timestamps=np.round(np.concatenate(times)),
                         source=f"synthetic clicks {n_users:,} x {n_items:,}",
                         rule=L_("Every click counts as an interaction.")),
            user_groups, item_groups)
