"""Build the portfolio facts from the packages in play at a date.

Each fact is a ``facts.Fact`` (so both engines take it like any other) plus the
packages that contribute to it (``Contribution``), which findings name.  Only
grouping, unions and sums happen here; every judgement is in the rule files.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import combinations

from ..facts.build import Fact, _drop_empty
from ..facts.dated import ProfileTable
from ..facts.portfolio_schema import NEIGHBOURS
from ..model import vocabulary as v
from .package import ComponentSummary, Package


@dataclass(frozen=True)
class Contribution:
    """One package's part in a portfolio fact: where (file:line), what it adds, and
    its equipment per capability (for shares of a quantity a rule totals)."""

    package: Package
    line: int | None
    adds: str
    quantities: dict[str, int] = field(default_factory=dict)
    offsets: bool = False  # it counts against the fact's lead (a neighbour's package)


@dataclass
class PortfolioFacts:
    facts: list[Fact]
    contributions: dict[str, list[Contribution]]  # by fact id


def build_portfolio_facts(packages: list[Package], profiles: ProfileTable, as_of: datetime.date) -> PortfolioFacts:
    """The facts of the packages in play at ``as_of``, in a fixed order."""
    out = PortfolioFacts([], {})
    served = _served(packages)
    totals = {c: _quantities(parts) for c, parts in served.items()}
    for country in sorted(served):
        _add(out, _recipient_fact(country, served[country], totals[country], profiles, as_of))
    for country in sorted(served):
        # Pairs of neighbouring recipients: the portfolio compares what it gives each.
        for neighbour in (n for n in NEIGHBOURS.get(country, ()) if n in served):
            _add(out, _pair_fact(country, neighbour, served[country], served[neighbour], totals))
        for pair in _sponsor_pairs(country, served[country], profiles, as_of):
            _add(out, pair)
    for group in _sponsor_components(packages):
        _add(out, group)
    for order, fact in enumerate(out.facts):
        fact.order = order
    return out


def _add(out: PortfolioFacts, built: tuple[Fact, list[Contribution]]) -> None:
    fact, contributions = built
    out.facts.append(fact)
    out.contributions[fact.id] = contributions


def _served(packages: list[Package]) -> dict[str, list[tuple[Package, list[ComponentSummary]]]]:
    """Per recipient: each package serving it, with the components that serve it."""
    served: dict[str, list] = defaultdict(list)
    for package in packages:
        for country in dict.fromkeys(package.recipients):
            served[country].append((package, [c for c in package.components if country in c.countries]))
    return served


def _quantities(parts) -> dict[str, int]:
    totals = {cap: 0 for cap in v.CAPABILITIES}
    for _package, components in parts:
        for component in components:
            for cap, quantity in component.quantities:
                totals[cap] += quantity
    return totals


def _package_quantities(components: list[ComponentSummary]) -> dict[str, int]:
    return _quantities([(None, components)])


def _union(values) -> list[str]:
    return sorted(set(values))


def _transfers(parts):
    """The packages of ``parts`` that transfer equipment, with their components."""
    return [(p, cs) for p, cs in parts if any(c.quantities for c in cs)]


def _recipient_fact(country, parts, quantities: dict[str, int], profiles: ProfileTable,
                    as_of) -> tuple[Fact, list[Contribution]]:
    dated = profiles.as_of(country, as_of)
    components = [c for _p, cs in parts for c in cs]
    sponsors = _union(s for p, _ in parts for s in p.sponsors)
    data = _drop_empty({
        "country": country, "has_profile": profiles.has_profile(country),
        "package_count": len(parts), "packages": [p.id for p, _ in parts],
        "sponsors": sponsors,
        "sponsor_count": len(sponsors),
        "channels": _union(p.channel for p, _ in parts),
        "threats": _union(t for p, _ in parts for t in p.threats),
        "component_kinds": _union(c.kind for c in components),
        "forces": _union(f for c in components for f in c.forces),
        "purposes": _union(x for c in components for x in c.purposes),
        "transferred_quantity": quantities,
        "transferred_capabilities": sorted(c for c, q in quantities.items() if q),
        "transfer_package_count": len(_transfers(parts)),
        "profile": {k: f.value for k, f in dated.items()},
    })
    contributions = [Contribution(p, p.line, _adds(cs), _package_quantities(cs)) for p, cs in parts]
    return Fact("portfolio_recipient", f"portfolio_recipient:{country}", "", data, profile=dated), contributions


def _adds(components: list[ComponentSummary]) -> str:
    """What a package gives a country, in a few words: its components' kinds,
    purposes and forces."""
    parts = []
    for c in components:
        detail = ", ".join(filter(None, ["/".join(c.purposes), "/".join(c.forces)]))
        parts.append(f"{c.id} ({c.kind}{'; ' + detail if detail else ''})")
    return "; ".join(parts) or "no component serving it"


def _pair_fact(country, neighbour, parts, neighbour_parts, totals) -> tuple[Fact, list[Contribution]]:
    mine = totals[country]
    theirs = totals[neighbour]
    transfers = _transfers(parts)
    data = _drop_empty({
        "country": country, "neighbour": neighbour,
        "transferred_quantity": mine, "neighbour_transferred_quantity": theirs,
        "quantity_lead": {cap: max(0, mine[cap] - theirs[cap]) for cap in v.CAPABILITIES},
        "transfer_package_count": len(transfers),
        "sponsors": _union(s for p, _cs in transfers for s in p.sponsors),
    })
    contributions = [Contribution(p, p.line, _adds(cs), _package_quantities(cs)) for p, cs in transfers]
    contributions += [Contribution(p, p.line, _adds(cs), _package_quantities(cs), offsets=True)
                      for p, cs in _transfers(neighbour_parts)]
    return Fact("portfolio_pair", f"portfolio_pair:{country}:{neighbour}", "", data), contributions


def _sponsor_pairs(country, parts, profiles: ProfileTable, as_of):
    """Per pair of sponsors that both serve ``country``: what their components share.
    A package with both as sponsors is theirs jointly, so they consulted each other."""
    by_sponsor: dict[str, list] = defaultdict(list)
    for package, components in parts:
        for sponsor in package.sponsors:
            by_sponsor[sponsor].append((package, components))
    dated = profiles.as_of(country, as_of)
    for a, b in combinations(sorted(by_sponsor), 2):
        mine, theirs = by_sponsor[a], by_sponsor[b]
        consulted = any(b in p.consulted for p, _ in mine) or any(a in p.consulted for p, _ in theirs)

        def shared(attribute, mine=mine, theirs=theirs):
            def values(side):
                return {x for _p, cs in side for c in cs for x in attribute(c)}
            return sorted(values(mine) & values(theirs))

        data = _drop_empty({
            "country": country, "has_profile": profiles.has_profile(country), "sponsors": [a, b],
            "consulted_each_other": consulted,
            "shared_kinds": shared(lambda c: (c.kind,)), "shared_purposes": shared(lambda c: c.purposes),
            "shared_forces": shared(lambda c: c.forces),
            "shared_capabilities": shared(lambda c: [cap for cap, _q in c.quantities]),
            "package_count": len({p.id for p, _ in mine + theirs}),
            "profile": {k: f.value for k, f in dated.items()},
        })
        contributions = [Contribution(p, p.line, f"{sponsor}: {_adds(cs)}", _package_quantities(cs))
                         for sponsor, side in ((a, mine), (b, theirs)) for p, cs in side]
        yield (Fact("portfolio_sponsor_pair", f"portfolio_sponsor_pair:{country}:{a}:{b}", "", data, profile=dated),
               contributions)


def _sponsor_components(packages: list[Package]):
    """Components serving one country each, grouped by sponsor, start year and
    substance (kind, purposes, capabilities): ids, items, quantities, forces and areas
    may differ; a different purpose or capability makes a different component."""
    groups: dict[tuple, list[tuple[Package, ComponentSummary]]] = defaultdict(list)
    for package in packages:
        if package.date is None:
            continue  # no start year to compare
        for component in package.components:
            if len(component.countries) != 1:
                continue  # a joint component is a regional initiative in the open
            capabilities = tuple(sorted({cap for cap, _q in component.quantities}))
            for sponsor in package.sponsors:
                key = (sponsor, package.date.year, component.kind, component.purposes, capabilities)
                groups[key].append((package, component))
    for (sponsor, year, kind, purposes, capabilities), members in sorted(groups.items()):
        countries = _union(c.countries[0] for _p, c in members)
        data = _drop_empty({
            "sponsor": sponsor, "year": year, "kind": kind, "purposes": list(purposes),
            "capabilities": list(capabilities), "forces": _union(f for _p, c in members for f in c.forces),
            "countries": countries, "country_count": len(countries),
            "package_count": len({p.id for p, _ in members}),
        })
        contributions = [Contribution(p, c.line, f"{c.id} to {c.countries[0]}", _package_quantities([c]))
                         for p, c in members]
        key = ":".join([sponsor, str(year), kind, "+".join(purposes), "+".join(capabilities)])
        yield Fact("portfolio_sponsor_component", f"portfolio_sponsor_component:{key}", "", data), contributions
