"""One paragraph, in plain words, about a trained run: for the analyst who reads no RMSE.

How much data there was, how far off the model is on ratings it never saw compared with always
guessing the average, how sure that is (the spread of the errors), and, when the result is
poor, experiments worth trying (more ratings per user, a smaller model, stronger
regularisation, a smaller learning rate, more epochs), worded as experiments until
:mod:`recsys_core.results.advice` has measured them; then only what helped, with its measured effect.
English or Korean (``lang``): the sentences are written here in English and found in Korean
in the catalogue (:mod:`recsys_core.i18n`).
"""

from __future__ import annotations

import numpy as np

from recsys_core.i18n import N_, _
from recsys_core.results.advice import Idea, Measured

GOOD_GAIN = 0.15
"""The model must be at least this much (15 %) better than the average to be called good."""
FEW_VALIDATION = 30
"""Fewer held-out ratings than this make the accuracy rough, and the paragraph says so."""


def _stars(x: float, lang: str) -> str:
    return _("{x} stars", lang, x=f"{x:.2f}")


def _join(ideas: list[str], lang: str) -> str:
    if len(ideas) <= 1:
        return "".join(ideas)
    return _("{these} or {last}", lang, these=", ".join(ideas[:-1]), last=ideas[-1])


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


def ideas(result, f: dict) -> list[Idea]:
    """Experiments worth trying, most promising first, from what the run shows. Rules of
    thumb, not measurements: :func:`summary` words them as experiments until
    :func:`recsys_core.results.advice.measure` has tried them."""
    cfg, train = result.model_config, result.train_config
    out = []
    if result.status == "diverged":
        return [Idea("lower_lr", {"lr": f"{train.lr:g}", "smaller": f"{train.lr / 10:g}"},
                     train={"lr": train.lr / 10})]
    overfit = (f.get("train_rmse") is not None and f.get("val_rmse")
               and f["train_rmse"] < 0.6 * f["val_rmse"])
    if f["per_user"] < 20:
        out.append(Idea("more_data", {"per_user": f"{f['per_user']:.1f}"}))
    dim = getattr(cfg, "dim", None)
    if overfit and dim and dim > 1:
        out.append(Idea("smaller", {"dim": dim, "smaller": max(1, dim // 2)},
                        model={"dim": max(1, dim // 2)}))
    if overfit or not out:
        wd = train.weight_decay
        stronger = wd * 3 if wd else 0.01
        out.append(Idea("regularise", {"wd": f"{wd:g}", "stronger": f"{stronger:g}"},
                        train={"weight_decay": stronger}))
    history = result.history
    if len(history) >= 10:
        tail = [r.val_rmse if r.val_rmse is not None else r.train_rmse for r in history]
        recent = tail[-max(2, len(tail) // 10):]
        if recent[0] and recent[-1] < 0.99 * recent[0]:
            out.append(Idea("more_epochs", train={"epochs": 2 * len(history)}))
    return out


IDEAS = {  # an Idea's sentence, by its key (recsys_core.results.advice.Idea)
    "more_data": N_("more ratings per user (now {per_user} on average)"),
    "smaller": N_("a smaller model (embedding size {dim} -> {smaller})"),
    "regularise": N_("stronger regularisation (weight decay {wd} -> {stronger})"),
    "lower_lr": N_("a smaller learning rate ({lr} -> {smaller})"),
    "more_epochs": N_("more epochs (the error was still falling)"),
    "more_epochs_n": N_("more epochs ({epochs} -> {more})"),
    "weaker": N_("weaker regularisation (weight decay {wd} -> {weaker})"),
    "bigger": N_("a larger model (embedding size {dim} -> {bigger})"),
}


def idea_text(idea: Idea, lang: str) -> str:
    return _(IDEAS[idea.key], lang, **idea.words)


def measured_text(measured: list[Measured], n_val: int, lang: str) -> str:
    """What the measurements showed: the changes that helped with their effect, best first,
    and those that did not."""
    helped = sorted((m for m in measured if m.helped), key=lambda m: m.after)
    other = [m for m in measured if not m.helped]

    def item(m: Measured) -> str:
        return _("{idea} took the error from {before} to {after}", lang, idea=idea_text(m.idea, lang),
                 before=_stars(m.before, lang), after=_stars(m.after, lang))

    parts = []
    if helped:
        parts.append(_("Measured on the same {n_val} held-out ratings, each retrained from the run's start "
                       "with one change: {changes}.", lang, n_val=f"{n_val:,}",
                       changes=_join([item(m) for m in helped], lang)))
    else:
        parts.append(_("Measured on the same {n_val} held-out ratings, each retrained from the run's start "
                       "with one change: none of the changes helped; these settings are about as good as "
                       "they get.", lang, n_val=f"{n_val:,}"))
    if other:
        parts.append(_("Did not help: {changes}.", lang,
                       changes=", ".join(item(m) for m in other)))
    return " ".join(parts)


def summary(result, lang: str = "en", measured: list[Measured] | None = None) -> str:
    """The paragraph (see the module docstring). With ``measured`` (from
    :func:`recsys_core.results.advice.measure`), what to try next is what measurably helped."""
    if not result.history and result.status != "loaded":  # a model opened from a file
        return _("The model has not finished a single epoch yet, so there is nothing to judge.", lang)
    f = facts(result)
    parts = [_("The model learned from {n_train} of {n_ratings} ratings by {n_users} users of {n_items} "
               "items ({density} of the cells filled, {per_user} ratings per user on average).", lang,
               n_train=f"{f['n_train']:,}", n_ratings=f"{f['n_ratings']:,}", n_users=f"{f['n_users']:,}",
               n_items=f"{f['n_items']:,}", density=f"{f['density']:.0%}", per_user=f"{f['per_user']:.1f}")]
    if result.status == "diverged":
        parts.append(_("Training diverged: the learning rate is probably too large.", lang))
    good = False
    if f["n_val"] and f.get("val_mae") is not None:
        gain = f["gain"]
        better = f"{gain:.0%}"
        verdict = (_("{better} better than the average.", lang, better=better) if gain >= GOOD_GAIN
                   else _("only {better} better than the average.", lang, better=better) if gain > 0
                   else _("no better than the average.", lang))
        good = gain >= GOOD_GAIN and result.status != "diverged"
        parts.append(_("On {n_val} held-out ratings the model was off by {mae} on average; the "
                       "always-average baseline is off by {base_mae}: {verdict}", lang,
                       n_val=f"{f['n_val']:,}", mae=_stars(f["val_mae"], lang),
                       base_mae=_stars(f["baseline_val_mae"], lang),
                       verdict=verdict))
        parts.append(_("Half of those guesses were within {half} of the true rating and nine in ten within "
                       "{ninety}.", lang, half=_stars(f["half"], lang), ninety=_stars(f["ninety"], lang)))
        if f["n_val"] < FEW_VALIDATION:
            parts.append(_("With so few held-out ratings these numbers are rough.", lang))
    elif f.get("train_mae") is not None:
        parts.append(_("No ratings were held out, so its accuracy cannot be measured honestly: on the "
                       "ratings it learned from it is off by {train_mae} on average, which flatters it.",
                       lang, train_mae=_stars(f["train_mae"], lang)))
    if f.get("truth_mae") is not None:
        parts.append(_("Against the hidden truth of the {n_truth} empty cells it was off by {truth_mae} on "
                       "average.", lang, n_truth=f"{f['n_truth']:,}", truth_mae=_stars(f["truth_mae"], lang)))
    if not f["n_val"]:
        parts.append(_("To measure it, set a validation share (e.g. 0.1) on the Train page.", lang))
    elif measured is not None:
        parts.append(measured_text(measured, f["n_val"], lang))
    elif good:
        parts.append(_("That is a useful model; {idea}.", lang,
                       idea=_("compare it with other models on the Compare page", lang)))
    else:
        texts = [idea_text(idea, lang) for idea in ideas(result, f)]
        parts.append(_("Experiments worth trying (not measured yet: \"Measure the ideas\" tries each on "
                       "these held-out ratings): {ideas}.", lang, ideas=_join(texts, lang)))
    return " ".join(parts)
