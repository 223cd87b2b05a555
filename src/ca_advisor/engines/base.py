"""What every engine gives: the matches of one check's facts."""

from __future__ import annotations

from typing import NamedTuple


class Match(NamedTuple):
    """A rule held on a fact: ``missing`` is set for CA602 variants.  (A tuple: a
    check makes one per match, and a frozen dataclass took twice as long to
    make and to hash.)"""

    rule_id: str
    fact_id: str
    missing: str | None = None


class EngineError(RuntimeError):
    """An engine failed while running (a bug, not bad input)."""
