"""Opening a model file (.pt) that the app saved before, as a run on the current data.

The file is read with ``torch.load(weights_only=True)`` (``recsys_core.results.trained_run.load_model``):
tensors and plain values only, so a file that carries code is refused, never run. Like an
uploaded rating file, a refused model changes nothing: the data and the runs stay as they were.
``accept_model`` takes plain bytes and a state mapping, so tests call it directly.
"""

from __future__ import annotations

import logging
from collections.abc import MutableMapping

import numpy as np

from recsys_core.i18n import L_
from recsys_core.models import MODELS
from recsys_core.models.config import from_dict
from recsys_core.results.trained_run import FitResult, ModelFileError, load_model
from recsys_core.training.session import Run, next_id
from recsys_core.training.trainer import TrainConfig

from . import state as st_state
from .i18n import message_of

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
        return None, L_("{what} Where: {file}.", what=message_of(err), file=name)
    except Exception:  # noqa: BLE001 - whatever else, the answer is the same, in words
        _LOG.exception("unexpected problem reading a model file")
        return None, L_("The file {file} could not be read as a model saved by RecSys "
                        "Playground. What to do: download the model again from the Results "
                        "page.", file=name)
    ratings = st_state.current(state)
    users, items = list(payload["users"]), list(payload["items"])
    if ratings is None or ratings.users != users or ratings.items != items:
        have = (L_("no data") if ratings is None else
                L_("{users} users x {items} items ({labels})", users=ratings.n_users,
                   items=ratings.n_items, labels=_labels(ratings.users)))
        return None, L_("This model was trained on {users} users x {items} items ({labels}); "
                        "the current data has {have}. A model can only fill the matrix it was "
                        "trained on. What to do: load that data first (Data page), then open "
                        "the model again.", users=len(users), items=len(items),
                        labels=_labels(users), have=have)
    result = FitResult(
        model_name=payload["model_name"],
        model_config=model_config, train_config=train_config,
        model=model, ratings=ratings, is_val=np.zeros(ratings.n_ratings, dtype=bool),
        history=[], status="loaded",
        message=L_("Opened from the model file '{file}': its accuracy is measured on all {n} "
                   "ratings of the current data, which it may have been trained on, so it "
                   "flatters the model.", file=name, n=f"{ratings.n_ratings:,}"))
    runs = st_state.runs(state)
    run = Run(id=next_id(runs), model_name=payload["model_name"],
              data_name=str(state.get(st_state.DATA_NAME, "")), result=result,
              data_rev=state.get(st_state.DATA_REV, 0))
    runs.append(run)
    state[st_state.CURRENT_RUN] = run.id
    return run, None

