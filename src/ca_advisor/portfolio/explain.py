"""``ca-advisor portfolio FILES --as-of DATE --explain ID``: why a portfolio rule
fired on the packages in play, or did not, fact by fact, test by test (as
``explain`` does for one proposal), with the contributing packages of each fact."""

from __future__ import annotations

import datetime

from ..engines.checker import Checker
from ..engines.explain import Explanation, _explain_fact, render_explanation
from .check import contributors
from .facts import build_portfolio_facts
from .package import Package


def explain_portfolio(checker: Checker, packages: list[Package], rule_id: str,
                      as_of: datetime.date) -> tuple[Explanation, dict[str, list[str]]]:
    """The explanation, and per fact label the contributors' lines (file:line, share)."""
    rule = checker.book.get(rule_id)
    if rule is None or rule.condition is None:
        raise KeyError(rule_id)
    in_play = [p for p in packages if p.in_play(as_of)]
    built = build_portfolio_facts(in_play, checker.book.profiles, as_of)
    fired = {m.fact_id for m in checker.compiled.run([f.engine_payload() for f in built.facts])
             if m.rule_id == rule_id and not m.missing}
    result = Explanation(rule, f"{len(in_play)} of {len(packages)} packages in play", "portfolio", as_of, "--as-of")
    contributed: dict[str, list[str]] = {}
    for fact in built.facts:
        if fact.type != rule.rule.for_each:
            continue
        explained = _explain_fact(rule, fact, fact.id in fired, [], checker.book.profiles, as_of)
        result.facts.append(explained)
        contributed[explained.label] = [f"{c.file}:{c.line} {c.proposal_id}: {c.share}" if c.line else
                                        f"{c.file} {c.proposal_id}: {c.share}"
                                        for c in contributors(rule.condition, fact, built.contributions[fact.id])]
    return result, contributed


def render_portfolio_explanation(e: Explanation, contributed: dict[str, list[str]]) -> list[str]:
    """``explain``'s text, each fact followed by the packages behind it."""
    lines = []
    rendered = render_explanation(e)
    rendered[1] = f"portfolio of {e.file}, as of {e.as_of}"
    for line in rendered:
        lines.append(line)
        label = line.rsplit(": ", 1)[0]
        if line.endswith((": FIRED", ": did not fire")) and label in contributed:
            lines.extend(f"  from {c}" for c in contributed[label])
    return lines
