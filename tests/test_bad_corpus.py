"""The bad-and-odd input corpus through ``recsys_core.load_ratings``: every file under
``tests/data/bad/`` does what ``EXPECTED.csv`` says (loads with exactly these warnings, or is
refused with this error naming the place), and the files that load are usable end to end.

The app's upload handler walks the same table in ``tests/app/test_bad_uploads.py``.
"""

from __future__ import annotations

import csv
import io
import re

import numpy as np
import pytest

from recsys_core.data import errors
from recsys_core.data.loading import load_ratings
from recsys_core.limits import LIMITS
from recsys_core.models import MFConfig
from recsys_core.results import export
from recsys_core.training.coldstart import cold_start_note
from recsys_core.training.trainer import TrainConfig, fit
from tests.corpus import (
    BAD,
    COLD_XSS,
    FORMULA_LABELS,
    XSS_LABELS,
    Case,
    cases,
    load_kwargs,
    materialise,
    small_files,
)

CASES = cases()
MAX_BYTES = LIMITS.max_upload_mb * 2**20
NEGATIVE_NUMBER = re.compile(r"-\d+(\.\d*)?([eE][-+]?\d+)?")  # a cell may start with '-' only as one


def by_name(name: str) -> Case:
    return next(c for c in CASES if c.file == name)


def check_words(text: str, case: Case) -> None:
    for words in case.mention:
        assert words.lower() in text.lower(), f"{case.file}: {words!r} not in {text!r}"
    assert "Traceback" not in text


# ----- the table itself --------------------------------------------------------------------------
def test_the_corpus_has_every_case_and_only_small_files_are_committed():
    assert len(CASES) >= 30
    names = [c.file for c in CASES]
    assert len(names) == len(set(names))
    committed = {p.name for p in BAD.iterdir()} - {"EXPECTED.csv"}
    assert committed == {c.file for c in CASES if not c.generated}
    assert {c.file for c in CASES if c.generated} == {"big_60mb.csv", "matrix_2000x2000.csv"}
    assert all(p.stat().st_size < 100_000 for p in BAD.iterdir())
    for case in CASES:
        assert case.outcome in ("loads", "refused"), case
        if case.outcome == "refused":
            assert issubclass(getattr(errors, case.expect), errors.RatingsError), case
            assert case.mention, f"{case.file}: a refusal must name what and where"


def test_the_committed_files_are_what_the_builder_makes():
    """``python -m tests.corpus`` rebuilds them byte for byte, so each is documented."""
    for name, data in small_files().items():
        assert (BAD / name).read_bytes() == data, name


# ----- every file through the loader -------------------------------------------------------------
@pytest.mark.parametrize("case", CASES, ids=lambda c: c.file)
def test_each_file_does_what_the_table_says(case, generated):
    path = materialise(case, generated)
    kwargs = load_kwargs(case.options)
    if case.outcome == "refused":
        with pytest.raises(errors.RatingsError) as caught:
            load_ratings(path, max_bytes=MAX_BYTES, **kwargs)
        error = caught.value
        assert type(error).__name__ == case.expect, f"{case.file}: {error!r}"
        assert error.where and error.todo, f"{case.file}: says what, where and what to do"
        check_words(error.message, case)
    else:
        ratings = load_ratings(path, max_bytes=MAX_BYTES, **kwargs)
        assert {w.code for w in ratings.warnings} == case.expect, \
            f"{case.file}: {[w.message for w in ratings.warnings]}"
        assert ratings.n_ratings > 0
        check_words(" ".join(w.message for w in ratings.warnings), case)


# ----- what the files that load hold -------------------------------------------------------------
def test_korean_in_every_encoding_reads_the_same():
    expected = load_ratings(BAD / "utf8_bom.csv")
    assert expected.users == ["옥순", "영자", "정숙", "영숙"]
    assert expected.items == ["영식", "영철", "영호", "광수"]  # no byte-order mark left in a label
    for name, options in (("korean_cp949.csv", {}), ("korean_euc_kr.csv", {}),
                          ("utf16_bom_tab.txt", {}), ("utf16_no_bom_chosen.csv",
                                                      {"encoding": "utf-16-le"})):
        ratings = load_ratings(BAD / name, **options)
        assert (ratings.users, ratings.items) == (expected.users, expected.items), name
        assert np.array_equal(ratings.values, expected.values), name


