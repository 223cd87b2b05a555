"""``ca-advisor explain FILE --rule ID``: why a rule fired on a proposal, or did not.

For every fact of the rule's ``for_each`` type, the explanation lists each test of
the rule's conditions, whether it held, and the value the fact has, with the
dated country facts a ``profile.`` test read (value, since, until, source, file).

The verdict "fired or not" comes from the engine ``check`` runs (the same compiled
rule set).  Which *test* held is the condition language's evaluator with its trace
on (conditions/evaluate.py), since an engine only says whether the whole rule
matched; tests/test_explain.py checks that both agree on every fixture case, and a
disagreement is printed rather than hidden.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..conditions import ABSENT, Test, TraceLine, evaluate, lookup
from ..conditions.phrases import GROUP_WORDS, test_words, value_text
from ..facts.build import Fact, build_facts
from ..facts.dated import DatedFact, dating_text
from ..facts.profiles import ProfileBook, why_not_in_force
from ..reading.paths import display_path
from ..reading.proposals import LoadedProposal
from ..rulebook.load import LoadedRule
from ..rulebook.message import render
from .checker import Checker, check_date


@dataclass(frozen=True)
class ConditionLine:
    depth: int
    held: bool
    text: str  # the test in words, or "all of:" / "at least one of:"
    found: str | None = None  # the fact's value, for a test


@dataclass(frozen=True)
class FactExplanation:
    label: str
    fired: bool  # the engine's verdict
    held: bool  # this module's reading of the conditions
    not_given: tuple[str, ...]  # required fields whose absence the engine reported (CA602)
    lines: tuple[ConditionLine, ...]
    message: str | None

    @property
    def agrees(self) -> bool:
        return self.fired == self.held


@dataclass(frozen=True)
class Explanation:
    rule: LoadedRule
    subject: str  # what was checked, and as of when: the explanation's second line
    facts: list[FactExplanation] = field(default_factory=list)

    @property
    def fired(self) -> bool:
        return any(f.fired for f in self.facts)


def explain(checker: Checker, loaded: LoadedProposal, rule_id: str, *,
            as_of: datetime.date | None = None) -> Explanation:
    """Run the checker's engine on the proposal and explain ``rule_id`` fact by fact."""
    rule = checker.book.get(rule_id)
    if rule is None or rule.condition is None:
        raise KeyError(rule_id)
    date, source = check_date(loaded.proposal.date, as_of)
    facts = build_facts(loaded.proposal, checker.plan.profiles, date)
    matches = [m for m in checker.compiled.run([f.engine_payload() for f in facts]) if m.rule_id == rule_id]
    fired = {m.fact_id for m in matches if not m.missing}
    missing: dict[str, list[str]] = {}
    for m in matches:
        if m.missing:
            missing.setdefault(m.fact_id, []).append(m.missing)
    result = Explanation(rule, f"proposal {loaded.proposal.id} in {loaded.source.file}, checked as of {date} "
                               f"({source})")
    for fact in facts:
        if fact.type == rule.rule.for_each:
            result.facts.append(_explain_fact(rule, fact, fact.id in fired, sorted(missing.get(fact.id, [])),
                                              checker.book.profiles, date))
    return result


def _explain_fact(rule: LoadedRule, fact: Fact, fired: bool, not_given: list[str], profiles: ProfileBook,
                  date: datetime.date) -> FactExplanation:
    trace: list[TraceLine] = []
    held = evaluate(rule.condition, fact.data, trace)
    lines = tuple(_line(step, fact, profiles, date) for step in trace)
    message = render(rule.rule.message, fact.data, rule.params) if fired else None
    return FactExplanation(fact_label(fact), fired, held, tuple(not_given), lines, message)


def _line(step: TraceLine, fact: Fact, profiles: ProfileBook, date: datetime.date) -> ConditionLine:
    if not isinstance(step.node, Test):
        return ConditionLine(step.depth, step.held, GROUP_WORDS[step.node.mode])
    return ConditionLine(step.depth, step.held, test_words(step.node, name_params=False),
                         _found(step.node, step.value, fact, profiles, date))


def _found(test: Test, value: Any, fact: Fact, profiles: ProfileBook, date: datetime.date) -> str:
    if test.field.startswith("profile."):
        return _profile_found(test.field[len("profile."):], fact, profiles, date)
    if value is ABSENT:
        return "not given"
    if test.total_of is not None:
        entries = lookup(fact.data, test.field)
        parts = ", ".join(f"{k} {value_text(entries.get(k, 0))}" for k in test.total_of.operand if entries.get(k))
        return f"total {value_text(value)}" + (f" ({parts})" if parts else "")
    return value_text(value)


