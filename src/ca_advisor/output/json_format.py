"""``--format json``: one JSON document, the Report model dumped as it is: results,
errors, waiver notices, ``run`` (tool version, rules run, config, files read and
skipped) and ``summary`` (counts by severity, waived, strengths, stale, input errors)."""

from __future__ import annotations

from ..model.findings import Report


def render_json(report: Report, **_options) -> str:
    return report.model_dump_json(indent=2) + "\n"
