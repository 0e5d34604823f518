"""A long rating file read by Spark, checked, and numbered in the torch loader's own order.

Spark reads the file itself: CSV/TSV/TXT (any of the torch loader's separators but spaces) or
Parquet, one file or a folder of parts (parts in name order). Its first lines are looked at to
guess the separator, the header and the user, item and rating columns, the way
:mod:`recsys_core.data.loading` guesses them (the same rules and the same column names).

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

A little over 500 lines: guessing the layout, the checks and the numbering read the same file
in one pass of Spark each, and splitting them would only pass the half-read frame around.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from recsys_core.data.errors import (
    DuplicatePairError,
    EmptyFileError,
    FileFormatError,
    LoadWarning,
    RatingsError,
)
from recsys_core.data.loading.checks import _non_numeric, _out_of_range
from recsys_core.data.loading.long import _and
from recsys_core.data.loading.table import _detect_sep, _role_of
from recsys_core.data.ratings import LabelledSizes
from recsys_core.i18n import L_, Joined

SNIFF_LINES = 50
PARQUET_MAGIC = b"PAR1"  # the first (and last) bytes of every Parquet file
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
    uri: str  # what Spark reads: file:///... for a path on this machine (spark_uri)


@dataclass
class SparkRatings(LabelledSizes):
    """The ratings in Spark: ``frame`` has ``idx`` (the torch loader's order), ``u`` and ``i``
    (integer ids), ``rating``; persisted. ``users[u]`` and ``items[i]`` are the labels."""

    frame: object
    users: list[str]
    items: list[str]
    n_ratings: int
    scale: tuple[float, float]
    source: str
    indexer: object  # the fitted StringIndexerModel (user -> u, item -> i)
    warnings: list[LoadWarning] = field(default_factory=list)


# ----- the first lines ---------------------------------------------------------------------
def layout_of(spark, path: str, format: str = "auto", roles=None) -> Layout:
    """Separator, header and columns of ``path``, from its first lines (read by Spark).

    ``roles(names, header, name)`` finds the columns: a rating file's user, item and rating
    by default; the ranking task's reader (:mod:`.interactions`) passes its own, and the
    messages then speak of interactions."""
    name = _display(path)
    ratings = roles is None
    roles = roles or _roles
    if format == "wide":
        raise FileFormatError(L_("The Spark engine reads long rows (user, item, rating), not "
                                 "a wide matrix") if ratings else
                              L_("The Spark engine reads long rows (user, item[, time]), not a "
                                 "wide matrix"), _file(name), _FOR_A_MATRIX)
    _check_local(path, format)
    uri = spark_uri(path)
    if format == "parquet" or _is_parquet(path):
        names = [f.name for f in spark.read.parquet(uri).schema.fields]
        return Layout("parquet", None, True, roles(names, True, name), names, uri)
    lines = [row.value for row in spark.read.text(uri).limit(SNIFF_LINES).collect()]
    lines = [ln for ln in lines if ln.strip()]
    if not lines:
        raise EmptyFileError(L_("The file is empty"), _file(name),
                             L_("choose a file that contains ratings") if ratings else
                             L_("choose a file that contains interactions"))
    lines[0] = lines[0].lstrip("\ufeff")
    if lines[0].startswith(PARQUET_MAGIC.decode()):  # Parquet where its name does not say so
        raise FileFormatError(L_("This looks like Parquet, which was read as text"), _file(name),
                              L_("add --format parquet"))
    if any("\ufffd" in ln or "\x00" in ln for ln in lines):
        raise FileFormatError(L_("The file is not UTF-8 text"), _file(name),
                              L_("save it as UTF-8 CSV, or use --engine torch, which reads other "
                                 "encodings and Excel"))
    sep = _detect_sep("\n".join(lines))
    if sep == " ":
        raise FileFormatError(L_("The columns are separated by spaces, which the Spark engine "
                                 "does not read"), _file(name),
                              L_("separate them with commas or tabs, or use --engine torch"))
    rows = _split(lines, sep)
    header = _has_header(rows)
    names = [c.strip() for c in rows[0]] if header else [str(k + 1) for k in range(len(rows[0]))]
    if header and (names[0] == "" or _wide_header(names)):
        raise FileFormatError(L_("This looks like a wide matrix (users x items); the Spark "
                                 "engine reads long rows (user, item, rating)") if ratings else
                              L_("This looks like a wide matrix (users x items); the Spark "
                                 "engine reads long rows (user, item[, time])"), _file(name),
                              _FOR_A_MATRIX)
    return Layout("text", sep, header, roles(names, header, name), names, uri)


def _check_local(path: str, format: str = "auto") -> None:
    """A local path that is not there, a workbook, or text given as ``--format parquet`` is
    refused before Spark sees it (Spark's own message is a Java stack); other file systems
    (hdfs://, s3a://) are Spark's to read."""
    local = _local(path)
    if local is None:
        return
    if not local.exists():
        raise RatingsError(L_("There is no file or folder '{path}'", path=path),
                           L_("the data argument"), L_("check the path"))
    if local.suffix.lower() in (".xlsx", ".xlsm", ".xls"):
        raise FileFormatError(L_("The Spark engine reads CSV/TSV text or Parquet, not Excel"),
                              _file(path), L_("save the sheet as CSV, or use --engine torch"))
    if local.is_dir() and not any(_data_file(p) for p in local.rglob("*")):
        raise EmptyFileError(L_("The folder holds no data files"), L_("folder {path}", path=path),
                             L_("point to a CSV/TSV or Parquet file, or a folder of them"))
    text = (next((p for p in _data_files(local) if not _has_magic(p)), None)
            if format == "parquet" else None)
    if text is not None:
        raise FileFormatError(L_("--format parquet, but this is not a Parquet file"),
                              _file(str(text)), L_("leave --format out for CSV or TSV text"))


def spark_uri(path: str) -> str:
    """A path on this machine as ``file:///`` and absolute; any other as it is. Without a
    scheme Spark would resolve it against the cluster's default file system (HDFS on many
    clusters), and a relative one against the folder its JVM started in."""
    local = _local(path)
    return path if local is None else "file://" + str(local.resolve())


def _local(path: str) -> Path | None:
    """The path on this machine, or None on another file system (hdfs://, s3a:// ...)."""
    if "://" in path and not path.startswith("file:"):
        return None
    return Path(path.removeprefix("file://").removeprefix("file:"))


def _data_files(local: Path) -> list[Path]:
    """The data files of a file or folder (Spark skips names starting with _ or .)."""
    return [p for p in local.rglob("*") if _data_file(p)] if local.is_dir() else [local]


def _has_magic(file: Path) -> bool:
    with open(file, "rb") as handle:
        return handle.read(len(PARQUET_MAGIC)) == PARQUET_MAGIC


def _file(name: str) -> str:
    return L_("file {name}", name=name)


_FOR_A_MATRIX = L_("use --engine torch for a matrix, or write one rating a row")


def _data_file(p: Path) -> bool:
    return p.is_file() and not p.name.startswith(("_", "."))


def _is_parquet(path: str) -> bool:
    """Parquet by its name (``.parquet``), a local folder of ``.parquet`` parts, or a local
    file's first bytes. Elsewhere (hdfs://, s3a://) only the name says: ``--format parquet``
    says it for a folder of parts named otherwise."""
    if path.rstrip("/").lower().endswith(".parquet"):
        return True
    local = _local(path)
    if local is None or not local.exists():
        return False
    if local.is_dir():
        files = _data_files(local)
        return bool(files) and all(p.suffix.lower() == ".parquet" for p in files)
    return _has_magic(local)


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
            L_("A long table needs user, item and rating columns; found {n} column(s)",
               n=len(names)), _file(name), L_("give one rating a row: user, item, rating"))
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
    cached = [_raw(spark, layout).persist()]  # released once the result is counted
    try:
        chunks = _chunk_stats(cached[0], rating_range)
        raw = cached[0].withColumn("raw_idx", F.col("_pos") + _chunk_lookup(chunks, "delta"))
        named = _Named(path, layout, chunks)
        warnings = _check(raw, chunks, named, rating_range)
        kept = raw.filter(~F.col("_empty")).select("raw_idx", "user", "item", "rating")
        kept, merged, removed = _duplicates(kept, duplicates, named)
        if merged:
            warnings.append(merged)
        n_empty = sum(c["empty"] for c in chunks)
        if merged or n_empty:
            numbered, ranged = _renumber(kept, "raw_idx", "idx")
            cached.append(ranged)
        else:
            numbered = kept.withColumnRenamed("raw_idx", "idx")
        n_ratings = sum(c["n"] for c in chunks) - n_empty - removed
        return _indexed(numbered, n_ratings, chunks, rating_range, named.source, warnings)
    finally:
        for frame in cached:
            frame.unpersist()


def _raw(spark, layout: Layout):
    """Every row: cleaned labels, the rating's text and number, its split and count in it."""
    from pyspark.sql import functions as F

    if layout.kind == "parquet":
        frame = spark.read.parquet(layout.uri)
        cols = [F.col(f"`{frame.columns[k]}`") for k in layout.roles]
        user, item, text = cols[0].cast("string"), cols[1].cast("string"), cols[2].cast("string")
    else:
        frame = text_columns(spark, layout)
        user, item, text = (F.col(f"c{k}") for k in layout.roles)
        user = F.regexp_replace(user, "^\ufeff", "")  # a byte-order mark before a first label
    broken = open_quote() if layout.kind == "text" else F.lit(False)
    clean_user, clean_item = _clean(user), _clean(item)
    number = F.trim(text).try_cast("double")
    empty = text.isNull() | (F.trim(text) == "")
    bad = ~empty & (number.isNull() | F.isnan(number) | (F.abs(number) == float("inf")))
    return frame.select(
        clean_user.alias("user"), clean_item.alias("item"), F.trim(text).alias("text"),
        F.when(~empty & ~bad, number).alias("rating"), empty.alias("_empty"), bad.alias("_bad"),
        ((clean_user != user) | (clean_item != item)).alias("_relabelled"),
        broken.alias("_open_quote"),
        F.col("_metadata.file_path").alias("_file"),
        F.col("_metadata.file_block_start").alias("_start"),
        F.monotonically_increasing_id().alias("_pos"))


def text_columns(spark, layout: Layout):
    """A text file's columns, as text, named ``c0, c1 ...``, and ``_line``: the line itself
    where it has fewer or more fields than the header (Spark's corrupt-record column), for
    :func:`open_quote`. A doubled quote inside quotes is one quote, as in the torch loader
    (Spark's default escape is a backslash)."""
    schema = ", ".join([f"c{k} string" for k in range(len(layout.names))] + ["_line string"])
    return (spark.read.schema(schema).option("sep", layout.sep).option("header", layout.header)
            .option("mode", "PERMISSIVE").option("columnNameOfCorruptRecord", "_line")
            .option("escape", '"')
            .option("ignoreLeadingWhiteSpace", True).option("ignoreTrailingWhiteSpace", True)
            .option("encoding", "UTF-8").csv(layout.uri))


def open_quote():
    """True for a line whose quotes do not pair up and that Spark found short or long: a label
    in quotes that goes on past a line break, which Spark reads one line at a time.

    Reading it as the torch loader does would need Spark's ``multiLine``, which reads every
    file in one piece (no splits: one core for a large file), so such a file is refused
    instead. One line of every such label is short (the line that opens it, or the one that
    closes a label in the last column), so the check sees every one."""
    from pyspark.sql import functions as F

    line = F.col("_line")
    quotes = F.length(line) - F.length(F.regexp_replace(line, '"', ""))
    return line.isNotNull() & (quotes % 2 == 1)


def line_break_error(where: str) -> FileFormatError:
    return FileFormatError(L_("A label in quotes goes on past a line break, which the Spark "
                              "engine does not read"), where,
                           L_("remove the line breaks inside labels, or use --engine torch, "
                              "which reads them"))


def _clean(label):
    """Tabs and control characters inside a label become one space, as in the torch loader.
    (A line break inside a quoted label, which the torch loader also turns into a space, never
    gets here: the file is refused, see :func:`open_quote`.)"""
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
        count(F.col("_open_quote")).alias("open_quote"),
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
        line = self._line(raw_idx)
        if self.layout.header:
            return L_("file {name}, row {line} after the header", name=name, line=line)
        return L_("file {name}, row {line}", name=name, line=line)

    def short(self, raw_idx: int) -> str:
        line = self._line(raw_idx)
        if len(self.files) == 1:
            return L_("row {line}", line=line)
        return L_("{part} row {line}", part=_basename(self.file_of(raw_idx)), line=line)

    def _line(self, raw_idx: int) -> str:
        return f"{raw_idx - self.file_offset[self.file_of(raw_idx)] + 1:,}"

    def column(self, role: int) -> str:
        col = self.layout.roles[role]
        name = self.layout.names[col]
        return f"'{name}'" if self.layout.header else str(col + 1)


def _check(raw, chunks, named: _Named, rating_range) -> list[LoadWarning]:
    """Refuse what the torch loader refuses, naming the first case; return the warnings."""
    from pyspark.sql import functions as F

    total = {k: sum(c[k] for c in chunks) for k in
             ("n", "no_user", "no_item", "empty", "bad", "outside", "relabelled", "open_quote")}
    if total["open_quote"]:  # its pieces would read as rows without an item or a rating
        raise line_break_error(named.row(_first(raw, F.col("_open_quote"))["raw_idx"]))
    for role, key, col in (("user", "no_user", "user"), ("item", "no_item", "item")):
        if total[key]:
            first = _first(raw, F.col(col).isNull() | (F.col(col) == ""))
            column = named.column(0 if role == "user" else 1)
            if role == "user":
                raise FileFormatError(L_("A row has no user (column {column} is empty)",
                                         column=column), named.row(first["raw_idx"]),
                                      L_("fill in the user or delete the row"))
            raise FileFormatError(L_("A row has no item (column {column} is empty)",
                                     column=column), named.row(first["raw_idx"]),
                                  L_("fill in the item or delete the row"))
    if total["bad"]:
        first = _first(raw, F.col("_bad"))
        raise _non_numeric(first["text"], total["bad"],
                           L_("{place}, column {column}, user '{user}', item '{item}'",
                              place=named.row(first["raw_idx"]), column=named.column(2),
                              user=first["user"], item=first["item"]))
    if total["outside"]:
        lo, hi = rating_range
        first = _first(raw, (F.col("rating") < lo) | (F.col("rating") > hi))
        raise _out_of_range(first["rating"], total["outside"], rating_range,
                            L_("{place}, user '{user}', item '{item}'",
                               place=named.row(first["raw_idx"]), user=first["user"],
                               item=first["item"]))
    if total["empty"] == total["n"]:
        raise EmptyFileError(L_("The file has no ratings"), _file(named.source),
                             L_("fill in the ratings"))
    warnings = []
    if total["empty"]:
        first = _first(raw, F.col("_empty"))
        warnings.append(LoadWarning("empty_rating", L_(
            "{n} row(s) have no rating and were left out (the first is {place}).",
            n=total["empty"], place=named.row(first["raw_idx"]))))
    if total["relabelled"]:
        warnings.append(LoadWarning("label_breaks", L_(
            "{n} row(s) had line breaks, tabs or control characters in a label; each was "
            "replaced by a space.", n=total["relabelled"])))
    return warnings


def _first(raw, condition) -> dict:
    return raw.filter(condition).orderBy("raw_idx").limit(1).collect()[0].asDict()


def _duplicates(kept, policy: str, named: _Named):
    """The ratings with each user-item pair once (refused, or merged as ``policy`` says), the
    merge's warning (or None) and how many rows the merge removed."""
    from pyspark.sql import functions as F

    pairs = kept.groupBy("user", "item").agg(F.count("*").alias("n"))
    repeated = pairs.filter(F.col("n") > 1).persist()
    try:
        n_pairs = repeated.count()
        if not n_pairs:
            return kept, None, 0
        n_rows = repeated.agg(F.sum("n")).first()[0]
        if policy == "error":
            examples = _duplicate_examples(kept, repeated, named)
            raise DuplicatePairError(
                L_("{n_pairs} user-item pair(s) are rated more than once ({n_rows} rows)",
                   n_pairs=n_pairs, n_rows=n_rows),
                L_("file {name} (rows counted after the header): {examples}",
                   name=named.source, examples=examples) if named.layout.header else
                L_("file {name}: {examples}", name=named.source, examples=examples),
                L_("choose what to keep for each pair (the mean, the first or the last "
                   "rating), or remove the extra rows"))
    finally:
        repeated.unpersist()
    how = {"mean": F.avg("rating"), "first": F.min_by("rating", "raw_idx"),
           "last": F.max_by("rating", "raw_idx")}[policy]
    merged = kept.groupBy("user", "item").agg(F.min("raw_idx").alias("raw_idx"),
                                               how.alias("rating"))
    words = {"mean": L_("the mean of its ratings"), "first": L_("its first rating"),
             "last": L_("its last rating")}
    return merged, LoadWarning("duplicates_merged", L_(
        "{n_pairs} user-item pair(s) were rated more than once ({n_rows} rows); each now has "
        "{kept}.", n_pairs=n_pairs, n_rows=n_rows, kept=words[policy])), n_rows - n_pairs


def _duplicate_examples(kept, repeated, named: _Named) -> str:
    from pyspark.sql import functions as F

    first_pairs = (kept.join(repeated.select("user", "item"), ["user", "item"])
                   .groupBy("user", "item").agg(F.min("raw_idx").alias("at"))
                   .orderBy("at").limit(_SHOW).collect())
    examples = []
    for pair in first_pairs:
        rows = (kept.filter((F.col("user") == pair["user"]) & (F.col("item") == pair["item"]))
                .orderBy("raw_idx").collect())
        given = [L_("{place} ({rating})", place=named.short(r["raw_idx"]),
                    rating=f"{r['rating']:g}") for r in rows[:_SHOW]]
        if len(rows) > _SHOW:
            given.append(L_("{n} more", n=len(rows) - _SHOW))
        examples.append(L_("user '{user}', item '{item}': {given}", user=pair["user"],
                           item=pair["item"], given=_and(given)))
    return Joined(examples)


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
