"""Shared fixtures: the course matrix and a small structured matrix with a known answer."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from recsys_core.data.ratings import Ratings


@pytest.fixture
def solo():
    """The course's 9 x 8 matrix, loaded from the shipped file on the 0..5 scale."""
    from recsys_core.data.samples import load_sample

    return load_sample("solo")


def two_group_matrix(n_users=12, n_items=10, missing=0.25, seed=0, noise=0.1) -> Ratings:
    """Users of two tastes rating items of two kinds: high for their kind, low otherwise."""
    rng = np.random.default_rng(seed)
    user_group = np.arange(n_users) % 2
    item_group = np.arange(n_items) % 2
    truth = np.where(user_group[:, None] == item_group[None, :], 4.5, 1.0)
    truth = np.clip(truth + rng.normal(0, noise, truth.shape), 0, 5)
    shown = truth.copy()
    hide = rng.random(truth.shape) < missing
    hide[np.arange(n_users), np.arange(n_users) % n_items] = False  # everyone keeps a rating
    shown[hide] = np.nan
    frame = pd.DataFrame(shown, index=[f"u{k}" for k in range(n_users)],
                         columns=[f"i{k}" for k in range(n_items)])
    return Ratings.from_matrix(frame, scale=(0.0, 5.0), truth=truth)


@pytest.fixture
def structured():
    return two_group_matrix()


@pytest.fixture(scope="session")
def generated(tmp_path_factory):
    """Where the large files of the bad-input corpus are written, once per test session."""
    folder = tmp_path_factory.getbasetemp() / "bad_corpus"
    folder.mkdir(exist_ok=True)
    return folder


@pytest.fixture(scope="session")
def spark():
    """The one local Spark session of the whole run (starting one costs seconds): two cores,
    few shuffle partitions, quiet. Skipped where pyspark or Java is missing (``make test``
    installs pyspark from requirements-spark.txt)."""
    pytest.importorskip("pyspark")
    from recsys_core.spark.session import java_command, spark_session

    if java_command() is None:
        pytest.skip("Java is not installed (apt-get install openjdk-17-jre-headless)")
    with spark_session("local[2]", {"spark.sql.shuffle.partitions": "2"}) as session:
        yield session
