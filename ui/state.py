"""Everything one browser session holds, under named keys of ``st.session_state``.

The state object is passed in (``st.session_state`` in the app, a plain dict in tests), so these
helpers run without a Streamlit script.
"""

from __future__ import annotations

import threading
from collections.abc import MutableMapping

from recsys_core.data.errors import RatingsError
from recsys_core.data.ratings import Ratings
from recsys_core.data.samples import SAMPLES, load_sample
from recsys_core.i18n import L_
from recsys_core.limits import LIMITS
from recsys_core.training import run_service
from recsys_core.training.run_service import RunService
from recsys_core.training.session import Run

# ----- keys (values kept in st.session_state) ---------------------------------------------------
RATINGS = "ratings"  # the current data (recsys_core.data.ratings.Ratings) every page works on
DATA_NAME = "data_name"  # where it came from, for people (may be an uploaded file's name)
DATA_ORIGIN = "data_origin"  # "sample:<name>" | "upload" | "synthetic"
DATA_EDITED = "data_edited"  # True once the editor changed the loaded data
DATA_REV = "data_rev"  # +1 on every change of the current data (loads and edits)
DATASET_ID = "dataset_id"  # +1 when new data is loaded (not on edits): resets form suggestions
RUNS = run_service.RUNS  # list[recsys_core.training.session.Run], oldest first
CURRENT_RUN = run_service.CURRENT  # id of the run last trained or made (the bar acts on it)
TRAINING = run_service.TRAINING  # id of the run whose loop is running now, else None
NOTICE = "notice"  # a one-time message (L_) for the next page shown ("training was stopped")
PRESET = "preset"  # name of the lecture preset last loaded, until the data or form changes
LOAD_ERROR = "load_error"  # why the first sample could not be loaded (library problem)
TASK = "task"  # "ratings" (fill a rating matrix) | "ranking" (rank items from interactions)
INTERACTIONS = "interactions"  # the ranking task's data (recsys_core.ranking.data.Interactions)
INTERACTIONS_NAME = "interactions_name"  # where they came from, for people
INTERACTIONS_REV = "interactions_rev"  # +1 whenever other interactions are loaded
TASKS = ("ratings", "ranking")

DEFAULT_SAMPLE = "solo"
EDITOR_LIMIT = 100  # users and items up to which the data can be edited in a grid


def init(state: MutableMapping) -> None:
    """First visit: the course matrix is the current data, no runs yet."""
    if RATINGS in state:
        return
    state[RUNS] = []
    state[CURRENT_RUN] = None
    state[TRAINING] = None
    state[NOTICE] = None
    state[PRESET] = None
    state[DATA_REV] = 0
    state[DATASET_ID] = 0
    state[RATINGS] = None
    state[TASK] = "ratings"
    state[INTERACTIONS] = None
    state[INTERACTIONS_REV] = 0
    state["sample"] = DEFAULT_SAMPLE
    try:
        set_data(state, load_sample(DEFAULT_SAMPLE), SAMPLES[DEFAULT_SAMPLE].title,
                 f"sample:{DEFAULT_SAMPLE}")
    except (RatingsError, OSError) as err:
        state[LOAD_ERROR] = getattr(err, "message", str(err))


def set_data(state: MutableMapping, ratings: Ratings, name: str, origin: str, *,
             new_dataset: bool = True) -> None:
    """Make ``ratings`` the current data. Runs are kept: each holds the data it was trained on."""
    state[RATINGS] = ratings
    state[DATA_REV] = state.get(DATA_REV, 0) + 1
    if new_dataset:
        state[DATA_NAME] = name
        state[DATA_ORIGIN] = origin
        state[DATA_EDITED] = False
        state[DATASET_ID] = state.get(DATASET_ID, 0) + 1
        state[PRESET] = None
        state[LOAD_ERROR] = None
    else:
        state[DATA_EDITED] = True


def load_sample_into(state: MutableMapping, name: str, scale=None) -> str | None:
    """Load a bundled sample as the current data; returns an error message or None."""
    try:
        ratings = load_sample(name)
        if scale is not None:
            ratings = ratings.with_scale(scale)
    except RatingsError as err:
        return err.message
    set_data(state, ratings, SAMPLES[name].title, f"sample:{name}")
    return None


def current(state: MutableMapping) -> Ratings | None:
    return state.get(RATINGS)


def current_data_name(state: MutableMapping) -> str:
    """The current ratings' name as stored, " (edited)" after an edit in the grid."""
    return state.get(DATA_NAME, "") + (" (edited)" if state.get(DATA_EDITED) else "")


def task(state: MutableMapping) -> str:
    """The task the pages work on: "ratings" or "ranking" (the Data page's switch)."""
    return state.get(TASK) if state.get(TASK) in TASKS else "ratings"


def interactions(state: MutableMapping):
    """The ranking task's current interactions, or None before any are loaded."""
    return state.get(INTERACTIONS)


def set_interactions(state: MutableMapping, data, name: str) -> None:
    """Make ``data`` the ranking task's current interactions (the ratings stay as they are,
    for the ratings task). Runs are kept: each holds the data it was trained on."""
    state[INTERACTIONS] = data
    state[INTERACTIONS_NAME] = name
    state[INTERACTIONS_REV] = state.get(INTERACTIONS_REV, 0) + 1


def service(state: MutableMapping) -> RunService:
    """The session's run service (recsys_core/run_service.py): every training goes through
    it; it keeps the runs, the current run and the lock under the keys above."""
    return RunService(state)


def runs(state: MutableMapping) -> list[Run]:
    return service(state).runs


def current_run(state: MutableMapping) -> Run | None:
    return service(state).current


def settle_interrupted(state: MutableMapping) -> Run | None:
    """Called first on every script run: a job that a click (another widget, a page switch)
    cut off left its trainer "running". Stop it and keep the partial model as the run's
    result, with a notice for the next page. Returns the run it settled, if any. (Pause
    stops a job the same way but quietly: the person asked for it.)"""
    settled = service(state).settle_interrupted()
    if settled is not None:
        state[NOTICE] = L_("Training of run #{run} was stopped after {epochs} epoch(s); the "
                           "model trained so far is kept as that run.", run=settled.id,
                           epochs=settled.trainer.epochs_run)
    state[TRAINING] = None
    return settled


# ----- one training loop at a time in a session ----------------------------------------------
# With Streamlit's fast reruns, a click during a training starts a NEW script thread at once
# and only asks the old one to stop at its next st.* call: for a moment both run. The run
# service holds this session's lock while a job touches a trainer; the new run waits for it
# (a batch or a redraw, a fraction of a second) before it reads or trains the same model.
LOOP_LOCK = run_service.LOCK
HANDOVER_SECONDS = run_service.HANDOVER_SECONDS


def training_lock(state: MutableMapping) -> threading.Lock:
    return service(state).lock


def wait_for_loop(state: MutableMapping, timeout: float = HANDOVER_SECONDS) -> bool:
    """Wait until no training loop of this session runs (True), or ``timeout`` passed."""
    return service(state).wait(timeout)


def pop_notice(state: MutableMapping) -> str | None:
    notice = state.get(NOTICE)
    state[NOTICE] = None
    return notice


def is_editable(ratings: Ratings | None) -> bool:
    """Small enough for the editable grid (larger data is shown read-only, paged)."""
    return ratings is not None and ratings.n_users <= EDITOR_LIMIT and \
        ratings.n_items <= EDITOR_LIMIT and \
        ratings.n_users * ratings.n_items <= LIMITS.max_editor_cells
