"""Opening a model file (.pt) that the app saved before, as a run on the current data.

The file is read with ``torch.load(weights_only=True)`` (``recsys_core.results.load_model``):
tensors and plain values only, so a file that carries code is refused, never run. Like an
uploaded rating file, a refused model changes nothing: the data and the runs stay as they were.
``accept_model`` takes plain bytes and a state mapping, so tests call it directly.
"""

from __future__ import annotations

import logging
from collections.abc import MutableMapping

import numpy as np

from recsys_core.config import from_dict
from recsys_core.models import MODELS
from recsys_core.results import FitResult, ModelFileError, load_model
from recsys_core.session import Run, next_id
from recsys_core.training import TrainConfig

from . import state as st_state

TYPES = ["pt"]
_LOG = logging.getLogger(__name__)


def _labels(labels: list[str], show: int = 3) -> str:
    shown = ", ".join(f"'{x}'" for x in labels[:show])
    return shown + (" ..." if len(labels) > show else "")


def accept_model(state: MutableMapping, data: bytes, name: str) -> tuple[Run | None, str | None]:
    """Add a run holding the saved model, or say in words why not (nothing changes then)."""
    try:
        model, payload = load_model(bytes(data))
        model_config = from_dict(MODELS[payload["model_name"]].config_cls, payload["model_config"])
        train_config = from_dict(TrainConfig, payload.get("train_config") or {})
    except ModelFileError as err:
        return None, f"{err} Where: {name}."
    except Exception:  # noqa: BLE001 - whatever else, the answer is the same, in words
        _LOG.exception("unexpected problem reading a model file")
        return None, (f"The file {name} could not be read as a model saved by RecSys "
                      "Playground. What to do: download the model again from the Results page.")
    ratings = st_state.current(state)
    users, items = list(payload["users"]), list(payload["items"])
    if ratings is None or ratings.users != users or ratings.items != items:
        have = ("no data" if ratings is None else
                f"{ratings.n_users} users x {ratings.n_items} items ({_labels(ratings.users)})")
        return None, (f"This model was trained on {len(users)} users x {len(items)} items "
                      f"({_labels(users)}); the current data has {have}. A model can only "
                      "fill the matrix it was trained on. What to do: load that data first "
                      "(Data page), then open the model again.")
    result = FitResult(
        model_name=payload["model_name"],
        model_config=model_config, train_config=train_config,
        model=model, ratings=ratings, is_val=np.zeros(ratings.n_ratings, dtype=bool),
        history=[], status="loaded",
        message=f"Opened from the model file '{name}': its accuracy is measured on all "
                f"{ratings.n_ratings:,} ratings of the current data, which it may have been "
                "trained on, so it flatters the model.")
    runs = st_state.runs(state)
    run = Run(id=next_id(runs), model_name=payload["model_name"],
              data_name=str(state.get(st_state.DATA_NAME, "")), result=result,
              data_rev=state.get(st_state.DATA_REV, 0))
    runs.append(run)
    state[st_state.CURRENT_RUN] = run.id
    return run, None

