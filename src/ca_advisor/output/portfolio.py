"""How the output formats carry portfolio findings.

The text format prints the portfolio in its own section, before the proposals.  The
per-file formats (SARIF, GitHub annotations, JUnit, Markdown) take each portfolio
finding as a result of its own (``portfolio_results``), placed at its first
contributing package and named ``portfolio:SUBJECT``, its message followed by every
contributor (file:line and share), so that nothing a portfolio check finds is lost
in any format.  JSON dumps the Report, ``portfolio`` included.
"""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING

from ..model.errors import where

if TYPE_CHECKING:  # the models are made only for a portfolio (a plain report has none)
    from ..model.findings import CheckResult, PortfolioFinding, Report

SUBJECT_PREFIX = "portfolio:"  # how a portfolio finding is named where a proposal id goes (and in waivers)


def contributors_text(f: PortfolioFinding) -> str:
    return "; ".join(f"{where(c.file, c.line, None)} {c.proposal_id} ({c.share})" for c in f.contributors)


def covered_text(f: PortfolioFinding) -> str:
    """The packages' own findings reported under ``f`` (portfolio/covering.py)."""
    return "; ".join(f"{c.rule_id} on {c.proposal_id} ({where(c.file, c.line, None)})" for c in f.covered)


def portfolio_results(report: Report) -> list[CheckResult]:
    if report.portfolio is None:
        return []
    from ..model.findings import CheckResult, Location

    out = []
    for f in report.portfolio.findings:
        first = f.contributors[0] if f.contributors else None
        finding = f.model_copy(update={
            "message": f"{f.message} Contributors: {contributors_text(f)}."
                       + (f" Reported here for the packages too: {covered_text(f)}." if f.covered else ""),
            "locations": [Location(path="recipients", line=first.line)] if first else []})
        out.append(CheckResult(file=first.file if first else "(portfolio)",
                               proposal_id=SUBJECT_PREFIX + f.subject, as_of=report.portfolio.as_of,
                               as_of_source=report.portfolio.as_of_source, findings=[finding], strengths=[]))
    return out


def results_for_output(report: Report) -> list[CheckResult]:
    """The portfolio's findings first, then each proposal's."""
    return portfolio_results(report) + list(report.results)


def portfolio_text(report: Report, style, width: int) -> list[str]:
    """The text format's portfolio section, wrapped at ``width`` as the rest of the
    page is; ``style(text, kind)`` colours a head."""
    from .text import waiver_text  # text.py imports this module

    p = report.portfolio
    if p is None:
        return []
    in_play = [x for x in p.packages if x.in_play]
    lines = [f"portfolio as of {p.as_of} ({p.as_of_source}): {len(in_play)} of {len(p.packages)} "
             f"package{'s' if len(p.packages) != 1 else ''} in play"]
    out = [x for x in p.packages if not x.in_play]
    if out:
        lines.extend(_wrapped(width, "out of play", ", ".join(f"{x.proposal_id} ({_window(x)})" for x in out)))
    assumed = [x.proposal_id for x in in_play if x.duration_assumed]
    if assumed:
        lines.extend(_wrapped(width, "duration assumed (1 year, no duration_years)", ", ".join(assumed)))
    if not p.findings:
        lines.append("  no portfolio findings")
    for f in p.findings:
        label = "waived " + f.severity if f.waived else f.severity
        lines.append(style(f"  {label} {f.rule_id} {f.name} [{f.subject}]: ", "waived" if f.waived else f.severity)
                     + f.message)
        for c in f.contributors:  # one line each, as file:line links want
            lines.append(f"    from: {where(c.file, c.line, None)} {c.proposal_id}: {c.share}")
        for c in f.covered:
            lines.append(f"    covers: {where(c.file, c.line, None)} {c.proposal_id}: {c.rule_id} (reported here, "
                         "not under the package)")
        if f.stale:
            lines.extend(_wrapped(width, "stale", f.stale.message))
        if f.waived:
            lines.append(f"    waived: {waiver_text(f)}")
        lines.extend(_wrapped(width, "why", f.reasoning))
        for e in f.evidence:
            lines.extend(_wrapped(width, "evidence", f"\u201c{e.quote}\u201d ({e.citation})"))
        for fact in f.facts_used:
            lines.extend(_wrapped(width, "rests on", f"{fact.country} {fact.key} = {fact.value} ({fact.source})"))
        lines.extend(_wrapped(width, "do", f.recommendation))
    return lines


def _window(x) -> str:
    return f"{x.date} to {x.until}" if x.date else "undated"


def _wrapped(width: int, label: str, text: str) -> list[str]:
    return textwrap.wrap(f"{label}: {text}", width=width, initial_indent="    ", subsequent_indent="      ")
