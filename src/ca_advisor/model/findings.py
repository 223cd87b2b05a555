"""The report model: findings, check results and the whole report.

One model that every output format (text, JSON, SARIF, ...) serialises; the engine,
not the rule, attaches rule id, severity, citation and locations to a finding.
"""

from __future__ import annotations

import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, computed_field

from .errors import InputError, where
from .severity import FAIL_ON, SEVERITY_RANK, by_severity, count_findings, fails, first_line

__all__ = ["FAIL_ON", "SEVERITY_RANK"]  # with the models: read from here by outputs and commands

Severity = Literal["error", "warning", "info"]


class _Model(BaseModel):
    # Built on first use: a check written as JSON never builds these (batch.py).
    model_config = ConfigDict(frozen=True, defer_build=True)


class Location(_Model):
    path: str
    line: int | None = None
    column: int | None = None


class Citation(_Model):
    quote: str
    source: str  # the source's id (see sources.py)
    section: str | None = None
    endnote: int | str | None = None
    citation: str
    source_kind: str = "report"  # report, public-record, treaty, ...: outputs label what is not the report


class FactUsed(_Model):
    """A dated country fact a finding rests on."""

    country: str
    key: str
    value: str
    since: datetime.date | None = None
    attested: datetime.date | None = None  # the date by which the source shows it held
    until: datetime.date | None = None
    source: str
    evidence_year: int | None = None  # how new the evidence is: attested, else the source's date
    source_kind: str = "report"  # as for a Citation: outputs label what is not the report


class Staleness(_Model):
    """The finding rests on evidence older than the configured limit at the check date."""

    evidence_year: int
    age_years: int
    source: str  # what the oldest evidence is: a source's citation, or a dated fact
    message: str


class Waiver(_Model):
    reason: str
    approved_by: str
    expires: datetime.date | None = None


class WaiverNotice(_Model):
    """A waiver that did not apply as written: it expired, or it matched no finding.

    Located at the waiver entry (``file:line``) so the reader can fix or delete it;
    a notice never changes the exit status.
    """

    kind: Literal["expired", "unmatched"]
    file: str
    line: int | None = None
    column: int | None = None
    proposal: str
    rule: str
    expires: datetime.date | None = None
    message: str

    def render(self) -> str:
        """``file:line:col: message``, the form editors and CI logs link to."""
        return f"{where(self.file, self.line, self.column)}: {self.message}"


class Finding(_Model):
    rule_id: str
    name: str
    severity: Severity
    title: str
    message: str
    locations: list[Location]
    reasoning: str
    evidence: list[Citation]
    recommendation: str
    facts_used: list[FactUsed] = []
    evidence_year: int | None = None  # the year of the oldest evidence the finding rests on
    stale: Staleness | None = None
    evaluated_rule: str | None = None  # for CA602: the rule that could not be evaluated
    waived: Waiver | None = None

    @property
    def line(self) -> int | None:
        return first_line(self)


class Contributor(_Model):
    """A package that adds to a portfolio finding: where it is and its share."""

    proposal_id: str
    file: str
    line: int | None = None
    share: str  # "12 of 30 items (armour, strike)", or what it gives: "ct-course (training; ...)"


class CoveredFinding(_Model):
    """A package's own finding that a portfolio finding reports under it (its rule
    ``covers:`` the package's rule), instead of among the package's findings."""

    proposal_id: str
    file: str
    line: int | None = None
    rule_id: str
    message: str


class PortfolioFinding(Finding):
    """A finding on the portfolio as a whole (portfolio/check.py)."""

    subject: str  # the recipient (or sponsor) it is about; portfolio waivers key on it
    contributors: list[Contributor]
    covered: list[CoveredFinding] = []  # portfolio/covering.py


class PortfolioPackage(_Model):
    """A package of the portfolio and whether it is in play at the check date."""

    proposal_id: str
    file: str
    date: datetime.date | None = None
    until: datetime.date | None = None  # date + duration_years (exclusive)
    duration_assumed: bool = False  # no duration_years: the default was used
    in_play: bool


class PortfolioResult(_Model):
    as_of: datetime.date
    as_of_source: Literal["--as-of", "today"]
    packages: list[PortfolioPackage]
    findings: list[PortfolioFinding]


class CheckResult(_Model):
    file: str
    proposal_id: str
    title: str = ""  # the proposal's title, for reports people read
    recipients: list[str] = []  # sorted, for filters by country
    as_of: datetime.date
    as_of_source: Literal["--as-of", "proposal date", "today"]
    findings: list[Finding]
    strengths: list[Finding]

    def by_severity(self) -> list[Finding]:
        """The findings as people read them: worst first, then in file order.

        ``findings`` itself stays in rule order, which programs and diffs rely on.
        """
        return by_severity(self.findings)


class RunInfo(_Model):
    """What a run checked with: the outputs say it so that a reader can reproduce it."""

    tool_version: str
    rules: int  # the rules that ran, strengths included
    files: int = 0  # the input files read (directories expanded, skipped files not counted)
    skipped: list[str] = []  # YAML files below a directory without a ``format:`` marker


class PackUsed(_Model):
    """A rule pack the check used (see packs.py): every output names it."""

    name: str
    version: str
    origin: str  # a path, "installed: DISTRIBUTION" or "shipped with ca-advisor"


class Report(_Model):
    results: list[CheckResult] = []
    errors: list[InputError] = []
    waiver_notices: list[WaiverNotice] = []
    config: str | None = None  # the ca-advisor.yaml the run used, named in every format
    packs: list[PackUsed] = []
    engine: str | None = None  # which engine ran the checks: "durable-rules" or "native" (ca_advisor.engines)
    run: RunInfo | None = None
    portfolio: PortfolioResult | None = None  # the portfolio check (`ca-advisor portfolio`)

    def all_findings(self) -> list[Finding]:
        """Every proposal's findings, then the portfolio's."""
        own = [f for r in self.results for f in r.findings]
        return own + (list(self.portfolio.findings) if self.portfolio else [])

    def worst_severity(self, *, count_waived: bool = False) -> str | None:
        ranks = [SEVERITY_RANK[f.severity] for f in self.all_findings() if count_waived or f.waived is None]
        if not ranks:
            return None
        return next(s for s, rank in SEVERITY_RANK.items() if rank == max(ranks))

    def exit_code(self, fail_on: str) -> int:
        """0 clean, 1 a finding reaches ``fail_on``, 2 any input error (worst wins)."""
        if self.errors:
            return 2
        return 1 if fails(self.counts(), fail_on) else 0

    @computed_field  # in the JSON output, for programs that want the totals
    @property
    def summary(self) -> dict[str, int]:
        """``counts()`` and the number of input errors."""
        return {**self.counts(), "input_errors": len(self.errors)}

    def counts(self) -> dict[str, int]:
        return count_findings(self.results, self.all_findings())
