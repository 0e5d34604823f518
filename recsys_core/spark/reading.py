"""A long rating file read by Spark, checked, and numbered in the torch loader's own order.

Spark reads the file itself: CSV/TSV/TXT (any of the torch loader's separators but spaces) or
Parquet, one file or a folder of parts (parts in name order). Its first lines are looked at to
guess the separator, the header and the user, item and rating columns, the way
:mod:`recsys_core.loading` guesses them (the same rules and the same column names).

Checks, each refused in one message that says what, where (file and row) and what to do, in
the torch loader's words: a row without a user or item, a rating that is not a number, a
rating outside ``--rating-range``, a user-item pair rated twice (or merged by ``--duplicates``).
Rows without a rating are left out with a warning, as there.

**Row order.** The torch engine's folds are a seeded permutation of the ratings *in the file's
order*, after rows without a rating are dropped and duplicates merged (a merged pair where it
first appeared). To reproduce them the ratings get ``idx``, their position in that order,
without a shuffle in the usual case: Spark reads a file in splits (``_metadata.file_path`` and
``file_block_start``), every row of a split is read in order by one task, and
``monotonically_increasing_id`` counts the rows of a task one by one; so a row's position is
the rows of all earlier splits (counted once) plus its count inside its split. Only when rows
were dropped or merged are the positions renumbered (a range partitioning by the old ones).

User and item labels stay text, exactly as written; Spark's ``StringIndexer`` maps them to the
integer ids ALS needs, and that mapping is saved beside the model.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from ..errors import (
    DuplicatePairError,
    EmptyFileError,
    FileFormatError,
    RatingsError,
)
from ..loading import _detect_sep, _non_numeric, _out_of_range, _role_of

SNIFF_LINES = 50
TEXT_SUFFIXES = (".csv", ".tsv", ".txt", ".dat", ".data")
_LABEL_BREAK = r"\s*[\x00-\x1f\x7f][\s\x00-\x1f\x7f]*"  # as loading._LABEL_BREAK
_SHOW = 3


@dataclass
class Layout:
    """What the first lines say about the file."""

    kind: str  # "text" | "parquet"
    sep: str | None
    header: bool
    roles: tuple[int, int, int]  # positions of the user, item and rating columns
    names: list[str]  # column names (header) or "1", "2", ...


@dataclass
class SparkRatings:
    """The ratings in Spark: ``frame`` has ``idx`` (the torch loader's order), ``u`` and ``i``
    (integer ids), ``rating``; persisted. ``users[u]`` and ``items[i]`` are the labels."""

    frame: object
    users: list[str]
    items: list[str]
    n_ratings: int
    scale: tuple[float, float]
    source: str
    indexer: object  # the fitted StringIndexerModel (user -> u, item -> i)
    warnings: list[str] = field(default_factory=list)

    @property
    def n_users(self) -> int:
        return len(self.users)

    @property
    def n_items(self) -> int:
        return len(self.items)


# ----- the first lines ---------------------------------------------------------------------
def layout_of(spark, path: str, format: str = "auto") -> Layout:
    """Separator, header and columns of ``path``, from its first lines (read by Spark)."""
    name = _display(path)
    if format == "wide":
        raise FileFormatError("The Spark engine reads long rows (user, item, rating), not a "
                              "wide matrix", f"file {name}",
                              "use --engine torch for a matrix, or write one rating a row")
    _check_local(path)
    if _is_parquet(path):
        names = [f.name for f in spark.read.parquet(path).schema.fields]
        return Layout("parquet", None, True, _roles(names, True, name), names)
    lines = [row.value for row in spark.read.text(path).limit(SNIFF_LINES).collect()]
    lines = [ln for ln in lines if ln.strip()]
    if not lines:
        raise EmptyFileError("The file is empty", f"file {name}", "choose a file with ratings")
    lines[0] = lines[0].lstrip("\ufeff")
    if any("\ufffd" in ln or "\x00" in ln for ln in lines):
        raise FileFormatError("The file is not UTF-8 text", f"file {name}",
                              "save it as UTF-8 CSV, or use --engine torch, which reads other "
                              "encodings and Excel")
    sep = _detect_sep("\n".join(lines))
    if sep == " ":
        raise FileFormatError("The columns are separated by spaces, which the Spark engine "
                              "does not read", f"file {name}",
                              "separate them with commas or tabs, or use --engine torch")
    rows = _split(lines, sep)
    header = _has_header(rows)
    names = [c.strip() for c in rows[0]] if header else [str(k + 1) for k in range(len(rows[0]))]
    if header and (names[0] == "" or _wide_header(names)):
        raise FileFormatError("This looks like a wide matrix (users x items); the Spark engine "
                              "reads long rows (user, item, rating)", f"file {name}",
                              "use --engine torch for a matrix, or write one rating a row")
    return Layout("text", sep, header, _roles(names, header, name), names)


def _check_local(path: str) -> None:
    """A local path that is not there, or a workbook, is refused before Spark sees it (Spark's
    own message is a Java stack); other file systems (hdfs://, s3a://) are Spark's to read."""
    if "://" in path and not path.startswith("file:"):
        return
    local = Path(path.removeprefix("file://").removeprefix("file:"))
    if not local.exists():
        raise RatingsError(f"There is no file or folder '{path}'", "the data argument",
                           "check the path")
    if local.suffix.lower() in (".xlsx", ".xlsm", ".xls"):
        raise FileFormatError("The Spark engine reads CSV/TSV text or Parquet, not Excel",
                              f"file {path}", "save the sheet as CSV, or use --engine torch")
    if local.is_dir() and not any(_data_file(p) for p in local.rglob("*")):
        raise EmptyFileError("The folder holds no data files", f"folder {path}",
                             "point to a CSV/TSV or Parquet file, or a folder of them")


def _data_file(p: Path) -> bool:
    return p.is_file() and not p.name.startswith(("_", "."))


def _is_parquet(path: str) -> bool:
    if path.rstrip("/").lower().endswith(".parquet"):
        return True
    local = Path(path.removeprefix("file://").removeprefix("file:"))
    if "://" in path and not path.startswith("file:"):
        return False
    if local.is_dir():
        files = [p for p in local.rglob("*") if _data_file(p)]
        return bool(files) and all(p.suffix.lower() == ".parquet" for p in files)
    if not local.is_file():
        return False
    with open(local, "rb") as handle:
        return handle.read(4) == b"PAR1"


def _split(lines: list[str], sep: str) -> list[list[str]]:
    if len(sep) > 1:
        return [ln.split(sep) for ln in lines]
    return [row for row in csv.reader(lines, delimiter=sep) if row]


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _has_header(rows: list[list[str]]) -> bool:
    """As the torch loader: a cell names a column, the first cell is empty (a matrix corner),
    or text stands above numbers in the third column."""
    first = rows[0]
    if any(_role_of(c.strip()) for c in first) or (first and first[0].strip() == ""):
        return True
    if len(first) >= 3 and len(rows) > 1 and len(rows[1]) >= 3:
        return not _is_number(first[2].strip()) and _is_number(rows[1][2].strip())
    return False


def _wide_header(names: list[str]) -> bool:
    roles = [_role_of(n) for n in names]
    return len(names) > 3 and roles[0] == "user" and not {"item", "rating"} & set(roles)


def _roles(names: list[str], header: bool, name: str) -> tuple[int, int, int]:
    """As ``loading._long_roles``: named columns, the third the first left over; else 0, 1, 2."""
    if len(names) < 3:
        raise FileFormatError(
            f"A long table needs user, item and rating columns; found {len(names)} column(s)",
            f"file {name}", "give one rating a row: user, item, rating")
    roles = [_role_of(n) for n in names] if header else []
    found = {role: roles.index(role) for role in ("user", "item", "rating") if role in roles}
    if len(found) < 2:
        return 0, 1, 2
    spare = (k for k in range(len(names)) if k not in found.values())
    return tuple(found[r] if r in found else next(spare) for r in ("user", "item", "rating"))


# ----- reading, checking, numbering --------------------------------------------------------
def read_ratings(spark, path: str, *, format: str = "auto", duplicates: str = "error",
                 rating_range: tuple[float, float] | None = None) -> SparkRatings:
    from pyspark.sql import functions as F

    layout = layout_of(spark, path, format)
    cached = [_raw(spark, path, layout).persist()]  # released once the result is counted
    try:
        chunks = _chunk_stats(cached[0], rating_range)
        raw = cached[0].withColumn("raw_idx", F.col("_pos") + _chunk_lookup(chunks, "delta"))
        named = _Named(path, layout, chunks)
        warnings = _check(raw, chunks, named, rating_range)
        kept = raw.filter(~F.col("_empty")).select("raw_idx", "user", "item", "rating")
        kept, merged = _duplicates(kept, duplicates, named)
        if merged:
            warnings.append(merged)
        n_empty = sum(c["empty"] for c in chunks)
        if merged or n_empty:
            numbered, ranged = _renumber(kept, "raw_idx", "idx")
            cached.append(ranged)
        else:
            numbered = kept.withColumnRenamed("raw_idx", "idx")
        n_ratings = sum(c["n"] for c in chunks) - n_empty - _merged_rows(merged)
        return _indexed(numbered, n_ratings, chunks, rating_range, named.source, warnings)
    finally:
        for frame in cached:
            frame.unpersist()


def _raw(spark, path: str, layout: Layout):
    """Every row: cleaned labels, the rating's text and number, its split and count in it."""
    from pyspark.sql import functions as F

    if layout.kind == "parquet":
        frame = spark.read.parquet(path)
        cols = [F.col(f"`{frame.columns[k]}`") for k in layout.roles]
        user, item, text = cols[0].cast("string"), cols[1].cast("string"), cols[2].cast("string")
    else:
        frame = (spark.read.option("sep", layout.sep).option("header", layout.header)
                 .option("inferSchema", False).option("mode", "PERMISSIVE")
                 .option("ignoreLeadingWhiteSpace", True).option("ignoreTrailingWhiteSpace", True)
                 .option("encoding", "UTF-8").csv(path))
        frame = frame.toDF(*[f"c{k}" for k in range(len(frame.columns))])
        user, item, text = (F.col(f"c{k}") for k in layout.roles)
        user = F.regexp_replace(user, "^\ufeff", "")  # a byte-order mark before a first label
    clean_user, clean_item = _clean(user), _clean(item)
    number = F.trim(text).try_cast("double")
    empty = text.isNull() | (F.trim(text) == "")
    bad = ~empty & (number.isNull() | F.isnan(number) | (F.abs(number) == float("inf")))
    return frame.select(
        clean_user.alias("user"), clean_item.alias("item"), F.trim(text).alias("text"),
        F.when(~empty & ~bad, number).alias("rating"), empty.alias("_empty"), bad.alias("_bad"),
        ((clean_user != user) | (clean_item != item)).alias("_relabelled"),
        F.col("_metadata.file_path").alias("_file"),
        F.col("_metadata.file_block_start").alias("_start"),
        F.monotonically_increasing_id().alias("_pos"))


def _clean(label):
    """A label is one line (as the torch loader): line breaks, tabs, control characters inside
    it become one space."""
    from pyspark.sql import functions as F

    return F.trim(F.regexp_replace(label, _LABEL_BREAK, " "))


def _chunk_stats(raw, rating_range) -> list[dict]:
    """Per split of the input, in file and offset order: its rows, first id, problems, and
    ``offset`` (rows before it) and ``delta`` (offset minus first id)."""
    from pyspark.sql import functions as F

    def count(flag):
        return F.sum(F.when(flag, 1).otherwise(0))

    no_label = F.col("user").isNull() | (F.col("user") == "")
    no_item = F.col("item").isNull() | (F.col("item") == "")
    outside = F.lit(False)
    if rating_range is not None:
        outside = (F.col("rating") < rating_range[0]) | (F.col("rating") > rating_range[1])
    rows = (raw.groupBy("_file", "_start").agg(
        F.count("*").alias("n"), F.min("_pos").alias("first"),
        count(no_label).alias("no_user"), count(no_item).alias("no_item"),
        count(F.col("_empty")).alias("empty"), count(F.col("_bad")).alias("bad"),
        count(outside).alias("outside"), count(F.col("_relabelled")).alias("relabelled"),
        F.min("rating").alias("lo"), F.max("rating").alias("hi"))
        .orderBy("_file", "_start").collect())
    chunks, offset = [], 0
    for row in rows:
        chunk = row.asDict()
        chunk.update(offset=offset, delta=offset - chunk["first"])
        offset += chunk["n"]
        chunks.append(chunk)
    return chunks


def _chunk_lookup(chunks: list[dict], what: str):
    """A column holding ``chunk[what]`` of each row's split."""
    from pyspark.sql import functions as F

    if len(chunks) == 1:
        return F.lit(chunks[0][what])
    pairs = []
    for c in chunks:
        pairs += [F.lit(f"{c['_file']}#{c['_start']}"), F.lit(c[what])]
    return F.create_map(*pairs)[F.concat_ws("#", "_file", F.col("_start").cast("string"))]


class _Named:
    """Where a row is, in words: the file (its name in a folder) and its row in that file."""

    def __init__(self, path: str, layout: Layout, chunks: list[dict]):
        self.source = _display(path)
        self.layout = layout
        self.files = sorted({c["_file"] for c in chunks})
        self.file_offset = {f: min(c["offset"] for c in chunks if c["_file"] == f)
                            for f in self.files}

    def file_of(self, raw_idx: int) -> str:
        starts = [(self.file_offset[f], f) for f in self.files]
        return max((s, f) for s, f in starts if s <= raw_idx)[1]

    def row(self, raw_idx: int) -> str:
        """'file NAME, row N after the header' (rows counted in the file the row is in)."""
        file = self.file_of(raw_idx)
        name = self.source if len(self.files) == 1 else f"{self.source}/{_basename(file)}"
        return f"file {name}, {self.short(raw_idx)}{self.after}"

    def short(self, raw_idx: int) -> str:
        file = self.file_of(raw_idx)
        part = "" if len(self.files) == 1 else f"{_basename(file)} "
        return f"{part}row {raw_idx - self.file_offset[file] + 1:,}"

    @property
    def after(self) -> str:
        return " after the header" if self.layout.header else ""

    def column(self, role: int) -> str:
        col = self.layout.roles[role]
        name = self.layout.names[col]
        return f"'{name}'" if self.layout.header else str(col + 1)


def _check(raw, chunks, named: _Named, rating_range) -> list[str]:
    """Refuse what the torch loader refuses, naming the first case; return the warnings."""
    from pyspark.sql import functions as F

    total = {k: sum(c[k] for c in chunks) for k in
             ("n", "no_user", "no_item", "empty", "bad", "outside", "relabelled")}
    for role, key, col in (("user", "no_user", "user"), ("item", "no_item", "item")):
        if total[key]:
            first = _first(raw, F.col(col).isNull() | (F.col(col) == ""))
            column = named.column(0 if role == "user" else 1)
            raise FileFormatError(f"A row has no {role} (column {column} is empty)",
                                  named.row(first["raw_idx"]),
                                  f"fill in the {role} or delete the row")
    if total["bad"]:
        first = _first(raw, F.col("_bad"))
        raise _non_numeric(first["text"], total["bad"],
                           f"{named.row(first['raw_idx'])}, column {named.column(2)}, "
                           f"user '{first['user']}', item '{first['item']}'")
    if total["outside"]:
        lo, hi = rating_range
        first = _first(raw, (F.col("rating") < lo) | (F.col("rating") > hi))
        raise _out_of_range(first["rating"], total["outside"], rating_range,
                            f"{named.row(first['raw_idx'])}, user '{first['user']}', "
                            f"item '{first['item']}'")
    if total["empty"] == total["n"]:
        raise EmptyFileError("The file has no ratings", f"file {named.source}",
                             "fill in the ratings")
    warnings = []
    if total["empty"]:
        first = _first(raw, F.col("_empty"))
        warnings.append(f"{total['empty']} row(s) have no rating and were left out (the first "
                        f"is {named.row(first['raw_idx'])}).")
    if total["relabelled"]:
        warnings.append(f"{total['relabelled']} row(s) had line breaks, tabs or control "
                        "characters in a label; each was replaced by a space.")
    return warnings


def _first(raw, condition) -> dict:
    return raw.filter(condition).orderBy("raw_idx").limit(1).collect()[0].asDict()


def _duplicates(kept, policy: str, named: _Named):
    """The ratings with each user-item pair once (refused, or merged as ``policy`` says)."""
    from pyspark.sql import functions as F

    pairs = kept.groupBy("user", "item").agg(F.count("*").alias("n"))
    repeated = pairs.filter(F.col("n") > 1).persist()
    try:
        n_pairs = repeated.count()
        if not n_pairs:
            return kept, None
        n_rows = repeated.agg(F.sum("n")).first()[0]
        if policy == "error":
            raise DuplicatePairError(
                f"{n_pairs} user-item pair(s) are rated more than once ({n_rows} rows)",
                f"file {named.source} (rows counted{named.after}): "
                + _duplicate_examples(kept, repeated, named),
                "choose what to keep for each pair (the mean, the first or the last rating), "
                "or remove the extra rows")
    finally:
        repeated.unpersist()
    how = {"mean": F.avg("rating"), "first": F.min_by("rating", "raw_idx"),
           "last": F.max_by("rating", "raw_idx")}[policy]
    merged = kept.groupBy("user", "item").agg(F.min("raw_idx").alias("raw_idx"),
                                               how.alias("rating"))
    words = {"mean": "the mean of its ratings", "first": "its first rating",
             "last": "its last rating"}
    return merged, _Merged(f"{n_pairs} user-item pair(s) were rated more than once ({n_rows} "
                           f"rows); each now has {words[policy]}.", n_rows - n_pairs)


class _Merged(str):
    """The merge warning, knowing how many rows the merge removed."""

    def __new__(cls, text: str, removed: int):
        obj = super().__new__(cls, text)
        obj.removed = removed
        return obj


def _merged_rows(merged) -> int:
    return merged.removed if merged else 0


def _duplicate_examples(kept, repeated, named: _Named) -> str:
    from pyspark.sql import functions as F

    first_pairs = (kept.join(repeated.select("user", "item"), ["user", "item"])
                   .groupBy("user", "item").agg(F.min("raw_idx").alias("at"))
                   .orderBy("at").limit(_SHOW).collect())
    examples = []
    for pair in first_pairs:
        rows = (kept.filter((F.col("user") == pair["user"]) & (F.col("item") == pair["item"]))
                .orderBy("raw_idx").collect())
        given = " and ".join(f"{named.short(r['raw_idx'])} ({r['rating']:g})"
                             for r in rows[:_SHOW])
        if len(rows) > _SHOW:
            given += f" and {len(rows) - _SHOW} more"
        examples.append(f"user '{pair['user']}', item '{pair['item']}': {given}")
    return "; ".join(examples)


def _renumber(frame, old: str, new: str):
    """``new`` = the rank of ``old`` (0, 1, 2 ...): a range partitioning by ``old``, each
    partition sorted, counted, and offset by the partitions before it. Returns the frame and
    the persisted one under it (to release once the result is counted)."""
    from pyspark.sql import functions as F

    parts = max(1, frame.rdd.getNumPartitions())
    ranged = (frame.repartitionByRange(parts, old).sortWithinPartitions(old)
              .withColumn("_part", F.spark_partition_id())
              .withColumn("_pos", F.monotonically_increasing_id()).persist())
    counts = (ranged.groupBy("_part").agg(F.count("*").alias("n"), F.min("_pos").alias("first"))
              .orderBy("_part").collect())
    pairs, offset = [], 0
    for row in counts:
        pairs += [F.lit(row["_part"]), F.lit(offset - row["first"])]
        offset += row["n"]
    delta = F.create_map(*pairs)[F.col("_part")] if len(counts) > 1 else F.lit(
        -counts[0]["first"] if counts else 0)
    return ranged.withColumn(new, F.col("_pos") + delta).drop(old, "_part", "_pos"), ranged


def _indexed(numbered, n_ratings: int, chunks, rating_range, source: str,
             warnings: list[str]) -> SparkRatings:
    """Integer ids for the labels (Spark's StringIndexer), the frame persisted."""
    from pyspark.ml.feature import StringIndexer
    from pyspark.sql import functions as F

    indexer = StringIndexer(inputCols=["user", "item"], outputCols=["u", "i"],
                            stringOrderType="frequencyDesc").fit(numbered)
    frame = (indexer.transform(numbered)
             .select(F.col("idx").cast("long"), F.col("u").cast("int"), F.col("i").cast("int"),
                     F.col("rating").cast("double"))
             .persist())
    counted = frame.count()
    if counted != n_ratings:  # the numbering's own check: every position once
        raise RuntimeError(f"numbered {counted} ratings, expected {n_ratings}")
    users, items = (list(labels) for labels in indexer.labelsArray)
    if rating_range is not None:
        scale = (float(rating_range[0]), float(rating_range[1]))
    else:
        lo = min(c["lo"] for c in chunks if c["lo"] is not None)
        hi = max(c["hi"] for c in chunks if c["hi"] is not None)
        scale = _observed_scale(lo, hi)
    return SparkRatings(frame, users, items, n_ratings, scale, source, indexer, warnings)


def _observed_scale(lo: float, hi: float) -> tuple[float, float]:
    """As ``data._observed_scale``: the observed range, widened when it has no width."""
    if lo == hi:
        return (min(lo, 0.0), max(hi, 1.0)) if lo != 0 else (0.0, 1.0)
    return (float(lo), float(hi))


def _display(path: str) -> str:
    """A path as the user wrote it (without a ``file:`` prefix)."""
    return re.sub(r"^file:(//)?", "", str(path))


def _basename(uri: str) -> str:
    """The file name in one of Spark's file URIs (``file:/data/part-0.csv``)."""
    from urllib.parse import unquote

    return unquote(PurePosixPath(_display(uri)).name)
