"""Find a rule's quote in the report text, verbatim up to layout.

The report is a text extraction of a typeset PDF: lines break anywhere, words are
hyphenated across line ends ("percep-/tion"), and page headers interrupt
paragraphs.  A quote counts as verbatim when it matches the report with
whitespace runs treated as one space, a line-end hyphenation either joined
("perception") or kept ("Afghanistan-linked"), and typographic quotation marks
equal to straight ones.
"""

from __future__ import annotations

import re
from functools import lru_cache

_SOFT = "\u00ad"
_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})


@lru_cache(maxsize=4)
def normalise_report(text: str) -> str:
    text = text.translate(_QUOTES)
    text = re.sub(r"(\w)-[ \t]*\n\s*(\w)", rf"\1{_SOFT}\2", text)  # line-end hyphenation
    return re.sub(r"\s+", " ", text)


def _pattern(quote: str) -> re.Pattern:
    parts = []
    for ch in re.sub(r"\s+", " ", quote.translate(_QUOTES).strip()):
        if ch == " ":
            parts.append(r"\s+")
        elif ch == "-":
            parts.append(f"[-{_SOFT}]")
        else:
            parts.append(re.escape(ch) + (f"{_SOFT}?" if ch.isalnum() else ""))
    return re.compile("".join(parts))


def quote_in_report(quote: str, report_text: str) -> bool:
    return _pattern(quote).search(normalise_report(report_text)) is not None
