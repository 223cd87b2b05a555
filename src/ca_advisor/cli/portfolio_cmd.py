"""``ca-advisor portfolio``: check proposals one by one, then every package in play
at the check date as a whole (portfolio/)."""

from __future__ import annotations

import datetime
import sys

import click

from ..facts.portfolio_schema import PORTFOLIO_FACT_TYPES
from ..model.errors import InputErrors, did_you_mean
from ..model.findings import FAIL_ON
from ..output import FORMATS
from ..portfolio.explain import explain_portfolio, render_portfolio_explanation
from ..portfolio.package import DEFAULT_DURATION_YEARS
from ..portfolio_api import check_portfolio_paths, read_packages
from . import main
from .common import (
    INPUT_ERROR,
    build_checker,
    colour_option,
    config_option,
    emit,
    fail_with_input_errors,
    pack_option,
    parse_date,
    resolve_config,
    rule_models,
    rules_options,
    run_inputs,
    terminal_width,
    use_colour,
)
from .writing import refuse_input_as_output


@main.command()
@click.argument("files", nargs=-1, required=True)
@click.option("--as-of", callback=parse_date,
              help="The portfolio's date (YYYY-MM-DD): which packages are in play [default: today]. Each "
                   "proposal is still checked as of its own date.")
@click.option("--explain", "explain_rule", metavar="RULE",
              help="Instead of the report, explain why this portfolio rule fired or not, fact by fact.")
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
@colour_option
def portfolio(files, as_of, explain_rule, default_duration, fmt, fail_on, rule_dirs, profile_dirs, packs, config_file,
              output_file, waivers_file, stale_after, colour) -> None:
    """Check proposal FILES (files or directories) and the portfolio they make at --as-of."""
    config = resolve_config(config_file, packs)
    checker = build_checker(config, rule_dirs, profile_dirs)
    if explain_rule:
        _explain(checker, files, explain_rule, as_of or datetime.date.today(), default_duration)
        return
    if output_file:  # as check does: never a report written over an input
        refuse_input_as_output(output_file, run_inputs(files, config, checker, waivers_file, profile_dirs))
    report = check_portfolio_paths(files, config=config, checker=checker, as_of=as_of, waivers=waivers_file,
                                   stale_after_years=stale_after, default_duration=default_duration)
    fail_on = fail_on or config.fail_on or "warning"
    colour = use_colour(output_file, colour)
    emit(FORMATS[fmt](report, color=colour, width=terminal_width(), fail_on=fail_on,
                      rules=rule_models(fmt, checker)), output_file, colour)
    sys.exit(report.exit_code(fail_on))


def _explain(checker, files, rule_id: str, as_of: datetime.date, default_duration: float) -> None:
    rule = checker.book.get(rule_id)
    if rule is None or rule.rule.for_each not in PORTFOLIO_FACT_TYPES:
        known = [r.id for r in checker.book.rules if r.rule.for_each in PORTFOLIO_FACT_TYPES]
        why = ("is not a portfolio rule; `ca-advisor explain FILE --rule` explains it on one proposal"
               if rule is not None else f"is not among the rules `check` runs{did_you_mean(rule_id, known)}")
        click.echo(f"error: {rule_id} {why}", err=True)
        sys.exit(INPUT_ERROR)
    packages, errors = read_packages(files, default_duration=default_duration)
    if errors:
        fail_with_input_errors(InputErrors(errors))
    explanation, contributed = explain_portfolio(checker, packages, rule_id, as_of)
    click.echo("\n".join(render_portfolio_explanation(explanation, contributed)))
