"""What a run checks: the files its paths name, and the ids the proposals give.

A directory may hold YAML that is not a proposal (a waivers file, a CI config), so a
file found below a directory is checked only when it has a top-level ``format:``
key; a file named on the command line is always checked.  Listing does not read the
files: the marker is looked for in the bytes the reader reads anyway
(``looks_like_proposal``), so each file is read once, in the worker that checks it.

Two proposals sharing an id would be waived and diffed together, so a run reports
the second one (``ProposalIds``).  The same file named twice is not a clash; telling
the two apart needs the files' resolved paths, which are only worked out when an id
comes round again.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from ..model.errors import InputErrors, input_error

if TYPE_CHECKING:
    from ..model.input_error import InputError
from .scan import YAML_SUFFIXES, yaml_files
from .yaml_source import DEFAULT_LIMITS, Limits, read_bytes


class Target(NamedTuple):
    """One file to check ("-" for standard input); ``found``: listed from a directory,
    so checked only when it looks like a proposal."""

    path: str
    found: bool = False


def expand_targets(paths: Iterable[str | Path], errors: list[InputError], *,
                   exclude: Sequence[str] = ()) -> list[Target]:
    """Files as given, directories expanded to their YAML files (not read here); a
    directory with no YAML is an error, and so is each path the listing skips."""
    out: list[Target] = []
    for raw in paths:
        target = str(raw)
        path = Path(target)
        if target == "-" or not path.is_dir():
            out.append(Target(target))
            continue
        listing = yaml_files(path, suffixes=YAML_SUFFIXES, recursive=True, kind="proposal files")
        errors.extend(listing.skipped)
        if not listing.files and not listing.skipped:
            errors.append(input_error(file=target, message="directory holds no *.yaml or *.yml files"))
        out.extend(Target(str(file), True) for file in listing.files if not _excluded(file, path, exclude))
    return out


def _excluded(file: Path, directory: Path, patterns: Sequence[str]) -> bool:
    """As in .gitignore, a pattern matches the path at any depth below the directory
    (``drafts/*`` leaves out ``plans/drafts/a.yaml``), or the path as found."""
    if not patterns:
        return False
    parts = file.relative_to(directory).parts
    names = {file.as_posix(), *("/".join(parts[i:]) for i in range(len(parts)))}
    return any(fnmatch.fnmatchcase(name, pattern) for pattern in patterns for name in names)


_FORMAT_MARKER = re.compile(rb"^[\"']?format[\"']?[ \t]*:", re.MULTILINE)


def looks_like_proposal(raw: bytes) -> bool:
    """Whether the bytes of a YAML file found in a directory are meant as a proposal:
    they hold a top-level ``format:`` key.  Bytes that are not text are checked, so
    that the reader says what is wrong with them rather than skipping them.  (The
    marker is looked for first: a proposal's bytes are then not decoded twice, here
    and by the reader.)"""
    if b"\0" in raw or _FORMAT_MARKER.search(raw):
        return True
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return True
    return False


def file_looks_like_proposal(path: str, limits: Limits = DEFAULT_LIMITS) -> bool:
    """``looks_like_proposal`` of a file; one that cannot be read is checked, so that
    the reader reports why."""
    try:
        return looks_like_proposal(read_bytes(path, what="a proposal", limits=limits))
    except InputErrors:
        return True


class IdPlace(NamedTuple):
    """Where a file gives its proposal id: what ``ProposalIds`` needs of each result
    (it crosses a worker's pipe as JSON, so it is plain data)."""

    file: str
    proposal_id: str
    line: int | None
    column: int | None


class ProposalIds:
    """The proposal ids met so far in a run, and the file that gave each first."""

    def __init__(self) -> None:
        self._first: dict[str, IdPlace] = {}

    def add(self, place: IdPlace) -> list[InputError]:
        """An error when another file of the run already gave this id; else none."""
        first = self._first.setdefault(place.proposal_id, place)
        if first is place or _identity(first.file) == _identity(place.file):
            return []
        return [input_error(file=place.file, line=place.line, column=place.column, path="id",
                           message=f"proposal id '{place.proposal_id}' is also the id of {first.file}; each "
                                   "proposal needs its own id (waivers and diffs find proposals by id)")]


def _identity(file: str) -> str:
    """The same file however it was named ("<stdin>" and other pseudo-files as named)."""
    return file if file.startswith("<") else str(Path(file).resolve())

