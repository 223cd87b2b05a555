"""``--format html``: one self-contained page for reviewers.

A summary (proposals × severity), a proposal × rule matrix that shows where findings
cluster, each finding with its message, location, collapsible reasoning, quoted
evidence with citation, the dated facts it rests on, recommendation and waiver;
filters by severity, country, rule and proposal that run in the page; and a timeline
of the dated facts the findings rest on, so the reader sees how old the evidence is.

The page makes no request: styles and script are inline and a Content-Security-Policy
forbids anything else, so it works offline and as an e-mail attachment; it prints
with the filters hidden and every reasoning open.  The markup is Jinja2 templates in
``output/templates/`` with autoescaping on, so every value from a proposal, rule or
waiver is escaped.  Jinja2 is imported here only, when a page is rendered, so the
other formats do not pay for it at start-up.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from ..facts.dated import dating_text
from ..model.findings import SEVERITY_RANK, CheckResult, FactUsed, Finding, Report
from ..rulebook.rule import Rule
from .packs_note import packs_list
from .text import summary_line


def render_html(report: Report, *, rules: Sequence[Rule] = (), **_options) -> str:
    import jinja2  # here, not at module level: see the module's docstring

    env = jinja2.Environment(loader=jinja2.PackageLoader("ca_advisor.output", "templates"),
                             autoescape=True, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
                             undefined=jinja2.StrictUndefined)
    return env.get_template("report.html.j2").render(page=build_page(report, rules))


@dataclass
class Entry:
    """One finding as the page shows it."""

    anchor: str
    result: CheckResult
    finding: Finding
    countries: list[str]
    facts: list[tuple[FactUsed, str]]  # each fact with its dating ("since 2006-06-23 until ...")

    @property
    def state(self) -> str:
        return "waived" if self.finding.waived else self.finding.severity


@dataclass
class Cell:
    count: int = 0
    worst: str = ""
    open: int = 0  # not waived


@dataclass
class TimelineFact:
    fact: FactUsed
    dating: str
    start: float  # fractional year
    end: float
    open_ended: bool
    used_by: list[str] = field(default_factory=list)  # "proposal RULE"


@dataclass
class Page:
    report: Report
    summary: str
    entries: list[Entry]
    groups: list[tuple[int, CheckResult, list[Entry]]]  # per proposal: its index, result and findings
    rules: list[tuple[str, str, str]]  # id, name, title of every rule that fired
    matrix: dict[str, dict[str, Cell]]
    counts: dict[str, Counter]
    countries: list[str]
    timeline: list[TimelineFact]
    check_dates: list[tuple[str, float]]
    axis: list[int]
    span: tuple[float, float]
    packs: str | None = None  # the rule packs used, as every format names them

    def left(self, year: float) -> float:
        low, high = self.span
        return round(100 * (year - low) / (high - low), 2)

    def width(self, start: float, end: float) -> float:
        return max(round(self.left(end) - self.left(start), 2), 0.6)


def build_page(report: Report, rules: Sequence[Rule] = ()) -> Page:
    groups = [(i, result, [_entry(result, f, i, n) for n, f in enumerate(result.by_severity())])
              for i, result in enumerate(report.results)]
    entries = [e for _, _, group in groups for e in group]
    titles = {r.id: r.title for r in rules}
    fired = sorted({(e.finding.rule_id, e.finding.name) for e in entries})
    timeline = _timeline(entries)
    check_dates = [(r.proposal_id, _year(r.as_of)) for r in report.results]
    low, high = _span([t.start for t in timeline] + [y for _, y in check_dates]
                      + [float(t.fact.evidence_year) for t in timeline if t.fact.evidence_year])
    return Page(
        report=report, summary=summary_line(report), entries=entries, groups=groups,
        rules=[(rule_id, name, titles.get(rule_id, "")) for rule_id, name in fired],
        matrix=_matrix(report), counts={r.proposal_id: _counts(r) for r in report.results},
        countries=sorted({c for e in entries for c in e.countries}),
        timeline=timeline, check_dates=check_dates,
        axis=list(range(int(low), int(high) + 1)), span=(low, high), packs=packs_list(report),
    )


def _entry(result: CheckResult, f: Finding, i: int, n: int) -> Entry:
    countries = sorted({*result.recipients, *(fact.country for fact in f.facts_used)})
    facts = [(fact, dating_text(fact.since, fact.attested, fact.until)) for fact in f.facts_used]
    return Entry(anchor=f"p{i}-f{n}", result=result, finding=f, countries=countries, facts=facts)


def _counts(result: CheckResult) -> Counter:
    counts = Counter(("waived" if f.waived else f.severity) for f in result.findings)
    counts["stale"] = sum(f.stale is not None for f in result.findings)
    counts["strengths"] = len(result.strengths)
    return counts


def _matrix(report: Report) -> dict[str, dict[str, Cell]]:
    matrix: dict[str, dict[str, Cell]] = {}
    for result in report.results:
        row = matrix.setdefault(result.proposal_id, {})
        for f in result.findings:
            cell = row.setdefault(f.rule_id, Cell())
            cell.count += 1
            cell.open += f.waived is None
            if not cell.worst or SEVERITY_RANK[f.severity] > SEVERITY_RANK[cell.worst]:
                cell.worst = f.severity
    return matrix


def _timeline(entries: list[Entry]) -> list[TimelineFact]:
    """Every dated fact the findings rest on, once, oldest first."""
    facts: dict[tuple, TimelineFact] = {}
    for e in entries:
        for fact, dating in e.facts:
            start = fact.since or fact.attested
            if start is None:
                continue
            key = (fact.country, fact.key, fact.value, fact.since, fact.attested, fact.until, fact.source)
            if key not in facts:
                end = _year(fact.until) if fact.until else _year(e.result.as_of)
                facts[key] = TimelineFact(fact, dating, _year(start), end, fact.until is None)
            item = facts[key]
            if item.open_ended:
                item.end = max(item.end, _year(e.result.as_of))
            label = f"{e.result.proposal_id} {e.finding.rule_id}"
            if label not in item.used_by:
                item.used_by.append(label)
    return sorted(facts.values(), key=lambda t: (t.start, t.fact.country, t.fact.key))


def _year(date: datetime.date) -> float:
    return date.year + (date.timetuple().tm_yday - 1) / 366


def _span(years: list[float]) -> tuple[float, float]:
    if not years:
        return 2000.0, 2001.0
    return float(int(min(years))), float(int(max(years)) + 1)
