"""``ca-advisor rules new``: a commented rule file and a fixture skeleton to fill in.

The skeleton is a valid rule (its placeholder condition loads), so ``rules check``
can point at what is left to do: every ``TODO`` is reported there, the quote fails
the quote check, and both fixture cases fail ``rules test`` until the author writes
the real condition, message and proposals.  Nothing is ever overwritten.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..model.errors import quoted
from ..model.vocabulary import SLUG_PATTERN
from ..reading.paths import display_path
from ..rulebook.load import FIXTURES_DIR
from ..rulebook.rule import RULE_ID_PATTERN

NAME_PATTERN = SLUG_PATTERN  # a rule's name is a slug like a proposal id

RULE_TEMPLATE = """\
# @ID — @NAME: one line on what this rule guards against.
# Written by `ca-advisor rules new`.  Replace every TODO, then run
#   ca-advisor rules check     is the file well formed, is the quote verbatim?
#   ca-advisor rules test      do the cases in fixtures/@ID.yaml pass?
# Fields, values, operators: `ca-advisor rules docs facts`; every built-in rule: `ca-advisor rules docs`.
id: @ID
name: @NAME
severity: warning              # error | warning | info
title: "TODO: one line saying what is wrong with a proposal this rule flags"
tags: []                       # e.g. [military-balance]; `select:` in ca-advisor.yaml picks rules by tag
# The fact the rule looks at, once per fact:
#   proposal | recipient | component | component_country | equipment
for_each: component
# Tests that must all hold for the rule to fire.  This placeholder fires on every
# training component: replace it.  Group tests with `any:` or `all:`; compare with a
# parameter as {at_least: {param: NAME}}.
when:
  - kind: {is: training}
# requires: [forces]           # fields without which the rule cannot decide; CA602 then says so
# The finding's text; {field} and {param.NAME} are filled in from the fact.
message: >-
  TODO: what the finding says about component '{id}'.
reasoning: >
  TODO: why this matters, in your own words, following the report.
evidence:
  - quote: "TODO: a passage copied verbatim from the report"
    section: "TODO"            # the report's section, e.g. "5"
    # endnote: 123
recommendation: >
  TODO: what the authors of the proposal should change.
# parameters:                  # values a project may change in ca-advisor.yaml
#   max_years:
#     default: 3
#     description: Longest programme, in years, before the rule fires.
"""

def _case_proposal(proposal_id: str, title: str) -> str:
    """A case's proposal in the fixture skeleton: the same small package in both cases,
    for the author to change into one that fires and one that comes close."""
    return f"""\
    proposal:
      format: ca-advisor/proposal/v1
      id: {proposal_id}
      title: {title}
      date: 2013-09-01
      sponsors: [united-states]
      channel: bilateral
      recipients: [kazakhstan]
      components:
        - {{id: course, kind: training}}
"""


FIXTURE_TEMPLATE = """\
# Fixtures for @ID: proposals on which it must fire, and near-misses on which it must
# stay quiet.  `ca-advisor rules test` runs them; both cases fail until filled in.
rule: @ID
cases:
  - name: TODO-a-proposal-it-must-flag
    expect: fire
    # The exact message the rule reports for this proposal (`ca-advisor explain` shows it).
    message: "TODO: the exact message"
""" + _case_proposal("flagged", "A proposal the rule must flag") + """\
  - name: TODO-a-near-miss-it-must-not-flag
    expect: quiet
""" + _case_proposal("near-miss", "A proposal that comes close but must not be flagged")


class ScaffoldError(Exception):
    """A rule id or name that cannot be used, or a file that would be overwritten."""


@dataclass(frozen=True)
class Scaffold:
    rule_file: Path
    fixture_file: Path


def check_names(rule_id: str, name: str) -> None:
    """Raise ``ScaffoldError`` unless the id and name have their forms (before either
    is used in a path)."""
    if not re.fullmatch(RULE_ID_PATTERN, rule_id):  # fullmatch: "$" would let a trailing newline in
        raise ScaffoldError(f"{quoted(rule_id)} is not a rule id; use two or more capital letters and three or more "
                            "digits, e.g. MY101")
    if not re.fullmatch(NAME_PATTERN, name):
        raise ScaffoldError(f"{quoted(name)} is not a rule name; use lower-case letters, digits and hyphens, "
                            "e.g. long-programme-before-succession")


def new_rule(rule_id: str, name: str, directory: Path) -> Scaffold:
    """Write ``directory/ID.yaml`` and ``directory/fixtures/ID.yaml``; refuse to overwrite."""
    check_names(rule_id, name)
    target = Scaffold(directory / f"{rule_id}.yaml", directory / FIXTURES_DIR / f"{rule_id}.yaml")
    for path in (target.rule_file, target.fixture_file):
        if path.exists():
            raise ScaffoldError(f"{display_path(str(path))} already exists; not overwritten "
                                "(choose another id or remove the file)")
    try:
        target.fixture_file.parent.mkdir(parents=True, exist_ok=True)
        for path, template in ((target.rule_file, RULE_TEMPLATE), (target.fixture_file, FIXTURE_TEMPLATE)):
            with path.open("x", encoding="utf-8") as handle:  # "x": never overwrite, even in a race
                handle.write(template.replace("@ID", rule_id).replace("@NAME", name))
    except OSError as exc:
        raise ScaffoldError(f"cannot write {display_path(str(directory))}: {exc.strerror or exc}") from None
    return target
