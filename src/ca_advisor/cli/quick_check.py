"""The quick route of ``ca-advisor check``: a run without a config, checked from the
check plan an earlier run kept, in a process that imports no pydantic.

A check of valid proposals is mostly start-up and reading: pydantic's model machinery
alone costs more than the Rego peer's whole one-file run, and more than a tenth of a
2,000-file batch (benchmarks/RESULTS.md).  The models are what word a problem, and
valid proposals have none, so a run with no config file, no option that changes the
rule book and no waivers takes its setup from here:

* the checker from the kept plan of the built-in rule book (engines/plan_cache.py),
  without loading the rule book, the config model or the waivers;
* each proposal read by reading/plain_proposal.py, which only says yes where the model
  would, with the same values (a file it does not take is read by the model, which
  words its problem: pydantic is then imported for that run);
* the report written from plain data (batch.py, output/plain_report.py) in the JSON,
  text and compact formats, when it holds no input error.

Anything else, or no kept plan yet, takes the full route (``kept_plan_setup`` gives
None).  Same output, byte for byte, and same exit status: tests/test_quick_check.py.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..engines.checker import Checker
    from ..run_setup import RunSetup


def applies(*, changes_rules: bool, config_file: str | None, waivers_file: str | None) -> bool:
    """Whether the run may take the quick route (it still needs a kept plan)."""
    from .. import engines
    from ..rulebook.config_search import find_config

    return (not changes_rules and config_file is None and waivers_file is None
            and find_config(Path.cwd()) is None and engines.runs_on_durable(engines.default_engine()))


def kept_plan_setup(stale_after: int | None) -> RunSetup | None:
    """The run's setup: the built-in rule book's checker from its kept plan, no
    waivers, the default configuration; None without a kept plan."""
    from ..facts.staleness import DEFAULT_STALE_AFTER_YEARS
    from ..run_setup import RunSetup

    checker = _checker()
    if checker is None:
        return None
    return RunSetup(checker, None, [], DEFAULT_STALE_AFTER_YEARS if stale_after is None else stale_after)


def _checker() -> Checker | None:
    """The built-in rule book's checker from its kept plan; None without one (or
    when it reports nothing: the full route says so)."""
    from ..engines.plan_cache import kept_default_checker

    checker = kept_default_checker()
    if checker is None or not checker.plan.reports_findings:
        return None
    return checker
