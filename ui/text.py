"""Safe text: anything that may carry a user's labels goes through here before markdown."""

from __future__ import annotations

import re

# Every ASCII punctuation character may be backslash-escaped in CommonMark; these are the ones
# that start markdown, HTML, LaTeX ($) or Streamlit directives (:red[...], :material/x:).
_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~:$=&\"'])")


def md_escape(text: object) -> str:
    """Text shown literally by st.markdown / st.error / st.warning / st.info."""
    return _SPECIAL.sub(r"\\\1", str(text)).replace("\n", "  \n")


def fmt(value: float | None, digits: int = 2) -> str:
    return "-" if value is None else f"{value:.{digits}f}"
