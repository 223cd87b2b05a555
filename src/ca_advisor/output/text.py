"""``--format text`` and ``--format compact``: what an analyst reads in a terminal.

``text``, per file: each finding, worst first and then in file order, with severity,
rule id and name, the message, ``file:line``, a stale-evidence note when the evidence
is old at the check date, any waiver and the dated facts it rests on; the first
finding of a rule in the run also gives the rule's reasoning, quoted evidence with
citation, and recommendation, and later ones refer back to it (``verbose=True``
repeats them).  Then strengths, and for the run which rules ran, with
which config, and one summary line.

``compact``: one line per finding, ``file:line:column: severity RULE name: message``
(the form editors and ``grep`` read), then the same closing lines.  The CLI uses it
when it checks more than one file and no ``--format`` is given.
"""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING

import click

from ..facts.dated import dating_text
from ..model.errors import where as located
from .packs_note import packs_line
from .portfolio import portfolio_text, results_for_output

if TYPE_CHECKING:  # or the same report as plain data (output/plain_report.py: ReportView)
    from ..model.findings import CheckResult, FactUsed, Finding, Report

_COLOURS = {"error": "red", "warning": "yellow", "info": "cyan", "strength": "green", "waived": "white"}
DEFAULT_WIDTH = 88
MIN_WIDTH = 40


def render_text(report: Report, *, color: bool = False, verbose: bool = False, width: int | None = None,
                **_options) -> str:
    page = _Page(color, max(width or DEFAULT_WIDTH, MIN_WIDTH), verbose)
    lines = _errors(report, color)
    if report.errors and report.results:
        lines.append("")
    if report.portfolio is not None:  # the portfolio as a whole, before its packages one by one
        lines.extend(portfolio_text(report, lambda text, kind: _style(text, kind, color), page.width))
        lines.append("")
    for result in report.results:
        lines.extend(page.result(result))
        lines.append("")
    lines.extend(_closing(report))
    return "\n".join(lines) + "\n"


def render_compact(report: Report, *, color: bool = False, **_options) -> str:
    lines = _errors(report, color)
    for result in results_for_output(report):  # a portfolio's findings first, one line each
        lines.extend(compact_line(f, result.file, color) for f in result.by_severity())
    lines.extend(_closing(report))
    return "\n".join(lines) + "\n"


def compact_line(f: Finding, file: str, color: bool = False) -> str:
    loc = f.locations[0] if f.locations else None
    place = located(file, loc.line, loc.column) if loc else file
    label = _style(("waived " if f.waived else "") + f.severity, "waived" if f.waived else f.severity, color)
    field = f" ({loc.path})" if loc else ""
    stale = f" [stale: evidence from {f.stale.evidence_year}]" if f.stale else ""
    waived = f" [waived: {waiver_text(f)}]" if f.waived else ""
    return f"{place}: {label} {f.rule_id} {f.name}: {f.message}{field}{stale}{waived}"


def waiver_text(f: Finding) -> str:
    expiry = f", until {f.waived.expires}" if f.waived.expires else ""
    return f"{f.waived.reason} (approved by {f.waived.approved_by}{expiry})"


def _errors(report: Report, color: bool) -> list[str]:
    return [_style(f"input error: {error.render()}", "error", color) for error in report.errors]


def _closing(report: Report) -> list[str]:
    """Waiver notices, then what the run ran with (rules, config, packs, engine), then
    the summary line."""
    lines = [f"waiver {n.kind}: {n.render()}" for n in report.waiver_notices]
    if lines:
        lines.append("")
    if report.run is not None:
        lines.append(run_line(report))
    if report.config:
        lines.append(f"config: {report.config}")
    if note := packs_line(report):
        lines.append(note)
    if report.engine:  # which engine ran the checks (ca_advisor.engines)
        lines.append(f"engine: {report.engine}")
    lines.append(summary_line(report))
    return lines


