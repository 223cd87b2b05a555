"""The batch path: many files checked into plain data, JSON written without models.

``check_paths`` (api.py) gives a ``Report`` of pydantic models, which every output
format and Python caller reads.  For ``check --format json`` on many files the models
are pure cost: the check already makes each result as plain data
(``Checker.check_data``), and orjson writes that data exactly as pydantic's
``model_dump_json(indent=2)`` writes the model (tests/test_fast_path.py compares the
two byte for byte on every example, fixture case and a generated corpus).  So
``run_batch`` returns a ``PlainReport``: ``to_json()`` writes it directly, ``to_data()``
gives it as plain data for the text and compact formats (without input errors or
waivers), and ``to_report()`` builds the models (and applies waivers, which need them)
for every other case.  With no input errors the report's head is plain data too
(``RunSetup.shell_data``), so a run of valid proposals never imports pydantic
(cli/quick_check.py).

``jobs`` > 1 checks the files in forked worker processes (``fork_pool.py``); the
results come back in file order, as JSON fragments or plain data.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Union

import orjson

from .model.errors import InputErrors
from .model.severity import NO_COUNTS, count_findings, fails
from .output.inert import inert_data
from .output.plain_report import report_data
from .reading.proposals import read_target
from .reading.targets import IdPlace, ProposalIds, Target, expand_targets
from .reading.yaml_source import DEFAULT_LIMITS, Limits

if TYPE_CHECKING:
    from .model.errors import InputError
    from .model.findings import Report
    from .run_setup import RunSetup

# pydantic's model_dump_json(indent=2): two-space indent, ": " and "," as separators,
# non-ASCII as it is; orjson's OPT_INDENT_2 writes the same (and dates as ISO text).
JSON_OPTIONS = orjson.OPT_INDENT_2


@dataclass
class PlainReport:
    """What ``Report`` holds, with results as plain data (``CheckResult.model_dump()``)
    or, from workers, as JSON fragments."""

    setup: RunSetup
    today: datetime.date | None
    results: list[dict[str, Any]] = field(default_factory=list)
    errors: list[InputError] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # YAML files below a directory that are not proposals
    files: int = 0  # the input files read
    # Results already written as JSON (by a worker, fork_pool.py, or by _as_fragments),
    # made inert, in file order; when set, ``results`` is empty and these are read instead.
    fragments: list[bytes] | None = None
    # The results' summary counts (``result_counts``), added up as they arrive, so
    # that neither the summary nor the exit status reads the results again.
    counts: dict[str, int] = field(default_factory=lambda: dict(NO_COUNTS))
    # The Report model once built (``to_report``): the JSON of a run with waivers and
    # its exit status both read it.
    _report: Report | None = field(default=None, init=False, repr=False)

    def add_counts(self, counts: dict[str, int]) -> None:
        for key, value in counts.items():
            self.counts[key] += value

    def to_report(self) -> Report:
        """The Report model, waivers applied: what ``api.check_paths`` returns (built
        once)."""
        if self._report is None:
            self._report = self._build_report()
        return self._report

    def _build_report(self) -> Report:
        from .model.findings import CheckResult, Report

        if self.setup.checker is None:  # the config did not load: nothing was checked
            return Report(errors=self.setup.errors)
        results = [CheckResult.model_validate(r) for r in self.results]
        if self.fragments is not None:
            results = [CheckResult.model_validate_json(f) for f in self.fragments]
        return self.setup.finish(Report(results=results, errors=self.errors), self.today, self.skipped, self.files)

    def to_json(self) -> str:
        """What ``FORMATS["json"](self.to_report())`` writes (``to_json_bytes``, as text)."""
        return self.to_json_bytes().decode()

    def to_json_bytes(self) -> bytes:
        """``to_json`` as UTF-8, without building the results' models when no waivers
        apply (waivers change findings, so they take the model path): the report
        without its results (``_shell``), its summary counted from the plain results,
        and the results placed inside: in one call when nothing in the report needs
        making inert, else each made inert on its own.  Bytes, because the
        text of a large batch holding one non-ASCII character would take two to four
        times its size as a str (the CLI writes these bytes as they are)."""
        if not self._plain_possible():
            from .output import FORMATS
            return FORMATS["json"](self.to_report()).encode()
        head = self._shell()
        head["summary"] = {**self.counts, "input_errors": len(head["errors"])}
        if self.fragments is None:
            # The usual report holds nothing inert would change: then it is written in
            # one call, without writing, indenting and joining each result on its own
            # (2,000 results: 71 to 57 ms; the run's peak memory 93 to 66 MiB).
            whole = orjson.dumps({**head, "results": self.results}, option=JSON_OPTIONS | orjson.OPT_APPEND_NEWLINE)
            if not may_need_inert(whole):
                return whole
            del whole  # not held while the results are written again, each made inert
        return _with_fragments(head, self._as_fragments())

    def to_data(self) -> dict[str, Any] | None:
        """The report as plain data (``output/plain_report.py``: what the text and
        compact formats can read in place of the models), for a run without input
        errors or waivers; else None (``to_report``)."""
        if not self._plain_possible() or self._input_errors:
            return None
        if self.fragments is None:
            results = inert_data(self.results)
        else:  # written inert already
            results = [orjson.loads(f) for f in self.fragments]
        return report_data(self._shell(), results)

    def _plain_possible(self) -> bool:
        """Whether the report can be written without its models: a checker, and no
        waivers (which change findings)."""
        return self.setup.checker is not None and self.setup.waivers is None

    @property
    def _input_errors(self) -> bool:
        """Whether the run met any input error (the config's, or a file's)."""
        return bool(self.errors or self.setup.errors)

    def _shell(self) -> dict[str, Any]:
        """The report without its results, as plain data: built plainly when there
        are no input errors (which only the models word), else through the models."""
        if not self._input_errors:
            return self.setup.shell_data(self.files, self.skipped)
        from .model.findings import Report
        from .output import FORMATS

        shell = self.setup.finish(Report(errors=self.errors), self.today, self.skipped, self.files)
        head = orjson.loads(FORMATS["json"](shell))
        del head["summary"]
        return head

    def _as_fragments(self) -> list[bytes]:
        """The results as JSON fragments, from now on in place of the plain results
        (each dict is let go once written: a batch's results take more memory as
        dicts than as JSON, and ``to_report`` and ``exit_code`` read either)."""
        if self.fragments is None:
            self.results.reverse()
            fragments = []
            while self.results:
                fragments.append(result_fragment(self.results.pop()))
            self.fragments = fragments
        return self.fragments

    def exit_code(self, fail_on: str) -> int:
        """As ``Report.exit_code``: 2 on any input error, 1 when an unwaived finding
        reaches ``fail_on``, else 0."""
        if not self._plain_possible():
            return self.to_report().exit_code(fail_on)
        if self._input_errors:
            return 2
        return 1 if fails(self.counts, fail_on) else 0


def result_counts(result: dict[str, Any]) -> dict[str, int]:
    """One plain result's share of the summary (``PlainReport.counts``), counted as
    the report model counts (model/severity.py)."""
    return count_findings([result], result["findings"], dict.__getitem__)


def _with_fragments(head: dict[str, Any], fragments: list[bytes]) -> bytes:
    """The report's JSON, with a final newline, with each result's JSON
    (``result_fragment``: already indented for its place) placed inside "results".
    Joined once: a batch's report is tens of megabytes, and each further copy cost
    more than writing it."""
    text = orjson.dumps(head, option=JSON_OPTIONS)
    if not fragments:
        return text + b"\n"
    before, marker, after = text.partition(b'"results": []')
    if not marker:  # every report's head holds it (_shell); never write a report without results
        raise AssertionError("the report's head has no empty results list")
    pieces = [before, b'"results": [\n']
    for fragment in fragments:
        pieces += (fragment, b",\n")
    pieces[-1] = b"\n  ]"
    return b"".join((*pieces, after, b"\n"))


# What inert (output/inert.py) would change, as it can appear in orjson's output: C0
# controls other than newline and tab (escaped: \r \b \f \u00XX), DEL and the C1
# controls, bidirectional marks, embeddings, overrides and isolates, the line and
# paragraph separators and the BOM (raw UTF-8), and "::" and "##" (which only a
# string can hold: JSON's own colons are never doubled).  A false alarm (a string
# holding a backslash and an "r") only costs the slow path.  One search per shape,
# each starting with a fixed byte: re then skips to that byte at memchr speed, where
# one alternation of them all tried every position (twice as slow on the 13 KB of
# JSON of a typical result).  Where that byte is rare in a report, ``in`` finds it
# absent three times faster still, and the search runs only when it is there; ":"
# and the lead byte of a dash are in almost every result, so those are searched
# outright.
_INERT_SHAPES = tuple((first, re.compile(pattern).search) for first, pattern in (
    (b"\x7f", rb"\x7f"), (b"\\", rb"\\(?:[rbf]|u00)"), (b"\xc2", rb"\xc2[\x80-\x9f]"),
    (None, rb"\xe2(?:\x80[\x8e\x8f\xa8-\xae]|\x81[\xa6-\xa9])"), (b"\xef", rb"\xef\xbb\xbf"),
    (None, rb"::"), (b"#", rb"##")))


def may_need_inert(text: bytes) -> bool:
    """Whether written JSON may hold something inert would change (see above)."""
    return any((first is None or first in text) and search(text) is not None for first, search in _INERT_SHAPES)


def result_fragment(result: dict[str, Any]) -> bytes:
    """One result as JSON with its text made inert (output/inert.py, as every format
    does), indented for its place in the report's "results" list.  JSON strings hold
    no raw newline, so indenting line starts cannot touch a value.  Most results hold
    nothing inert would change; walking every string of them to find that out cost
    more than the check, so the written JSON is searched instead."""
    text = orjson.dumps(result, option=JSON_OPTIONS)
    if may_need_inert(text):
        from .output.inert import inert_data
        text = orjson.dumps(inert_data(result), option=JSON_OPTIONS)
    return b"    " + text.replace(b"\n", b"\n    ")


SKIPPED = "skipped"  # the outcome of a file found in a directory that is not a proposal
# A file's outcome: its errors, its result (plain, or from a worker as JSON with its
# counts) with where it gives its id, or SKIPPED.
Outcome = Union["list[InputError]", tuple[dict, IdPlace], tuple[bytes, IdPlace, dict], str]


def check_target(setup: RunSetup, target: Target, as_of: datetime.date | None, limits: Limits) -> Outcome:
    """One file (or "-" for standard input) read once and checked: its errors, its
    result with where it gives its id, or ``SKIPPED`` (found in a directory, and not a
    proposal)."""
    try:
        loaded = read_target(target, limits=limits)
        if loaded is None:
            return SKIPPED
    except InputErrors as exc:
        return exc.errors
    result = setup.checker.check_data(loaded, as_of=as_of, stale_after_years=setup.stale_after_years)
    return result, loaded.id_place()


def run_batch(paths: Iterable[str | Path], setup: RunSetup, *, as_of: datetime.date | None = None,
              today: datetime.date | None = None, limits: Limits = DEFAULT_LIMITS, exclude: Sequence[str] = (),
              jobs: int = 1) -> PlainReport:
    """Check every file ``paths`` name (nothing when setup.checker is None).  ``jobs``
    > 1 forks workers when there are enough files (fork_pool.py decides), which send
    each result as JSON (``fragments``)."""
    report = PlainReport(setup, today)
    if setup.checker is None:
        return report
    targets = expand_targets(paths, report.errors, exclude=exclude)
    outcomes: Iterable[Outcome]
    if jobs > 1 and all(t.path != "-" for t in targets):
        from .fork_pool import check_in_workers
        outcomes = check_in_workers(setup, targets, as_of, limits, jobs)
    else:
        outcomes = (check_target(setup, t, as_of, limits) for t in targets)
    fragments: list[bytes] = []
    ids = ProposalIds()
    for target, outcome in zip(targets, outcomes):
        if outcome is SKIPPED:
            report.skipped.append(target.path)
            continue
        report.files += 1
        if isinstance(outcome, list):
            report.errors.extend(outcome)
            continue
        if isinstance(outcome[0], bytes):  # from a worker: the result as JSON, with its counts
            fragment, place, counts = outcome
            fragments.append(fragment)
        else:
            result, place = outcome
            counts = result_counts(result)
            report.results.append(result)
        report.add_counts(counts)
        report.errors.extend(ids.add(place))
    if fragments:
        report.fragments = fragments
    return report