def _profile_found(key: str, fact: Fact, profiles: ProfileBook, date: datetime.date) -> str:
    country = fact.data.get("country", "")
    if not fact.data.get("has_profile"):
        return f"not given: there is no country profile for {country}"
    dated = fact.profile.get(key)
    if dated is None:
        profile = profiles.profiles.get(country)
        why = why_not_in_force(profile.facts.get(key, []), date) if profile else ""
        return f"not given: no {country} fact for {key} is in force on {date}" + (f" ({why})" if why else "")
    return f"{dated.value} ({dated_fact_text(dated, profiles)})"


def dated_fact_text(dated: DatedFact, profiles: ProfileBook) -> str:
    """'uzbekistan foreign_military_bases since 2012-08-01, DIIS Report 2013:12, §4, n.189,
    profiles/uzbekistan.yaml:31'."""
    origin = profiles.origin(dated.country, dated.key, dated.start)
    where = f", {display_path(origin.file)}:{origin.line}" if origin and origin.line else ""
    return (f"{dated.country} {dated.key} {dating_text(dated.since, dated.attested, dated.until)}, "
            f"{dated.citation}{where}")


def fact_label(fact: Fact) -> str:
    d = fact.data
    where = fact.path or "(top level)"
    component = d.get("component", {}).get("id")
    labels = {
        "proposal": f"the proposal '{d.get('id')}'",
        "recipient": f"recipient {d.get('country')} ({where})",
        "component": f"component '{d.get('id')}' ({where})",
        "component_country": f"{d.get('country')}, {d.get('role')} country of component '{component}' ({where})",
        "equipment": f"equipment '{d.get('item')}' of component '{component}' ({where})",
        "portfolio_recipient": f"portfolio of {d.get('country')}",
        "portfolio_pair": f"portfolio of {d.get('country')} against its neighbour {d.get('neighbour')}",
        "portfolio_sponsor_pair": f"{' and '.join(d.get('sponsors', []))} in {d.get('country')}",
        "portfolio_sponsor_component": f"{d.get('sponsor')}'s {d.get('kind')} components of {d.get('year')} "
                                       f"({', '.join(d.get('purposes', [])) or 'no purpose given'})",
    }
    return labels[fact.type]


# --- text -----------------------------------------------------------------------

def render_explanation(e: Explanation, below_verdict: Callable[[int], list[str]] | None = None) -> list[str]:
    """``explain``'s text; ``below_verdict(i)``: lines to show under the verdict of the
    i-th fact (the portfolio's contributing packages)."""
    r = e.rule.rule
    fired = [f for f in e.facts if f.fired]
    kind = r.for_each.replace("_", " ")
    lines = [f"{r.id} {r.name} ({r.severity}): {r.title}", e.subject]
    if not e.facts:
        lines.append(f"{r.id} did not fire: the proposal has no {kind} facts for it to look at.")
        return lines
    if fired:
        lines.append(f"{r.id} fired on {len(fired)} of {len(e.facts)} {kind} fact{'s' if len(e.facts) != 1 else ''}.")
    else:
        lines.append(f"{r.id} did not fire on {'any of the' if len(e.facts) != 1 else 'the'} {len(e.facts)} {kind} "
                     f"fact{'s' if len(e.facts) != 1 else ''}.")
    for i, fact in enumerate(e.facts):
        verdict, *rest = _fact_lines(e.rule, fact)
        lines += ["", verdict, *(below_verdict(i) if below_verdict else []), *rest]
    return lines


def _fact_lines(rule: LoadedRule, fact: FactExplanation) -> list[str]:
    verdict = "FIRED" if fact.fired else "did not fire"
    lines = [f"{fact.label}: {verdict}"]
    for line in fact.lines:
        mark = "[held]" if line.held else "[not held]"
        found = f"; found: {line.found}" if line.found is not None else ""
        lines.append(f"  {'  ' * line.depth}- {mark} {line.text}{found}")
    for name in fact.not_given:
        lines.append(f"  not evaluated: the proposal does not give '{name}', which {rule.id} requires "
                     "(reported as CA602 not-evaluated)")
    if fact.message:
        lines.append(f"  message: {fact.message}")
    if not fact.agrees:
        lines.append("  note: this reading of the conditions disagrees with the engine, whose verdict is shown; "
                     "please report it")
    return lines
