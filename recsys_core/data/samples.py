"""The data sets the app ships, in ``data/`` beside the package."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd

from recsys_core.data.loading import load_ratings
from recsys_core.data.ratings import Ratings
from recsys_core.i18n import N_

DATA_DIR = Path(__file__).resolve().parents[2] / "data"  # the repository's data/


@dataclass(frozen=True)
class Sample:
    name: str
    title: str
    file: str
    description: str
    scale: tuple[float, float] | None = None
    licence: str = ""


SAMPLES: dict[str, Sample] = {
    s.name: s
    for s in (
        Sample("solo", N_("Course matrix solo.csv (9 x 8)"), "solo.csv",
               N_("The course matrix (DL2024 11wk-1): how 9 women rated 8 men in a dating show, "
                  "63 ratings, 9 empty cells. Its 보람(ES) row is one field short in the file."),
               scale=(0.0, 5.0)),
        Sample("solo6", N_("Earlier matrix (6 x 6)"), "2022-12-21-rcmdsolo.csv",
               N_("The course's earlier 6 x 6 version of the same idea (DL2022), 24 ratings."),
               scale=(0.0, 5.0)),
        Sample("coffee", N_("Coffee/tea (100 x 20)"), "2022-09-08-rcmd_view.csv",
               N_("100 people rating 10 coffees and 10 teas (DL2022); coffee lovers and tea "
                  "lovers."),
               scale=(0.0, 5.0)),
        Sample("movielens", N_("MovieLens latest-small (610 x 9,724)"),
               "ml-latest-small/ratings.csv",
               N_("100,836 movie ratings, 0.5 to 5 stars, by 610 users (GroupLens, 2018)."),
               scale=(0.5, 5.0),
               licence=("MovieLens latest-small, GroupLens Research, University of Minnesota: "
                        "for research and non-commercial use only; no endorsement implied; "
                        "redistribution only under the same conditions; cite F. Maxwell Harper "
                        "and Joseph A. Konstan, The MovieLens Datasets: History and Context, "
                        "ACM TiiS 5(4), 2015. Full terms: data/ml-latest-small/README.txt.")),
    )
}


def sample_path(name: str) -> Path:
    return DATA_DIR / SAMPLES[name].file


def load_sample(name: str) -> Ratings:
    """Load a bundled sample on its declared scale (MovieLens items named by title)."""
    sample = SAMPLES[name]
    ratings = load_ratings(sample_path(name), rating_range=sample.scale)
    if name == "movielens":
        ratings = _with_movie_titles(ratings)
    return replace(ratings, source=sample.title, file_form=None)  # no file the person has


def load_sample_interactions(name: str, like_threshold: float | None = None):
    """A bundled sample as interactions for the ranking task (MovieLens latest-small with
    every rating's timestamp, movies named by title): every rating, or those of
    ``like_threshold`` or more."""
    from recsys_core.ranking.loading import load_interactions

    sample = SAMPLES[name]
    data = load_interactions(sample_path(name), like_threshold=like_threshold)
    if name == "movielens":
        data.items = _movie_titles(data.items)
    data.source, data.file_form = sample.title, None  # no file the person has
    return data


def _with_movie_titles(ratings: Ratings) -> Ratings:
    return replace(ratings, items=_movie_titles(ratings.items))


def _movie_titles(items: list[str]) -> list[str]:
    """movieId labels -> titles; a title shared by two films keeps its id to stay unique."""
    movies = pd.read_csv(DATA_DIR / "ml-latest-small" / "movies.csv", dtype=str)
    title_of = dict(zip(movies["movieId"], movies["title"]))
    titles = [title_of.get(i, i) for i in items]
    counts = pd.Series(titles).value_counts()
    return [t if counts[t] == 1 else f"{t} #{i}" for t, i in zip(titles, items)]
