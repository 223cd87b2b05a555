"""Options and helpers shared by several commands.

The rule book's, the config's and the API's modules are imported by the helpers that
use them, not here: ``check`` of valid proposals may need none of them (quick_check.py).
"""

from __future__ import annotations

import datetime
import gc
import os
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import click

from ..model.errors import InputErrors
from ..output.inert import inert
from ..rulebook.config_search import find_config
from .writing import write_output

if TYPE_CHECKING:
    from ..engines.checker import Checker
    from ..rulebook.config import Config

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
                        help="Project config file (default: the nearest ca-advisor.yaml upwards, up to the "
                             "repository root or home).")(f)


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
    from ..rulebook.config import load_config
    from ..rulebook.packs import ref_from_option, resolve_refs

    path = Path(config_file) if config_file else find_config(Path.cwd())
    try:
        config = load_config(path)
        return config.with_packs(resolve_refs([ref_from_option(p) for p in packs], Path.cwd(), None))
    except InputErrors as exc:
        fail_with_input_errors(exc)


def build_checker(config: Config, rule_dirs, profile_dirs) -> Checker:
    from ..api import get_checker

    try:
        checker = get_checker(rule_dirs, profile_dirs, config=config)
    except InputErrors as exc:
        fail_with_input_errors(exc)
    if not checker.plan.reports_findings:
        # Never a silent pass: a config that switches everything off is said aloud.
        echo(f"warning: no rule that reports findings is left to run ({config.file or 'no config'}: disable/"
             "select); every proposal will pass", err=True)
    return checker


def rule_models(fmt: str, checker: Checker | None) -> list:
    """The rule models a format reads (``output.TAKE_RULES``: SARIF's tags, JUnit's
    passing cases), loading the rule book only for those formats."""
    from ..output import TAKE_RULES

    return [r.rule for r in checker.book.rules] if fmt in TAKE_RULES and checker is not None else []


def fail_with_input_errors(exc: InputErrors) -> NoReturn:
    for error in exc.errors:
        echo(f"error: {error.render()}", err=True)
    sys.exit(INPUT_ERROR)


def echo(text: str, *, err: bool = False, nl: bool = True) -> None:
    """Print a line of the command line's own output with any user text in it made
    inert (``output/inert.py``); formatted reports go through ``emit`` instead."""
    click.echo(inert(text), err=err, nl=nl)


def settle_memory() -> None:
    """After start-up (imports, the rule book compiled), before the batch: what exists
    now lives for the whole run, so move it out of the collector's sight
    (``gc.freeze``), and collect young objects less often.  A check makes many small
    containers and almost no cycles, so the default threshold (700) had the
    collector walk the growing report again and again: a sixth of a long batch.
    Only the CLI does this; the API leaves its host process's collector alone.  No
    collection first: start-up leaves little garbage, and collecting it cost more
    (15 ms) than checking a file."""
    gc.freeze()
    gc.set_threshold(20_000, 50, 100)


def colour_option(f):
    return click.option("--color", "colour", type=click.Choice(["auto", "always", "never"]), default="auto",
                        show_default=True,
                        help="Colour the text output: auto colours a terminal unless NO_COLOR is set "
                             "(FORCE_COLOR colours a pipe too).")(f)


def use_colour(output_file: str | None, mode: str = "auto") -> bool:
    """``--color``: always and never win; auto colours a terminal, never a file, and
    follows NO_COLOR (off) and FORCE_COLOR (on), as https://no-color.org and
    https://force-color.org describe them (set and not empty)."""
    if mode != "auto":
        return mode == "always"
    if output_file is not None or os.environ.get("NO_COLOR"):
        return False
    return bool(os.environ.get("FORCE_COLOR")) or sys.stdout.isatty()


def terminal_width() -> int | None:
    """The terminal's width (or ``COLUMNS``); None when standard output is not a terminal."""
    if "COLUMNS" in os.environ or sys.stdout.isatty():
        import shutil  # here, not at the top: it brings in zlib, bz2 and lzma (2.5 ms a run)

        return shutil.get_terminal_size().columns
    return None


def emit(text: str | bytes, output_file: str | None, colour: bool = False) -> None:
    """The formatted report to ``--output`` (whole or not at all) or standard output
    (bytes, from the batch path's JSON, are UTF-8 written as they are)."""
    if output_file:
        write_output(text, output_file)
    else:
        # colour=True: keep escapes that --color always or FORCE_COLOR asked for on a pipe
        click.echo(text, nl=False, color=colour or None)


def run_inputs(files: Iterable[str], config: Config | None, checker: Checker, waivers: str | None,
               profile_dirs: Iterable[str] = ()) -> list[str]:
    """Every file a run reads: the YAML files its directories hold (listed, not
    read: a report must not replace a skipped file either), the config and waivers
    files, rule files and profile files (for ``refuse_input_as_output``).  ``config``
    None: a run without one (quick_check.py)."""
    from ..reading.targets import expand_targets

    found = [t.path for t in expand_targets(files, [])]
    if config is not None:
        found += [str(p) for p in (config.file, waivers or config.waivers) if p]
        profile_dirs = (*config.profile_dirs, *profile_dirs)
    found += [r.file for r in checker.plan.rules.values()]
    found += [str(p) for d in profile_dirs if Path(d).is_dir() for p in Path(d).glob("*.y*ml")]
    return found