def test_hostile_labels_are_kept_exactly_as_text():
    ratings = load_ratings(BAD / "xss_markdown_labels.csv")
    assert ratings.items == XSS_LABELS[:4] and ratings.users == [*XSS_LABELS[3:], COLD_XSS]


def test_line_breaks_in_labels_become_spaces():
    ratings = load_ratings(BAD / "newline_labels.csv")
    assert ratings.users == ["ann smith", "bob"] and ratings.items == ["tea pot", "cake"]


def test_labels_differing_only_by_line_breaks_are_refused():
    text = 'user,item,rating\n"ann\nsmith",tea,4\nann smith,cake,3\n'
    with pytest.raises(errors.DuplicateLabelError, match=r"'ann\\nsmith' and 'ann smith'"):
        load_ratings(text.encode(), "two.csv")


def test_500_character_labels_are_kept_whole():
    ratings = load_ratings(BAD / "long_labels_500.csv")
    assert max(map(len, ratings.users)) == 500 and max(map(len, ratings.items)) == 500


def test_formula_labels_load_as_text_and_exports_neutralise_them():
    ratings = load_ratings(BAD / "formula_labels.csv")
    assert ratings.users == FORMULA_LABELS and ratings.items == FORMULA_LABELS[:3]
    result = fit(ratings, "mf", MFConfig(dim=2), TrainConfig(epochs=3, val_frac=0.0))
    table = list(csv.reader(io.StringIO(export.completed_csv(result).decode("utf-8-sig"))))
    labels = table[0][1:] + [row[0] for row in table[1:]]
    assert labels and all(label.startswith("'") for label in labels), labels
    for name, data in (("predictions", export.predictions_csv(result)),
                       ("top-N", export.top_n_csv(result, 2))):
        rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))[1:]
        cells = [cell for row in rows for cell in row[:2]]
        risky = [c for c in cells if c[:1] in "=+@" or (c[:1] == "-" and not NEGATIVE_NUMBER.fullmatch(c))]
        assert not risky, name
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(export.workbook_xlsx(result, 2)))
    for sheet in book.worksheets:
        for row in sheet.iter_rows(values_only=True):
            for value in row:
                assert not (isinstance(value, str) and value[:1] in "=+-@"), (sheet.title, value)


def test_cold_start_is_predicted_from_biases_and_said_in_words():
    ratings = load_ratings(BAD / "cold_start.csv")
    result = fit(ratings, "mf", MFConfig(dim=3), TrainConfig(epochs=60, val_frac=0.0, seed=1))
    u, i = ratings.users.index("하니"), ratings.items.index("광수")
    model = result.model
    for table, row in ((model.user_factors, u), (model.user_bias, u),
                       (model.item_factors, i), (model.item_bias, i)):
        assert float(table.weight[row].detach().abs().sum()) == 0.0  # nothing learned, nothing random
    # 하니's predictions are the average plus each item's bias: they follow the items' bias
    item_bias = model.item_bias.weight[:, 0].detach().numpy()
    order = np.argsort(item_bias)
    assert np.all(np.diff(result.predicted[u][order]) >= -1e-9)
    note = cold_start_note(result)
    assert "'하니'" in note and "'광수'" in note and "bias" in note
    assert cold_start_note(fit(load_ratings(BAD / "utf8_bom.csv"), "mf",
                               train=TrainConfig(epochs=2))) is None


def test_the_2000_by_2000_matrix_loads(generated):
    ratings = load_ratings(materialise(by_name("matrix_2000x2000.csv"), generated),
                           max_bytes=MAX_BYTES)
    assert (ratings.n_users, ratings.n_items) == (2000, 2000)
    assert 1_900_000 < ratings.n_ratings < 2_100_000
