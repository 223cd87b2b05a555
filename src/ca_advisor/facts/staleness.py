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

DEFAULT_STALE_AFTER_YEARS = 5


def oldest_evidence(rule_year: int | None, rule_citation: str, facts: list[dict]) -> tuple[int, str] | None:
    """The year and the name of the oldest dated part a finding rests on: the dated
    country facts it read and the rule's quotes (``rule_year``: the newest source it
    quotes).  On a tie in year a dated fact is named before the rule's quotes, being
    the more specific, and tied facts in the order of their names; None when nothing
    is dated.  ``facts``: the fields of ``FactUsed`` (``DatedFact.used``).  Only the
    named part's text is made: a finding reads several facts."""
    years = [f["evidence_year"] for f in facts if f["evidence_year"] is not None]
    if years and (rule_year is None or min(years) <= rule_year):
        year = min(years)
        return year, min(f"{f['country']} {f['key']}: {f['source']}" for f in facts if f["evidence_year"] == year)
    return None if rule_year is None else (rule_year, rule_citation)


def assess(check_date: datetime.date, rule_year: int | None, rule_citation: str, facts: list[dict],
           stale_after_years: int) -> tuple[int | None, dict | None]:
    """The year of a finding's oldest evidence (``oldest_evidence``), and a staleness
    note (the fields of ``Staleness``) when it is past the limit."""
    oldest = oldest_evidence(rule_year, rule_citation, facts)
    if oldest is None:
        return None, None
    year, what = oldest
    age = check_date.year - year
    if age <= stale_after_years:
        return year, None
    message = (f"rests on evidence from {year} ({what}), {age} years before the check date {check_date}: "
               "confirm it still holds")
    return year, {"evidence_year": year, "age_years": age, "source": what, "message": message}
