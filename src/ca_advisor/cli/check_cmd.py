"""``ca-advisor check``: check proposals and report findings."""

from __future__ import annotations

import sys

import click

from ..api import check_paths
from ..findings import FAIL_ON
from ..output import FORMATS
from ..yaml_source import MAX_BYTES_CEILING, MAX_DEPTH_CEILING, Limits
from . import main
from .common import (build_checker, config_option, emit, pack_option, parse_date, resolve_config, rules_options,
                     run_inputs, use_colour)
from .writing import refuse_input_as_output


@main.command()
@click.argument("files", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(list(FORMATS)), default="text", show_default=True,
              help="Output format.")
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
def check(files, fmt, fail_on, as_of, rule_dirs, profile_dirs, packs, config_file, max_bytes, max_depth, output_file,
          waivers_file, stale_after) -> None:
    """Check proposal FILES (files, directories, or - for standard input)."""
    config = resolve_config(config_file, packs)
    checker = build_checker(config, rule_dirs, profile_dirs)
    refuse_input_as_output(output_file, run_inputs(files, config, checker, waivers_file, profile_dirs))
    report = check_paths(files, config=config, checker=checker, as_of=as_of, waivers=waivers_file,
                         limits=Limits(max_bytes=max_bytes, max_depth=max_depth), stale_after_years=stale_after)
    emit(FORMATS[fmt](report, color=use_colour(output_file), rules=[r.rule for r in checker.book.rules]),
         output_file)
    sys.exit(report.exit_code(fail_on or config.fail_on or "warning"))
