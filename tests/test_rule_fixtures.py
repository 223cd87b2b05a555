"""Every case in rules/fixtures/*.yaml, one test each (the sqlfluff pattern)."""

from __future__ import annotations

import pytest

from ca_advisor.authoring.cases import load_fixtures, run_case
from ca_advisor.reading.builtin import builtin_rules_dir
from ca_advisor.rulebook.load import FIXTURES_DIR

FIXTURE_FILES = sorted((builtin_rules_dir() / FIXTURES_DIR).glob("*.yaml"))
CASES = [(path, fixture.rule, case) for path in FIXTURE_FILES for fixture in [load_fixtures(path)[1]]
         for case in fixture.cases]


@pytest.mark.parametrize("path,rule_id,case", CASES,
                         ids=[f"{rule}-{case.expect}-{case.name}" for _, rule, case in CASES])
def test_fixture_case(checker, path, rule_id, case):
    outcome = run_case(checker, rule_id, case, str(path))
    assert outcome.passed, outcome.detail


def test_every_rule_has_a_firing_case_and_a_near_miss(checker):
    by_rule = {}
    for _, rule_id, case in CASES:
        by_rule.setdefault(rule_id, set()).add(case.expect)
    missing = {}
    for loaded in checker.book.rules:
        expects = by_rule.get(loaded.id, set())
        if loaded.rule.mechanism == "not-evaluated":
            continue  # CA602 is exercised by the not-evaluated cases of the rules that need fields
        needed = {"fire", "quiet"} - expects
        if needed:
            missing[loaded.id] = sorted(needed)
    assert missing == {}


def test_fixture_files_are_named_after_their_rule():
    for path in FIXTURE_FILES:
        assert load_fixtures(path)[1].rule == path.stem


def test_ca602_is_exercised_by_some_rule(checker):
    assert any(case.expect == "not-evaluated" for _, _, case in CASES)
