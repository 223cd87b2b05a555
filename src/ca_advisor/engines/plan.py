"""A check plan: everything a check reads of a rule book, as plain data.

A ``Checker`` checks from its plan, never from the rule book's models: per rule, what
decides and words its findings (kind, message, parameters, and the parts every
finding of the rule repeats: name, severity, reasoning, quoted evidence with
citations, and which fields and country facts it points at); the country facts
(facts/dated.py); and the run's constants (which rules count, which packs were used).
Being plain, a plan can be written as JSON and read back (``to_data``/``from_data``),
which is how plan_cache.py spares a new process loading and validating the rule
files: tests/test_plan_cache.py holds the findings of a plan read back to those of
the rule book it came from.

Made from a book by ``plan_from_book``; nothing here imports the rule book's or the
profiles' models.
"""

from __future__ import annotations

import datetime
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from ..facts.dated import DatedFact, ProfileTable

if TYPE_CHECKING:
    from ..rulebook.load import LoadedRule, RuleBook

NOT_EVALUATED = "not-evaluated"  # the mechanism of the rule that reports rules it could not decide (CA602)
FORMAT = 2  # of to_data's output; a plan of another format is not read


@dataclass(frozen=True)
class StaticParts:
    """What a rule attaches to every finding, made once per plan."""

    head: dict[str, Any]  # rule_id, name, severity, title
    tail: dict[str, Any]  # reasoning, evidence (citations as dicts), recommendation
    evidence_year: int | None  # the newest source the rule quotes; None for a mechanism
    newest_source: str
    location_fields: list[str]  # the fields a finding points at (not profile facts)
    profile_keys: list[str]  # the profile facts the rule reads on its fact's country
    disagree_keys: list[str]  # the keys it tests with profiles_disagree_on (on every served country)

    def finding(self, *, message: str, locations: list[dict], facts_used: list[dict],
                evaluated_rule: str | None = None, evidence_year: int | None = None,
                stale: dict | None = None) -> dict[str, Any]:
        """A finding as plain data, in the field order of ``Finding``."""
        return {**self.head, "message": message, "locations": locations, **self.tail, "facts_used": facts_used,
                "evidence_year": evidence_year, "stale": stale, "evaluated_rule": evaluated_rule,
                "waived": None}


@dataclass(frozen=True)
class RulePlan:
    """One rule as a check reads it."""

    id: str
    file: str  # the rule file (a run never writes its report over one)
    kind: str  # "finding" or "strength"
    for_each: str
    mechanism: str | None
    message: str  # the template (rulebook/message.py)
    params: dict[str, Any]
    reference: str  # how CA602 names the rule
    static: StaticParts


@dataclass(frozen=True)
class CheckPlan:
    rules: dict[str, RulePlan]
    profiles: ProfileTable
    check_rules: int  # the rules a proposal's check runs (portfolio rules run only in a portfolio check)
    packs_used: list[dict[str, Any]] = field(default_factory=list)  # PackUsed fields, per pack
    # The durable-rules network (engines/durable.py: definitions and field trees), when
    # the plan was made for that engine; None for the native engine, which needs the
    # condition trees and so the rule book.
    durable: dict[str, Any] | None = None

    @property
    def not_evaluated(self) -> RulePlan | None:
        """The rule that reports rules it could not decide (CA602), unless disabled."""
        return next((r for r in self.rules.values() if r.mechanism == NOT_EVALUATED), None)

    @property
    def reports_findings(self) -> bool:
        return any(r.kind == "finding" for r in self.rules.values())

    def to_data(self) -> dict[str, Any]:
        """The plan as JSON-able data (dates as ISO text)."""
        return {"format": FORMAT, "rules": [asdict(r) for r in self.rules.values()],
                "profiles": {country: {key: [_fact_data(f) for f in facts] for key, facts in keys.items()}
                             for country, keys in self.profiles.entries.items()},
                "check_rules": self.check_rules, "packs_used": self.packs_used, "durable": self.durable}

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> CheckPlan:
        """The plan ``to_data`` wrote; raises KeyError, TypeError or ValueError on anything else."""
        if data["format"] != FORMAT:
            raise ValueError(f"plan format {data['format']!r}")
        rules = [RulePlan(**{**r, "static": StaticParts(**r["static"])}) for r in data["rules"]]
        profiles = {country: {key: [_fact(f) for f in facts] for key, facts in keys.items()}
                    for country, keys in data["profiles"].items()}
        return cls({r.id: r for r in rules}, ProfileTable(profiles), data["check_rules"], data["packs_used"],
                   data["durable"])


_DATES = ("since", "attested", "until")


def _fact_data(fact: DatedFact) -> dict[str, Any]:
    data = asdict(fact)
    for name in _DATES:
        if data[name] is not None:
            data[name] = data[name].isoformat()
    return data


def _fact(data: dict[str, Any]) -> DatedFact:
    dates = {name: datetime.date.fromisoformat(data[name]) if data[name] is not None else None for name in _DATES}
    return DatedFact(**{**data, **dates})


def plan_from_book(book: RuleBook, durable: dict[str, Any] | None = None) -> CheckPlan:
    """The plan of a rule book (``durable``: its compiled network, when it runs on durable-rules)."""
    from ..facts.portfolio_schema import PORTFOLIO_FACT_TYPES
    from ..rulebook.packs import packs_used

    rules = {r.id: _rule_plan(r, book) for r in book.rules}
    check_rules = sum(1 for r in rules.values() if r.for_each not in PORTFOLIO_FACT_TYPES)
    return CheckPlan(rules, book.profiles.table, check_rules,
                     [p.model_dump() for p in packs_used(book.packs)], durable)


def _rule_plan(rule: LoadedRule, book: RuleBook) -> RulePlan:
    r = rule.rule
    return RulePlan(id=r.id, file=rule.file, kind=r.kind, for_each=r.for_each, mechanism=r.mechanism, message=r.message,
                    params=dict(rule.params), reference=r.reference, static=_static_parts(rule, book))


def _static_parts(rule: LoadedRule, book: RuleBook) -> StaticParts:
    from ..conditions import tested_values
    from ..rulebook.message import prose

    r, sources = rule.rule, book.sources
    evidence = [{"quote": prose(e.quote), "source": e.source, "section": e.section, "endnote": e.endnote,
                 "citation": e.cite(sources), "source_kind": sources.kind(e.source)}
                for e in r.evidence]
    dated = sorted((s.year, s.citation) for e in r.evidence if (s := sources.get(e.source)) is not None)
    year, newest = dated[-1] if dated and r.mechanism is None else (None, "")
    fields = rule.referenced_fields()
    return StaticParts(
        head={"rule_id": r.id, "name": r.name, "severity": r.severity, "title": r.title},
        tail={"reasoning": prose(r.reasoning), "evidence": evidence, "recommendation": prose(r.recommendation)},
        evidence_year=year, newest_source=newest,
        location_fields=[f for f in fields if not f.startswith("profile.")],
        profile_keys=[f[8:] for f in fields if f.startswith("profile.")],
        disagree_keys=list(tested_values(rule.condition, "profiles_disagree_on")) if rule.condition else [])

