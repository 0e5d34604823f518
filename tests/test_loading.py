"""Loading rating files: the real course files, MovieLens shapes, encodings, separators, Excel,
and every way a file can be wrong (each error must say where, each warning must say what)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from recsys_core.data.errors import (
    DuplicateLabelError,
    DuplicatePairError,
    EmptyFileError,
    FileFormatError,
    NonNumericRatingError,
    OutOfRangeError,
    RatingsError,
    TooLargeError,
)
from recsys_core.data.loading import Sniffed, load_ratings, sniff
from tests.corpus import xlsx_bytes

DATA = Path(__file__).parent / "data"
SOLO = DATA / "solo.csv"
SOLO_OLD = DATA / "2022-12-21-rcmdsolo.csv"
VIEW = DATA / "2022-09-08-rcmd_view.csv"
ANAL = DATA / "2022-09-08-rcmd_anal.csv"
REAL_MOVIELENS = Path(__file__).resolve().parents[2] / "shared/data/ml-latest-small/ratings.csv"

SOLO_USERS = ["옥순(IN)", "영자(IN)", "정숙(IS)", "영숙(IS)", "순자(EN)", "현숙(EN)", "서연(ES)",
              "보람(ES)", "하니(I)"]
SOLO_ITEMS = ["영식(IN)", "영철(IN)", "영호(IS)", "광수(IS)", "상철(EN)", "영수(EN)", "규빈(ES)",
              "다호(ES)"]


def codes(ratings) -> list[str]:
    return [w.code for w in ratings.warnings]


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def movielens_text(n_users=610, n_items=9724, n_ratings=100_836, seed=0) -> str:
    """A file shaped like MovieLens latest-small: header, half-star ratings, CRLF lines."""
    rng = np.random.default_rng(seed)
    cells = rng.choice(n_users * n_items, size=n_ratings, replace=False)
    users, items = np.divmod(np.sort(cells), n_items)
    ratings = rng.integers(1, 11, n_ratings) / 2
    stamps = rng.integers(828_124_615, 1_537_799_250, n_ratings)
    body = pd.DataFrame({"userId": users + 1, "movieId": items * 3 + 1, "rating": ratings,
                         "timestamp": stamps})
    return body.to_csv(index=False, lineterminator="\r\n")


@pytest.fixture(scope="module")
def movielens_path(tmp_path_factory) -> Path:
    """The real MovieLens latest-small ratings when they are at hand, else a generated twin."""
    if REAL_MOVIELENS.is_file():
        return REAL_MOVIELENS
    path = tmp_path_factory.mktemp("ml") / "ratings.csv"
    path.write_text(movielens_text(), newline="")
    return path


# ----- the course's files ----------------------------------------------------------------------
def test_solo_loads_as_the_course_matrix():
    ratings = load_ratings(SOLO)
    assert (ratings.n_users, ratings.n_items, ratings.n_ratings) == (9, 8, 63)
    assert ratings.users == SOLO_USERS
    assert ratings.items == SOLO_ITEMS
    assert ratings.scale == (0.32, 4.98)
    matrix = ratings.to_matrix()
    assert matrix.loc["옥순(IN)", "영철(IN)"] == 4.02  # written " 4.02"
    assert matrix.loc["보람(ES)", "영수(EN)"] == 4.0  # written "4.  "
    assert matrix.loc["서연(ES)", "상철(EN)"] == 3.5  # written "3.5 "
    assert np.isnan(matrix.loc["옥순(IN)", "영식(IN)"])
    assert int(matrix.isna().sum().sum()) == 9
    assert ratings.source == "solo.csv"


def test_solo_ragged_row_is_padded_and_reported():
    ratings = load_ratings(SOLO)
    assert codes(ratings) == ["ragged_row"]
    message = ratings.warnings[0].message
    for part in ("보람(ES)", "line 9", "7 rating field", "8 items", "다호(ES)"):
        assert part in message
    assert np.isnan(ratings.to_matrix().loc["보람(ES)", "다호(ES)"])


def test_older_solo_file():
    ratings = load_ratings(SOLO_OLD)
    assert (ratings.n_users, ratings.n_items, ratings.n_ratings) == (6, 6, 24)
    assert ratings.users == ["옥순", "영자", "정숙", "영숙", "순자", "현숙"]
    assert ratings.to_matrix().loc["정숙", "영철"] == 4.9
    assert ratings.scale == (0.2, 4.9)
    assert ratings.warnings == []


def test_wide_file_without_user_column_numbers_users():
    ratings = load_ratings(VIEW)
    assert (ratings.n_users, ratings.n_items, ratings.n_ratings) == (100, 20, 1000)
    assert ratings.users == [str(k) for k in range(1, 101)]
    assert ratings.items[:2] == ["커피1", "커피2"] and ratings.items[-1] == "홍차10"
    assert codes(ratings) == ["no_user_labels"]
    assert "1..100" in ratings.warnings[0].message
    assert ratings.to_matrix().loc["1", "커피1"] == 4.149208812750556


def test_long_file_gives_the_same_ratings_as_its_wide_twin():
    long = load_ratings(ANAL)
    wide = load_ratings(VIEW)
    assert (long.n_users, long.n_items, long.n_ratings) == (100, 20, 1000)
    assert long.users[:3] == ["1", "2", "3"]
    assert long.items[:3] == ["15", "1", "11"]  # order of first appearance, text as written
    as_wide = long.to_matrix().rename(columns=lambda i: wide.items[int(i) - 1])
    as_wide = as_wide[wide.items]
    np.testing.assert_array_equal(as_wide.to_numpy(), wide.to_matrix().to_numpy())


# ----- MovieLens shapes ------------------------------------------------------------------------
def test_movielens_csv_with_header_and_crlf(tmp_path):
    path = write(tmp_path, "ratings.csv", "userId,movieId,rating,timestamp\r\n1,1,4.0,964982703\r\n"
                 "1,3,4.0,964981247\r\n1,318,5.0,964982224\r\n2,318,3.0,1445714835\r\n"
                 "2,333,4.0,1445715029\r\n")
    ratings = load_ratings(path)
    assert ratings.users == ["1", "2"]
    assert ratings.items == ["1", "3", "318", "333"]
    assert ratings.to_long()["rating"].tolist() == [4.0, 4.0, 5.0, 3.0, 4.0]
    assert ratings.warnings == []
    found = sniff(path)
    assert (found.format, found.sep, found.has_header, found.long_columns) == \
        ("long", ",", True, (0, 1, 2))


def test_movielens_u_data_tab_separated_without_header(tmp_path):
    rows = ["196\t242\t3\t881250949", "186\t302\t3\t891717742", "22\t377\t1\t878887116",
            "196\t51\t2\t880606923", "186\t346\t1\t886397596", "22\t474\t4\t884182806"]
    path = write(tmp_path, "u.data", "\n".join(rows) + "\n")
    found = sniff(path)
    assert (found.format, found.sep, found.has_header) == ("long", "\t", False)
    ratings = load_ratings(path)
    assert ratings.users == ["196", "186", "22"]
    assert ratings.items[:3] == ["242", "302", "377"]
    assert ratings.n_ratings == 6 and ratings.scale == (1.0, 4.0)


def test_movielens_1m_double_colon(tmp_path):
    text = "1::1193::5::978300760\n1::661::3::978302109\n2::1193::4::978298413\n2::3105::5::9\n"
    ratings = load_ratings(write(tmp_path, "ratings.dat", text))
    assert sniff(write(tmp_path, "r.dat", text)).sep == "::"
    assert ratings.users == ["1", "2"] and ratings.items == ["1193", "661", "3105"]
    assert ratings.to_matrix().loc["2", "1193"] == 4.0


def test_movielens_sized_file_loads_exactly(movielens_path):
    """Speed is measured in bench/, not here (timed unit tests flake on shared machines)."""
    with open(movielens_path, newline="") as f:
        rows = list(csv.reader(f))[1:]
    ratings = load_ratings(movielens_path)
    assert ratings.n_ratings == len(rows)
    assert ratings.n_users == len({r[0] for r in rows})
    assert ratings.n_items == len({r[1] for r in rows})
    assert ratings.users[0] == rows[0][0] and ratings.items[0] == rows[0][1]
    assert ratings.scale == (0.5, 5.0)


def test_generated_movielens_twin_loads_exactly():
    """The stand-in used when the real file is absent must itself be a faithful long file."""
    text = movielens_text(n_users=30, n_items=50, n_ratings=400, seed=3)
    ratings = load_ratings(text.encode(), "ratings.csv")
    rows = [line.split(",") for line in text.split("\r\n")[1:-1]]
    assert ratings.n_ratings == 400 == len(rows)
    assert ratings.users == list(dict.fromkeys(r[0] for r in rows))
    assert ratings.items == list(dict.fromkeys(r[1] for r in rows))
    assert ratings.to_long()["rating"].tolist() == [float(r[2]) for r in rows]


# ----- separators, format, header --------------------------------------------------------------
@pytest.mark.parametrize("sep", [",", ";", "\t", "|"])
def test_separators_are_detected_for_wide_and_long(tmp_path, sep):
    wide = sep.join(["", "a", "b"]) + "\n" + sep.join(["u1", "1", ""]) + "\n" + \
        sep.join(["u2", "2.5", "3"]) + "\n"
    found = sniff(write(tmp_path, "w.txt", wide))
    assert (found.sep, found.format, found.has_header) == (sep, "wide", True)
    ratings = load_ratings(write(tmp_path, "w.txt", wide))
    assert ratings.items == ["a", "b"] and ratings.n_ratings == 3
    long = "\n".join(sep.join(r) for r in [["user", "item", "rating"], ["u1", "a", "1"],
                                          ["u1", "b", "2"], ["u2", "a", "3"]])
    ratings = load_ratings(write(tmp_path, "l.txt", long))
    assert sniff(write(tmp_path, "l.txt", long)).sep == sep
    assert ratings.to_long().values.tolist() == [["u1", "a", 1.0], ["u1", "b", 2.0],
                                                 ["u2", "a", 3.0]]


def test_whitespace_separated_file(tmp_path):
    path = write(tmp_path, "u.txt", "1  10  4\n1  20  5\n2  10  3\n")
    assert sniff(path).sep == " "
    assert load_ratings(path).to_long().values.tolist() == [["1", "10", 4.0], ["1", "20", 5.0],
                                                            ["2", "10", 3.0]]


def test_separator_override(tmp_path):
    path = write(tmp_path, "x.csv", "user;item;rating\nu1;a,b;4\nu2;c;5\n")
    ratings = load_ratings(path, sep=";")
    assert ratings.items == ["a,b", "c"]
    with pytest.raises(ValueError, match="sep"):
        load_ratings(path, sep=":")


def test_quoted_cells_keep_their_separator(tmp_path):
    path = write(tmp_path, "q.csv", 'user,item,rating\nu1,"Toy Story, 1995",4\nu1,"Heat",3\n')
    assert load_ratings(path).items == ["Toy Story, 1995", "Heat"]


def test_headerless_integer_matrix_stays_wide(tmp_path):
    rng = np.random.default_rng(1)
    grid = rng.integers(1, 6, (40, 5))
    path = write(tmp_path, "m.csv", "\n".join(",".join(map(str, r)) for r in grid) + "\n")
    found = sniff(path)
    assert (found.format, found.has_header) == ("wide", False)
    ratings = load_ratings(path)
    assert (ratings.n_users, ratings.n_items) == (40, 5)
    assert ratings.users[:2] == ["1", "2"] and ratings.items == ["1", "2", "3", "4", "5"]
    assert set(codes(ratings)) == {"no_user_labels", "no_item_labels"}
    np.testing.assert_array_equal(ratings.to_matrix().to_numpy(), grid)


def test_headerless_long_file_is_long(tmp_path):
    path = write(tmp_path, "l.csv", "7,100,4\n7,200,3.5\n8,100,2\n8,300,5\n")
    assert sniff(path).format == "long"
    assert load_ratings(path).users == ["7", "8"]


def test_format_override_and_columns(tmp_path):
    path = write(tmp_path, "l.csv", "when,who,what,stars\n1,u1,a,4\n2,u1,b,5\n3,u2,a,2\n")
    by_name = load_ratings(path, columns=("who", "what", "stars"))
    by_position = load_ratings(path, columns=(1, 2, 3), format="long")
    assert by_name.to_long().equals(by_position.to_long())
    assert by_name.users == ["u1", "u2"] and by_name.items == ["a", "b"]
    with pytest.raises(FileFormatError, match="who, what|'who'"):
        load_ratings(path, columns=("user", "what", "stars"))
    with pytest.raises(FileFormatError, match="column number 9"):
        load_ratings(path, columns=(9, 2, 3))


def test_long_header_naming_two_roles_is_long(tmp_path):
    path = write(tmp_path, "l.csv", "사용자,영화 제목,평점\n민지,기생충,5\n민지,괴물,4\n철수,기생충,3\n")
    ratings = load_ratings(path)
    assert ratings.users == ["민지", "철수"] and ratings.items == ["기생충", "괴물"]


def test_wide_file_forced_long_and_long_forced_wide(tmp_path):
    with pytest.raises(DuplicateLabelError, match="long table"):
        load_ratings(ANAL, format="wide")
    path = write(tmp_path, "w.csv", ",a,b,c\nu1,1,2,3\nu2,3,4,1\n")
    as_long = load_ratings(path, format="long")  # the user asked: read it row by row
    assert as_long.to_long().values.tolist() == [["u1", "1", 2.0], ["u2", "3", 4.0]]


def test_user_column_named_in_header_of_wide_file(tmp_path):
    ratings = load_ratings(write(tmp_path, "w.csv", "userId,i1,i2\n1,4,\n2,3,5\n"))
    assert ratings.users == ["1", "2"] and ratings.items == ["i1", "i2"]


def test_numeric_header_needs_the_header_override(tmp_path):
    path = write(tmp_path, "ids.csv", "101,102,103\n4.5,,3\n2,5,\n")
    assert sniff(path).has_header is False  # numbers over numbers: read as data
    assert load_ratings(path).n_users == 3
    ratings = load_ratings(path, header=True)
    assert ratings.items == ["101", "102", "103"] and ratings.users == ["1", "2"]
    assert ratings.n_ratings == 4


def test_header_missing_label_column_name(tmp_path):
    ratings = load_ratings(write(tmp_path, "r.csv", "a,b\nu1,1,2\nu2,3,4\n"))
    assert ratings.users == ["u1", "u2"] and ratings.items == ["a", "b"]
    assert "header_short" in codes(ratings)


def test_trailing_separators_and_empty_columns_are_ignored(tmp_path):
    path = write(tmp_path, "t.csv", ",a,b,,\nu1,1,2,,\nu2,3,,,\n,,,,\n\n")
    ratings = load_ratings(path)
    assert ratings.items == ["a", "b"] and ratings.users == ["u1", "u2"]
    assert ratings.n_ratings == 3 and ratings.warnings == []


def test_row_with_more_fields_than_header_is_refused(tmp_path):
    path = write(tmp_path, "x.csv", ",a,b\nu1,1,2\nu2,3,4,5\n")
    with pytest.raises(FileFormatError) as caught:
        load_ratings(path)
    assert "line 3" in str(caught.value) and "4 fields" in str(caught.value)


# ----- labels ----------------------------------------------------------------------------------
def test_labels_keep_their_text(tmp_path):
    path = write(tmp_path, "l.csv", "user,item,rating\n 007 ,1,4\n007,1.0,3\n1e3, 318 ,5\n")
    ratings = load_ratings(path)
    assert ratings.users == ["007", "1e3"]
    assert ratings.items == ["1", "1.0", "318"]
    assert ratings.warnings == []


def test_numeric_user_labels_in_wide_file(tmp_path):
    ratings = load_ratings(write(tmp_path, "w.csv", ",10,20\n1,4,5\n2,,3\n"))
    assert ratings.users == ["1", "2"] and ratings.items == ["10", "20"]


# ----- encodings -------------------------------------------------------------------------------
KOREAN_WIDE = ",영식,영철\r\n옥순,3.9,4.1\r\n영자,4.5,\r\n"


ENCODINGS = [("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("cp949", "cp949"),
             ("euc-kr", "cp949"), ("utf-16", "utf-16")]


@pytest.mark.parametrize("encoding, expected", ENCODINGS)
def test_encodings(tmp_path, encoding, expected):
    path = write(tmp_path, "k.csv", KOREAN_WIDE, encoding)
    ratings = load_ratings(path)
    assert ratings.users == ["옥순", "영자"] and ratings.items == ["영식", "영철"]
    assert ratings.to_matrix().loc["영자", "영식"] == 4.5 and ratings.n_ratings == 3
    assert sniff(path).encoding == expected


@pytest.mark.parametrize("encoding, expected", ENCODINGS)
def test_solo_in_every_encoding_with_crlf(tmp_path, encoding, expected):
    text = SOLO.read_text(encoding="utf-8").replace("\n", "\r\n")
    ratings = load_ratings(write(tmp_path, "solo.csv", text, encoding))
    assert ratings.users == SOLO_USERS and ratings.items == SOLO_ITEMS
    assert ratings.n_ratings == 63 and ratings.scale == (0.32, 4.98)
    assert codes(ratings) == ["ragged_row"] and "line 9" in ratings.warnings[0].message


def test_encoding_override(tmp_path):
    path = write(tmp_path, "k.csv", KOREAN_WIDE, "cp949")
    assert load_ratings(path, encoding="cp949").users == ["옥순", "영자"]
    with pytest.raises(FileFormatError, match="utf-8") as caught:
        load_ratings(path, encoding="utf-8")
    assert "line 1" in str(caught.value)
    with pytest.raises(FileFormatError, match="not a known text encoding"):
        load_ratings(path, encoding="klingon")


def test_other_encodings_are_guessed_with_a_warning(tmp_path):
    text = "user,item,rating\n" + "".join(f"Zoë{k},Café {k % 7},{k % 5 + 1}\n" for k in range(40))
    ratings = load_ratings(write(tmp_path, "latin.csv", text, "cp1252"))
    assert ratings.users[0] == "Zoë0" and ratings.items[0] == "Café 0"
    assert codes(ratings) == ["encoding_guessed"]
    assert sniff(write(tmp_path, "latin.csv", text, "cp1252")).encoding not in ("utf-8", "cp949")


@pytest.mark.parametrize("payload", [b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00",
                                     b"a,b\n\x00\x01\x02\x03\x00\x00\x00\n" * 20,
                                     bytes(range(256)) * 4])
def test_binary_file_is_not_a_text_table(tmp_path, payload):
    path = tmp_path / "picture.csv"
    path.write_bytes(payload)
    with pytest.raises(FileFormatError, match="not a text table"):
        load_ratings(path)


def test_utf16_without_bom_needs_the_encoding(tmp_path):
    path = write(tmp_path, "k.csv", KOREAN_WIDE, "utf-16-le")
    with pytest.raises(FileFormatError, match="utf-16-le"):
        load_ratings(path)
    assert load_ratings(path, encoding="utf-16-le").users == ["옥순", "영자"]


def test_png_is_named():
    with pytest.raises(FileFormatError, match="PNG image"):
        load_ratings(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "ratings.csv")


# ----- Excel -----------------------------------------------------------------------------------
def test_xlsx_wide(tmp_path):
    data = xlsx_bytes({"평점": [[None, "영식", "영철"], ["옥순", 3.9, 4.02], ["영자", None, 1]]})
    ratings = load_ratings(data, "solo.xlsx")
    assert ratings.users == ["옥순", "영자"] and ratings.items == ["영식", "영철"]
    assert ratings.to_matrix().loc["옥순", "영철"] == 4.02
    assert ratings.n_ratings == 3 and ratings.warnings == []
    found = sniff(data, "solo.xlsx")
    assert (found.sheets, found.sheet, found.encoding, found.sep) == (["평점"], "평점", None, None)


def test_xlsx_long_with_numeric_ids(tmp_path):
    data = xlsx_bytes({"r": [["userId", "movieId", "rating"], [1, 318, 4.5], [1, 1, 3],
                             [2, 318, 5]]})
    ratings = load_ratings(data, "r.xlsx")
    assert ratings.users == ["1", "2"] and ratings.items == ["318", "1"]
    assert ratings.to_long()["rating"].tolist() == [4.5, 3.0, 5.0]


def test_xlsx_sheet_choice():
    rows = [[None, "a", "b"], ["u1", 1, 2], ["u2", 3, None]]
    skipped = load_ratings(xlsx_bytes({"Empty": [], "Data": rows}), "s.xlsx")
    assert codes(skipped) == ["sheet_choice"] and "'Data'" in skipped.warnings[0].message
    several = load_ratings(xlsx_bytes({"One": rows, "Two": [[None, "c"], ["u9", 5]]}), "s.xlsx")
    assert codes(several) == ["sheet_choice"] and "'One'" in several.warnings[0].message
    data = xlsx_bytes({"One": rows, "Two": [[None, "c"], ["u9", 5]]})
    assert load_ratings(data, "s.xlsx", sheet="Two").users == ["u9"]
    assert load_ratings(data, "s.xlsx", sheet=1).items == ["c"]
    with pytest.raises(FileFormatError, match="One, Two"):
        load_ratings(data, "s.xlsx", sheet="Three")
    with pytest.raises(EmptyFileError):
        load_ratings(xlsx_bytes({"A": [], "B": []}), "e.xlsx")


def test_xlsx_error_names_sheet_and_row():
    data = xlsx_bytes({"S": [[None, "a"], ["u1", 4], [], ["u2", "4점"]]})
    with pytest.raises(NonNumericRatingError) as caught:
        load_ratings(data, "bad.xlsx")
    assert "bad.xlsx, sheet 'S', row 4" in str(caught.value) and "'u2'" in str(caught.value)


def test_xlsx_table_away_from_the_corner():
    data = xlsx_bytes({"S": [[], [], [None, None, "a", "b", "a"], [None, "u1", 1, 2, 3]]})
    with pytest.raises(DuplicateLabelError, match="column 3 and column 5"):  # C and E
        load_ratings(data, "far.xlsx")
    data = xlsx_bytes({"S": [[], [], [None, None, "a", "b"], [None, "u1", 1, 2], [],
                             [None, "u2", None, 5]]})
    ratings = load_ratings(data, "far.xlsx")
    assert ratings.users == ["u1", "u2"] and ratings.items == ["a", "b"]
    assert ratings.n_ratings == 3 and ratings.warnings == []
    assert sniff(data, "far.xlsx").preview.values.tolist() == [["u1", "1", "2"], ["u2", "", "5"]]


def test_zip_that_is_not_a_workbook(tmp_path):
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "hello")
    with pytest.raises(FileFormatError, match="not a readable Excel"):
        load_ratings(buffer.getvalue(), "notes.zip")


# ----- bad ratings -----------------------------------------------------------------------------
@pytest.mark.parametrize("text", ["4점", "five", "N/A", "-", "inf", "nan", "1e999"])
def test_non_numeric_rating_in_wide_file(tmp_path, text):
    path = write(tmp_path, "w.csv", f",영식,영철\n옥순,3,4\n영자,{text},2\n")
    with pytest.raises(NonNumericRatingError) as caught:
        load_ratings(path)
    error = caught.value
    assert error.code == "non_numeric"
    assert "w.csv, line 3" in error.where and "'영자'" in error.where and "'영식'" in error.where
    assert f"'{text}'" in error.what


def test_non_numeric_rating_in_long_file(tmp_path):
    path = write(tmp_path, "l.csv", "userId,movieId,rating\n1,10,4\n1,20,five\n2,10,N/A\n")
    with pytest.raises(NonNumericRatingError) as caught:
        load_ratings(path)
    message = str(caught.value)
    for part in ("'five'", "line 3", "'rating'", "user '1'", "item '20'", "1 more"):
        assert part in message


def test_decimal_commas_everywhere_are_converted_with_a_warning(tmp_path):
    path = write(tmp_path, "eu.csv", ";a;b\nu1;4,5;3\nu2;;2,25\n")
    ratings = load_ratings(path)
    assert ratings.to_long()["rating"].tolist() == [4.5, 3.0, 2.25]
    assert codes(ratings) == ["decimal_comma"] and "2 rating" in ratings.warnings[0].message


def test_mixed_decimal_marks_are_refused_with_a_hint(tmp_path):
    path = write(tmp_path, "mix.csv", ";a;b\nu1;4,5;3.5\nu2;1;2\n")
    with pytest.raises(NonNumericRatingError, match="point") as caught:
        load_ratings(path)
    assert "line 2" in str(caught.value)
    quoted = write(tmp_path, "q.csv", 'user,item,rating\nu1,a,"4,5"\n')
    with pytest.raises(NonNumericRatingError, match="point"):
        load_ratings(quoted)


def test_rating_range(tmp_path):
    path = write(tmp_path, "w.csv", ",a,b\nu1,1,5\nu2,6,2\n")
    with pytest.raises(OutOfRangeError) as caught:
        load_ratings(path, rating_range=(1, 5))
    assert "line 3" in str(caught.value) and "'u2'" in str(caught.value)
    assert "'a'" in str(caught.value) and "6" in caught.value.what
    assert load_ratings(path, rating_range=(0, 10)).scale == (0.0, 10.0)
    long = write(tmp_path, "l.csv", "user,item,rating\nu1,a,3\nu2,b,0\n")
    with pytest.raises(OutOfRangeError, match="line 3"):
        load_ratings(long, rating_range=(1, 5))
    with pytest.raises(RatingsError, match="empty"):
        load_ratings(path, rating_range=(5, 1))


# ----- empty and duplicate ---------------------------------------------------------------------
@pytest.mark.parametrize("content", [b"", b"   \n\n", b",a,b\n", b"user,item,rating\r\n",
                                     b",a,b\nu1,,\nu2,,\n", b"\xef\xbb\xbf"])
def test_empty_files(content):
    with pytest.raises(EmptyFileError):
        load_ratings(content, "empty.csv")


def test_user_without_ratings_is_warned(tmp_path):
    ratings = load_ratings(write(tmp_path, "w.csv", ",a,b\nu1,1,2\nu2,,\nu3,3,\n"))
    assert ratings.users == ["u1", "u2", "u3"]
    assert "cold_user" in codes(ratings) and "'u2'" in str(ratings.warnings)
    assert "cold_item" not in codes(ratings)


def test_duplicate_user_and_item_labels(tmp_path):
    users = write(tmp_path, "u.csv", ",a,b\nu1,1,2\nu2,3,4\nu1,5,\n")
    with pytest.raises(DuplicateLabelError) as caught:
        load_ratings(users)
    assert "'u1'" in str(caught.value) and "line 2 and line 4" in str(caught.value)
    items = write(tmp_path, "i.csv", ",a,b,a\nu1,1,2,3\n")
    with pytest.raises(DuplicateLabelError) as caught:
        load_ratings(items)
    assert "'a'" in str(caught.value) and "column 2 and column 4" in str(caught.value)


def test_unnamed_item_column_with_ratings_is_refused(tmp_path):
    with pytest.raises(FileFormatError, match="Column 3 has ratings but no item name"):
        load_ratings(write(tmp_path, "w.csv", ",a,,b\nu1,1,2,3\n"))


def test_row_without_user_label_is_refused(tmp_path):
    with pytest.raises(FileFormatError, match="line 3"):
        load_ratings(write(tmp_path, "w.csv", ",a,b\nu1,1,2\n,3,4\n"))


DUPLICATED = "user,item,rating\nu1,a,1\nu1,b,2\nu2,a,3\nu1,a,4\nu1,b,3\n"


def test_duplicate_pairs_are_refused_by_default(tmp_path):
    with pytest.raises(DuplicatePairError) as caught:
        load_ratings(write(tmp_path, "d.csv", DUPLICATED))
    message = str(caught.value)
    assert "2 user-item pair(s)" in message and "4 rows" in message
    assert "user 'u1', item 'a': line 2 (1) and line 5 (4)" in message
    assert "mean" in caught.value.todo and "first" in caught.value.todo


@pytest.mark.parametrize("policy, expected", [("mean", [2.5, 2.5, 3.0]), ("first", [1, 2, 3]),
                                              ("last", [4, 3, 3])])
def test_duplicate_pair_policies(tmp_path, policy, expected):
    ratings = load_ratings(write(tmp_path, "d.csv", DUPLICATED), duplicates=policy)
    long = ratings.to_long()
    assert long[["user", "item"]].values.tolist() == [["u1", "a"], ["u1", "b"], ["u2", "a"]]
    assert long["rating"].tolist() == expected
    assert codes(ratings) == ["duplicates_merged"]
    assert "2 user-item pair(s)" in ratings.warnings[0].message


def test_long_rows_without_rating_are_left_out_with_a_warning(tmp_path):
    ratings = load_ratings(write(tmp_path, "l.csv",
                                 "user,item,rating\nu1,a,4\nu1,b,\nu2,a,3\nu2,c,1\n"))
    assert ratings.n_ratings == 3 and codes(ratings) == ["empty_rating"]
    assert "line 3" in ratings.warnings[0].message


def test_long_row_without_user_is_refused(tmp_path):
    with pytest.raises(FileFormatError, match="no user") as caught:
        load_ratings(write(tmp_path, "l.csv", "user,item,rating\nu1,a,4\n,b,3\n"))
    assert "line 3" in str(caught.value)


# ----- sources, sizes, previews ----------------------------------------------------------------
class FakeUpload(io.BytesIO):
    """What Streamlit's UploadedFile offers: bytes plus a name."""

    def __init__(self, data: bytes, name: str) -> None:
        super().__init__(data)
        self.name = name


