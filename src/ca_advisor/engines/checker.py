"""One check: a validated proposal, a check plan and a date in; a CheckResult (or the
same as plain data) out."""

from __future__ import annotations

import datetime
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ..facts.build import Fact, build_facts
from ..facts.staleness import DEFAULT_STALE_AFTER_YEARS, assess
from ..rulebook.message import render
from .plan import NOT_EVALUATED, CheckPlan, RulePlan, StaticParts, plan_from_book

if TYPE_CHECKING:
    from ..model.findings import CheckResult
    from ..reading.proposals import LoadedProposal
    from ..rulebook.load import RuleBook

__all__ = ["NOT_EVALUATED", "Checker", "check_date"]


class Checker:
    """Compiles a rule book once; checks any number of proposals, from any thread.

    ``check`` gives the ``CheckResult`` model; ``check_data`` the same result as plain
    data (dicts, lists, dates: what ``CheckResult.model_dump()`` gives), which the
    batch path (batch.py) writes as JSON without building models.  A check reads only
    the plan (engines/plan.py): each rule's parts of a finding are made once, so a
    finding is two dict merges and what the match itself says.

    ``Checker(book)`` makes the plan from a loaded rule book; ``Checker.from_plan``
    takes a plan read back from plan_cache.py and loads the rule book only if
    something asks for it (``book``: explain, the portfolio, rule tools, SARIF)."""

    def __init__(self, book: RuleBook, *, engine: str | None = None):
        from . import build_engine

        compiled = build_engine(book.rules, engine)
        self._start(plan_from_book(book, getattr(compiled, "network", None)), compiled, book=book)

    @classmethod
    def from_plan(cls, plan: CheckPlan, load_book: Callable[[], RuleBook]) -> Checker:
        """A checker for a plan made for durable-rules (``plan.durable``)."""
        from .durable import DurableEngine

        checker = cls.__new__(cls)
        checker._start(plan, DurableEngine.from_network(plan.durable), load_book=load_book)
        return checker

    def _start(self, plan: CheckPlan, compiled: Any, *, book: RuleBook | None = None,
               load_book: Callable[[], RuleBook] | None = None) -> None:
        """``book``, or how to load it when first asked for (a plan from the cache)."""
        self.plan = plan
        self.compiled = compiled
        self.engine = compiled.name  # which engine runs the checks (shown in every output)
        self._book = book
        self._load_book = load_book
        self._book_lock = threading.Lock()
        self._not_evaluated = plan.not_evaluated

    @property
    def book(self) -> RuleBook:
        """The rule book the plan was made from (loaded when first asked for, if the
        plan came from the cache)."""
        with self._book_lock:
            if self._book is None:
                self._book = self._load_book()
            return self._book

    def check(self, loaded: LoadedProposal, *, as_of: datetime.date | None = None,
              today: datetime.date | None = None,
              stale_after_years: int = DEFAULT_STALE_AFTER_YEARS) -> CheckResult:
        from ..model.findings import CheckResult

        return CheckResult.model_validate(self.check_data(loaded, as_of=as_of, today=today,
                                                          stale_after_years=stale_after_years))

    def check_data(self, loaded: LoadedProposal, *, as_of: datetime.date | None = None,
                   today: datetime.date | None = None,
                   stale_after_years: int = DEFAULT_STALE_AFTER_YEARS) -> dict[str, Any]:
        """The check result as plain data, in the field order of ``CheckResult``."""
        proposal = loaded.proposal
        date, source = check_date(proposal.date, as_of, today)
        facts = build_facts(proposal, self.plan.profiles, date)
        by_id = {f.id: f for f in facts}
        matches = sorted(set(self.compiled.run([f.engine_payload() for f in facts])),
                         key=lambda m: (m.rule_id, by_id[m.fact_id].order, m.missing or ""))
        findings, strengths = [], []
        seen: set[tuple[str, str]] = set()
        for match in matches:
            fact, rule = by_id[match.fact_id], self.plan.rules[match.rule_id]
            reporter = self._not_evaluated if match.missing else rule  # the rule a finding is under
            if reporter is None:
                continue  # CA602 disabled by configuration
            message = self._message(rule, match.missing, fact)
            # One rule may match several facts that point at the same place (a
            # component serving all recipients, once per country); report it once
            # (and build only what is reported).
            if (reporter.id, message) in seen:
                continue
            seen.add((reporter.id, message))
            finding = self._finding(rule, match.missing, fact, message, loaded, date, stale_after_years)
            (strengths if rule.kind == "strength" and not match.missing else findings).append(finding)
        # Sorted by content, not by where facts came from, so that reordering the
        # proposal's lists never reorders the report.
        findings.sort(key=lambda f: (f["rule_id"], f["evaluated_rule"] or "", f["message"]))
        strengths.sort(key=lambda f: (f["rule_id"], f["message"]))
        return {"file": loaded.source.file, "proposal_id": proposal.id, "title": proposal.title,
                "recipients": sorted(proposal.recipients), "as_of": date, "as_of_source": source,
                "findings": findings, "strengths": strengths}

    def _message(self, rule: RulePlan, missing: str | None, fact: Fact) -> str:
        if not missing:
            return render(rule.message, fact.data, rule.params)
        # A component's field is missing from the component, whichever of its facts
        # (a country it touches, an equipment item) the rule looked at.
        where = fact.component_path if missing.startswith("component.") and fact.component_path else fact.path
        values = {"rule": rule.reference, "path": where or "the proposal", "field": missing,
                  "field_path": fact.source_path(missing)}
        return render(self._not_evaluated.message, values, {})

    def _finding(self, rule: RulePlan, missing: str | None, fact: Fact, message: str, loaded: LoadedProposal,
                 date: datetime.date, stale_after_years: int) -> dict[str, Any]:
        if missing:
            return self._not_evaluated.static.finding(message=message, locations=_locations(fact, [missing], loaded),
                                                      facts_used=[], evaluated_rule=rule.id)
        static = rule.static
        facts_used = facts_used_by(static, fact)
        evidence_year, stale = assess(date, static.evidence_year, static.newest_source, facts_used,
                                      stale_after_years)
        return static.finding(message=message, locations=_locations(fact, static.location_fields, loaded),
                              facts_used=facts_used, evidence_year=evidence_year, stale=stale)


def check_date(proposal_date: datetime.date | None, as_of: datetime.date | None,
               today: datetime.date | None = None) -> tuple[datetime.date, str]:
    """The date a check reads country facts as of, and why: ``--as-of``, else the
    proposal's date, else today."""
    if as_of is not None:
        return as_of, "--as-of"
    if proposal_date is not None:
        return proposal_date, "proposal date"
    return today or datetime.date.today(), "today"


def _locations(fact: Fact, fields: list[str], loaded: LoadedProposal) -> list[dict[str, Any]]:
    paths = list(dict.fromkeys(fact.source_path(f) for f in fields)) or [fact.path]
    out = []
    for path in paths:
        mark = loaded.source.mark_of(path, key=True)
        out.append({"path": path or "(top level)", "line": mark.line if mark else None,
                    "column": mark.column if mark else None})
    return out


def facts_used_by(static: StaticParts, fact: Fact) -> list[dict[str, Any]]:
    """The dated profile facts the rule read: ``profile.KEY`` on this fact's country, and
    for ``profiles_disagree_on`` the tested keys of every served country."""
    used = [fact.profile[key] for key in static.profile_keys if key in fact.profile]
    for key in static.disagree_keys:
        used.extend(p[key] for p in fact.served_profiles if key in p)
    return [f.used for f in used]