class _Page:
    """The long form: remembers which rules it has explained in this run."""

    def __init__(self, color: bool, width: int, verbose: bool):
        self.color, self.width, self.verbose = color, width, verbose
        self.explained: set[str] = set()

    def result(self, result: CheckResult) -> list[str]:
        lines = [click.style(result.file, bold=True) if self.color else result.file,
                 f"  proposal {result.proposal_id}, checked as of {result.as_of} ({result.as_of_source})"]
        if not result.findings:
            lines.append("  no findings")
        for finding in result.by_severity():
            lines.extend(self.finding(finding, result.file))
        for strength in result.strengths:
            lines.extend(self._headline(f"strength {strength.rule_id} {strength.name}: ", "strength",
                                        strength.message))
            lines.append(f"    at {_where(strength, result.file)}")
        return lines

    def finding(self, f: Finding, file: str) -> list[str]:
        label = f"{'waived ' if f.waived else ''}{f.severity} {f.rule_id} {f.name}: "
        lines = self._headline(label, "waived" if f.waived else f.severity, f.message)
        lines.extend(self._wrapped("at", _where(f, file), separator=" "))
        if f.stale:
            lines.extend(self._wrapped("stale", f.stale.message))
        if f.waived:
            lines.extend(self._wrapped("waived", waiver_text(f)))
        for fact in f.facts_used:
            label = "rests on" if fact.source_kind == "report" else f"rests on ({fact.source_kind})"
            lines.extend(self._wrapped(label, fact_text(fact)))
        if self.verbose or f.rule_id not in self.explained:
            self.explained.add(f.rule_id)
            lines.extend(self._wrapped("why", f.reasoning))
            for e in f.evidence:
                # A source that is not the report says what it is (public record, treaty, ...).
                label = "evidence" if e.source_kind == "report" else f"evidence ({e.source_kind})"
                lines.extend(self._wrapped(label, f"\u201c{e.quote}\u201d ({e.citation})"))
            lines.extend(self._wrapped("do", f.recommendation))
        else:
            lines.append(f"    why, evidence, do: as for {f.rule_id} above (--verbose repeats them)")
        return lines

    def _headline(self, label: str, kind: str, message: str) -> list[str]:
        """``label`` + message wrapped to the width, the label coloured."""
        lines = textwrap.wrap(label + message, width=self.width, initial_indent="  ", subsequent_indent="      ",
                              break_on_hyphens=False)
        if self.color and lines[0].startswith("  " + label.rstrip()):
            lines[0] = "  " + _style(label.rstrip(), kind, True) + lines[0][2 + len(label.rstrip()):]
        return lines

    def _wrapped(self, label: str, text: str, separator: str = ": ") -> list[str]:
        return textwrap.wrap(f"{label}{separator}{text}", width=self.width, initial_indent="    ",
                             subsequent_indent="      ", break_on_hyphens=False)


def fact_text(fact: FactUsed) -> str:
    dating = dating_text(fact.since, fact.attested, fact.until)
    return f"{fact.country} {fact.key} = {fact.value} {dating} ({fact.source})"


def _where(f: Finding, file: str) -> str:
    return "; ".join(f"{file}:{loc.line} ({loc.path})" if loc.line else f"{file} ({loc.path})"
                     for loc in f.locations)


def _style(text: str, kind: str, color: bool) -> str:
    return click.style(text, fg=_COLOURS[kind], bold=True if kind == "error" else None) if color else text


def run_line(report: Report) -> str:
    """How many rules ran, that no config file was used (the config line names one
    that was), and what a directory search skipped."""
    run = report.run
    line = f"{_plural(run.rules, 'rule')} ran"
    if not report.config:
        line += "; no config file (built-in defaults)"
    if run.skipped:
        line += f"; {_plural(len(run.skipped), 'YAML file')} without a format: marker skipped"
    return line


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def summary_line(report: Report) -> str:
    c = report.counts()
    files = len(report.results)
    what = f"{files} proposal{'s' if files != 1 else ''}" + (" and their portfolio" if report.portfolio else "")
    return (f"{what} checked: {c['error']} error, {c['warning']} warning, "
            f"{c['info']} info, {c['waived']} waived, {c['strengths']} strength"
            f"{f', {stale} stale' if (stale := c['stale']) else ''}; "
            f"{len(report.errors)} input error{'s' if len(report.errors) != 1 else ''}")
