"""Rule conditions in plain words, for people who read rules rather than write Python.

``rules show``, the generated docs/rules.md and ``explain`` all describe a condition
the same way: one line per test ("forces is given and holds only armed-forces"),
with "all of" / "at least one of" groups indented below.  A test whose operand is a
rule parameter names the parameter, so a reader knows what the config can change.

The walk over a ``when`` block mirrors ``conditions.parse`` (a list is "all of", a
mapping whose only key is ``all``/``any`` is a group, a mapping of several fields is
"all of" its tests); it only ever sees blocks that ``parse`` has accepted.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .conditions import COMPARISONS

_COMPARISON_WORDS = {"at_least": "at least", "at_most": "at most", "more_than": "more than",
                     "less_than": "less than"}
_PHRASES = {
    "is": "{f} is {x}",
    "is_not": "{f} is not given or is not {x}",
    "one_of": "{f} is one of {x}",
    "not_one_of": "{f} is not given or is none of {x}",
    "includes": "{f} includes {x}",
    "includes_any": "{f} includes any of {x}",
    "includes_none": "{f} is not given or includes none of {x}",
    "only": "{f} is given and holds only {x}",
    "includes_other_than": "{f} includes something other than {x}",
    **{op: "{f} is " + words + " {x}" for op, words in _COMPARISON_WORDS.items()},
}
GROUP_WORDS = {"all": "all of:", "any": "at least one of:"}


def value_text(value: Any) -> str:
    """A value as a rule author wrote it: lists comma-separated, booleans lower-case."""
    if isinstance(value, list):
        return ", ".join(value_text(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def test_phrase(field: str, ops: dict[str, str]) -> str:
    """One test in words; ``ops`` maps each operator to its operand, already as text."""
    parts = []
    total = ops.get("total_of")
    for op, text in ops.items():
        if op == "total_of":
            continue
        if op == "present":
            parts.append(f"{field} is given" if text == "true" else f"{field} is not given")
        elif total is not None and op in COMPARISONS:
            parts.append(f"the total of {field} over {total} is {_COMPARISON_WORDS[op]} {text}")
        else:
            parts.append(_PHRASES[op].format(f=field, x=text))
    return " and ".join(parts)


def resolved_test_phrase(field: str, ops: dict[str, Any]) -> str:
    """A parsed test (operands already resolved from parameters) in words."""
    return test_phrase(field, {op: value_text(v) for op, v in ops.items()})


def when_lines(when: Any, params: dict[str, Any]) -> list[str]:
    """A rule's ``when`` block as plain lines: a heading ("all of:") and "- " items,
    nested groups indented two spaces per level (valid Markdown lists)."""
    mode, items = _group_of(when)
    while mode is not None and len(items) == 1:
        mode, items = _group_of(items[0]) if _group_of(items[0])[0] else (None, items)
    if mode is None:
        return [f"- {_raw_test(items[0] if items else when, params)}"]
    return [GROUP_WORDS[mode]] + [line for item in items for line in _lines(item, params, 0)]


def _lines(node: Any, params: dict[str, Any], depth: int) -> list[str]:
    mode, items = _group_of(node)
    if mode is not None and len(items) == 1:
        return _lines(items[0], params, depth)
    indent = "  " * depth
    if mode is None:
        return [f"{indent}- {_raw_test(node, params)}"]
    return [f"{indent}- {GROUP_WORDS[mode]}"] + [line for item in items for line in _lines(item, params, depth + 1)]


def _group_of(node: Any) -> tuple[str | None, list]:
    if isinstance(node, list):
        return "all", node
    if isinstance(node, dict) and len(node) == 1 and next(iter(node)) in GROUP_WORDS:
        mode = next(iter(node))
        return mode, node[mode]
    if isinstance(node, dict) and len(node) > 1:
        return "all", [{k: v} for k, v in node.items()]
    return None, []


def _raw_test(node: dict, params: dict[str, Any]) -> str:
    (field, raw), = node.items()
    ops = raw if isinstance(raw, dict) else {"is": raw}
    return test_phrase(field, {op: _operand_text(operand, params) for op, operand in ops.items()})


def _operand_text(operand: Any, params: dict[str, Any]) -> str:
    if isinstance(operand, dict) and set(operand) == {"param"}:
        name = operand["param"]
        return f"{value_text(params.get(name))} (parameter {name})"
    return value_text(operand)


def display_path(file: str) -> str:
    """A file as the reader would type it: relative to the current directory when below it."""
    path = Path(file)
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError):
        return file
