"""Leave-one-out, and the sampled negatives of the NCF paper's protocol.

Leave-one-out (He et al. 2017, after Rendle et al. 2009): each user's latest interaction is
held out and the model, trained on the rest, has to rank it. "Latest" is by timestamp; among
interactions at the same time (MovieLens records seconds, and a user often rates several
films in one second) the held-out one is drawn at random with the seed, and data without
times are all "at the same time", so there the held-out interaction is a seeded random one.
A user with a single interaction keeps it for training and is not scored: holding it out
would leave nothing to learn that user from.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from recsys_core.i18n import L_
from recsys_core.ranking.data import Interactions


@dataclass
class LeaveOneOut:
    """``is_test[k]``: the k-th interaction is held out. ``test_users[j]`` held out
    ``test_items[j]`` (one per scored user, in user order)."""

    data: Interactions
    is_test: np.ndarray
    test_users: np.ndarray
    test_items: np.ndarray
    seed: int
    by_time: bool

    @property
    def n_train(self) -> int:
        return int((~self.is_test).sum())

    @property
    def n_unscored(self) -> int:
        """Users with a single interaction: in training, not scored."""
        return self.data.n_users - int(self.test_users.size)

    def train_pairs(self) -> tuple[np.ndarray, np.ndarray]:
        keep = ~self.is_test
        return self.data.user_idx[keep], self.data.item_idx[keep]

    def note(self) -> str:
        """How the held-out interactions were chosen, in words."""
        how = (L_("each user's latest interaction (ties at the same time drawn with seed "
                  "{seed})", seed=self.seed) if self.by_time else
               L_("one interaction of each user drawn at random with seed {seed} (the data "
                  "have no times)", seed=self.seed))
        if self.n_unscored:
            return L_("Held out: {how}; {n} user(s) with a single interaction keep it for "
                      "training and are not scored.", how=how, n=self.n_unscored)
        return L_("Held out: {how}.", how=how)


def leave_one_out(data: Interactions, seed: int = 0) -> LeaveOneOut:
    """Hold out each user's latest interaction (seeded random among ties, and where the data
    have no times); users with one interaction are not held out."""
    rng = np.random.default_rng([1, int(seed)])
    tie_break = rng.random(data.n_interactions)
    times = data.timestamps if data.timestamps is not None else np.zeros(data.n_interactions)
    order = np.lexsort((tie_break, times, data.user_idx))  # by user, then time, then draw
    users_sorted = data.user_idx[order]
    last = np.ones(order.size, dtype=bool)
    last[:-1] = users_sorted[1:] != users_sorted[:-1]
    held = order[last]
    held = held[data.per_user()[data.user_idx[held]] >= 2]
    is_test = np.zeros(data.n_interactions, dtype=bool)
    is_test[held] = True
    held = held[np.argsort(data.user_idx[held], kind="stable")]
    return LeaveOneOut(data=data, is_test=is_test, test_users=data.user_idx[held],
                       test_items=data.item_idx[held], seed=int(seed),
                       by_time=data.timestamps is not None)


def sample_negatives(split: LeaveOneOut, n: int, seed: int = 0) -> np.ndarray:
    """For each scored user, ``n`` distinct items they never interacted with (neither in
    training nor held out), drawn with the seed; ``(n_scored_users, n)``, padded with -1 for
    a user who has fewer than ``n`` such items (all of them are taken)."""
    if n < 1:
        raise ValueError(L_("the number of sampled negatives must be at least 1; got {n}", n=n))
    data = split.data
    rng = np.random.default_rng([2, int(seed)])
    order = np.argsort(data.user_idx, kind="stable")
    bounds = np.searchsorted(data.user_idx[order], np.arange(data.n_users + 1))
    out = np.full((split.test_users.size, n), -1, dtype=np.int64)
    for row, user in enumerate(split.test_users):
        seen = data.item_idx[order[bounds[user]:bounds[user + 1]]]
        if data.n_items - seen.size <= n:
            unseen = np.setdiff1d(np.arange(data.n_items), seen)
            out[row, :unseen.size] = unseen
            continue
        drawn = rng.choice(data.n_items, size=min(data.n_items, n + seen.size), replace=False)
        out[row] = drawn[~np.isin(drawn, seen)][:n]
    return out
