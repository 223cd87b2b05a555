"""``ca-advisor profiles show COUNTRY``: the country facts in force on a date."""

from __future__ import annotations

import datetime
import sys
import textwrap
from pathlib import Path

import click

from ..facts.dated import dating_text, entry_in_force
from ..facts.profiles import (
    CountryProfile,
    FactEntry,
    ProfileBook,
    load_profiles,
    why_not_in_force,
)
from ..model.errors import InputErrors, did_you_mean
from ..reading.builtin import builtin_profiles_dir
from ..reading.paths import display_path
from . import main
from .common import INPUT_ERROR, config_option, echo, parse_date, resolve_config
from .rules_cmd import fail_located


@main.group("profiles")
def profiles_group() -> None:
    """Read the dated country facts the rules use."""


@profiles_group.command("show")
@click.argument("country")
@click.option("--as-of", callback=parse_date, help="The date (YYYY-MM-DD) [default: today].")
@click.option("--history", is_flag=True, help="Also list every dated entry of each fact.")
@click.option("--profiles", "profile_dirs", multiple=True, type=click.Path(file_okay=False),
              help="Extra country-profile directory (repeatable).")
@config_option
def show_command(country, as_of, history, profile_dirs, config_file) -> None:
    """Show COUNTRY's facts in force on a date, with since/until, source and file."""
    config = resolve_config(config_file)
    dirs = [builtin_profiles_dir(), *config.profile_dirs, *(Path(d) for d in profile_dirs)]
    try:
        book = load_profiles(dirs)
    except InputErrors as exc:
        fail_located(exc)
    profile = book.profiles.get(country)
    if profile is None:
        echo(f"error: no profile for '{country}'{did_you_mean(country, book.profiles)}; profiles: "
                   f"{', '.join(sorted(book.profiles))}", err=True)
        sys.exit(INPUT_ERROR)
    date, source = (as_of, "--as-of") if as_of else (datetime.date.today(), "today")
    echo("\n".join(profile_lines(book, profile, date, source, history=history)))


def profile_lines(book: ProfileBook, profile: CountryProfile, date: datetime.date, source: str, *,
                  history: bool = False) -> list[str]:
    lines = [f"{profile.country} ({profile.name}): facts in force on {date} ({source})"]
    absent = []
    for key in sorted(profile.facts):
        entries = profile.facts[key]
        entry = entry_in_force(entries, date)
        if entry is None:
            absent.append(f"  {key}: {why_not_in_force(entries, date)}")
            absent.extend(_history(book, profile.country, key, entries, None) if history else [])
            continue
        lines.append(f"  {key} = {entry.value}")
        if history:
            lines.extend(_history(book, profile.country, key, entries, entry))
        else:
            lines.extend(_wrapped(_entry_detail(book, profile.country, key, entry), "      "))
    if absent:
        lines += [f"no entry in force on {date}:", *absent]
    unstated = sorted(set(book.keys) - set(profile.facts))
    if unstated:
        lines.append(f"not stated for {profile.country} (rules reading them find no fact): {', '.join(unstated)}")
    return lines


def _entry_detail(book: ProfileBook, country: str, key: str, entry: FactEntry) -> str:
    note = f"; {entry.source.note}" if entry.source.note else ""
    origin = book.origin(country, key, entry.start)
    where = f" [{display_path(origin.file)}:{origin.line}]" if origin and origin.line else ""
    return f"{dating_text(entry.since, entry.attested, entry.until)}; {entry.source.cite(book.sources)}{note}{where}"


def _history(book: ProfileBook, country: str, key: str, entries: list[FactEntry],
             current: FactEntry | None) -> list[str]:
    """Every entry, oldest first; the one in force is marked '*'."""
    lines = []
    for e in sorted(entries, key=lambda e: e.start):
        mark = "*" if e is current else "-"
        lines.extend(_wrapped(f"{mark} {e.value}: {_entry_detail(book, country, key, e)}", "      ", "        "))
    return lines


def _wrapped(text: str, indent: str, subsequent: str | None = None) -> list[str]:
    return textwrap.wrap(text, width=88, initial_indent=indent, subsequent_indent=subsequent or indent,
                         break_on_hyphens=False)



