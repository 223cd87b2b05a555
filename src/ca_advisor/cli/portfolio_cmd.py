"""``ca-advisor portfolio``: check proposals one by one, then every package in play
at the check date as a whole (portfolio/)."""

from __future__ import annotations

import sys

import click

from ..findings import FAIL_ON
from ..output import FORMATS
from ..portfolio.api import check_portfolio_paths
from ..portfolio.package import DEFAULT_DURATION_YEARS
from ..yaml_source import Limits
from . import main
from .common import (build_checker, config_option, emit, pack_option, parse_date, resolve_config, rules_options,
                     use_colour)


@main.command()
@click.argument("files", nargs=-1, required=True)
@click.option("--as-of", callback=parse_date,
              help="The portfolio's date (YYYY-MM-DD): which packages are in play [default: today]. Each "
                   "proposal is still checked as of its own date.")
@click.option("--default-duration", type=click.FloatRange(min=0, min_open=True), default=DEFAULT_DURATION_YEARS,
              show_default=True, metavar="YEARS",
              help="Years a proposal without duration_years stays in play from its date.")
@click.option("--format", "fmt", type=click.Choice(list(FORMATS)), default="text", show_default=True,
              help="Output format.")
@click.option("--fail-on", type=click.Choice(FAIL_ON), default=None,
              help="Exit 1 when a finding (a proposal's or the portfolio's) of this severity or worse is not "
                   "waived [default: warning].")
@rules_options
@pack_option
@config_option
@click.option("--output", "output_file", type=click.Path(dir_okay=False),
              help="Write the report to this file instead of standard output.")
@click.option("--waivers", "waivers_file", metavar="FILE",
              help="Waivers file; `proposal: \"portfolio:RECIPIENT\"` waives a portfolio finding "
                   "[default: the config's waivers].")
@click.option("--stale-after", "stale_after", type=click.IntRange(0, 100), default=None, metavar="YEARS",
              help="Mark findings whose evidence is more than YEARS older than the check date.")
def portfolio(files, as_of, default_duration, fmt, fail_on, rule_dirs, profile_dirs, packs, config_file,
              output_file, waivers_file, stale_after) -> None:
    """Check proposal FILES (files or directories) and the portfolio they make at --as-of."""
    config = resolve_config(config_file, packs)
    checker = build_checker(config, rule_dirs, profile_dirs)
    report = check_portfolio_paths(files, config=config, checker=checker, as_of=as_of, waivers=waivers_file,
                                   limits=Limits(), stale_after_years=stale_after,
                                   default_duration=default_duration)
    emit(FORMATS[fmt](report, color=use_colour(output_file), rules=[r.rule for r in checker.book.rules]),
         output_file)
    sys.exit(report.exit_code(fail_on or config.fail_on or "warning"))
