"""The bundled examples say in their header which findings they produce; keep them true.

Each file in proposals/ carries two comment lines::

    # expect-findings: CA203 CA205 CA302      (or: none)
    # expect-strengths: CA901                 (or: none)

naming the rule ids its check reports (each id once, however often it fires).
"""

from __future__ import annotations

import datetime
import re

import pytest

from ca_advisor.api import check_paths
from ca_advisor.portfolio.check import check_portfolio
from ca_advisor.portfolio.package import package_of
from ca_advisor.reading.builtin import examples_dir
from ca_advisor.reading.proposals import read_proposal_file

EXAMPLES = sorted(examples_dir().glob("*.yaml"))


def expected(path, kind: str) -> list[str]:
    match = re.search(rf"^# expect-{kind}:(.*)$", path.read_text(encoding="utf-8"), re.MULTILINE)
    assert match, f"{path.name} has no '# expect-{kind}:' header line"
    ids = match.group(1).split()
    return [] if ids == ["none"] else sorted(ids)


def test_there_are_at_least_ten_examples_and_one_is_clean():
    assert len(EXAMPLES) >= 10
    assert any(expected(p, "findings") == [] for p in EXAMPLES)


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_example_produces_the_findings_its_header_names(checker, path):
    report = check_paths([path], checker=checker)
    assert report.errors == []
    (result,) = report.results
    assert sorted({f.rule_id for f in result.findings}) == expected(path, "findings")
    assert sorted({f.rule_id for f in result.strengths}) == expected(path, "strengths")


# The bundled examples are single packages from different years: no two sponsors
# duplicate each other, no state out-equips a neighbour and no sponsor repeats a
# component across three states in one year.  These portfolio rules fire in their
# fixtures (rules/fixtures/CA70x.yaml) instead.
PORTFOLIO_RULES_NOT_IN_EXAMPLES = ["CA701", "CA702", "CA703"]


def test_every_rule_fires_on_some_example(checker):
    report = check_paths(EXAMPLES, checker=checker)
    fired = {f.rule_id for r in report.results for f in r.findings + r.strengths}
    packages = [package_of(read_proposal_file(path)) for path in EXAMPLES]
    fired |= {f.rule_id for f in check_portfolio(checker, packages, as_of=datetime.date(2013, 9, 1)).findings}
    assert sorted({r.id for r in checker.book.rules} - fired) == PORTFOLIO_RULES_NOT_IN_EXAMPLES
