"""Typed problems found in rating data.

Every problem says *what* is wrong, *where* (file, row, column, label) and *what to do*.
Errors stop loading; warnings (``LoadWarning``) travel with the loaded data so the app can
show them beside it. Each carries a stable ``code``, and its words as messages
(:func:`recsys_core.i18n.L_`: English text plus msgid and parameters), so a user interface
can say the whole of it in its own language with ``render(lang)``, details included.
"""

from __future__ import annotations

from dataclasses import dataclass

from recsys_core.i18n import DEFAULT_LANG, L_, Msg, render


class RatingsError(ValueError):
    """Rating data that cannot be used as it is."""

    code = "invalid"

    def __init__(self, what: str, where: str = "", todo: str = "") -> None:
        self.what = what
        self.where = where
        self.todo = todo
        super().__init__(self.message)

    @property
    def message(self) -> Msg:
        """The whole problem, in English (a :class:`~recsys_core.i18n.Msg`)."""
        what = self.what if isinstance(self.what, Msg) else str(self.what).rstrip(".")
        if self.where and self.todo:
            return L_("{what}. Where: {where}. What to do: {todo}.", what=what,
                      where=self.where, todo=self.todo)
        if self.where:
            return L_("{what}. Where: {where}.", what=what, where=self.where)
        if self.todo:
            return L_("{what}. What to do: {todo}.", what=what, todo=self.todo)
        return L_("{what}.", what=what)

    def render(self, lang: str = DEFAULT_LANG) -> str:
        """The whole problem in ``lang``."""
        return render(self.message, lang)


class EmptyFileError(RatingsError):
    """Nothing to learn from: a header without rows, no interactions, no rating at the threshold."""

    code = "empty"


class FileFormatError(RatingsError):
    """Not a table we can read: binary file, unknown encoding, no usable columns."""

    code = "format"


class NonNumericRatingError(RatingsError):
    """A rating cell holds text that is not a number; the message names its row and column."""

    code = "non_numeric"


class DuplicatePairError(RatingsError):
    """A long table rates one (user, item) pair more than once and the chosen policy is
    "error"; the message lists the lines and offers the mean, the first or the last rating."""

    code = "duplicate_pair"


class DuplicateLabelError(RatingsError):
    """Two rows or two columns carry the same user or item label."""

    code = "duplicate_label"


class OutOfRangeError(RatingsError):
    """A rating outside the scale the user set (or the scale itself is upside down):
    the file is refused rather than clipped, so no value changes silently."""

    code = "out_of_range"


class TooLargeError(RatingsError):
    """The upload is past the size the limits allow, said in megabytes before anything is parsed."""

    code = "too_large"


@dataclass(frozen=True)
class LoadWarning:
    """Something loaded but worth saying: a short row, a user with no ratings, a merged duplicate.

    ``message`` is a :class:`~recsys_core.i18n.Msg` (English, and ``render(lang)``)."""

    code: str
    message: str

    def __str__(self) -> str:
        return self.message

    def render(self, lang: str = DEFAULT_LANG) -> str:
        return render(self.message, lang)
