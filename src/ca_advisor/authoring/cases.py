"""Rule fixtures: proposals that must make a rule fire, and near-misses that must not.

A fixture file sits beside the rules, in ``<rules dir>/fixtures/<RULE ID>.yaml``::

    rule: CA301
    cases:
      - name: ct-course-for-the-army-only
        expect: fire            # fire | quiet | not-evaluated
        message: "Component 'ct-course' is for counter-terrorism but ..."
        proposal: {format: ca-advisor/proposal/v1, ...}
      - name: ct-course-for-border-troops
        expect: quiet
        proposal: {...}

``fire``: the rule reports exactly the listed message(s) (``message`` or
``messages``).  ``quiet``: it reports nothing, not even CA602.  ``not-evaluated``:
CA602 reports that the rule could not be evaluated, with the given message.
``as_of`` sets the check date when the proposal has no ``date``.

A portfolio rule's case gives ``proposals:`` (a list) instead of ``proposal:`` and an
``as_of`` date: the proposals are checked as one portfolio at that date, and the
rule's portfolio findings are compared (portfolio/check.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from ..engines.checker import Checker
from ..model.dates import Date
from ..model.errors import InputErrors
from ..model.findings import CheckResult
from ..portfolio.check import check_portfolio
from ..portfolio.package import package_of
from ..reading.proposals import proposal_from_mapping
from ..reading.validation import validate_document
from ..reading.yaml_source import SourceDocument, read_yaml_file
from ..rulebook.load import FIXTURES_DIR


class FixtureCase(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)  # built when fixtures are read

    name: Annotated[str, Field(min_length=1)]
    expect: Literal["fire", "quiet", "not-evaluated"]
    # An empty expected message (or list) would pass a case whose rule never fires.
    message: Annotated[str, Field(min_length=1)] | None = None
    messages: Annotated[list[Annotated[str, Field(min_length=1)]], Field(min_length=1)] | None = None
    as_of: Date | None = None
    proposal: dict[str, Any] | None = None
    proposals: Annotated[list[dict[str, Any]], Field(min_length=1)] | None = None  # a portfolio case

    @model_validator(mode="after")
    def _messages_match_expectation(self) -> FixtureCase:
        has = self.message is not None or self.messages is not None
        if self.expect == "quiet" and has:
            raise ValueError("a quiet case expects no message; remove message/messages")
        if self.expect != "quiet" and not has:
            raise ValueError(f"a '{self.expect}' case needs the exact expected message")
        if self.message is not None and self.messages is not None:
            raise ValueError("give message or messages, not both")
        if any(not m.strip() for m in [self.message or "x", *(self.messages or [])]):
            raise ValueError("an expected message is blank; write the exact message the rule gives")
        if (self.proposal is None) == (self.proposals is None):
            raise ValueError("give proposal (one proposal) or proposals (a portfolio), not both or neither")
        if self.proposals is not None and self.as_of is None:
            raise ValueError("a portfolio case (proposals) needs as_of, the date the portfolio is checked at")
        if self.proposals is not None and self.expect == "not-evaluated":
            raise ValueError("a portfolio case cannot expect not-evaluated: a portfolio check reports no CA602; "
                             "expect fire or quiet")
        return self

    def expected_messages(self) -> list[str]:
        return sorted(self.messages if self.messages is not None else [self.message] if self.message else [])


class FixtureFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    rule: str
    cases: Annotated[list[FixtureCase], Field(min_length=1)]


@dataclass(frozen=True)
class CaseOutcome:
    rule_id: str
    case: FixtureCase
    file: str
    passed: bool
    detail: str  # what went wrong, or "" when it passed


def fixture_path(rules_dir: Path, rule_id: str) -> Path:
    return rules_dir / FIXTURES_DIR / f"{rule_id}.yaml"


def load_fixtures(path: Path) -> tuple[SourceDocument, FixtureFile]:
    doc = read_yaml_file(path, what="a rule fixture")
    return doc, validate_document(doc, FixtureFile)


def run_case(checker: Checker, rule_id: str, case: FixtureCase, file: str) -> CaseOutcome:
    if case.proposals is not None:
        return _run_portfolio_case(checker, rule_id, case, file)
    try:
        loaded = proposal_from_mapping(case.proposal, file=f"{file}#{case.name}")
    except InputErrors as exc:
        return CaseOutcome(rule_id, case, file, False, f"the case's proposal is invalid:\n{exc}")
    result = checker.check(loaded, as_of=case.as_of)
    fired = reported_messages(result, rule_id, "fire")
    not_evaluated = reported_messages(result, rule_id, "not-evaluated")
    want = case.expected_messages()
    if case.expect == "quiet":
        ok = not fired and not not_evaluated
    elif case.expect == "fire":
        ok = fired == want
    else:
        ok = not_evaluated == want and not fired
    detail = f"expected {case.expect} {want}; {rule_id} fired {fired}; CA602 for it: {not_evaluated}"
    return CaseOutcome(rule_id, case, file, ok, "" if ok else detail)


def reported_messages(result: CheckResult, rule_id: str, expect: str) -> list[str]:
    """Messages ``rule_id`` produced in ``result``: its own (fire) or CA602's about it."""
    if expect == "not-evaluated":
        return sorted(f.message for f in result.findings if f.evaluated_rule == rule_id)
    return sorted(f.message for f in result.findings + result.strengths
                  if f.rule_id == rule_id and f.evaluated_rule is None)


def _run_portfolio_case(checker: Checker, rule_id: str, case: FixtureCase, file: str) -> CaseOutcome:
    packages = []
    for i, data in enumerate(case.proposals):
        try:
            packages.append(package_of(proposal_from_mapping(data, file=f"{file}#{case.name}[{i}]")))
        except InputErrors as exc:
            return CaseOutcome(rule_id, case, file, False, f"the case's proposal {i} is invalid:\n{exc}")
    result = check_portfolio(checker, packages, as_of=case.as_of)
    fired = sorted(f.message for f in result.findings if f.rule_id == rule_id)
    want = case.expected_messages()
    ok = not fired if case.expect == "quiet" else fired == want
    detail = f"expected {case.expect} {want}; {rule_id} fired {fired}"
    return CaseOutcome(rule_id, case, file, ok, "" if ok else detail)
