"""How old the evidence under a finding is, and when it is too old to act on unconfirmed.

A finding rests on the passages its rule quotes and on the dated country facts it
read.  Each has an evidence year: a quoted source's date, and for a fact its
``attested`` date, else its source's date.  A rule's evidence is as new as the newest
source it quotes; the finding's evidence is as old as the oldest of its parts,
because one outdated premise is enough to make the advice wrong.

When the check date is more than ``stale_after_years`` calendar years past that
evidence, the finding is marked stale: the advice may still hold, but a reviewer must
confirm it before acting.  The default, five years, is about one electoral or
planning cycle in the region: the report's own 2012-2013 stances had already changed
within five years (Uzbekistan's succession in 2016, the closing of the Manas transit
centre in 2014), so older evidence is no longer safe to assume.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..model.findings import FactUsed

DEFAULT_STALE_AFTER_YEARS = 5


def evidence_parts(rule_year: int | None, rule_citation: str,
                   facts: list[FactUsed | dict]) -> list[tuple[int, int, str]]:
    """(year, rank, what) for each dated part a finding rests on; on a tie in year a
    dated fact (rank 0) is named before the rule's quotes, being the more specific.
    ``facts``: FactUsed models, or the same as plain data (as checker.py makes them)."""
    facts = [f if isinstance(f, dict) else f.model_dump() for f in facts]
    parts = [(f["evidence_year"], 0, f"{f['country']} {f['key']}: {f['source']}") for f in facts
             if f["evidence_year"] is not None]
    if rule_year is not None:
        parts.append((rule_year, 1, rule_citation))
    return parts


def assess_data(check_date: datetime.date, parts: list[tuple[int, int, str]],
                stale_after_years: int) -> tuple[int | None, dict | None]:
    """The year of the oldest evidence, and a staleness note (the fields of
    ``Staleness``) when it is past the limit."""
    if not parts:
        return None, None
    year, _, what = min(parts)
    age = check_date.year - year
    if age <= stale_after_years:
        return year, None
    message = (f"rests on evidence from {year} ({what}), {age} years before the check date {check_date}: "
               "confirm it still holds")
    return year, {"evidence_year": year, "age_years": age, "source": what, "message": message}
