"""Waivers: accepted findings, each with a reason, an approver and maybe an expiry.

A waivers file (``--waivers FILE``, or ``waivers:`` in the project config)::

    waivers:
      - proposal: us-uz-2013-raven-uav     # the proposal's id
        rule: CA202                        # the rule id of the findings to accept
        reason: Briefed to Astana and Bishkek on 2013-03-02; no objection.
        approved_by: J. Smith, policy board
        expires: 2014-01-01                # optional; valid through this date

Why it is built this way (the complaints about other checkers' suppressions):

* A reason and an approver are required and must show something (not blank, and
  not only zero-width, bidi or other invisible characters), so that every accepted
  risk says why and who.
* A waived finding is *kept* in the report with its waiver attached, in every
  output format (SARIF marks it as a suppression), so that waivers stay visible.
* An expired waiver (``expires`` before the run's date) does not apply; the finding
  counts again and a notice says so, located at the waiver entry.
* A waiver for a proposal that was checked, but that matched none of its findings,
  is reported as stale; a waiver naming a rule the run does not check can match
  nothing and is reported whichever proposals were checked. Notices concern only the proposals checked in this run:
  pre-commit and CI often check only the changed files.
* One entry per (proposal, rule): a second one is an input error, not a tie to break.

A malformed file is an ``InputErrors`` with file, line and field path, read by the
same safe YAML reader and validator as proposals.
"""

from __future__ import annotations

import datetime
import unicodedata
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from ..model.dates import Date
from ..model.errors import InputErrors
from ..model.findings import CheckResult, Report, Waiver, WaiverNotice
from ..model.vocabulary import RULE_ID_PATTERN
from ..reading.validation import validate_document
from ..reading.yaml_source import SourceDocument, parse_yaml, read_yaml_file

WHAT = "a waivers file"


Text = Annotated[str, Field(strict=True)]


class WaiverEntry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)  # built when waivers are read

    proposal: Text
    rule: Annotated[str, Field(strict=True, pattern=RULE_ID_PATTERN)]
    reason: Text
    approved_by: Text
    expires: Date | None = None


class WaiversFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    waivers: list[WaiverEntry]


@dataclass(frozen=True)
class LocatedWaiver:
    """A waiver entry and where it was written, for notices."""

    entry: WaiverEntry
    file: str
    line: int | None
    column: int | None

    @property
    def key(self) -> tuple[str, str]:
        return self.entry.proposal, self.entry.rule

    def waiver(self) -> Waiver:
        e = self.entry
        return Waiver(reason=e.reason.strip(), approved_by=e.approved_by.strip(), expires=e.expires)


@dataclass(frozen=True)
class Waivers:
    file: str
    entries: tuple[LocatedWaiver, ...] = ()


def load_waivers(path: str | Path) -> Waivers:
    """Read and validate a waivers file; raises ``InputErrors`` with located messages."""
    return _validated(read_yaml_file(path, what=WHAT))


def parse_waivers(text: str | bytes, *, file: str = "<waivers>") -> Waivers:
    """Read waivers from YAML text (for the Python API and tests)."""
    return _validated(parse_yaml(text, file=file, what=WHAT))


def _validated(doc: SourceDocument) -> Waivers:
    raw = validate_document(doc, WaiversFile)
    problems = _blank_fields(doc, raw) + _duplicates(doc, raw)
    if problems:
        raise InputErrors(problems)
    entries = []
    for i, entry in enumerate(raw.waivers):
        mark = doc.mark_of(f"waivers[{i}]")
        entries.append(LocatedWaiver(entry, doc.file, mark.line if mark else None, mark.column if mark else None))
    return Waivers(doc.file, tuple(entries))


def _blank_fields(doc: SourceDocument, raw: WaiversFile) -> list:
    return [doc.error(f"waivers[{i}].{name}", f"must not be empty: say {what}" if not getattr(entry, name).strip()
                      else f"has no visible character (only spaces, zero-width or control characters): say {what}")
            for i, entry in enumerate(raw.waivers)
            for name, what in (("proposal", "which proposal id"), ("reason", "why the finding is accepted"),
                               ("approved_by", "who accepted it"))
            if not visible(getattr(entry, name))]


