"""``ca-advisor portfolio FILES --as-of DATE --explain ID``: why a portfolio rule
fired on the packages in play, or did not, fact by fact, test by test (as
``explain`` does for one proposal), with the contributing packages of each fact."""

from __future__ import annotations

import datetime

from ..engines.checker import Checker
from ..engines.explain import Explanation, _explain_fact, render_explanation
from ..model.errors import where
from .check import contributors
from .facts import build_portfolio_facts
from .package import Package


def explain_portfolio(checker: Checker, packages: list[Package], rule_id: str,
                      as_of: datetime.date) -> tuple[Explanation, list[list[str]]]:
    """The explanation, and per fact (in its order) the contributors' lines (file:line, share)."""
    rule = checker.book.get(rule_id)
    if rule is None or rule.condition is None:
        raise KeyError(rule_id)
    in_play = [p for p in packages if p.in_play(as_of)]
    built = build_portfolio_facts(in_play, checker.plan.profiles, as_of)
    fired = {m.fact_id for m in checker.compiled.run([f.engine_payload() for f in built.facts])
             if m.rule_id == rule_id and not m.missing}
    result = Explanation(rule, f"portfolio of {len(in_play)} of {len(packages)} packages in play, as of {as_of}")
    contributed: list[list[str]] = []
    for fact in built.facts:
        if fact.type != rule.rule.for_each:
            continue
        result.facts.append(_explain_fact(rule, fact, fact.id in fired, [], checker.book.profiles, as_of))
        contributed.append([f"{where(c.file, c.line, None)} {c.proposal_id}: {c.share}"
                            for c in contributors(rule.condition, fact, built.contributions[fact.id])])
    return result, contributed


def render_portfolio_explanation(e: Explanation, contributed: list[list[str]]) -> list[str]:
    """``explain``'s text, each fact's verdict followed by the packages behind it
    (matched by position: two facts may read alike)."""
    return render_explanation(e, lambda i: [f"  from {c}" for c in contributed[i]])
