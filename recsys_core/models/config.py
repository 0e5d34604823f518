"""Hyperparameters as plain dataclasses, with enough metadata to generate a form from them.

Each field is declared with :func:`param`, which records a label, a one-line help, bounds and
choices. The app builds its widgets from :func:`describe`, so adding a field to a config adds it
to the form; the CLI and the tests just construct the dataclass.
"""

from __future__ import annotations

from dataclasses import MISSING, Field, asdict, dataclass, field, fields
from typing import Any


def param(default: Any, label: str, help: str = "", *, min=None, max=None, step=None,
          choices=None, advanced: bool = False) -> Any:
    """A dataclass field that also says how to present it."""
    meta = {"label": label, "help": help, "min": min, "max": max, "step": step,
            "choices": choices, "advanced": advanced}
    if isinstance(default, (list, dict, tuple)):
        return field(default_factory=lambda: type(default)(default), metadata=meta)
    return field(default=default, metadata=meta)


@dataclass(frozen=True)
class ParamInfo:
    name: str
    default: Any
    type: str
    label: str
    help: str
    min: Any
    max: Any
    step: Any
    choices: Any
    advanced: bool


def describe(config_cls_or_obj) -> list[ParamInfo]:
    """The fields of a config, in declaration order, with their presentation metadata."""
    out = []
    for f in fields(config_cls_or_obj):
        meta = f.metadata or {}
        out.append(ParamInfo(
            name=f.name, default=_default_of(f), type=str(f.type),
            label=meta.get("label", f.name), help=meta.get("help", ""),
            min=meta.get("min"), max=meta.get("max"), step=meta.get("step"),
            choices=meta.get("choices"), advanced=meta.get("advanced", False),
        ))
    return out


def _default_of(f: Field) -> Any:
    if f.default is not MISSING:
        return f.default
    if f.default_factory is not MISSING:  # type: ignore[misc]
        return f.default_factory()  # type: ignore[misc]
    return None


def to_dict(config) -> dict:
    """JSON-friendly dict (tuples become lists)."""
    return {k: (list(v) if isinstance(v, tuple) else v) for k, v in asdict(config).items()}


def from_dict(config_cls, values: dict):
    """Rebuild a config, ignoring unknown keys and restoring tuple fields."""
    known = {f.name: f for f in fields(config_cls)}
    kwargs = {}
    for key, value in values.items():
        if key not in known:
            continue
        if isinstance(_default_of(known[key]), tuple) and isinstance(value, list):
            value = tuple(value)
        kwargs[key] = value
    return config_cls(**kwargs)


__all__ = ["param", "describe", "to_dict", "from_dict", "ParamInfo", "dataclass"]
