"""What every engine gives: the matches of one check's facts."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Match:
    """A rule held on a fact: ``missing`` is set for CA602 variants."""

    rule_id: str
    fact_id: str
    missing: str | None = None


class EngineError(RuntimeError):
    """An engine failed while running (a bug, not bad input)."""
