"""Country facts as a check reads them: each entry dated and cited, and which entry is
in force on a date.

``ProfileBook`` (profiles.py) reads and validates profile files; what a check needs
of it is this table, plain data that a cached check plan (engines/plan.py) can hold
without the profile models.  The rule for which entry holds is in
``entry_in_force``, the one place it is written.
"""

from __future__ import annotations

import bisect
import datetime
import functools
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, NamedTuple, Protocol


@dataclass(frozen=True)
class DatedFact:
    """One fact entry, with what it rests on: its value, its dating, and its source as
    findings cite it."""

    country: str
    key: str
    value: str
    since: datetime.date | None
    attested: datetime.date | None
    until: datetime.date | None
    source_id: str
    citation: str  # the source with section, endnote or reference, as a finding shows it
    source_kind: str  # "report", "public-record", ... (sources.py)
    evidence_year: int | None

    @property
    def start(self) -> datetime.date:
        """When the entry starts to hold: its onset, else the date it is attested by."""
        return self.since or self.attested

    @functools.cached_property
    def used(self) -> dict[str, Any]:
        """The fact as a finding shows it (the fields of ``FactUsed``), made once:
        every finding that read it shares this dict, as findings share their rule's
        parts (nothing changes a finding's data in place)."""
        return {"country": self.country, "key": self.key, "value": self.value, "since": self.since,
                "attested": self.attested, "until": self.until, "source": self.citation,
                "evidence_year": self.evidence_year, "source_kind": self.source_kind}


class _Dated(Protocol):
    @property
    def start(self) -> datetime.date: ...

    @property
    def until(self) -> datetime.date | None: ...


def entry_in_force(entries: Iterable[_Dated], date: datetime.date) -> _Dated | None:
    """The latest entry that has started by ``date`` and has not ended before it."""
    started = [e for e in entries if e.start <= date]
    if not started:
        return None
    latest = max(started, key=lambda e: e.start)
    if latest.until is not None and date >= latest.until:
        return None
    return latest


def dating_text(since: datetime.date | None, attested: datetime.date | None, until: datetime.date | None) -> str:
    """'since 1992-07-03', 'attested by 2013-04-01', 'since 2006-06-23 until 2012-06-20', ..."""
    parts = ([f"since {since}"] if since else []) + ([f"attested by {attested}"] if attested else [])
    return " ".join(parts) + (f" until {until}" if until else "")


class InForce(NamedTuple):
    """A country's facts in force on a date, and their values (key -> value), as a
    fact of a check carries them.  Shared by every check in the same interval: read
    only."""

    facts: dict[str, DatedFact]
    values: dict[str, str]


NOTHING_IN_FORCE = InForce({}, {})  # a country without a profile, in every check: never change it


class ProfileTable:
    """Every country's fact entries (country -> key -> entries), and the facts in force
    on a date."""

    def __init__(self, entries: dict[str, dict[str, list[DatedFact]]]):
        self.entries = entries
        # What in_force found, per country and validity interval; filled as used.
        self._in_force: dict[tuple[str, int], InForce] = {}
        self._breaks: dict[str, list[datetime.date]] = {}

    def has_profile(self, country: str) -> bool:
        return country in self.entries

    def as_of(self, country: str, date: datetime.date) -> dict[str, DatedFact]:
        """The country's facts in force on ``date`` (a new dict: callers may change it)."""
        return dict(self.in_force(country, date).facts)

    def in_force(self, country: str, date: datetime.date) -> InForce:
        """The country's facts in force on ``date`` and their values, shared: read only.

        Which entries are in force changes only on a date some entry starts or ends,
        so the answer is the same for every date between two such dates: it is
        computed once per country and interval, and a batch of proposals dated all
        over the years costs a few dozen computations, not one per check.  A country
        without a profile has nothing in force, and is not remembered (a run over
        many misspelt names would otherwise grow the table)."""
        if country not in self.entries:
            return NOTHING_IN_FORCE
        breaks = self._breaks.get(country)
        if breaks is None:
            facts = [f for fs in self.entries[country].values() for f in fs]
            breaks = sorted({f.start for f in facts} | {f.until for f in facts if f.until is not None})
            self._breaks[country] = breaks
        key = (country, bisect.bisect_right(breaks, date))
        found = self._in_force.get(key)
        if found is None:
            facts = self._compute_as_of(country, date)
            found = self._in_force[key] = InForce(facts, {k: f.value for k, f in facts.items()})
        return found

    def _compute_as_of(self, country: str, date: datetime.date) -> dict[str, DatedFact]:
        in_force = {}
        for key, facts in self.entries.get(country, {}).items():
            fact = entry_in_force(facts, date)
            if fact is not None:
                in_force[key] = fact
        return in_force
