"""Reading an uploaded rating file: sniff, let the person override each guess, then accept.

``read_upload`` and ``accept_upload`` take plain bytes and a state mapping, so the tests call
them directly (AppTest cannot upload files). A failed upload never touches the current data.
"""

from __future__ import annotations

import logging
from collections.abc import MutableMapping
from dataclasses import dataclass, replace

from recsys_core.data.errors import DuplicatePairError, RatingsError
from recsys_core.data.loading import DUPLICATE_POLICIES, SEPARATORS, Sniffed, load_ratings, sniff
from recsys_core.data.ratings import Ratings
from recsys_core.i18n import L_
from recsys_core.limits import LIMITS

from .state import set_data


def upload_mb() -> int:
    """The largest upload in MB (2**20 bytes, as Streamlit counts them): the app's limit, or
    the server's ``server.maxUploadSize`` if that is lower (Streamlit refuses larger files
    before the app sees them, so the app's words must not promise more)."""
    import streamlit as st

    server = st.get_option("server.maxUploadSize")
    return min(LIMITS.max_upload_mb, int(server)) if server else LIMITS.max_upload_mb


UPLOAD_MB = upload_mb()
MAX_BYTES = UPLOAD_MB * 1024 * 1024
TYPES = ["csv", "tsv", "txt", "xlsx"]
ENCODINGS = ("utf-8", "utf-8-sig", "cp949", "euc-kr", "utf-16", "utf-16-le", "utf-16-be",
             "latin-1")
_LOG = logging.getLogger(__name__)


@dataclass(frozen=True)
class UploadOptions:
    """The person's overrides; None / "auto" means "use the guess"."""

    format: str = "auto"  # auto | wide | long
    sep: str | None = None
    encoding: str | None = None
    sheet: str | None = None
    header: str = "auto"  # auto | yes | no
    columns: tuple[int, int, int] | None = None  # user, item, rating (long files)
    scale: tuple[float, float] | None = None
    duplicates: str = "error"


def _failure(err: Exception) -> str:
    if isinstance(err, RatingsError):
        return err.message
    _LOG.exception("unexpected problem reading an upload")
    return L_("This file could not be read ({details}). Check that it is a CSV, TSV, TXT or XLSX "
              "table of ratings, or choose the separator and format by hand.",
              details=type(err).__name__)


def sniff_upload(data: bytes, name: str, options: UploadOptions) -> tuple[Sniffed | None,
                                                                         str | None]:
    """The loader's guesses and a preview, or a message saying why the file is unreadable."""
    try:
        return sniff(data, name, encoding=options.encoding, sep=options.sep,
                     sheet=options.sheet), None
    except Exception as err:  # noqa: BLE001 - every failure becomes words, never a traceback
        return None, _failure(err)


SNIFF_CACHE = "upload_sniff"  # session key: the last (file, overrides) sniffed and the answer


def sniff_cached(state: MutableMapping, file_id: str, data: bytes, name: str,
                 options: UploadOptions) -> tuple[Sniffed | None, str | None]:
    """``sniff_upload``, remembered in this session for the same file and overrides: a large
    file takes seconds to sniff, and the page reruns on every click while it is shown."""
    key = (file_id, name, options.sep, options.encoding, options.sheet)
    hit = state.get(SNIFF_CACHE)
    if hit is not None and hit[0] == key:
        return hit[1]
    found = sniff_upload(data, name, options)
    state[SNIFF_CACHE] = (key, found)
    return found


def read_upload(data: bytes, name: str, options: UploadOptions) -> tuple[Ratings | None,
                                                                        str | None]:
    """The file as ``Ratings``, or a message in words (never an exception)."""
    try:
        ratings = _load(data, name, options, options.duplicates)
    except Exception as err:  # noqa: BLE001 - every failure becomes words, never a traceback
        return None, _failure(err)
    if ratings.n_ratings == 0:
        return None, L_("The file has no ratings in it. What to do: check the format and "
                        "columns.")
    return ratings, None


def _load(data: bytes, name: str, options: UploadOptions, duplicates: str) -> Ratings:
    header = {"auto": "auto", "yes": True, "no": False}[options.header]
    columns = options.columns if options.format != "wide" else None
    return load_ratings(data, name, format="long" if columns is not None else options.format,
                        sep=options.sep, encoding=options.encoding, columns=columns,
                        rating_range=options.scale, sheet=options.sheet, duplicates=duplicates,
                        max_bytes=MAX_BYTES, header=header)


TRIAL_CACHE = "upload_trial"  # session key: the last options tried in full, and the answer


def trial_cached(state: MutableMapping, file_id: str, data: bytes, name: str,
                 options: UploadOptions) -> tuple[str | None, bool]:
    """What "Use this data" would say about these options, found while the preview is shown:
    the file read in full with duplicated pairs refused. Returns the problem (None when the
    file loads) and whether it is duplicated pairs, so the page can say so beside the
    picker before the person accepts, not after (remembered per file and options)."""
    key = (file_id, name, replace(options, duplicates="error"))
    hit = state.get(TRIAL_CACHE)
    if hit is not None and hit[0] == key:
        return hit[1]
    try:
        _load(data, name, options, duplicates="error")
        found = (None, False)
    except DuplicatePairError as err:
        found = (err.message, True)
    except Exception as err:  # noqa: BLE001 - every failure becomes words, never a traceback
        found = (_failure(err), False)
    state[TRIAL_CACHE] = (key, found)
    return found


def accept_upload(state: MutableMapping, data: bytes, name: str,
                  options: UploadOptions) -> str | None:
    """Make the uploaded file the current data; returns an error message (data unchanged)."""
    ratings, problem = read_upload(data, name, options)
    if problem is not None:
        return problem
    set_data(state, ratings, name, "upload")
    return None


AUTO = "auto"  # widget choice for "use the guess" (None would read as "nothing chosen")
SEPARATOR_CHOICES = [AUTO, *SEPARATORS]
ENCODING_CHOICES = [AUTO, *ENCODINGS]
DUPLICATE_CHOICES = list(DUPLICATE_POLICIES)


def separator_words(sep: str | None) -> str:
    """A separator in words, in English (the page says them in its language)."""
    return "auto-detect" if sep in (None, AUTO) else SEPARATORS[sep]


def chosen(value: str) -> str | None:
    """A widget's choice as a loader argument: "auto" becomes None."""
    return None if value == AUTO else value
