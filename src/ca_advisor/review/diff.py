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
from collections.abc import Callable, Iterable
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from ..model.errors import InputError
from ..model.findings import CheckResult, Finding, Report, WaiverNotice

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


# --- two directories ------------------------------------------------------------------

ABSENT = "(absent)"


class DirectoryDiff(BaseModel):
    """Two directories of proposals compared file by file (paired by their path below
    each directory); a proposal only in NEW has all its findings introduced, one only
    in OLD all resolved.  ``warnings`` name pairs whose proposal ids differ."""

    model_config = ConfigDict(frozen=True)

    diffs: list[FindingDiff] = []
    warnings: list[str] = []
    errors: list[InputError] = []

    def exit_code(self, fail_on: str) -> int:
        if self.errors:
            return 2
        return max((d.exit_code(fail_on) for d in self.diffs), default=0)

    def counts(self) -> dict[str, int]:
        totals = Counter({"introduced": 0, "resolved": 0, "kept": 0, "input errors": len(self.errors)})
        for d in self.diffs:
            totals.update(d.counts())
        return dict(totals)

    def introduced_report(self) -> Report:
        reports = [d.introduced_report() for d in self.diffs]
        notices = list({n.model_dump_json(): n for r in reports for n in r.waiver_notices}.values())
        errors = list({e.model_dump_json(): e for r in reports for e in r.errors}.values()) + self.errors
        return Report(results=[res for r in reports for res in r.results], errors=errors, waiver_notices=notices)


# How a directory's proposals are listed, and how one file is checked: given by the
# caller (the API), so that comparing never depends on how checking is set up.
ListProposals = Callable[[list[Path], list[InputError]], list[str]]
CheckFile = Callable[[str], Report]


def pair_proposals(old_dir: Path, new_dir: Path, errors: list[InputError],
                   list_proposals: ListProposals) -> list[tuple[str | None, str | None]]:
    """(old file, new file) for every proposal path below either directory, sorted."""

    def below(directory: Path) -> dict[str, str]:
        return {Path(f).relative_to(directory).as_posix(): f for f in list_proposals([directory], errors)}

    old, new = below(old_dir), below(new_dir)
    return [(old.get(name), new.get(name)) for name in sorted(old.keys() | new.keys())]


def diff_directories(old_dir: str | Path, new_dir: str | Path, *, check: CheckFile,
                     list_proposals: ListProposals) -> DirectoryDiff:
    """Check every proposal of two directories the same way and compare them pairwise."""
    errors: list[InputError] = []
    diffs, warnings = [], []
    for old_file, new_file in pair_proposals(Path(old_dir), Path(new_dir), errors, list_proposals):
        old = check(old_file) if old_file else None
        new = check(new_file) if new_file else None
        d = diff_reports(old or _absent(new), new or _absent(old))
        diffs.append(d)
        if d.old and d.new and d.old.proposal_id != d.new.proposal_id and ABSENT not in (d.old.file, d.new.file):
            warnings.append(f"{old_file} is proposal '{d.old.proposal_id}' but {new_file} is "
                            f"'{d.new.proposal_id}': they are compared because they have the same path; "
                            "waivers match by proposal id")
    return DirectoryDiff(diffs=diffs, warnings=warnings, errors=errors)


def _absent(other: Report) -> Report:
    """The side of a pair that has no file: the same proposal with no findings."""
    if not other.results:
        return Report()
    present = other.results[0]
    return Report(results=[present.model_copy(update={"file": ABSENT, "findings": [], "strengths": []})])