def test_sources_path_str_bytes_and_upload():
    data = SOLO.read_bytes()
    for ratings in (load_ratings(SOLO), load_ratings(str(SOLO)), load_ratings(data, "solo.csv"),
                    load_ratings(FakeUpload(data, "solo.csv"))):
        assert ratings.n_ratings == 63 and ratings.source == "solo.csv"
    assert load_ratings(data).source == "uploaded file"
    with pytest.raises(FileFormatError, match="no file"):
        load_ratings(DATA / "missing.csv")


def test_too_large():
    with pytest.raises(TooLargeError, match="MB"):
        load_ratings(SOLO, max_bytes=100)
    with pytest.raises(TooLargeError):
        load_ratings(FakeUpload(b"x" * 2000, "big.csv"), max_bytes=1000)
    assert load_ratings(SOLO, max_bytes=10_000).n_ratings == 63


def test_sniff_solo():
    found = sniff(SOLO)
    assert isinstance(found, Sniffed)
    assert (found.encoding, found.sep, found.format, found.has_header) == \
        ("utf-8", ",", "wide", True)
    assert found.columns == ["", *SOLO_ITEMS] and found.n_rows == 9 and found.sheets == []
    assert found.preview.shape == (9, 9)
    assert found.preview.iloc[0, 0] == "옥순(IN)" and found.preview.iloc[0, 2] == "4.02"
    assert found.preview.columns[0] == "(1)"  # a visible name for the empty corner


def test_sniff_preview_is_short():
    found = sniff(ANAL)
    assert found.n_rows == 1000 and len(found.preview) == 20
    assert found.columns == ["user", "item", "rating", "item_name"]
    assert found.preview["item_name"].iloc[0] == "홍차5"


def test_sniff_preview_shows_raw_cells():
    table = sniff(SOLO).preview
    assert table.shape == (9, 9)
    assert table.iloc[7].tolist()[-1] == ""  # the ragged row's missing cell
    raw = sniff(SOLO, header=False).preview
    assert raw.shape == (10, 9) and raw.iloc[0, 1] == "영식(IN)"
    assert raw.columns.tolist() == [str(k) for k in range(1, 10)]
