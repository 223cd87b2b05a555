"""Compare the findings of two versions of a proposal: introduced, resolved, kept.

A review asks "what does this change add?", not "what is wrong with the file?".
Two findings are the same finding when they have the same **rule id, field paths
and message**.  Line numbers are left out on purpose, so that adding a comment or
a component above a finding does not make it look new.  The message is kept in,
because it carries the facts (``12 × M-ATV`` becoming ``40 × M-ATV`` is a new
finding the reviewer should see).  A field path that moves (a component inserted
before it) makes the finding introduced and its old self resolved; that is shown,
not hidden.  Matching counts duplicates: two identical findings in the new version
against one in the old is one kept and one introduced.

Both versions are checked with the same rules, date and waivers; the exit status
is that of the *introduced* findings against ``--fail-on`` (waived ones never
count), 2 on any input error.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from .api import check_paths
from .errors import InputError
from .findings import CheckResult, Finding, Report, WaiverNotice

FindingKey = tuple[str, tuple[str, ...], str]


class FindingDiff(BaseModel):
    model_config = ConfigDict(frozen=True)

    old: CheckResult | None = None
    new: CheckResult | None = None
    introduced: list[Finding] = []
    resolved: list[Finding] = []
    kept: list[Finding] = []
    errors: list[InputError] = []
    waiver_notices: list[WaiverNotice] = []

    def introduced_report(self) -> Report:
        """The introduced findings as a Report of the new file, for any output format."""
        results = [self.new.model_copy(update={"findings": self.introduced, "strengths": []})] if self.new else []
        return Report(results=results, errors=self.errors, waiver_notices=self.waiver_notices)

    def exit_code(self, fail_on: str) -> int:
        return self.introduced_report().exit_code(fail_on)

    def counts(self) -> dict[str, int]:
        return {"introduced": len(self.introduced), "resolved": len(self.resolved), "kept": len(self.kept),
                "input errors": len(self.errors)}


def finding_key(f: Finding) -> FindingKey:
    return f.rule_id, tuple(loc.path for loc in f.locations), f.message


def diff_findings(old: Iterable[Finding], new: Iterable[Finding]) -> tuple[list[Finding], list[Finding], list[Finding]]:
    """(introduced, resolved, kept); kept findings are the new versions (new lines, waivers)."""
    remaining = Counter(finding_key(f) for f in old)
    introduced, kept = [], []
    for f in new:
        key = finding_key(f)
        if remaining[key]:
            remaining[key] -= 1
            kept.append(f)
        else:
            introduced.append(f)
    resolved = []
    for f in old:
        key = finding_key(f)
        if remaining[key]:
            remaining[key] -= 1
            resolved.append(f)
    return introduced, resolved, kept


def diff_reports(old: Report, new: Report) -> FindingDiff:
    """Each report holds one checked file or its input errors (as ``check_paths`` gives).
    The lists are computed whenever both versions were read, even if another input
    (a waivers file) had errors; the exit status is then 2 all the same."""
    old_result = old.results[0] if old.results else None
    new_result = new.results[0] if new.results else None
    errors = list({e.model_dump_json(): e for e in old.errors + new.errors}.values())  # a bad waivers file once
    lists = {}
    if old_result and new_result:
        introduced, resolved, kept = diff_findings(old_result.findings, new_result.findings)
        lists = {"introduced": introduced, "resolved": resolved, "kept": kept}
    return FindingDiff(old=old_result, new=new_result, errors=errors, waiver_notices=new.waiver_notices, **lists)


def diff_paths(old: str | Path, new: str | Path, **options) -> FindingDiff:
    """Check two proposal files with the same options (``check_paths``'s) and compare."""
    return diff_reports(check_paths([old], **options), check_paths([new], **options))
