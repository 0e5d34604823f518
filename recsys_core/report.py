"""One paragraph, in plain words, about a trained run: for the analyst who reads no RMSE.

How much data there was, how far off the model is on ratings it never saw compared with always
guessing the average, how sure that is (the spread of the errors), and, when the result is
poor, what to try next: more ratings per user, a smaller model, stronger regularisation, a
smaller learning rate, more epochs. English or Korean (``lang``); the sentences live in
:mod:`recsys_core.i18n`.
"""

from __future__ import annotations

import numpy as np

from .i18n import tr

GOOD_GAIN = 0.15
"""The model must be at least this much (15 %) better than the average to be called good."""
FEW_VALIDATION = 30
"""Fewer held-out ratings than this make the accuracy rough, and the paragraph says so."""


def _stars(x: float, lang: str) -> str:
    return tr("report.stars", lang, x=f"{x:.2f}")


def _join(ideas: list[str], lang: str) -> str:
    if len(ideas) <= 1:
        return "".join(ideas)
    return tr("report.joiner", lang).join(ideas[:-1]) + tr("report.or", lang) + ideas[-1]


def facts(result) -> dict:
    """The numbers the paragraph is made of (also handy for tests)."""
    r = result.ratings
    m = result.metrics()
    out = {"n_ratings": r.n_ratings, "n_users": r.n_users, "n_items": r.n_items,
           "n_train": m["n_train"], "n_val": m["n_val"], "density": r.density,
           "per_user": r.n_ratings / max(1, r.n_users), **m}
    if m["n_val"]:
        pred = result.observed_predictions()[result.is_val]
        errors = np.abs(pred - r.values[result.is_val])
        out["half"] = float(np.quantile(errors, 0.5))
        out["ninety"] = float(np.quantile(errors, 0.9))
        base = m["baseline_val_mae"]
        out["gain"] = 1 - m["val_mae"] / base if base else 0.0
    return out


def ideas(result, f: dict, lang: str) -> list[str]:
    """What to try next, most promising first, from what the run shows."""
    cfg, train = result.model_config, result.train_config
    out = []
    if result.status == "diverged":
        out.append(tr("report.idea.lower_lr", lang, lr=f"{train.lr:g}",
                      smaller=f"{train.lr / 10:g}"))
        return out
    overfit = (f.get("train_rmse") is not None and f.get("val_rmse")
               and f["train_rmse"] < 0.6 * f["val_rmse"])
    if f["per_user"] < 20:
        out.append(tr("report.idea.more_data", lang, per_user=f"{f['per_user']:.1f}"))
    dim = getattr(cfg, "dim", None)
    if overfit and dim and dim > 1:
        out.append(tr("report.idea.smaller", lang, dim=dim, smaller=max(1, dim // 2)))
    if overfit or not out:
        wd = train.weight_decay
        out.append(tr("report.idea.regularise", lang, wd=f"{wd:g}",
                      stronger=f"{(wd * 3 if wd else 0.01):g}"))
    history = result.history
    if len(history) >= 10:
        tail = [r.val_rmse if r.val_rmse is not None else r.train_rmse for r in history]
        recent = tail[-max(2, len(tail) // 10):]
        if recent[0] and recent[-1] < 0.99 * recent[0]:
            out.append(tr("report.idea.more_epochs", lang))
    return out


def summary(result, lang: str = "en") -> str:
    """The paragraph (see the module docstring)."""
    if not result.history and result.status != "loaded":  # a model opened from a file
        return tr("report.untrained", lang)
    f = facts(result)
    parts = [tr("report.data", lang, n_train=f"{f['n_train']:,}", n_ratings=f"{f['n_ratings']:,}",
                n_users=f"{f['n_users']:,}", n_items=f"{f['n_items']:,}",
                density=f"{f['density']:.0%}", per_user=f"{f['per_user']:.1f}")]
    if result.status == "diverged":
        parts.append(tr("report.diverged", lang))
    good = False
    if f["n_val"] and f.get("val_mae") is not None:
        gain = f["gain"]
        verdict = ("report.verdict.good" if gain >= GOOD_GAIN else
                   "report.verdict.slight" if gain > 0 else "report.verdict.worse")
        good = gain >= GOOD_GAIN and result.status != "diverged"
        parts.append(tr("report.accuracy", lang, n_val=f"{f['n_val']:,}",
                        mae=_stars(f["val_mae"], lang),
                        base_mae=_stars(f["baseline_val_mae"], lang),
                        verdict=tr(verdict, lang, better=f"{gain:.0%}")))
        parts.append(tr("report.spread", lang, half=_stars(f["half"], lang),
                        ninety=_stars(f["ninety"], lang)))
        if f["n_val"] < FEW_VALIDATION:
            parts.append(tr("report.few_val", lang))
    elif f.get("train_mae") is not None:
        parts.append(tr("report.no_val", lang, train_mae=_stars(f["train_mae"], lang)))
    if f.get("truth_mae") is not None:
        parts.append(tr("report.truth", lang, n_truth=f"{f['n_truth']:,}",
                        truth_mae=_stars(f["truth_mae"], lang)))
    if not f["n_val"]:
        parts.append(tr("report.measure", lang))
    elif good:
        parts.append(tr("report.try_ok", lang, idea=tr("report.idea.compare", lang)))
    else:
        parts.append(tr("report.try", lang, ideas=_join(ideas(result, f, lang), lang)))
    return " ".join(parts)
