"""Located, actionable input errors.

Every problem with a file the user gave us (a proposal, a rule, a profile, a waiver
or config file) becomes an ``InputError``: which file, which line and column, which
field path, and a message that says what was found and what is allowed.  Loaders
collect all the problems in a file and raise them together as ``InputErrors``.

``InputError`` is a pydantic model (input_error.py), imported when first named: a
check of a valid proposal may make none, and the modules on its path (reading YAML,
the check plan, plain output) make theirs through ``input_error`` so that such a
check never imports pydantic (cli/quick_check.py: the quick route of check).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .input_error import InputError


def __getattr__(name: str) -> Any:
    if name == "InputError":
        from .input_error import InputError
        return InputError
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def input_error(**fields: Any) -> InputError:
    """An ``InputError`` (file, line, column, path, message), its model imported now."""
    from .input_error import InputError
    return InputError(**fields)


def where(file: str, line: int | None, column: int | None) -> str:
    """``file``, ``file:line`` or ``file:line:col``."""
    if line is None:
        return file
    return f"{file}:{line}" if column is None else f"{file}:{line}:{column}"


class InputErrors(Exception):
    """One or more located problems in one input file."""

    def __init__(self, errors: Iterable[InputError]):
        self.errors = sorted(errors, key=lambda e: (e.file, e.line or 0, e.column or 0, e.path))
        super().__init__("\n".join(e.render() for e in self.errors))


# A file with thousands of problems (a generated file, the wrong file) gets the first
# ones, in order, and one line saying how many more: enough to act on, cheap to make.
MAX_ERRORS_PER_FILE = 100


def more_problems(file: str, line: int | None, column: int | None, count: int) -> InputError:
    """The line that stands for ``count`` problems not listed, placed at the first of them."""
    return input_error(file=file, line=line, column=column,
                       message=f"... and {count:,} more problems from here on (only the first "
                               f"{MAX_ERRORS_PER_FILE} in a file are listed); fix those first")


def did_you_mean(found: object, allowed: Iterable[str], *, cutoff: float = 0.6) -> str:
    """A " (did you mean 'x'?)" suffix when ``found`` is a near miss of an allowed name."""
    if not isinstance(found, str):
        return ""
    import difflib  # only when a problem is worded

    allowed = list(allowed)
    close = difflib.get_close_matches(found, allowed, n=1, cutoff=cutoff)
    if not close and len(found) >= 3:  # abbreviations: 'recon' -> 'reconnaissance'
        close = [a for a in allowed if a.startswith(found)][:1]
    return f" (did you mean '{close[0]}'?)" if close else ""


def quoted(name: str) -> str:
    """A name from a file in quotes: 'name', or JSON-quoted (escapes visible) when it
    holds a character that would not print, such as a newline or a control code."""
    return f"'{name}'" if name.isprintable() else json.dumps(name, ensure_ascii=False)


def one_of(allowed: Iterable[str]) -> str:
    return ", ".join(allowed)
