"""Users and items with no rating to learn from (cold start): predict them from the averages.

An embedding row that no training rating touches never receives a gradient, so it would keep
its random starting values and give a cold user a confident-looking but random "taste". The
trainer sets those rows to zero instead (:func:`neutralise`) and training leaves them there.
A cold user's prediction is then the overall average plus each item's bias (MF, NeuMF, the
baseline) or what the network makes of a "nothing known" vector (NN, GMF, MLP): the same
guess for anyone, which :func:`cold_start_note` says in words beside the results.
"""

from __future__ import annotations

import numpy as np
import torch

from recsys_core.data.ratings import Ratings
from recsys_core.i18n import L_, Joined, Ln_
from recsys_core.models import MODELS


def cold_rows(ratings: Ratings, is_val: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Positions of the users and of the items without a single training rating."""
    train = np.ones(ratings.n_ratings, dtype=bool) if is_val is None else ~np.asarray(is_val)
    users = np.bincount(ratings.user_idx[train], minlength=ratings.n_users)
    items = np.bincount(ratings.item_idx[train], minlength=ratings.n_items)
    return np.flatnonzero(users == 0), np.flatnonzero(items == 0)


@torch.no_grad()
def neutralise(model: torch.nn.Module, users: np.ndarray, items: np.ndarray) -> None:
    """Zero the embedding rows (factors and biases) of these users and items, in place."""
    if not len(users) and not len(items):
        return
    for name, table in model.named_modules():
        if not isinstance(table, torch.nn.Embedding):
            continue
        leaf = name.rsplit(".", 1)[-1]
        rows = users if "user" in leaf else items if "item" in leaf else None
        if rows is not None and len(rows):
            table.weight[torch.as_tensor(rows, dtype=torch.long, device=table.weight.device)] = 0


def cold_start_note(result) -> str | None:
    """A plain sentence about the users and items the model knew nothing about, or None
    (a :class:`~recsys_core.i18n.Msg`: English, and ``render(lang)``)."""
    ratings = result.ratings
    users, items = cold_rows(ratings, result.is_val)
    if not len(users) and not len(items):
        return None
    biased = MODELS[result.model_name].has_biases
    parts = []
    if len(users):
        how = (L_("the overall average plus each item's bias, the same guess for anyone")
               if biased else L_("what the network predicts for someone it knows nothing about"))
        parts.append(L_("{count} ({names}) had no rating to learn from: their predictions are "
                        "{how}, not a personal one",
                        count=Ln_("{n} user", "{n} users", len(users), n=len(users)),
                        names=_names(ratings.users, users), how=how))
    if len(items):
        how = (L_("the overall average plus each user's bias") if biased
               else L_("what the network predicts for an item it knows nothing about"))
        parts.append(L_("{count} ({names}) had no rating to learn from: their predictions are "
                        "{how}", count=Ln_("{n} item", "{n} items", len(items), n=len(items)),
                        names=_names(ratings.items, items), how=how))
    return L_("Cold start: {parts}. Add a few of their ratings and train again to get personal "
              "predictions.", parts=Joined(parts))


def _names(labels: list[str], positions: np.ndarray, show: int = 5) -> str:
    shown = ", ".join(f"'{labels[p]}'" for p in positions[:show])
    if len(positions) > show:
        return L_("{names} and {n} more", names=shown, n=len(positions) - show)
    return shown
