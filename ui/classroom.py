"""Classroom mode: a teacher hides chosen controls and hands out a link that opens the app so.

The link carries the hidden controls as one URL parameter, ``hide=lr,seed,model``. This
module only knows which names exist and turns a list into that text and back (plain Python,
no streamlit: tested without a page); ``ui/classroom_view.py`` decides how to hide each
control. A name that is not a control is refused with a message (a typo in a link should be
seen, not silently ignored), while the known names in the same link still take effect. It
sits with the app, not in ``recsys_core``, because only the app has controls to hide.

The names are the fixed app controls in :data:`APP_CONTROLS` plus every hyperparameter of
every model and of training (``lr``, ``seed``, ``dim``, ``hidden`` ...), read from the config
dataclasses, so a new hyperparameter can be hidden without touching this file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from recsys_core.i18n import L_, N_
from recsys_core.models import MODELS
from recsys_core.models.config import describe
from recsys_core.training.trainer import TrainConfig

HIDE_PARAM = "hide"
"""The URL parameter: ``?hide=lr,seed,model``."""
APP_CONTROLS = {
    "model": N_("the model picker"),
    "preset": N_("the lecture presets"),
    "sample": N_("the sample data picker"),
    "upload": N_("uploading a file"),
    "editor": N_("editing the matrix"),
    "generator": N_("the synthetic data generator"),
    "advanced": N_("the advanced settings"),
    "play": N_("the speed of live training"),
    "step": N_("stepping one epoch"),
    "reset": N_("resetting to the starting weights"),
    "tuning": N_("the settings search"),
    "code": N_("the exported code"),
    "download": N_("the downloads"),
    "language": N_("the language switch"),
}
"""Controls of the app that are not hyperparameters, with what each one is."""
MAX_NAMES = 100
"""More names than controls exist cannot be meant; longer lists are refused."""
_NAME = re.compile(r"^[a-z][a-z0-9_]{0,39}$")


def hyperparameters() -> dict[str, str]:
    """Every hyperparameter name of every model and of training, with its label."""
    out: dict[str, str] = {}
    for cls in [TrainConfig, *(spec.config_cls for spec in MODELS.values())]:
        for info in describe(cls):
            out.setdefault(info.name, info.label)
    return out


def controls() -> dict[str, str]:
    """All names that can be hidden, in a fixed order (app controls first), with labels."""
    return {**APP_CONTROLS, **hyperparameters()}


@dataclass(frozen=True)
class Hidden:
    """What a ``hide=`` value asked for: the known ``names`` (in :func:`controls` order),
    the ``unknown`` ones, and a ``message`` about them ("" when all were known)."""

    names: tuple[str, ...]
    unknown: tuple[str, ...] = ()
    message: str = ""

    def __contains__(self, name: str) -> bool:
        return name in self.names


def decode_hidden(value: str | list[str] | None) -> Hidden:
    """Read ``hide=`` (commas, spaces or semicolons between names; any case).

    Unknown names are refused with a message naming them (only names that look like names
    are echoed, so a crafted link cannot put arbitrary text on the page)."""
    raw = value if isinstance(value, list) else [value or ""]
    parts = [p.strip().lower() for text in raw for p in re.split(r"[,;\s]+", str(text))]
    parts = [p for p in parts if p]
    if len(parts) > MAX_NAMES:
        return Hidden((), (), L_("The link asks to hide {n} controls; at most {most} names "
                                 "are read, so none were hidden.", n=len(parts),
                                 most=MAX_NAMES))
    known = controls()
    unknown = tuple(dict.fromkeys(p for p in parts if p not in known))
    names = tuple(name for name in known if name in parts)
    return Hidden(names, unknown, _unknown_message(unknown) if unknown else "")


def encode_hidden(names) -> str:
    """The ``hide=`` value for these names: known names only, in a fixed order, so the same
    choice always gives the same link. Unknown names raise ValueError with a message."""
    names = [str(n).strip().lower() for n in names]
    unknown = [n for n in names if n not in controls()]
    if unknown:
        raise ValueError(_unknown_message(tuple(dict.fromkeys(unknown))))
    return ",".join(name for name in controls() if name in names)


def hidden_params(names) -> dict[str, str]:
    """URL parameters to add to a shared link: ``{"hide": "lr,seed"}``, or {} for none."""
    value = encode_hidden(names)
    return {HIDE_PARAM: value} if value else {}


def _unknown_message(unknown: tuple[str, ...]) -> str:
    shown = [f"'{n}'" if _NAME.match(n) else "a name with other characters" for n in unknown[:5]]
    more = f" and {len(unknown) - 5} more" if len(unknown) > 5 else ""
    listed = ", ".join(dict.fromkeys(shown)) + more
    # English only: the app says this in its own words (ui/classroom_view.py)
    return f"Not a control that can be hidden: {listed}. Known names: {', '.join(controls())}."


__all__ = ["HIDE_PARAM", "APP_CONTROLS", "MAX_NAMES", "Hidden", "controls", "hyperparameters",
           "decode_hidden", "encode_hidden", "hidden_params"]
