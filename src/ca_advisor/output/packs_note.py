"""How every output format names the rule packs a check used, in one place.

Formats call ``packs_line`` for a line of prose and ``packs_data`` for structured
output; both say nothing when no pack was used, so a run without packs reads as before.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..model.findings import Report


def packs_line(report: Report) -> str | None:
    """'packs: public-record-2014 1.0.0 (shipped with ca-advisor)', or None without packs."""
    listed = packs_list(report)
    return f"packs: {listed}" if listed else None


def packs_list(report: Report) -> str | None:
    """'public-record-2014 1.0.0 (shipped with ca-advisor)', or None without packs."""
    return "; ".join(f"{p.name} {p.version} ({p.origin})" for p in report.packs) or None


def packs_data(report: Report) -> list[dict[str, Any]]:
    return [p.model_dump(mode="json") for p in report.packs]
