"""``--format text``: what an analyst reads in a terminal.

Per file: each finding with severity, rule id and name, the message, ``file:line``,
a stale-evidence note when the evidence is old at the check date, the reasoning, the
quoted evidence with its citation, the dated facts it rests on and the
recommendation; then strengths; then one summary line for the run.
"""

from __future__ import annotations

import textwrap

import click

from ..findings import CheckResult, Finding, Report
from ..profiles import dating_text
from .packs_note import packs_line
from .portfolio import portfolio_text

_COLOURS = {"error": "red", "warning": "yellow", "info": "cyan", "strength": "green", "waived": "white"}
_WIDTH = 88


def render_text(report: Report, *, color: bool = False, **_options) -> str:
    lines: list[str] = []
    for error in report.errors:
        lines.append(_style(f"input error: {error.render()}", "error", color))
    if report.errors and report.results:
        lines.append("")
    if report.portfolio is not None:  # the portfolio as a whole, before its packages one by one
        lines.extend(portfolio_text(report, lambda text, kind: _style(text, kind, color)))
        lines.append("")
    for result in report.results:
        lines.extend(_result(result, color))
        lines.append("")
    if report.waiver_notices:
        lines.extend(f"waiver {n.kind}: {n.render()}" for n in report.waiver_notices)
        lines.append("")
    if report.config:
        lines.append(f"config: {report.config}")
    if note := packs_line(report):
        lines.append(note)
    if report.engine:  # which engine ran the checks (ca_advisor.engines)
        lines.append(f"engine: {report.engine}")
    lines.append(summary_line(report))
    return "\n".join(lines) + "\n"


def _result(result: CheckResult, color: bool) -> list[str]:
    lines = [click.style(f"{result.file}", bold=True) if color else result.file,
             f"  proposal {result.proposal_id}, checked as of {result.as_of} ({result.as_of_source})"]
    if not result.findings:
        lines.append("  no findings")
    for finding in result.findings:
        lines.extend(_finding(finding, result.file, color))
    for strength in result.strengths:
        lines.append(_style(f"  strength {strength.rule_id} {strength.name}: ", "strength", color)
                     + strength.message)
        lines.append(f"    at {_where(strength, result.file)}")
    return lines


def _finding(f: Finding, file: str, color: bool) -> list[str]:
    label = "waived " + f.severity if f.waived else f.severity
    head = _style(f"  {label} {f.rule_id} {f.name}: ", "waived" if f.waived else f.severity, color)
    lines = [head + f.message, f"    at {_where(f, file)}"]
    if f.stale:
        lines.extend(_wrapped("stale", f.stale.message))
    if f.waived:
        expiry = f", until {f.waived.expires}" if f.waived.expires else ""
        lines.append(f"    waived: {f.waived.reason} (approved by {f.waived.approved_by}{expiry})")
    lines.extend(_wrapped("why", f.reasoning))
    for e in f.evidence:
        # A source that is not the report says what it is (public record, treaty, ...).
        label = "evidence" if e.source_kind == "report" else f"evidence ({e.source_kind})"
        lines.extend(_wrapped(label, f"\u201c{e.quote}\u201d ({e.citation})"))
    for fact in f.facts_used:
        label = "rests on" if fact.source_kind == "report" else f"rests on ({fact.source_kind})"
        lines.extend(_wrapped(label, f"{fact.country} {fact.key} = {fact.value} "
                                          f"{dating_text(fact.since, fact.attested, fact.until)} ({fact.source})"))
    lines.extend(_wrapped("do", f.recommendation))
    return lines


def _where(f: Finding, file: str) -> str:
    return "; ".join(f"{file}:{loc.line} ({loc.path})" if loc.line else f"{file} ({loc.path})"
                     for loc in f.locations)


def _wrapped(label: str, text: str) -> list[str]:
    return textwrap.wrap(f"{label}: {text}", width=_WIDTH, initial_indent="    ", subsequent_indent="      ")


def _style(text: str, kind: str, color: bool) -> str:
    return click.style(text, fg=_COLOURS[kind], bold=kind == "error") if color else text


def summary_line(report: Report) -> str:
    c = report.counts()
    files = len(report.results)
    what = f"{files} proposal{'s' if files != 1 else ''}" + (" and their portfolio" if report.portfolio else "")
    return (f"{what} checked: {c['error']} error, {c['warning']} warning, "
            f"{c['info']} info, {c['waived']} waived, {c['strengths']} strength"
            f"{f', {stale} stale' if (stale := c['stale']) else ''}; "
            f"{len(report.errors)} input error{'s' if len(report.errors) != 1 else ''}")