# Characters that draw nothing although Unicode does not call them spaces.
_BLANK_LETTERS = {"ᅟ", "ᅠ", "ㅤ", "ﾠ", "⠀", "᠎"}


def visible(text: str) -> bool:
    """Whether ``text`` shows anything: a reason or approver made of spaces, zero-width
    joiners, bidi marks or Hangul fillers would waive a finding while saying nothing."""
    return any(not (c.isspace() or unicodedata.category(c) in {"Cc", "Cf", "Zs", "Zl", "Zp", "Mn", "Me", "Co", "Cn"}
                    or c in _BLANK_LETTERS) for c in text)


def _duplicates(doc: SourceDocument, raw: WaiversFile) -> list:
    first: dict[tuple[str, str], int] = {}
    problems = []
    for i, entry in enumerate(raw.waivers):
        key = (entry.proposal, entry.rule)
        if key in first:
            mark = doc.mark_of(f"waivers[{first[key]}]")
            where = f"line {mark.line}" if mark else f"waivers[{first[key]}]"
            problems.append(doc.error(f"waivers[{i}]", f"a second waiver for rule {entry.rule} in proposal "
                                                         f"'{entry.proposal}' (the first is on {where}); "
                                                         "keep one entry per proposal and rule"))
        first.setdefault(key, i)
    return problems


def apply_waivers(report: Report, waivers: Waivers, *, today: datetime.date | None = None,
                  rule_ids: Collection[str] | None = None) -> Report:
    """The report with matching findings marked waived and a notice for each waiver
    that expired (before ``today``, default: the real today) or matched nothing.
    With ``rule_ids`` (the rules the run checks), a waiver for any other rule can
    match nothing, whichever proposals were checked, and is reported as such."""
    today = today or datetime.date.today()
    live = {w.key: w for w in waivers.entries if not _expired(w, today)}
    results = [_waive(result, live) for result in report.results]
    notices = _notices(waivers, report.results, today, rule_ids)
    return report.model_copy(update={"results": results, "waiver_notices": report.waiver_notices + notices})


def _expired(w: LocatedWaiver, today: datetime.date) -> bool:
    return w.entry.expires is not None and w.entry.expires < today


def _waive(result: CheckResult, live: dict[tuple[str, str], LocatedWaiver]) -> CheckResult:
    findings = []
    for f in result.findings:
        w = live.get((result.proposal_id, f.rule_id))
        findings.append(f.model_copy(update={"waived": w.waiver()}) if w and f.waived is None else f)
    return result.model_copy(update={"findings": findings})


def _notices(waivers: Waivers, results: list[CheckResult], today: datetime.date,
             rule_ids: Collection[str] | None = None) -> list[WaiverNotice]:
    checked = {r.proposal_id for r in results}
    fired = {(r.proposal_id, f.rule_id) for r in results for f in r.findings}
    notices = []
    for w in waivers.entries:
        e = w.entry
        if rule_ids is not None and e.rule not in rule_ids:
            message = (f"waiver for rule {e.rule} in proposal '{e.proposal}' can match nothing: {e.rule} is not "
                       "among the rules this run checks (no such rule, or one left out by disable/select); fix the "
                       "rule id or remove the waiver")
            notices.append(WaiverNotice(kind="unmatched", file=w.file, line=w.line, column=w.column,
                                        proposal=e.proposal, rule=e.rule, expires=e.expires, message=message))
            continue
        if e.proposal not in checked:
            continue
        if _expired(w, today):
            effect = "its findings count again" if w.key in fired else "it matched no finding either"
            message = (f"waiver for rule {e.rule} in proposal '{e.proposal}' expired on {e.expires} "
                       f"and no longer applies; {effect}")
            kind = "expired"
        elif w.key not in fired:
            message = (f"waiver for rule {e.rule} in proposal '{e.proposal}' matched no finding; "
                       "remove it if the finding is gone")
            kind = "unmatched"
        else:
            continue
        notices.append(WaiverNotice(kind=kind, file=w.file, line=w.line, column=w.column, proposal=e.proposal,
                                    rule=e.rule, expires=e.expires, message=message))
    return notices
