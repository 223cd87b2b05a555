"""How findings rank and add up, for the report model (findings.py) and for the same
report held as plain data (output/plain_report.py): one definition of each, read through
attributes, so that both forms order, count and fail alike."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

SEVERITY_RANK = {"info": 1, "warning": 2, "error": 3}
FAIL_ON = ("error", "warning", "info", "never")
NO_COUNTS = {"error": 0, "warning": 0, "info": 0, "waived": 0, "strengths": 0, "stale": 0}


def first_line(finding: Any) -> int | None:
    """The line of a finding's first location."""
    return finding.locations[0].line if finding.locations else None


def by_severity(findings: Iterable[Any]) -> list[Any]:
    """Findings as people read them: worst first, then in file order."""
    return sorted(findings, key=lambda f: (-SEVERITY_RANK[f.severity], first_line(f) is None, first_line(f) or 0,
                                           f.rule_id))


def count_findings(results: Iterable[Any], findings: Iterable[Any],
                   field: Callable[[Any, str], Any] = getattr) -> dict[str, int]:
    """The summary's counts: ``results``' strengths, and ``findings`` by severity
    (waived ones apart) and stale.  ``field`` reads a field: ``dict.__getitem__``
    counts plain data without wrapping every finding in a view (batch.py)."""
    counts = dict(NO_COUNTS)
    for result in results:
        counts["strengths"] += len(field(result, "strengths"))
    for f in findings:
        counts["waived" if field(f, "waived") else field(f, "severity")] += 1
        counts["stale"] += field(f, "stale") is not None
    return counts


def fails(counts: dict[str, int], fail_on: str) -> bool:
    """Whether unwaived findings (``counts``) reach ``fail_on``."""
    if fail_on == "never":
        return False
    threshold = SEVERITY_RANK[fail_on]
    return any(counts[severity] for severity, rank in SEVERITY_RANK.items() if rank >= threshold)
