"""What one run checks with (``RunSetup``): the checker, the waivers, the problems met
loading them, and how the run's report is finished.

``api.run_setup`` makes one from a project's config; the command line makes one from
a kept check plan when the run has no config (cli/quick_check.py).  Nothing here
imports the report's pydantic models until a report is built from them, so that a
batch of valid proposals written from plain data (batch.py) never imports pydantic.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from . import __version__
from .facts.staleness import DEFAULT_STALE_AFTER_YEARS
from .output.plain_report import report_shell
from .reading.paths import display_path

if TYPE_CHECKING:
    from .engines.checker import Checker
    from .model.errors import InputError
    from .model.findings import CheckResult, Report
    from .reading.proposals import LoadedProposal
    from .review.waivers import Waivers


@dataclass(frozen=True)
class RunSetup:
    """What one call checks with: the checker, the waivers, and the problems met
    loading them (a broken config stops the check; broken waivers do not)."""

    checker: Checker | None
    waivers: Waivers | None
    errors: list[InputError]
    stale_after_years: int = DEFAULT_STALE_AFTER_YEARS
    config: str | None = None

    def check(self, loaded: LoadedProposal, as_of: datetime.date | None) -> CheckResult:
        return self.checker.check(loaded, as_of=as_of, stale_after_years=self.stale_after_years)

    def finish(self, report: Report, today: datetime.date | None, skipped: Sequence[str] = (),
               files: int | None = None) -> Report:
        """``report`` with what the run adds to every report: the engine, the packs,
        the setup's own errors, the config, the run's counts; waivers applied."""
        from .model.findings import PackUsed, RunInfo

        if self.checker is not None:
            report = report.model_copy(update={"engine": self.checker.engine})
        if self.checker is not None and self.checker.plan.packs_used:
            report = report.model_copy(update={"packs": [PackUsed(**p) for p in self.checker.plan.packs_used]})
        if self.errors:
            report = report.model_copy(update={"errors": self.errors + report.errors})
        if self.config:
            report = report.model_copy(update={"config": display_path(self.config)})
        # Portfolio rules run only in a portfolio check (portfolio_api.py counts them there).
        run = RunInfo(tool_version=__version__, rules=self.checker.plan.check_rules if self.checker else 0,
                      files=len(report.results) if files is None else files, skipped=list(skipped))
        report = report.model_copy(update={"run": run})
        if not self.waivers:
            return report
        from .review.waivers import apply_waivers

        rule_ids = set(self.checker.plan.rules) if self.checker else None
        return apply_waivers(report, self.waivers, today=today, rule_ids=rule_ids)

    def shell_data(self, files: int, skipped: Sequence[str]) -> dict[str, Any]:
        """What ``finish`` gives a report without results or input errors, as plain
        data (for a setup with a checker, no errors and no waivers: batch.py)."""
        plan = self.checker.plan
        return report_shell(engine=self.checker.engine, tool_version=__version__, rules=plan.check_rules,
                            files=files, skipped=list(skipped), packs=plan.packs_used,
                            config=display_path(self.config) if self.config else None)
