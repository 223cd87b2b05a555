"""``ca-advisor check``: check proposals and report findings."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, NoReturn

import click

from ..model.severity import FAIL_ON
from ..model.vocabulary import SEVERITIES
from ..output import FORMATS
from ..reading.yaml_source import MAX_BYTES_CEILING, MAX_DEPTH_CEILING, Limits
from . import main, quick_check
from .common import (
    build_checker,
    colour_option,
    config_option,
    emit,
    pack_option,
    parse_date,
    resolve_config,
    rule_models,
    rules_options,
    run_inputs,
    settle_memory,
    terminal_width,
    use_colour,
)
from .writing import refuse_input_as_output

if TYPE_CHECKING:
    from ..batch import PlainReport


@main.command()
@click.argument("files", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(list(FORMATS)), default=None,
              help="Output format [default: text for one file, compact (one line per finding) for more].")
@click.option("--verbose", "-v", is_flag=True,
              help="text: give every finding its reasoning, evidence and recommendation, not only a rule's first.")
@click.option("--select", "select", multiple=True, metavar="ID|TAG",
              help="Run only these rule ids or tags (repeatable; replaces the config's select).")
@click.option("--ignore", "ignore", multiple=True, metavar="ID|TAG",
              help="Leave out these rule ids or tags (repeatable; adds to the config's ignore).")
@click.option("--min-severity", type=click.Choice(SEVERITIES), default=None,
              help="Run only rules of this severity or worse (the config's min_severity).")
@click.option("--exclude", multiple=True, metavar="GLOB",
              help="Skip files found in directories that match this glob (repeatable), e.g. 'drafts/*'.")
@click.option("--fail-on", type=click.Choice(FAIL_ON), default=None,
              help="Exit 1 when a finding of this severity or worse is not waived [default: warning].")
@click.option("--as-of", callback=parse_date, help="Check as of this date (YYYY-MM-DD); wins over the proposal's date.")
@rules_options
@pack_option
@config_option
@click.option("--max-bytes", type=click.IntRange(1, MAX_BYTES_CEILING), default=Limits().max_bytes, show_default=True,
              help="Largest input file accepted.")
@click.option("--max-depth", type=click.IntRange(1, MAX_DEPTH_CEILING), default=Limits().max_depth,
              show_default=True, help="Deepest nesting of mappings and lists accepted in an input file.")
@click.option("--output", "output_file", type=click.Path(dir_okay=False),
              help="Write the report to this file instead of standard output.")
@click.option("--waivers", "waivers_file", metavar="FILE",
              help="Waivers file: accepted findings with reason and approver [default: the config's waivers].")
@click.option("--stale-after", "stale_after", type=click.IntRange(0, 100), default=None, metavar="YEARS",
              help="Mark findings whose evidence is more than YEARS older than the check date "
                   "[default: the config's stale_after_years, else 5].")
@click.option("-j", "--jobs", type=click.IntRange(min=0), default=0, metavar="N",
              help="Check in N worker processes (0: one per CPU, at most 4, and one per 32 files at most; "
                   "1: in this process) [default: 0].")
@colour_option
def check(files, fmt, verbose, select, ignore, min_severity, exclude, fail_on, as_of, rule_dirs, profile_dirs, packs,
          config_file, max_bytes, max_depth, output_file, waivers_file, stale_after, jobs, colour) -> None:
    """Check proposal FILES (files, directories, or - for standard input).

    A directory means the proposals below it: YAML files without a format: marker
    (config, waivers, rules, profiles) are skipped and counted.
    """
    from ..batch import run_batch

    limits = Limits(max_bytes=max_bytes, max_depth=max_depth)
    changes_rules = bool(select or ignore or min_severity or rule_dirs or profile_dirs or packs)
    setup = None
    if quick_check.applies(changes_rules=changes_rules, config_file=config_file, waivers_file=waivers_file):
        setup = quick_check.kept_plan_setup(stale_after)
    if setup is not None:  # no config: the built-in rule book from its kept plan, without the models
        if output_file:
            refuse_input_as_output(output_file, run_inputs(files, None, setup.checker, None))
        fail_on = fail_on or "warning"
    else:
        from ..api import run_setup

        config = resolve_config(config_file, packs).with_selection(select=select, ignore=ignore,
                                                                   min_severity=min_severity)
        checker = build_checker(config, rule_dirs, profile_dirs)
        if output_file:
            refuse_input_as_output(output_file, run_inputs(files, config, checker, waivers_file, profile_dirs))
        setup = run_setup(config, checker, waivers_file, stale_after)
        fail_on = fail_on or config.fail_on or "warning"
    if not jobs:  # 0: fork_pool's default (one per CPU, at most 4); only then, or to fork, is it imported
        from ..fork_pool import default_jobs
        jobs = default_jobs()
    settle_memory()
    plain = run_batch(files, setup, as_of=as_of, limits=limits, exclude=exclude, jobs=jobs)
    _write(plain, fmt, verbose=verbose, fail_on=fail_on, output_file=output_file, colour=colour)


def _write(plain: PlainReport, fmt: str | None, *, verbose: bool, fail_on: str, output_file: str | None,
           colour: str) -> NoReturn:
    """Write the report and exit with its status: from plain data where the format
    and the report allow (batch.py), else from the Report's models."""
    from ..output.plain_report import PLAIN_FORMATS, render_plain

    if fmt == "json":  # byte for byte what the Report model gives (batch.py)
        emit(plain.to_json_bytes(), output_file, False)
        sys.exit(plain.exit_code(fail_on))
    fmt = fmt or ("compact" if plain.files > 1 else "text")
    colour = use_colour(output_file, colour)
    data = plain.to_data() if fmt in PLAIN_FORMATS else None
    if data is not None:
        emit(render_plain(data, fmt, color=colour, verbose=verbose, width=terminal_width()), output_file, colour)
        sys.exit(plain.exit_code(fail_on))
    report = plain.to_report()
    emit(FORMATS[fmt](report, color=colour, verbose=verbose, width=terminal_width(), fail_on=fail_on,
                      rules=rule_models(fmt, plain.setup.checker)),
         output_file, colour)
    sys.exit(report.exit_code(fail_on))
