"""One check: a validated proposal, a rule book and a date in; a CheckResult (or the same as
plain data) out."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from ..conditions import tested_values
from ..facts.build import Fact, build_facts
from ..facts.profiles import DatedFact
from ..facts.sources import SourceBook
from ..facts.staleness import DEFAULT_STALE_AFTER_YEARS, assess_data, evidence_parts
from ..model.findings import CheckResult, Finding
from ..reading.proposals import LoadedProposal
from ..rulebook.load import LoadedRule, RuleBook
from ..rulebook.message import prose, render
from . import Match, build_engine

NOT_EVALUATED = "not-evaluated"


class Checker:
    """Compiles a rule book once; checks any number of proposals, from any thread.

    ``check`` gives the ``CheckResult`` model; ``check_data`` the same result as plain
    data (dicts, lists, dates: what ``CheckResult.model_dump()`` gives), which the
    batch path (batch.py) writes as JSON without building models.  Each rule's parts
    of a finding (name, severity, title; prose and citations) are made once per
    checker, so a finding is two dict merges and what the match itself says."""

    def __init__(self, book: RuleBook, *, engine: str | None = None):
        self.book = book
        self.compiled = build_engine(book.rules, engine)
        self.engine = self.compiled.name  # which engine runs the checks (shown in every output)
        self._rules = {r.id: r for r in book.rules}
        self._not_evaluated = next((r for r in book.rules if r.rule.mechanism == NOT_EVALUATED), None)
        # The prose and citations a rule attaches to every finding, made once per rule
        # (whitespace folding was a fifth of a check's time).
        self._static = {r.id: _static_parts(r, book.sources) for r in book.rules}

    def check(self, loaded: LoadedProposal, *, as_of: datetime.date | None = None,
              today: datetime.date | None = None,
              stale_after_years: int = DEFAULT_STALE_AFTER_YEARS) -> CheckResult:
        return CheckResult.model_validate(self.check_data(loaded, as_of=as_of, today=today,
                                                          stale_after_years=stale_after_years))

    def check_data(self, loaded: LoadedProposal, *, as_of: datetime.date | None = None,
                   today: datetime.date | None = None,
                   stale_after_years: int = DEFAULT_STALE_AFTER_YEARS) -> dict[str, Any]:
        """The check result as plain data, in the field order of ``CheckResult``."""
        proposal = loaded.proposal
        date, source = check_date(proposal.date, as_of, today)
        facts = build_facts(proposal, self.book.profiles, date)
        by_id = {f.id: f for f in facts}
        matches = sorted(set(self.compiled.run([f.engine_payload() for f in facts])),
                         key=lambda m: (m.rule_id, by_id[m.fact_id].order, m.missing or ""))
        findings, strengths = [], []
        seen: set[tuple[str, str]] = set()
        for match in matches:
            finding = self._finding(match, by_id[match.fact_id], loaded, date, stale_after_years)
            # One rule may match several facts that point at the same place (a
            # component serving all recipients, once per country); report it once.
            if finding is None or (finding["rule_id"], finding["message"]) in seen:
                continue
            seen.add((finding["rule_id"], finding["message"]))
            rule = self._rules[match.rule_id].rule
            (strengths if rule.kind == "strength" and not match.missing else findings).append(finding)
        # Sorted by content, not by where facts came from, so that reordering the
        # proposal's lists never reorders the report.
        findings.sort(key=lambda f: (f["rule_id"], f["evaluated_rule"] or "", f["message"]))
        strengths.sort(key=lambda f: (f["rule_id"], f["message"]))
        return {"file": loaded.source.file, "proposal_id": proposal.id, "title": proposal.title,
                "recipients": sorted(proposal.recipients), "as_of": date, "as_of_source": source,
                "findings": findings, "strengths": strengths}

    def _finding(self, match: Match, fact: Fact, loaded: LoadedProposal, date: datetime.date,
                 stale_after_years: int) -> dict[str, Any] | None:
        rule = self._rules[match.rule_id]
        if match.missing:
            if self._not_evaluated is None:
                return None  # CA602 disabled by configuration
            return self._not_evaluated_finding(rule, match.missing, fact, loaded)
        static = self._static[rule.id]
        facts_used = _facts_used(static, fact, self.book.sources)
        evidence_year, stale = assess_data(date, evidence_parts(static.evidence_year, static.newest_source,
                                                                facts_used), stale_after_years)
        return static.finding(message=render(rule.rule.message, fact.data, rule.params),
                              locations=_locations(fact, static.location_fields, loaded),
                              facts_used=facts_used, evidence_year=evidence_year, stale=stale)

    def _not_evaluated_finding(self, rule: LoadedRule, missing: str, fact: Fact,
                               loaded: LoadedProposal) -> dict[str, Any]:
        path = fact.source_path(missing)
        # A component's field is missing from the component, whichever of its facts
        # (a country it touches, an equipment item) the rule looked at.
        where = fact.component_path if missing.startswith("component.") and fact.component_path else fact.path
        values = {"rule": rule.rule.reference, "path": where or "the proposal", "field": missing,
                  "field_path": path}
        return self._static[self._not_evaluated.id].finding(
            message=render(self._not_evaluated.rule.message, values, {}),
            locations=_locations(fact, [missing], loaded), facts_used=[], evaluated_rule=rule.id)


def check_date(proposal_date: datetime.date | None, as_of: datetime.date | None,
               today: datetime.date | None = None) -> tuple[datetime.date, str]:
    """The date a check reads country facts as of, and why: ``--as-of``, else the
    proposal's date, else today."""
    if as_of is not None:
        return as_of, "--as-of"
    if proposal_date is not None:
        return proposal_date, "proposal date"
    return today or datetime.date.today(), "today"


