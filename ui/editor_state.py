"""The Data page's rating grid and the current data, kept in line across reruns and pages.

Streamlit's rule for ``st.data_editor``: keep its input stable and read the edits from its key.
So the grid's input (``EDIT_BASE``) changes only when the data changes from elsewhere or an
item is renamed/added/removed (then under a new key, ``EDIT_V`` + 1). Every run, before the
page draws anything, ``sync`` replays the editor's recorded edits on that input and, when the
result is valid, makes it the current data; when it is not (a duplicate label, a value off the
scale) the current data stays and ``EDIT_ERROR`` says why. The edited table is also kept
(``EDIT_DRAFT``): after a page switch the editor's own state is gone, so the grid restarts from
the draft, and no edit ever disappears.

Plain functions over a state mapping: no streamlit import, so the tests call them directly.
"""

from __future__ import annotations

from collections.abc import MutableMapping

import pandas as pd

from recsys_core.data.errors import RatingsError

from . import editing, state

EDIT_BASE = "edit_base"  # the table given to st.data_editor (users x [label, items...])
EDIT_V = "edit_v"  # version in the editor's key: a new input table gets a new key
EDIT_DRAFT = "edit_draft"  # the input with the editor's edits replayed
EDIT_REV = "edit_rev"  # the DATA_REV the grid is in line with
EDIT_ERROR = "edit_error"  # why the draft cannot be used (None when it is the current data)
ITEMS_ERROR = "items_error"  # why a rename/add/remove of items was refused


def editor_key(s: MutableMapping) -> str:
    return f"matrix_editor_{s.get(EDIT_V, 0)}"


def rebase(s: MutableMapping, frame: pd.DataFrame) -> None:
    """A new input table for the editor, under a new key (no stale edits replayed on it)."""
    s[EDIT_BASE] = frame
    s[EDIT_DRAFT] = frame
    s[EDIT_V] = s.get(EDIT_V, 0) + 1


def use_draft(s: MutableMapping, frame: pd.DataFrame) -> bool:
    """Make the edited table the current data, or keep the reason it cannot be."""
    s[EDIT_DRAFT] = frame
    try:
        ratings = editing.frame_to_ratings(frame, state.current(s))
    except RatingsError as err:
        s[EDIT_ERROR] = err.message
        return False
    s[EDIT_ERROR] = None
    state.set_data(s, ratings, s.get(state.DATA_NAME, ""), s.get(state.DATA_ORIGIN, ""),
                   new_dataset=False)
    s[EDIT_REV] = s[state.DATA_REV]
    return True


def draft(s: MutableMapping) -> pd.DataFrame:
    """The input with the edits the editor holds right now."""
    return editing.apply_delta(s[EDIT_BASE], s.get(editor_key(s)))


def sync(s: MutableMapping) -> None:
    """Call at the top of the Data page, before anything that shows the data is drawn."""
    ratings = state.current(s)
    if not state.is_editable(ratings):
        return
    if s.get(EDIT_REV) != s[state.DATA_REV]:  # new data came from elsewhere
        rebase(s, editing.editor_frame(ratings))
        s[EDIT_REV] = s[state.DATA_REV]
        s[EDIT_ERROR] = None
        return
    if editor_key(s) not in s:  # the grid was not on screen (page switch): go on from the draft
        if not editing.same_frame(s.get(EDIT_DRAFT), s[EDIT_BASE]):
            rebase(s, s[EDIT_DRAFT])
        return
    edited = draft(s)
    if not editing.same_frame(edited, s.get(EDIT_DRAFT)):
        use_draft(s, edited)


def _items_change(s: MutableMapping, change) -> None:
    try:
        frame = change(draft(s))
    except RatingsError as err:
        s[ITEMS_ERROR] = err.message
        return
    s[ITEMS_ERROR] = None
    rebase(s, frame)
    use_draft(s, frame)


def rename_item(s: MutableMapping, old: str, new: str) -> None:
    _items_change(s, lambda frame: editing.rename_item(frame, old, new))


def add_item(s: MutableMapping, name: str | None) -> None:
    _items_change(s, lambda frame: editing.add_item(
        frame, name or editing.suggest_item_name(frame)))


def remove_items(s: MutableMapping, names: list[str]) -> None:
    _items_change(s, lambda frame: editing.remove_items(frame, names))
