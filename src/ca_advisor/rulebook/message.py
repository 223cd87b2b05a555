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


@functools.lru_cache(maxsize=4096)  # one entry per rule message (placeholders at load, _steps once)
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
    for literal, value_of, quoted, filter_, argument_of in _steps(template):
        out.append(literal)
        if value_of is None:
            continue
        value = value_of(data, params)
        if filter_ is not None:
            value = filter_(value, argument_of(data, params))
        out.append((NOT_GIVEN if value is None else f"'{text(value)}'") if quoted else text(value))
    return prose("".join(out))


Step = tuple[str, "Callable[[dict, dict], Any] | None", bool, "Callable[[Any, Any], Any] | None",
             "Callable[[dict, dict], Any] | None"]


@functools.lru_cache(maxsize=4096)  # one entry per rule message, as parse's
def _steps(template: str) -> tuple[Step, ...]:
    """``parse(template)`` made ready to fill (a message is filled for every finding):
    each placeholder's value and filter argument as a function of (data, params)."""
    steps = []
    for literal, p in parse(template):
        if p is None:
            steps.append((literal, None, False, None, None))
        else:
            steps.append((literal, _reader(p.name, p.path), p.quoted, FILTERS[p.filter] if p.filter else None,
                          _reader(p.argument, p.argument_path) if p.filter else None))
    return tuple(steps)


def _reader(name: str, path: tuple[str, ...]) -> Callable[[dict, dict], Any]:
    """What a placeholder names: a parameter, a field of the fact, or a field below one."""
    if name.startswith("param."):
        key = name[6:]
        return lambda data, params: params.get(key)
    if len(path) == 1:
        key = path[0]
        return lambda data, params: data.get(key)
    return lambda data, params: _below(data, path)


def _below(data: dict[str, Any], path: tuple[str, ...]) -> Any:
    current: Any = data
    for part in path:
        current = current.get(part) if isinstance(current, dict) else None
    return current


def text(value: Any) -> str:
    """A value as a message shows it."""
    if type(value) is str:  # most values: answered first
        return value
    if value is None:
        return NOT_GIVEN
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, list):
        return ", ".join([text(v) for v in value])
    return str(value)


_WHITESPACE = re.compile(r"\s+")


def prose(value: str) -> str:
    """Whitespace folded to single spaces (YAML's folded blocks keep line breaks)."""
    # Every whitespace character but the plain space is unprintable, so printable
    # text without doubled or outer spaces is already folded (most messages).
    if value.isprintable() and "  " not in value and value[:1] != " " and value[-1:] != " ":
        return value
    return _WHITESPACE.sub(" ", value).strip()
