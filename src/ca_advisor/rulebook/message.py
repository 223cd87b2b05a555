"""A rule's message: a template filled from the fact a finding is about.

``{country}`` and ``{component.id}`` place a field of the fact, ``{param.NAME}`` a
parameter; ``{{`` and ``}}`` are literal braces.  A missing value reads "not given",
and a quoted placeholder (``'{needs_assessment}'``) quotes a value but never its
absence ("needs_assessment not given").  A value is placed as it is: braces in it
are never read as placeholders.

A filter says which part of a value mattered, in the terms of the condition that
tested it, so that a rule with several ways to fire can say which one did:

* ``{transferred_capabilities|among:param.sensitive_capabilities}``: the items of a
  list that are also in another (what ``includes_any`` found), or "none";
* ``{transferred_quantity|total_of:param.combat_relevant_capabilities}``: the sum of
  the quantities of the capabilities listed (what ``total_of`` added up).

The loader checks every name a message uses against the fact schema and the rule's
parameters (rulebook/load.py); the checker and ``explain`` fill messages here.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import Any, NamedTuple

PLACEHOLDER_NAME = r"[A-Za-z_][A-Za-z0-9_.]*"  # a field path or param.NAME
_FILTERED = rf"({PLACEHOLDER_NAME})(?:\|([A-Za-z_]+):({PLACEHOLDER_NAME}))?"
# A quoted placeholder, a doubled brace, a placeholder ('{{...}}' is no quoted one).
_TOKEN = re.compile(rf"'\{{{_FILTERED}\}}'|\{{\{{|\}}\}}|\{{{_FILTERED}\}}")

NOT_GIVEN = "not given"
NONE_FOUND = "none"


def _among(value: Any, within: Any) -> Any:
    if not isinstance(value, list) or not isinstance(within, list):
        return None
    return [v for v in value if v in within] or NONE_FOUND


def _total_of(value: Any, keys: Any) -> Any:
    if not isinstance(value, dict) or not isinstance(keys, list):
        return None
    return sum(v for k, v in value.items() if k in keys and isinstance(v, (int, float)))


FILTERS: dict[str, Callable[[Any, Any], Any]] = {"among": _among, "total_of": _total_of}


class Placeholder(NamedTuple):
    name: str
    path: tuple[str, ...]
    quoted: bool
    filter: str | None = None
    argument: str | None = None
    argument_path: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        """The placeholder as written, for messages."""
        return "{" + self.name + (f"|{self.filter}:{self.argument}" if self.filter else "") + "}"


Part = tuple[str, "Placeholder | None"]  # literal text, then the placeholder after it (None at the end)


@functools.lru_cache(maxsize=4096)  # one entry per rule message: parsed once, not per finding
def parse(template: str) -> tuple[Part, ...]:
    parts: list[Part] = []
    literal: list[str] = []
    at = 0
    for match in _TOKEN.finditer(template):
        literal.append(template[at:match.start()])
        at = match.end()
        quoted = match.group(1) is not None
        name, filter_, argument = match.group(1, 2, 3) if quoted else match.group(4, 5, 6)
        if name is None:  # a doubled brace
            literal.append(match.group(0)[0])
            continue
        placeholder = Placeholder(name, tuple(name.split(".")), quoted, filter_, argument,
                                  tuple(argument.split(".")) if argument else ())
        parts.append(("".join(literal), placeholder))
        literal = []
    parts.append(("".join(literal) + template[at:], None))
    return tuple(parts)


def placeholders(template: str) -> list[Placeholder]:
    return [p for _, p in parse(template) if p is not None]


def render(template: str, data: dict[str, Any], params: dict[str, Any]) -> str:
    """The message for a fact's ``data`` with the rule's ``params``."""
    out = []
    for literal, placeholder in parse(template):
        out.append(literal)
        if placeholder is None:
            continue
        value = _value(placeholder.name, placeholder.path, data, params)
        if placeholder.filter is not None:
            value = FILTERS[placeholder.filter](
                value, _value(placeholder.argument, placeholder.argument_path, data, params))
        out.append((NOT_GIVEN if value is None else f"'{text(value)}'") if placeholder.quoted else text(value))
    return prose("".join(out))


def _value(name: str, path: tuple[str, ...], data: dict[str, Any], params: dict[str, Any]) -> Any:
    if name.startswith("param."):
        return params.get(name[6:])
    current: Any = data
    for part in path:
        current = current.get(part) if isinstance(current, dict) else None
    return current


def text(value: Any) -> str:
    """A value as a message shows it."""
    if value is None:
        return NOT_GIVEN
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, list):
        return ", ".join(text(v) for v in value)
    return str(value)


_WHITESPACE = re.compile(r"\s+")


def prose(value: str) -> str:
    """Whitespace folded to single spaces (YAML's folded blocks keep line breaks)."""
    # Every whitespace character but the plain space is unprintable, so printable
    # text without doubled or outer spaces is already folded (most messages).
    if value.isprintable() and "  " not in value and value[:1] != " " and value[-1:] != " ":
        return value
    return _WHITESPACE.sub(" ", value).strip()
