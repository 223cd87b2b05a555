"""Make user-controlled text inert before any output carries it.

Proposal, rule, profile and waiver files, and file names, are written by people we
do not trust to be careful (or honest). Their text reaches terminals, CI logs, pull
request comments and XML reports, each of which executes something:

* a terminal runs control sequences: CSI colours and cursor moves, OSC 8 hyperlinks,
  OSC 0 window titles, and a lone carriage return overwrites what was printed;
* GitHub's runner executes any log line that starts (after spaces) with ``::`` as a
  workflow command (``::add-mask::``, ``::error::``, ``::stop-commands::``), and
  Azure Pipelines one with ``##vso[`` or ``##[``;
* bidirectional overrides and line separators make text read differently from what
  it is ("Trojan Source").

``inert`` is the one root every output goes through: ``inert_report`` applies it to
every string of a report before any format renders it (so a new format is covered
without doing anything), and the command line applies it to every other line it
prints. Control characters become visible escapes (``\\x1b``, ``\\r``, ``\\u202e``), and
the command prefixes get a backslash (``:\\:error``), so the reader still sees what
was written. Newlines and tabs stay: they are layout, not commands. Each format then
adds its own escaping (Markdown, XML, GitHub's ``%0A``) on top. ``inert`` is
idempotent: inert text passes through unchanged.
"""

from __future__ import annotations

import re
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pydantic import BaseModel

# C0 controls but tab and newline, DEL, C1 controls, bidirectional embeddings,
# overrides and isolates, the line and paragraph separators, and the BOM/ZWNBSP.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029\ufeff]")
_NAMED = {"\r": "\\r", "\x0b": "\\v", "\x0c": "\\f", "\x08": "\\b", "\x00": "\\0"}
# A colon before a colon (GitHub), and the '##' of Azure's '##vso[' and '##['.
_COMMAND = re.compile(r":(?=:)|#(?=#(?:vso)?\[)")


def _visible(match: re.Match) -> str:
    char = match.group()
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def inert(text: str) -> str:
    """``text`` with control characters escaped visibly and workflow-command
    prefixes broken; newlines and tabs kept. Text with neither is returned as it is
    (the same object), which keeps ``inert_model`` cheap on ordinary reports."""
    if not isinstance(text, str) or not _NEEDS.search(text):
        return text
    return _COMMAND.sub(lambda m: m.group() + "\\", _CONTROL.sub(_visible, text))


_NEEDS = re.compile(f"{_CONTROL.pattern}|{_COMMAND.pattern}")


def inert_data(value: Any) -> Any:
    """``value`` (text, a pydantic model, or lists, tuples and mappings of them) with
    every string in it inert; parts with nothing to change are returned as they are."""
    if isinstance(value, str):
        return inert(value)
    if _is_model(value):
        updates = {}
        for name in type(value).model_fields:
            old = getattr(value, name)
            new = inert_data(old)
            if new is not old:
                updates[name] = new
        return value.model_copy(update=updates) if updates else value
    if isinstance(value, dict):
        items = [(inert_data(k), inert_data(v)) for k, v in value.items()]
        changed = any(k2 is not k or v2 is not v for (k2, v2), (k, v) in zip(items, value.items()))
        return dict(items) if changed else value
    if isinstance(value, (list, tuple)):
        items = [inert_data(v) for v in value]
        return type(value)(items) if any(a is not b for a, b in zip(items, value)) else value
    return value


def _is_model(value: Any) -> bool:
    """A pydantic model; asked without importing pydantic (a plain check never does,
    and a model exists only where pydantic was imported)."""
    pydantic = sys.modules.get("pydantic")
    return pydantic is not None and isinstance(value, pydantic.BaseModel)


def inert_model(model: BaseModel) -> BaseModel:
    """``model`` (a Report, a FindingDiff...) with every string in it inert: a copy
    where something changed, else the model itself."""
    return inert_data(model)


inert_report = inert_model
