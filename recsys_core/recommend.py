"""A newcomer's top-N from any folder ``python -m recsys_core fit --out DIR`` wrote: the one
function a library user and the command line's ``recommend`` both call with a folder::

    recommend_from_folder("out/", {"Heat (1995)": 4.5, "Fargo (1996)": 5}, n=10)
    # {"items": [{"item": ..., "score": ...}, ...], "seconds": ...}: unrated items, best first

A folder holds one of four kinds of run, told apart by its ``config.json`` alone (cheap: no
model is read to know the kind): ratings or interactions (``"task": "ranking"``), trained by
torch (``model.pt``) or by Spark (``"engine": "spark"``: ``als_model/``, ``ids/``). Each kind
folds the newcomer in by its own rule, the same one the app and the library use:
:func:`recsys_core.training.foldin.fold_in` (torch, ratings),
:func:`recsys_core.ranking.foldin.fold_in_liked` (torch, interactions) and
:func:`recsys_core.spark.foldin.fold_in_als` (Spark, both). The values are ratings on the
run's scale for a ratings run and 1 (liked) for an interactions run.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from recsys_core.i18n import L_
from recsys_core.training.foldin import load_run


@dataclass(frozen=True)
class FolderRun:
    """What ``fit --out`` wrote in ``path``, as its config.json says (empty when there is
    none: an older torch ratings run, or not a run at all, which reading the model says)."""

    path: Path
    config: dict = field(default_factory=dict, repr=False)

    @property
    def folder(self) -> Path:
        return self.path if self.path.is_dir() else self.path.parent

    @property
    def engine(self) -> str:
        return "spark" if self.config.get("engine") == "spark" else "torch"

    @property
    def interactions(self) -> bool:
        """An interactions run (``fit --task ranking``): the newcomer gives 1 for an item."""
        return self.config.get("task") == "ranking"

    def describe(self):
        """The kind in words, for messages (a :class:`~recsys_core.i18n.Msg`)."""
        if self.engine == "spark":
            return (L_("a Spark ALS interactions run (fit --task ranking --engine spark)")
                    if self.interactions else L_("a Spark ALS ratings run (fit --engine spark)"))
        return (L_("an interactions run (fit --task ranking)") if self.interactions
                else L_("a ratings run"))


def folder_run(path) -> FolderRun:
    """The kind of run in ``path`` (a folder ``fit --out`` wrote, or its model.pt), from its
    config.json; an unreadable one counts as none."""
    run = FolderRun(Path(path))
    try:
        config = json.loads((run.folder / "config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return run
    return FolderRun(run.path, config if isinstance(config, dict) else {})


def rate_example(run: FolderRun) -> str:
    """An ``ITEM=VALUE`` the run takes, for a message's example: ``ITEM=1`` on an interactions
    run, the top of the scale on a ratings run (``ITEM=4`` when the scale cannot be read)."""
    if run.interactions:
        return "ITEM=1"
    scale = run.config.get("scale")
    if scale is None and run.engine == "torch":
        try:
            scale = load_run(run.path).scale
        except (ValueError, OSError):  # no run: said by the command's own error, not here
            scale = None
    return f"ITEM={float(scale[1]):g}" if scale else "ITEM=4"


def recommend_from_folder(path, rated, n: int | None = 10) -> dict:
    """``{"items": [{"item", "score"}, ...], "seconds"}``: the items a newcomer who gave
    ``rated`` (``{label: value}`` or ``(label, value)`` pairs) has not rated, best first (the
    ``n`` best, or every one with None), on the run in ``path`` whatever its kind; ``seconds``
    is the fold-in's own time. Raises :class:`~recsys_core.training.foldin.FoldInError` for a
    folder without a run or values it cannot use."""
    run = folder_run(path)
    pairs = list(rated.items()) if isinstance(rated, dict) else list(rated)
    if run.engine == "spark":
        from recsys_core.spark.foldin import recommend

        return recommend(run.folder, pairs, n, run.config)
    if run.interactions:
        from recsys_core.ranking.foldin import recommend_ranking_run

        return recommend_ranking_run(run.path, pairs, n)
    from recsys_core.training.foldin import fold_in

    visitor = fold_in(load_run(run.path), pairs)
    return {"items": visitor.items_json(n), "seconds": round(visitor.seconds, 6)}
