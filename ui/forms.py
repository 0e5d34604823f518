"""Hyperparameter forms generated from a config dataclass (``recsys_core.models.config.describe``).

Each field becomes one widget whose value lives in ``st.session_state[f"{prefix}-{name}"]``
(``persist_state="session"``, so values survive page switches). ``seed_form`` writes a whole
config into those keys (suggested defaults, a lecture preset) before the widgets are drawn.
"""

from __future__ import annotations

from collections.abc import Mapping, MutableMapping

import streamlit as st

from recsys_core.models.config import ParamInfo, describe

from .i18n import _, param_help, param_label


def widget_key(prefix: str, name: str) -> str:
    return f"{prefix}-{name}"  # e.g. "tc-mf-epochs": also its CSS class st-key-tc-mf-epochs


def _kind(info: ParamInfo) -> str:
    if info.choices:
        return "choice"
    t = info.type.replace(" ", "")
    if t.startswith("bool"):
        return "bool"
    if t.startswith("tuple") or isinstance(info.default, tuple):
        return "tuple"
    if t.startswith("int"):
        return "int"
    if t.startswith("float"):
        return "float"
    return "text"


def _optional(info: ParamInfo) -> bool:
    return "None" in info.type


def to_widget(info: ParamInfo, value):
    """The value a widget shows for a config value."""
    kind = _kind(info)
    if value is None:
        return None
    if kind == "tuple":
        return ",".join(str(v) for v in value)
    if kind == "int":
        return int(value)
    if kind == "float":
        return float(value)
    return value


def from_widget(info: ParamInfo, raw, label: str | None = None):
    """Parse a widget value back; raises ValueError with a message in words (``label``: the
    field's name as the form shows it)."""
    kind = _kind(info)
    label = label or info.label
    if kind == "tuple":
        parts = [p.strip() for p in str(raw or "").replace(";", ",").split(",") if p.strip()]
        try:
            sizes = tuple(int(p) for p in parts)
        except ValueError:
            raise ValueError(_("{label}: write whole numbers separated by commas, e.g. "
                               "15,15", label=label)) from None
        if not sizes or any(s < 1 for s in sizes):
            raise ValueError(_("{label}: give at least one layer size of 1 or more, e.g. 15,15", label=label))
        return sizes
    if raw is None and not _optional(info) and kind in ("int", "float"):
        raise ValueError(_("{label}: a number is needed", label=label))
    if kind == "int" and raw is not None:
        return int(raw)
    if kind == "float" and raw is not None:
        return float(raw)
    return raw


def seed_form(state: MutableMapping, prefix: str, config) -> None:
    """Put ``config``'s values into the form's widget keys (before the widgets are drawn)."""
    for info in describe(config):
        state[widget_key(prefix, info.name)] = to_widget(info, getattr(config, info.name))


FIELD_WIDTH = 190  # pixels: fields flow into as many columns as the screen allows


def _owner(prefix: str) -> str:
    """"cfg-neumf" -> "neumf" (a model's own wording of a field), "tc-mf" -> "train"."""
    kind, _sep, model = prefix.partition("-")
    return model if kind == "cfg" else "train"


def _widget(info: ParamInfo, key: str, owner: str = "", width: int | None = None):
    kind = _kind(info)
    label = param_label(owner, info)
    common = {"key": key, "help": param_help(owner, info) or None, "persist_state": "session"}
    if kind != "bool":
        common["width"] = width or FIELD_WIDTH
    empty = _("empty = none") if _optional(info) else None
    if kind == "choice":
        return st.selectbox(label, list(info.choices), **common)
    if kind == "bool":
        return st.checkbox(label, **common)
    if kind == "tuple":
        return st.text_input(label, placeholder=_("comma-separated whole numbers, e.g. 15,15"), **common)
    if kind == "int":
        return st.number_input(
            label, min_value=None if info.min is None else int(info.min),
            max_value=None if info.max is None else int(info.max),
            step=int(info.step or 1), placeholder=empty, **common)
    if kind == "float":
        return st.number_input(
            label, min_value=None if info.min is None else float(info.min),
            max_value=None if info.max is None else float(info.max),
            step=None if info.step is None else float(info.step), format="%g",
            placeholder=empty, **common)
    return st.text_input(label, **common)


def config_form(config_cls, prefix: str, *, placed: Mapping | None = None,
                advanced_key: str | None = None, only: tuple[str, ...] | None = None):
    """Draw the form; returns (config or None, list of problems in words).

    ``only``: the fields to draw; the others keep the values the form was seeded with (or
    their defaults): settings a model does not read, such as a learning rate for ALS, are
    not shown to mislead.

    ``placed``: fields drawn elsewhere, ``{name: container}`` or ``{name: (container,
    width)}`` (the Train page puts the ones people change most beside its control bar); the
    others are drawn here, the advanced ones under a caption in a container keyed
    ``advanced_key`` (or, without one, in an "Advanced settings" expander)."""
    every = describe(config_cls)
    infos = [i for i in every if only is None or i.name in only]
    placed = placed or {}
    raw: dict = {}
    for info in infos:
        if info.name in placed:
            box, width = placed[info.name] if isinstance(placed[info.name], tuple) else \
                (placed[info.name], None)
            with box:
                raw[info.name] = _widget(info, widget_key(prefix, info.name), _owner(prefix),
                                         width)
    basic = [i for i in infos if not i.advanced and i.name not in placed]
    advanced = [i for i in infos if i.advanced and i.name not in placed]
    _grid(basic, prefix, raw)
    if advanced and advanced_key:
        with st.container(key=advanced_key):
            st.caption(_("Advanced settings"))
            _grid(advanced, prefix, raw)
    elif advanced:
        with st.expander(_("Advanced settings")):
            _grid(advanced, prefix, raw)
    values, problems = {}, []
    owner = _owner(prefix)
    for info in every:
        if info.name not in raw:  # not drawn: the value the form was seeded with, if any
            key = widget_key(prefix, info.name)
            if key not in st.session_state:
                continue
            raw[info.name] = st.session_state[key]
        try:
            values[info.name] = from_widget(info, raw[info.name], param_label(owner, info))
        except ValueError as err:
            problems.append(str(err))
    if problems:
        return None, problems
    try:
        return config_cls(**values), []
    except (TypeError, ValueError) as err:
        return None, [str(err)]


def _grid(infos: list[ParamInfo], prefix: str, raw: dict) -> None:
    """Fields side by side, wrapping to the next line when the screen is narrow."""
    if not infos:
        return
    with st.container(horizontal=True, gap="medium", vertical_alignment="bottom"):
        for info in infos:
            raw[info.name] = _widget(info, widget_key(prefix, info.name), _owner(prefix))


def generator_sizes(prefix: str, users: int, items: int, smallest: int, width: int) -> None:
    """The sizes both data generators ask for (ratings and clicks), keyed ``{prefix}_users``,
    ``{prefix}_items`` and ``{prefix}_groups``; drawn in the caller's row."""
    from .i18n import p_

    st.number_input(p_("how many", "Users"), smallest, 2000, users, key=f"{prefix}_users",
                    persist_state="session", width=width)
    st.number_input(p_("how many", "Items"), smallest, 2000, items, key=f"{prefix}_items",
                    persist_state="session", width=width)
    st.number_input(_("Hidden taste groups"), 1, 20, 3, key=f"{prefix}_groups",
                    persist_state="session", width=width)
