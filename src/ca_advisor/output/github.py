"""``--format github``: GitHub Actions workflow commands, one annotation per problem.

``::error file=F,line=L,col=C,title=T::message`` puts the message on line L of F in
the pull request's "Files changed" view.  Severity maps error→error,
warning→warning, info→notice; a waived finding is a notice that names its waiver,
so it stays visible without failing anyone's eye; waiver notices are warnings on
the waivers file; input errors are errors.  The run's summary line ends the output.

Values are escaped as GitHub's toolkit does (``escapeData``/``escapeProperty`` in
actions/toolkit ``command.ts``): ``%``, CR and LF everywhere, and also ``:`` and
``,`` inside properties, so that a path or message cannot end the command early or
inject a property.
"""

from __future__ import annotations

from ..model.findings import CheckResult, Finding, Report
from .packs_note import packs_line
from .paths import with_relative_paths
from .portfolio import results_for_output
from .text import summary_line

_LEVEL = {"error": "error", "warning": "warning", "info": "notice"}


def render_github(report: Report, **_options) -> str:
    report = with_relative_paths(report)
    lines = [command("error", error.message if not error.path else f"{error.path}: {error.message}",
                     file=error.file, line=error.line, col=error.column, title="ca-advisor input error")
             for error in report.errors]
    for result in results_for_output(report):
        lines.extend(annotation(f, result) for f in result.findings)
    lines.extend(command("warning", notice.message, file=notice.file, line=notice.line, col=notice.column,
                         title=f"ca-advisor waiver {notice.kind}")
                 for notice in report.waiver_notices)
    if report.config:
        lines.append(command("notice", f"checked with the config {report.config}", title="ca-advisor config"))
    if note := packs_line(report):
        lines.append(command("notice", note, title="ca-advisor packs"))
    lines.append(summary_line(report))
    return "\n".join(lines) + "\n"


def annotation(f: Finding, result: CheckResult) -> str:
    """One finding as a workflow command, at its first location."""
    loc = f.locations[0] if f.locations else None
    where = ", ".join(loc.path for loc in f.locations)
    message = f"{f.message}\nat {where}\ndo: {f.recommendation}"
    if f.stale:
        message += f"\nstale: {f.stale.message}"
    title = f"{f.rule_id} {f.name}"
    level = _LEVEL[f.severity]
    if f.waived:
        level, title = "notice", f"waived {f.severity} {title}"
        until = f", until {f.waived.expires}" if f.waived.expires else ""
        message += f"\nwaived: {f.waived.reason} (approved by {f.waived.approved_by}{until})"
    return command(level, message, file=result.file, line=loc.line if loc else None,
                   col=loc.column if loc else None, title=title)


def command(level: str, message: str, **properties: object) -> str:
    props = ",".join(f"{name}={escape_property(str(value))}" for name, value in properties.items()
                     if value is not None)
    return f"::{level}{' ' + props if props else ''}::{escape_data(message)}"


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")
