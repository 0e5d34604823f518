"""How the app read a file, kept beside its data, so that a refusal past the server's limits
(:mod:`recsys_core.limits`) can name a command line that reads *this* file the same way.

Two engines read files, and not the same ones: the Spark engine (:mod:`recsys_core.spark.reading`)
takes only long rows of UTF-8 text with one of its separators, and refuses a matrix, a
workbook, spaces and other encodings; the torch engine's command line reads everything the app
reads. A named command that the engine then refuses would send a person in a circle, so the
form decides which engine is named.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass

SPARK_SEPARATORS = (",", "\t", ";", "|", "::")
"""The torch loader's separators that Spark's CSV reader splits on (spaces it refuses)."""
SPARK_ENCODINGS = ("utf-8", "utf-8-sig", "ascii")
"""Spark reads text as UTF-8: a file in any other encoding becomes replacement characters."""
PLACEHOLDER = "YOUR_FILE.csv"
"""The file in a command when the data came from no file (a sample, the generator, edits)."""


@dataclass(frozen=True)
class FileForm:
    """A file as the loader read it: its name, shape and text form, and the reading options
    the command line has too (the duplicates policy, the rating scale, a like threshold)."""

    name: str
    shape: str  # "long" | "wide"
    encoding: str | None = None  # None: an Excel workbook
    sep: str | None = None
    duplicates: str = "error"
    rating_range: tuple[float, float] | None = None
    like_threshold: float | None = None

    @property
    def spark_reads(self) -> bool:
        """True when the Spark engine reads this file as it is."""
        return (self.shape == "long" and self.encoding in SPARK_ENCODINGS
                and self.sep in SPARK_SEPARATORS)


def fit_command(form: FileForm | None, task: str = "ratings") -> list[str]:
    """The words of ``python -m recsys_core fit`` that train ``form``'s file without the
    server's limits: on Spark where its reader takes the file (and for data from no file,
    which a person will write out as long rows), else on the torch engine's command line."""
    if form is None or form.spark_reads:
        engine = ["--engine", "spark"] + (["--model", "als"] if task == "ranking" else [])
    else:
        engine = ["--format", form.shape]
    return (_fit(form.name if form else PLACEHOLDER, task) + engine + _reading_options(form, task)
            + ["--out", "results"])


def torch_fit_command(name: str, task: str = "ratings") -> list[str]:
    """The torch engine's ``fit`` of the file ``name``, whatever its form (it reads every form
    the app reads): for a file refused before it was read."""
    return _fit(name, task) + ["--out", "results"]


def _fit(name: str, task: str) -> list[str]:
    words = ["python", "-m", "recsys_core", "fit", shell_path(name)]
    return words + (["--task", "ranking"] if task == "ranking" else [])


def _reading_options(form: FileForm | None, task: str) -> list[str]:
    """The options that make the command read the file as the app did (those it has)."""
    if form is None:
        return []
    if task == "ranking":
        return [] if form.like_threshold is None else _option("--like-threshold",
                                                              _number(form.like_threshold))
    words = [] if form.duplicates == "error" else ["--duplicates", form.duplicates]
    if form.rating_range is not None:
        lo, hi = form.rating_range
        words += _option("--rating-range", f"{_number(lo)},{_number(hi)}")
    return words


def _option(flag: str, value: str) -> list[str]:
    """``--flag value``, or ``--flag=value`` where argparse would take ``-1,5`` for an option."""
    return [f"{flag}={value}"] if value.startswith("-") else [flag, value]


def _number(value: float) -> str:
    return f"{float(value):.15g}"


def shell_path(name: str) -> str:
    """A file name as a command's argument: ``./-x.csv`` for one that would read as an option."""
    return f"./{name}" if name.startswith("-") else name


def shell_line(words: list[str]) -> str:
    """The words as one line a POSIX shell reads back as them (spaces and quotes quoted)."""
    return shlex.join(words)
