"""Which files a directory holds for ca-advisor, and every one it skips, said aloud.

Listing with ``glob("*.yaml")`` skipped things without a word: a ``.yml`` rule file,
``X.YAML``, a symbolic link to a directory or an unreadable directory below a
proposals directory, and it handed a FIFO to the reader, which then waited forever
for a writer. Every directory ca-advisor reads (proposals, rules, fixtures,
profiles) is listed here instead: the files it reads, and an ``InputError`` for each
path that looks meant for it but is not read, saying why and what to do.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..model.errors import input_error

if TYPE_CHECKING:
    from ..model.input_error import InputError

YAML_SUFFIXES = (".yaml", ".yml")


@dataclass
class Listing:
    files: list[Path] = field(default_factory=list)
    skipped: list[InputError] = field(default_factory=list)


def yaml_files(directory: Path, *, suffixes: Sequence[str] = (".yaml",), recursive: bool = False,
               kind: str = "rule, fixture and profile files") -> Listing:
    """The regular files in ``directory`` (and below it when ``recursive``) whose names
    end in one of ``suffixes``, sorted; and every skipped path that looks like YAML,
    every unreadable or linked subdirectory of a recursive listing."""
    listing = Listing()
    _scan(directory, listing, tuple(suffixes), recursive, kind)
    listing.files.sort()
    listing.skipped.sort(key=lambda e: e.file)
    return listing


def _scan(directory: Path, listing: Listing, suffixes: tuple[str, ...], recursive: bool, kind: str) -> None:
    try:
        entries = sorted(os.scandir(directory), key=lambda e: e.name)
    except OSError as exc:
        listing.skipped.append(input_error(file=str(directory), message=f"cannot be read ({exc.strerror or exc}); "
                                                                       "its files are not checked"))
        return
    for entry in entries:
        if entry.is_file(follow_symlinks=False):  # a regular file, as the listing itself says
            suffix = _suffix(entry.name)
            if suffix in suffixes:  # the usual case: no system call, and no Path for other files
                listing.files.append(Path(entry.path))
                continue
            if suffix.lower() not in YAML_SUFFIXES:
                continue
        path = Path(directory) / entry.name
        try:
            is_link = entry.is_symlink()
            target = os.stat(path) if is_link else entry.stat(follow_symlinks=False)
        except OSError:
            target = None
        if target is not None and stat.S_ISDIR(target.st_mode):
            if recursive and is_link:
                listing.skipped.append(input_error(file=str(path), message="is a symbolic link to a directory and "
                                                  "is not followed; name the directory itself to check it"))
            elif recursive:
                _scan(path, listing, suffixes, recursive, kind)
            continue
        _file(path, target, listing, suffixes, kind)


def _suffix(name: str) -> str:
    """``Path(name).suffix``, without making a Path (".yaml" alone has none)."""
    dot = name.rfind(".")
    return name[dot:] if 0 < dot < len(name) - 1 else ""


def _file(path: Path, target: os.stat_result | None, listing: Listing, suffixes: tuple[str, ...], kind: str) -> None:
    suffix = path.suffix
    if suffix.lower() not in YAML_SUFFIXES:
        return
    if suffix not in suffixes:
        endings = " or ".join(suffixes)
        listing.skipped.append(input_error(file=str(path), message=f"is not read: {kind} end in {endings}; "
                                                                  f"rename it {path.stem}{suffixes[0]}"))
    elif target is None:
        listing.skipped.append(input_error(file=str(path), message="is a broken symbolic link; not read"))
    elif not stat.S_ISREG(target.st_mode):
        listing.skipped.append(input_error(file=str(path), message="is not a regular file (a pipe, socket or "
                                                                  "device); not read"))
    else:
        listing.files.append(path)


def unique_dirs(dirs: Sequence[Path]) -> list[Path]:
    """Each directory once, in order, however it was named (a directory given both in
    the config and with --rules is read once, not "also defined in" itself)."""
    seen, out = set(), []
    for d in dirs:
        try:
            key = Path(d).resolve()
        except OSError:
            key = Path(d)
        if key not in seen:
            seen.add(key)
            out.append(Path(d))
    return out
