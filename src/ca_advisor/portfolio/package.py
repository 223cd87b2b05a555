"""What the portfolio keeps of one checked proposal: its window in play and a
summary of each component, with the lines contributors are named by."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from ..reading.proposals import LoadedProposal

# A proposal that does not give duration_years is taken to be in play for one year
# from its date: the shortest programme a sponsor agrees, so an old package without a
# duration drops out of the portfolio rather than counting for ever.
DEFAULT_DURATION_YEARS = 1.0
_DAYS_PER_YEAR = 365.25


@dataclass(frozen=True)
class ComponentSummary:
    id: str
    kind: str
    countries: tuple[str, ...]
    forces: tuple[str, ...]
    purposes: tuple[str, ...]
    quantities: tuple[tuple[str, int], ...]  # (capability, quantity) of its equipment transfers
    line: int | None


@dataclass(frozen=True)
class Package:
    id: str
    file: str
    line: int | None  # of `recipients`, where a reader sees whom the package serves
    date: datetime.date | None
    duration_years: float
    duration_given: bool
    sponsors: tuple[str, ...]
    channel: str
    recipients: tuple[str, ...]
    consulted: tuple[str, ...]  # consulted, partners and co-sponsors: who was spoken to
    threats: tuple[str, ...]
    components: tuple[ComponentSummary, ...]

    def until(self) -> datetime.date | None:
        if self.date is None:
            return None
        return self.date + datetime.timedelta(days=round(self.duration_years * _DAYS_PER_YEAR))

    def in_play(self, as_of: datetime.date) -> bool:
        """From its date (inclusive) to date + duration (exclusive); undated: always."""
        return self.date is None or self.date <= as_of < self.until()


def package_of(loaded: LoadedProposal, default_duration: float = DEFAULT_DURATION_YEARS) -> Package:
    p, doc = loaded.proposal, loaded.source

    def line(path: str) -> int | None:
        mark = doc.mark_of(path, key=True)
        return mark.line if mark else None

    components = []
    for i, c in enumerate(p.components):
        transfers = c.kind == "equipment-transfer"
        quantities = tuple((e.capability, e.quantity) for e in c.equipment or []) if transfers else ()
        components.append(ComponentSummary(
            c.id, c.kind, tuple(c.served_countries(list(p.recipients))), tuple(sorted(c.forces or ())),
            tuple(sorted(c.purposes or ())), quantities, line(f"components[{i}]")))
    spoken_to = {*(p.consulted or ()), *(p.partners or ()), *p.sponsors}
    return Package(
        id=p.id, file=doc.file, line=line("recipients"), date=p.date,
        duration_years=float(p.duration_years or default_duration), duration_given=p.duration_years is not None,
        sponsors=tuple(sorted(p.sponsors)), channel=p.channel, recipients=tuple(p.recipients),
        consulted=tuple(sorted(spoken_to)),
        threats=tuple(sorted(p.justification.threats or ())) if p.justification else (),
        components=tuple(components))
