"""Shareable set-ups: the URL carries the sample, model, hyperparameters, seed and language.

``sync`` writes the session's set-up into ``st.query_params`` on every run, so the address bar
always holds a link a teacher can hand out; ``restore`` reads it once, on a session's first
run, so opening that link brings the same set-up back. Uploaded, generated or edited data is
never put in a URL: then ``sample`` is left out and only the model and settings travel.
Unknown or malformed values in a hand-edited URL are ignored (the suggested value stays).
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping, MutableMapping
from urllib.parse import urlencode, urlsplit, urlunsplit

from recsys_core.data.samples import SAMPLES
from recsys_core.models import MODELS
from recsys_core.models.config import describe
from recsys_core.models.defaults import suggest_configs
from recsys_core.teaching.presets import PRESETS
from recsys_core.training.trainer import TrainConfig

from . import state
from .classroom import HIDE_PARAM, encode_hidden
from .forms import _kind, _optional, seed_form, widget_key
from .i18n import LANG, LANGS

RESTORED = "share_restored"  # session key: the URL was read (only the first run reads it)
MODEL = "model"  # the model picker's key (Train page)
SAMPLE = "sample"
PRESET_PARAM = "preset"
HIDDEN = "classroom_hidden"  # session: controls hidden by a classroom link (ui.classroom_view)


def owned() -> set[str]:
    """The URL parameters this module writes; any other (another feature's) is left alone."""
    names = {LANG, SAMPLE, MODEL, PRESET_PARAM, HIDE_PARAM}
    for cls in [TrainConfig, *(spec.config_cls for spec in MODELS.values())]:
        names.update(info.name for info in describe(cls))
    return names


def merged(current: Mapping, mine: Mapping) -> dict:
    """``current`` URL parameters with this module's replaced by ``mine``."""
    keep = {k: v for k, v in current.items() if k not in owned()}
    return {**keep, **mine}


def prefixes(model: str) -> list[tuple[str, type]]:
    return [(f"cfg-{model}", MODELS[model].config_cls), (f"tc-{model}", TrainConfig)]


def encode(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return format(value, ".12g")
    return str(value)


def decode(info, raw: str):
    """A URL value as the form widget's value; ValueError when it does not fit the field."""
    kind = _kind(info)
    raw = str(raw).strip()
    if raw in ("", "none", "None") and _optional(info):
        return None
    if kind == "bool":
        if raw.lower() in ("1", "true", "yes", "on"):
            return True
        if raw.lower() in ("0", "false", "no", "off"):
            return False
        raise ValueError(raw)
    if kind == "choice":
        if raw not in info.choices:
            raise ValueError(raw)
        return raw
    if kind == "tuple":
        sizes = [int(p) for p in raw.replace(";", ",").split(",") if p.strip()]
        if not sizes or any(s < 1 for s in sizes):
            raise ValueError(raw)
        return ",".join(str(s) for s in sizes)
    number = int(raw) if kind == "int" else float(raw)
    if number != number or (info.min is not None and number < info.min) or \
            (info.max is not None and number > info.max):
        raise ValueError(raw)
    return number


def params_of(s: Mapping) -> dict[str, str]:
    """The session's set-up as URL parameters (never any uploaded data)."""
    params: dict[str, str] = {}
    if s.get(LANG) in LANGS:
        params[LANG] = s[LANG]
    origin = str(s.get(state.DATA_ORIGIN) or "")
    if origin.startswith("sample:") and not s.get(state.DATA_EDITED):
        params[SAMPLE] = origin.split(":", 1)[1]
    model = s.get(MODEL)
    if model in MODELS:
        params[MODEL] = model
        for prefix, cls in prefixes(model):
            for info in describe(cls):
                key = widget_key(prefix, info.name)
                if key in s:
                    params[info.name] = encode(s[key])
    preset = s.get(state.PRESET)
    if preset in PRESETS and model == PRESETS[preset].model_name and _form_is_preset(s, preset):
        # the lecture's set-up exactly: a student opening the link gets the preset itself, so
        # their Results compare with the lecture's printed numbers as the teacher's do
        params[PRESET_PARAM] = preset
    if s.get(HIDDEN):  # a classroom link's hidden controls stay in the address bar
        params[HIDE_PARAM] = encode_hidden(s[HIDDEN])
    return params


def _form_is_preset(s: Mapping, name: str) -> bool:
    """Whether the form's fields still hold the preset's settings (none changed since)."""
    preset = PRESETS[name]
    seeded: dict = {}
    seed_form(seeded, f"cfg-{preset.model_name}", preset.model_config)
    seed_form(seeded, f"tc-{preset.model_name}", preset.train_config)
    return all(encode(s.get(key)) == encode(value) for key, value in seeded.items())


def restore(s: MutableMapping, query: Mapping) -> bool:
    """On a session's first run, bring back the set-up a shared URL carries. Returns True if
    it changed anything."""
    if s.get(RESTORED):
        return False
    s[RESTORED] = True
    changed = False
    preset = query.get(PRESET_PARAM)
    if preset in PRESETS:
        return apply_preset(s, preset) is None
    sample = query.get(SAMPLE)
    if (sample in SAMPLES and s.get(state.DATA_ORIGIN) != f"sample:{sample}"
            and state.load_sample_into(s, sample) is None):
        s[SAMPLE] = sample
        changed = True
    model = query.get(MODEL)
    if model not in MODELS:
        return changed
    s[MODEL] = model
    ratings = state.current(s)
    if ratings is None:
        return True
    model_config, train_config = suggest_configs(ratings, model)
    seeds = dict(zip((p for p, _ in prefixes(model)), (model_config, train_config)))
    for prefix, cls in prefixes(model):
        seed_form(s, prefix, seeds[prefix])
        for info in describe(cls):
            if info.name in query:
                with contextlib.suppress(TypeError, ValueError):  # misfit: keep the suggestion
                    s[widget_key(prefix, info.name)] = decode(info, query[info.name])
    s.setdefault("form_for", {})[model] = s.get(state.DATASET_ID)
    return True


def apply_preset(s: MutableMapping, name: str) -> str | None:
    """Load a lecture preset: its sample and the lecture's exact settings. Returns an error
    message, or None."""
    preset = PRESETS[name]
    problem = state.load_sample_into(s, preset.sample, scale=preset.scale)
    if problem:
        return problem
    s[SAMPLE] = preset.sample
    s[MODEL] = preset.model_name
    seed_form(s, f"cfg-{preset.model_name}", preset.model_config)
    seed_form(s, f"tc-{preset.model_name}", preset.train_config)
    s.setdefault("form_for", {})[preset.model_name] = s[state.DATASET_ID]
    s[state.PRESET] = name
    return None


def sync(s: Mapping) -> None:
    """Write the set-up into the address bar (only when it changed)."""
    import streamlit as st

    current = st.query_params.to_dict()
    params = merged(current, params_of(s))
    if current != params:
        st.query_params.from_dict(params)


def link(s: Mapping, url: str | None, page: str = "train", current: Mapping | None = None) -> str:
    """A full link to ``page`` with the session's set-up (``url``: ``st.context.url``;
    ``current``: the URL's parameters now, whose other features' parameters are kept)."""
    query = urlencode(merged(current or {}, params_of(s)))
    if not url:
        return f"/{page}?{query}"
    parts = urlsplit(url)
    path = parts.path.rstrip("/")
    head, _sep, last = path.rpartition("/")
    if last in ("data", "train", "results", "compare", "guide", "home"):
        path = head
    return urlunsplit((parts.scheme, parts.netloc, f"{path}/{page}", query, ""))