@dataclass(frozen=True)
class _StaticParts:
    """What a rule attaches to every finding, made once per checker."""

    head: dict[str, Any]  # rule_id, name, severity, title
    tail: dict[str, Any]  # reasoning, evidence (citations as dicts), recommendation
    evidence_year: int | None  # the newest source the rule quotes; None for a mechanism
    newest_source: str
    location_fields: list[str]  # the fields a finding points at (not profile facts)
    profile_keys: tuple[str, ...]  # the profile facts the rule reads on its fact's country
    disagree_keys: tuple[str, ...]  # the keys it tests with profiles_disagree_on (on every served country)

    def finding(self, *, message: str, locations: list[dict], facts_used: list[dict],
                evaluated_rule: str | None = None, evidence_year: int | None = None,
                stale: dict | None = None) -> dict[str, Any]:
        """A finding as plain data, in the field order of ``Finding``."""
        return {**self.head, "message": message, "locations": locations, **self.tail, "facts_used": facts_used,
                "evidence_year": evidence_year, "stale": stale, "evaluated_rule": evaluated_rule,
                "waived": None}


def _make_finding(rule: LoadedRule, static: _StaticParts, *, message: str, locations: list,
                  facts_used: list, evaluated_rule: str | None = None, evidence_year: int | None = None,
                  stale: Any = None) -> Finding:
    """A Finding model from a rule's parts (portfolio/check.py builds its findings so);
    ``facts_used``, ``locations`` and ``stale`` as plain data or models."""
    return Finding.model_validate(static.finding(message=message, locations=locations, facts_used=facts_used,
                                                 evaluated_rule=evaluated_rule, evidence_year=evidence_year,
                                                 stale=stale))


def _static_parts(rule: LoadedRule, sources: SourceBook) -> _StaticParts:
    r = rule.rule
    evidence = [{"quote": prose(e.quote), "source": e.source, "section": e.section, "endnote": e.endnote,
                 "citation": e.cite(sources), "source_kind": _kind(sources, e.source)}
                for e in r.evidence]
    dated = sorted((s.year, s.citation) for e in r.evidence if (s := sources.get(e.source)) is not None)
    year, newest = dated[-1] if dated and r.mechanism is None else (None, "")
    fields = rule.referenced_fields()
    return _StaticParts(
        head={"rule_id": r.id, "name": r.name, "severity": r.severity, "title": r.title},
        tail={"reasoning": prose(r.reasoning), "evidence": evidence, "recommendation": prose(r.recommendation)},
        evidence_year=year, newest_source=newest,
        location_fields=[f for f in fields if not f.startswith("profile.")],
        profile_keys=tuple(f[8:] for f in fields if f.startswith("profile.")),
        disagree_keys=tuple(tested_values(rule.condition, "profiles_disagree_on")) if rule.condition else ())


def _kind(sources: SourceBook, source_id: str) -> str:
    source = sources.get(source_id)
    return source.kind if source else "report"


def _locations(fact: Fact, fields: list[str], loaded: LoadedProposal) -> list[dict[str, Any]]:
    paths = list(dict.fromkeys(fact.source_path(f) for f in fields)) or [fact.path]
    out = []
    for path in paths:
        mark = loaded.source.mark_of(path, key=True)
        out.append({"path": path or "(top level)", "line": mark.line if mark else None,
                    "column": mark.column if mark else None})
    return out


def _facts_used(static: _StaticParts, fact: Fact, sources: SourceBook) -> list[dict[str, Any]]:
    """The dated profile facts the rule read: ``profile.KEY`` on this fact's country, and
    for ``profiles_disagree_on`` the tested keys of every served country."""
    used = [fact.profile[key] for key in static.profile_keys if key in fact.profile]
    for key in static.disagree_keys:
        used.extend(p[key] for p in fact.served_profiles if key in p)
    return [_fact_used(f, sources) for f in used]


def _fact_used(f: DatedFact, sources: SourceBook) -> dict[str, Any]:
    """A dated fact as a finding shows it (the fields of ``FactUsed``)."""
    return {"country": f.country, "key": f.key, "value": f.value, "since": f.since, "attested": f.attested,
            "until": f.until, "source": f.source.cite(sources), "evidence_year": f.evidence_year,
            "source_kind": _kind(sources, f.source.id)}
