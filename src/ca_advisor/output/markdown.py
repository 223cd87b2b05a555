"""``--format markdown``: a summary to post as a pull-request comment or job summary.

A counts table, then per proposal a table of findings (severity, rule, message,
location) with waived findings marked and their reason given, then waiver notices
and input errors.  Every value from a proposal, rule or waiver is escaped, so a
``|`` cannot break a table and ``<b>`` or ``*`` shows as written.
"""

from __future__ import annotations

import re

from ..model.errors import InputError, where
from ..model.findings import CheckResult, Finding, Location, Report
from .packs_note import packs_line
from .paths import with_relative_paths
from .portfolio import results_for_output

_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&$])")
# CommonMark ends a line at CR LF, LF or a lone CR: all three must stay in the cell.
_LINE_END = re.compile(r"\r\n|\r|\n")


def render_markdown(report: Report, **_options) -> str:
    report = with_relative_paths(report)
    lines = [f"## ca-advisor: {_plural(len(report.results), 'proposal')} checked", "", *counts_table(report)]
    if report.config:
        lines.extend(["", f"Config: {code(report.config)}"])
    if note := packs_line(report):
        lines.extend(["", escape(note)])
    for result in results_for_output(report):
        lines.extend(["", *result_section(result)])
    if report.waiver_notices:
        lines.extend(["", "### Waiver notices", ""])
        lines.extend(f"- {code(where(n.file, n.line, n.column))}: {escape(n.message)}" for n in report.waiver_notices)
    if report.errors:
        lines.extend(["", "### Input errors", ""])
        lines.extend(f"- {error_line(e)}" for e in report.errors)
    return "\n".join(lines) + "\n"


def counts_table(report: Report) -> list[str]:
    c = report.counts()
    names = ["error", "warning", "info", "waived", "strengths", "stale"]
    return ["| " + " | ".join(names + ["input errors"]) + " |",
            "|" + " ---: |" * (len(names) + 1),
            "| " + " | ".join(str(c[n]) for n in names) + f" | {len(report.errors)} |"]


def result_section(result: CheckResult) -> list[str]:
    lines = [f"### {code(result.file)}", "",
             f"Proposal {code(result.proposal_id)}, checked as of {result.as_of} ({escape(result.as_of_source)}).", ""]
    if result.findings:
        lines.extend(["| severity | rule | message | location |", "| --- | --- | --- | --- |"])
        lines.extend(finding_row(f, result.file) for f in result.findings)
    else:
        lines.append("No findings.")
    if result.strengths:
        lines.extend(["", "Strengths: " + "; ".join(f"{s.rule_id} {escape(s.name)}" for s in result.strengths) + "."])
    return lines


def finding_row(f: Finding, file: str) -> str:
    severity = f"waived {f.severity}" if f.waived else f"**{f.severity}**" if f.severity == "error" else f.severity
    message = escape(f.message)
    if f.stale:
        message += f"<br>*stale:* {escape(f.stale.message)}"
    if f.waived:
        until = f", until {f.waived.expires}" if f.waived.expires else ""
        message += (f"<br>*waived:* {escape(f.waived.reason)} "
                    f"(approved by {escape(f.waived.approved_by)}{until})")
    message += f"<br>*do:* {escape(f.recommendation)}"
    rule = f"{f.rule_id} {escape(f.name)}"
    return f"| {severity} | {rule} | {message} | {'<br>'.join(location(loc, file) for loc in f.locations)} |"


def location(loc: Location, file: str) -> str:
    where = f"{file}:{loc.line}" if loc.line else file
    return f"{code(where)} {code(loc.path)}"


def error_line(e: InputError) -> str:
    field = f" {code(e.path)}" if e.path else ""
    return f"{code(where(e.file, e.line, e.column))}{field}: {escape(e.message)}"


def escape(text: str) -> str:
    """Literal text in a table cell: markdown punctuation escaped, lines joined."""
    return _LINE_END.sub("<br>", _SPECIAL.sub(r"\\\1", text))


def code(text: str) -> str:
    """An inline code span that holds any text (longer fences around backticks);
    a pipe is escaped even here, since GitHub splits table cells before code spans."""
    text = _LINE_END.sub(" ", text.replace("|", "\\|"))
    fence = "`" * (max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"
