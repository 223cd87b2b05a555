"""``--format json``: one JSON document, the Report model dumped as it is."""

from __future__ import annotations

from ..findings import Report


def render_json(report: Report, **_options) -> str:
    return report.model_dump_json(indent=2) + "\n"
