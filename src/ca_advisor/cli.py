"""The ``ca-advisor`` command line.

Exit status, whatever the output format: 0 when no finding reaches ``--fail-on``,
1 when one does, 2 for unreadable or invalid input and usage errors.
"""

from __future__ import annotations

import datetime
import os
import sys

import click

from .api import check_paths, get_checker
from .errors import InputErrors
from .findings import FAIL_ON
from .output import FORMATS
from .yaml_source import Limits

INPUT_ERROR = 2


def _date(_ctx, _param, value: str | None) -> datetime.date | None:
    if value is None:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"'{value}' is not a date; use YYYY-MM-DD") from None


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="ca-advisor")
def main() -> None:
    """Check Central Asia defence and security assistance proposals against the
    advice of DIIS Report 2013:12."""


@main.command()
@click.argument("files", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(list(FORMATS)), default="text", show_default=True,
              help="Output format.")
@click.option("--fail-on", type=click.Choice(FAIL_ON), default="warning", show_default=True,
              help="Exit 1 when a finding of this severity or worse is not waived.")
@click.option("--as-of", callback=_date, help="Check as of this date (YYYY-MM-DD); wins over the proposal's date.")
@click.option("--rules", "rule_dirs", multiple=True, type=click.Path(file_okay=False),
              help="Extra rule directory (repeatable), beside the built-in rules.")
@click.option("--profiles", "profile_dirs", multiple=True, type=click.Path(file_okay=False),
              help="Extra country-profile directory (repeatable).")
@click.option("--max-bytes", type=click.IntRange(min=1), default=Limits().max_bytes, show_default=True,
              help="Largest input file accepted.")
@click.option("--output", "output_file", type=click.Path(dir_okay=False, writable=True),
              help="Write the report to this file instead of standard output.")
def check(files, fmt, fail_on, as_of, rule_dirs, profile_dirs, max_bytes, output_file) -> None:
    """Check proposal FILES (files, directories, or - for standard input)."""
    try:
        checker = get_checker(rule_dirs, profile_dirs)
    except InputErrors as exc:
        _fail_with_input_errors(exc)
    report = check_paths(files, checker=checker, as_of=as_of, limits=Limits(max_bytes=max_bytes))
    text = FORMATS[fmt](report, color=_use_colour(output_file))
    _emit(text, output_file)
    sys.exit(report.exit_code(fail_on))


def _use_colour(output_file: str | None) -> bool:
    return output_file is None and sys.stdout.isatty() and "NO_COLOR" not in os.environ


def _emit(text: str, output_file: str | None) -> None:
    if output_file:
        with open(output_file, "w", encoding="utf-8") as handle:
            handle.write(text)
    else:
        click.echo(text, nl=False)


def _fail_with_input_errors(exc: InputErrors):
    for error in exc.errors:
        click.echo(f"error: {error.render()}", err=True)
    sys.exit(INPUT_ERROR)
