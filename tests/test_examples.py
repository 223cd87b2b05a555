"""The bundled examples say in their header which findings they produce; keep them true.

Each file in proposals/ carries two comment lines::

    # expect-findings: CA203 CA205 CA302      (or: none)
    # expect-strengths: CA901                 (or: none)

naming the rule ids its check reports (each id once, however often it fires).
"""

from __future__ import annotations

import re

import pytest

from ca_advisor.api import check_paths
from ca_advisor.builtin import examples_dir

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


def test_every_rule_fires_on_some_example(checker):
    report = check_paths(EXAMPLES, checker=checker)
    fired = {f.rule_id for r in report.results for f in r.findings + r.strengths}
    assert sorted({r.id for r in checker.book.rules} - fired) == []
