"""``--output FILE``: never onto an input, never half-written.

* An output path that names one of the run's inputs (a proposal, however it was
  named or linked, the waivers or config file, a rule or profile file) is refused
  before anything is checked: writing the report there would destroy the input.
* The report is written to a temporary file beside the target and renamed over it,
  so a failed or interrupted write leaves the old file (or none), never a truncated
  one; a target that is not a regular file (a terminal, a pipe, /dev/null) is
  written directly, since renaming would replace the device entry itself.
* Any failure is one line on standard error and exit 2.
"""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import NoReturn

import click

from ..output.inert import inert

INPUT_ERROR = 2


def _fail(message: str) -> NoReturn:
    click.echo(inert(f"error: {message}"), err=True)
    sys.exit(INPUT_ERROR)


def _identity(path: str | Path) -> tuple[int, int] | None:
    try:
        info = os.stat(path)
    except (OSError, ValueError):
        return None
    return info.st_dev, info.st_ino


def refuse_input_as_output(output_file: str | None, inputs: Iterable[str | Path]) -> None:
    """Exit 2 when ``output_file`` is one of ``inputs`` (the same file, by identity)."""
    target = _identity(output_file) if output_file else None
    if target is None:
        return
    for source in inputs:
        if str(source) != "-" and _identity(source) == target:
            _fail(f"--output {output_file} is one of the inputs ({source}); writing the report there would "
                  "replace it: choose another file")


def write_output(text: str | bytes, output_file: str) -> None:
    """Write ``text`` (or UTF-8 bytes) to ``output_file`` whole or not at all; exit 2
    with a message on failure."""
    try:
        info = os.stat(output_file)
    except FileNotFoundError:
        info = None
    except OSError as exc:
        _fail(f"cannot write --output {output_file}: {exc.strerror or exc}")
    try:
        if info is not None and stat.S_ISDIR(info.st_mode):
            _fail(f"cannot write --output {output_file}: it is a directory; name a file")
        if info is not None and not stat.S_ISREG(info.st_mode):
            with _opened(output_file, text) as handle:
                handle.write(text)
            return
        _replace(text, Path(os.path.realpath(output_file)), info)
    except OSError as exc:
        _fail(f"cannot write --output {output_file}: {exc.strerror or exc}")


def _opened(file: str | int, text: str | bytes):
    return open(file, "wb") if isinstance(text, bytes) else open(file, "w", encoding="utf-8")


def _replace(text: str | bytes, target: Path, info: os.stat_result | None) -> None:
    import tempfile  # only a run that writes a file needs it

    fd, temp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with _opened(fd, text) as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, stat.S_IMODE(info.st_mode) if info is not None else 0o666 & ~_umask())
        os.replace(temp, target)
    except BaseException:
        try:
            os.unlink(temp)
        except OSError:
            pass
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
