"""Typed problems found in rating data.

Every problem says *what* is wrong, *where* (file, row, column, label) and *what to do*.
Errors stop loading; warnings (``LoadWarning``) travel with the loaded data so the app can
show them beside it. Each carries a stable ``code`` so a user interface can translate it.
"""

from __future__ import annotations

from dataclasses import dataclass


class RatingsError(ValueError):
    """Rating data that cannot be used as it is."""

    code = "invalid"

    def __init__(self, what: str, where: str = "", todo: str = "") -> None:
        self.what = what
        self.where = where
        self.todo = todo
        super().__init__(self.message)

    @property
    def message(self) -> str:
        parts = [self.what.rstrip(".") + "."]
        if self.where:
            parts.append(f"Where: {self.where}.")
        if self.todo:
            parts.append(f"What to do: {self.todo.rstrip('.')}.")
        return " ".join(parts)


class EmptyFileError(RatingsError):
    code = "empty"


class FileFormatError(RatingsError):
    """Not a table we can read: binary file, unknown encoding, no usable columns."""

    code = "format"


class NonNumericRatingError(RatingsError):
    code = "non_numeric"


class DuplicatePairError(RatingsError):
    code = "duplicate_pair"


class DuplicateLabelError(RatingsError):
    code = "duplicate_label"


class OutOfRangeError(RatingsError):
    code = "out_of_range"


class TooLargeError(RatingsError):
    code = "too_large"


@dataclass(frozen=True)
class LoadWarning:
    """Something loaded but worth saying: a short row, a user with no ratings, a merged duplicate."""

    code: str
    message: str

    def __str__(self) -> str:
        return self.message
