"""How a file is named to the person reading a message."""

from __future__ import annotations

from pathlib import Path


def display_path(file: str) -> str:
    """A file as the reader would type it: relative to the current directory when below it."""
    path = Path(file)
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError):
        return file
