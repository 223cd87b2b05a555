"""``ca-advisor check FILE`` for one valid proposal, in a process that imports no pydantic.

A one-file check is mostly start-up: pydantic's model machinery alone costs more
than the Rego peer's whole run (benchmarks/RESULTS.md).  The models are what words a
problem, and a valid proposal has none, so this path checks without them:

* the checker from the check plan an earlier run kept (engines/plan_cache.py);
* the proposal read by reading/plain_proposal.py, which only says yes where the model
  would, with the same values;
* the report as plain data, written as the JSON, text or compact formats write the
  model (output/plain_report.py).

Whatever this path does not take it gives back (``None``), before writing anything,
and ``check`` runs as it always does: any option that changes the rule book, a config
file, waivers, an ``--output`` that names an input, other formats, standard input or
a directory, no kept plan yet, or a proposal with a problem (which the model then
words).  Same output,
byte for byte, and same exit status: tests/test_quick_check.py.
"""

from __future__ import annotations

import datetime
import os
from pathlib import Path

QUICK_FORMATS = (None, "text", "compact", "json")


def applies(files: tuple[str, ...], fmt: str | None, *, changes_rules: bool, config_file: str | None,
            waivers_file: str | None) -> bool:
    """Whether the quick path may take this run (it may still give it back)."""
    from .. import engines
    from ..rulebook.config_search import find_config

    return (len(files) == 1 and files[0] != "-" and os.path.isfile(files[0]) and fmt in QUICK_FORMATS
            and not changes_rules and config_file is None and waivers_file is None
            and find_config(Path.cwd()) is None and engines.default_engine() == engines.DURABLE
            and engines.durable_available() is None)


def quick_check(file: str, *, fmt: str | None, verbose: bool, fail_on: str, as_of: datetime.date | None,
                max_bytes: int, max_depth: int, stale_after: int | None, colour: bool, width: int | None,
                output_file: str | None) -> int | None:
    """Check ``file`` and write its report (to ``output_file``, else standard output);
    the exit status, or None (nothing written) when the full path must run."""
    checker = _checker()
    if checker is None:
        return None
    if output_file is not None and _names_an_input(output_file, file, checker):
        return None  # the full path refuses it, naming the input
    loaded = _proposal(file, max_bytes, max_depth)
    if loaded is None:
        return None
    from .. import __version__
    from ..facts.staleness import DEFAULT_STALE_AFTER_YEARS
    from ..model.severity import fails
    from ..output.plain_report import ReportView, report_data, report_json
    from .common import emit

    stale = stale_after if stale_after is not None else DEFAULT_STALE_AFTER_YEARS
    result = checker.check_data(loaded, as_of=as_of, stale_after_years=stale)
    report = report_data(result, rules=checker.plan.check_rules, engine=checker.engine, tool_version=__version__)
    if fmt == "json":
        emit(report_json(report), output_file, False)
    else:
        from ..output.text import render_compact, render_text

        render = render_compact if fmt == "compact" else render_text
        emit(render(ReportView(report), color=colour, verbose=verbose, width=width), output_file, colour)
    return 1 if fails(report["summary"], fail_on) else 0


def _names_an_input(output_file: str, file: str, checker) -> bool:
    """Whether ``--output`` names one of the run's inputs: the proposal or a rule file
    (as the full path's ``run_inputs`` lists them)."""
    from .writing import input_named

    return input_named(output_file, [file, *(r.file for r in checker.plan.rules.values())]) is not None


def _checker():
    """The built-in rule book's checker from its kept plan; None without one."""
    from ..engines.plan_cache import DEFAULT_CONFIG_KEY, cache_dir, content_key, kept_checker
    from ..reading.builtin import builtin_profiles_dir, builtin_rules_dir

    where = cache_dir()
    if where is None:
        return None
    directories = [builtin_rules_dir(), builtin_profiles_dir()]

    def load_book():
        from ..rulebook.config import Config
        from ..rulebook.load import load_configured_rulebook
        return load_configured_rulebook(*directories, Config())

    checker = kept_checker(where, content_key(directories, DEFAULT_CONFIG_KEY), load_book)
    if checker is None or not checker.plan.reports_findings:  # the full path says that nothing would be reported
        return None
    return checker


def _proposal(file: str, max_bytes: int, max_depth: int):
    """The proposal, read without the model; None when it has a problem to word (or
    a form only the model takes)."""
    from ..model.errors import InputErrors
    from ..reading.proposals import WHAT, plain_loaded
    from ..reading.yaml_source import Limits, parse_yaml, read_bytes

    limits = Limits(max_bytes=max_bytes, max_depth=max_depth)
    try:
        raw = read_bytes(file, what=WHAT, limits=limits)
        return plain_loaded(parse_yaml(raw, file=file, what=WHAT, limits=limits))
    except InputErrors:
        return None
