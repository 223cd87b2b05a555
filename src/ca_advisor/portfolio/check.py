"""Check a portfolio: the packages in play at a date, as a whole.

The portfolio facts run through the checker's own compiled engine (durable-rules or
native): a portfolio rule is a rule like any other, only over a portfolio fact type,
so per-proposal checks never see it fire and this check sees only portfolio rules
fire.  A finding names every contributing package (file:line) and its share.
"""

from __future__ import annotations

import datetime

from ..conditions.tree import Group, Node, Test
from ..engines.checker import Checker, check_date, facts_used_by
from ..facts.build import Fact
from ..facts.staleness import DEFAULT_STALE_AFTER_YEARS, assess
from ..model.findings import Contributor, PortfolioFinding, PortfolioPackage, PortfolioResult
from ..rulebook.message import render
from .facts import Contribution, build_portfolio_facts
from .package import Package


def check_portfolio(checker: Checker, packages: list[Package], *, as_of: datetime.date | None = None,
                    today: datetime.date | None = None,
                    stale_after_years: int = DEFAULT_STALE_AFTER_YEARS) -> PortfolioResult:
    """The portfolio as of ``as_of`` (default: ``today``, default the real today)."""
    date, source = check_date(None, as_of, today)
    in_play = [p for p in packages if p.in_play(date)]
    built = build_portfolio_facts(in_play, checker.plan.profiles, date)
    by_id = {f.id: f for f in built.facts}
    matches = sorted({m for m in checker.compiled.run([f.engine_payload() for f in built.facts]) if not m.missing},
                     key=lambda m: (m.rule_id, by_id[m.fact_id].order))
    findings = [_finding(checker, m.rule_id, by_id[m.fact_id], built.contributions[m.fact_id], date,
                         stale_after_years) for m in matches]
    listed = [PortfolioPackage(proposal_id=p.id, file=p.file, date=p.date, until=p.until(),
                               duration_assumed=not p.duration_given and p.date is not None,
                               in_play=p.in_play(date)) for p in packages]
    return PortfolioResult(as_of=date, as_of_source=source, packages=listed,
                           findings=sorted(findings, key=lambda f: (f.rule_id, f.subject, f.message)))


def _finding(checker: Checker, rule_id: str, fact: Fact, contributions: list[Contribution],
             date: datetime.date, stale_after_years: int) -> PortfolioFinding:
    rule = checker.plan.rules[rule_id]
    static = rule.static
    facts_used = facts_used_by(static, fact)
    evidence_year, stale = assess(date, static.evidence_year, static.newest_source, facts_used, stale_after_years)
    finding = static.finding(message=render(rule.message, fact.data, rule.params), locations=[],
                             facts_used=facts_used, evidence_year=evidence_year, stale=stale)
    return PortfolioFinding.model_validate({
        **finding, "subject": fact.data.get("country") or fact.data.get("sponsor") or "",
        "contributors": contributors(checker.book.get(rule_id).condition, fact, contributions)})


def contributors(condition: Node, fact: Fact, contributions: list[Contribution]) -> list[Contributor]:
    """Each contributing package with its share: of the quantity the rule totals
    (``total_of``), else what the package gives."""
    capabilities = _totalled(condition)
    if capabilities is None:
        return [_contributor(c, c.adds) for c in contributions]
    mine = [c for c in contributions if not c.offsets]
    theirs = [c for c in contributions if c.offsets]
    mine_total, their_total = (sum(_sum(c, capabilities) for c in side) for side in (mine, theirs))
    out = [_contributor(c, _share(c, capabilities, mine_total, fact.data.get("country", ""))) for c in mine]
    out += [_contributor(c, "offsets: " + _share(c, capabilities, their_total, fact.data.get("neighbour", "")))
            for c in theirs]
    return out


def _share(c: Contribution, capabilities: list[str], total: int, country: str) -> str:
    """"30 of 75 items counted to kyrgyzstan (protected-mobility 30): mrap (...)"."""
    mix = ", ".join(f"{cap} {c.quantities[cap]}" for cap in capabilities if c.quantities.get(cap))
    return f"{_sum(c, capabilities)} of {total} items counted to {country}{f' ({mix})' if mix else ''}: {c.adds}"


def _contributor(c: Contribution, share: str) -> Contributor:
    return Contributor(proposal_id=c.package.id, file=c.package.file, line=c.line, share=share)


def _sum(c: Contribution, capabilities: list[str]) -> int:
    return sum(c.quantities.get(cap, 0) for cap in capabilities)


def _totalled(node: Node) -> list[str] | None:
    """The capabilities over which the rule first totals a quantity field."""
    if isinstance(node, Group):
        for item in node.items:
            found = _totalled(item)
            if found:
                return found
        return None
    if isinstance(node, Test) and node.total_of is not None:
        operand = node.total_of.operand
        return list(operand if isinstance(operand, list) else [operand])
    return None
