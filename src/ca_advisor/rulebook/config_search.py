"""Where a project's config file is: the nearest ``ca-advisor.yaml`` upwards, within
bounds (config.py reads it; the quick route of check, cli/quick_check.py, asks only
whether there is one)."""

from __future__ import annotations

from pathlib import Path

CONFIG_NAMES = ("ca-advisor.yaml", ".ca-advisor.yaml")


def find_config(start: Path, *, home: Path | None = None) -> Path | None:
    """The nearest config file in ``start`` or a parent directory, searching no
    higher than the repository root (the directory holding ``.git``) or the user's
    home, whichever comes first. Outside both, only ``start`` itself is searched:
    a ``ca-advisor.yaml`` that anyone could leave in ``/tmp`` or ``/`` must not
    quietly switch rules off for a run below it."""
    home = home if home is not None else _home()
    for directory in search_dirs(start, home):
        for name in CONFIG_NAMES:
            candidate = directory / name
            if candidate.is_file():
                return candidate
    return None


def search_dirs(start: Path, home: Path | None) -> list[Path]:
    """``start`` and its parents up to the first boundary (repository root or home);
    ``[start]`` alone when no boundary lies above it."""
    start = start.absolute()
    dirs = []
    for directory in [start, *start.parents]:
        dirs.append(directory)
        if (directory / ".git").exists() or (home is not None and directory == home):
            return dirs
    return [start]


def _home() -> Path | None:
    try:
        return Path.home().absolute()
    except (RuntimeError, KeyError, OSError):
        return None
