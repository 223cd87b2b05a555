"""Options and helpers shared by several commands."""

from __future__ import annotations

import datetime
import gc
import os
import sys
from pathlib import Path
from typing import NoReturn

import click

from ..api import get_checker
from ..checker import Checker
from ..config import Config, find_config, load_config
from ..errors import InputErrors
from ..packs import ref_from_option, resolve_refs

INPUT_ERROR = 2


def parse_date(_ctx, _param, value: str | None) -> datetime.date | None:
    if value is None:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"'{value}' is not a date; use YYYY-MM-DD") from None


def config_option(f):
    return click.option("--config", "config_file", type=click.Path(dir_okay=False, exists=True),
                        help="Project config file (default: the nearest ca-advisor.yaml upwards).")(f)


def rules_options(f):
    f = click.option("--profiles", "profile_dirs", multiple=True, type=click.Path(file_okay=False),
                     help="Extra country-profile directory (repeatable).")(f)
    return click.option("--rules", "rule_dirs", multiple=True, type=click.Path(file_okay=False),
                        help="Extra rule directory (repeatable), beside the built-in rules.")(f)


def pack_option(f):
    return click.option("--pack", "packs", multiple=True, metavar="NAME|PATH",
                        help="Use this rule pack (repeatable): an installed or shipped pack's name, or a pack "
                             "directory; after the config's `packs:`.")(f)


def resolve_config(config_file: str | None, packs: tuple[str, ...] = ()) -> Config:
    """The config named on the command line, else the nearest one, else defaults;
    plus the packs named with --pack."""
    path = Path(config_file) if config_file else find_config(Path.cwd())
    try:
        config = load_config(path)
        return config.with_packs(resolve_refs([ref_from_option(p) for p in packs], Path.cwd(), None))
    except InputErrors as exc:
        fail_with_input_errors(exc)


def build_checker(config: Config, rule_dirs, profile_dirs) -> Checker:
    try:
        return get_checker(rule_dirs, profile_dirs, config=config)
    except InputErrors as exc:
        fail_with_input_errors(exc)


def fail_with_input_errors(exc: InputErrors) -> NoReturn:
    for error in exc.errors:
        click.echo(f"error: {error.render()}", err=True)
    sys.exit(INPUT_ERROR)


def settle_memory() -> None:
    """After start-up (imports, the rule book compiled), before the batch: what exists
    now lives for the whole run, so move it out of the collector's sight
    (``gc.freeze``), and collect young objects less often.  A check makes many small
    containers and almost no cycles, so the default threshold (700) had the
    collector walk the growing report again and again: a sixth of a long batch.
    Only the CLI does this; the API leaves its host process's collector alone."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(20_000, 50, 100)


def use_colour(output_file: str | None) -> bool:
    return output_file is None and sys.stdout.isatty() and "NO_COLOR" not in os.environ


def emit(text: str, output_file: str | None) -> None:
    if output_file:
        with open(output_file, "w", encoding="utf-8") as handle:
            handle.write(text)
    else:
        click.echo(text, nl=False)
