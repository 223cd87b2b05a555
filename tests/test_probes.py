"""Probe proposals: what a close reader of the report expects the built-in advice to say.

Each file in tests/data/probes/ is a real or realistic assistance package (2001-2023),
with a header comment saying what it is and what the report supports, and the line::

    # expect: CA413 warning, CA302 info, CA901 strength      (or: none)

the exact set of (rule id, severity) its check reports, strengths as ``strength``. A probe
whose current output the reviewer judges wrong carries a second line::

    # xfail: why the current output is not what the report supports

and is expected to fail (strictly: once the rules are fixed it passes, and the lead
removes the line). tests/data/probes/REVIEW.md gives each discrepancy with the passage
and the proposed fix.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ca_advisor.api import check_paths

PROBES_DIR = Path(__file__).parent / "data" / "probes"
PROBES = sorted(PROBES_DIR.glob("*.yaml"))
SEVERITIES = {"error", "warning", "info", "strength"}


def header_line(path: Path, key: str) -> str | None:
    match = re.search(rf"^# {key}: (.*)$", path.read_text(encoding="utf-8"), re.MULTILINE)
    return match.group(1).strip() if match else None


def expected(path: Path) -> set[tuple[str, str]]:
    line = header_line(path, "expect")
    assert line is not None, f"{path.name} has no '# expect:' line"
    if line == "none":
        return set()
    pairs = {tuple(item.split()) for item in line.split(",")}
    for pair in pairs:
        assert len(pair) == 2 and pair[1] in SEVERITIES, f"{path.name}: bad expect item {pair}"
    return pairs


def reported(path: Path, checker) -> set[tuple[str, str]]:
    report = check_paths([path], checker=checker)
    assert report.errors == [], f"{path.name} is not a valid proposal: {report.errors}"
    (result,) = report.results
    return ({(f.rule_id, f.severity) for f in result.findings}
            | {(s.rule_id, "strength") for s in result.strengths})


def probe_param(path: Path):
    reason = header_line(path, "xfail")
    marks = [pytest.mark.xfail(reason=reason, strict=True)] if reason else []
    return pytest.param(path, id=path.stem, marks=marks)


def test_there_are_25_to_40_probes_each_described_in_its_header():
    assert 25 <= len(PROBES) <= 40
    for path in PROBES:
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("# "), f"{path.name} does not start with a comment"
        expected(path)


@pytest.mark.parametrize("path", [probe_param(p) for p in PROBES])
def test_probe_reports_what_the_report_supports(checker, path):
    assert reported(path, checker) == expected(path)
