"""Rule conditions in plain words, for people who read rules rather than write Python.

``rules show``, the generated docs/rules.md and ``explain`` all describe a condition
the same way: one line per test ("forces is given and holds only armed-forces"),
with "all of" / "at least one of" groups indented below.  A test whose operand is a
rule parameter names the parameter, so a reader knows what the config can change.
The words of each operator are its registry entry's (conditions/operators.py); this
module walks the parsed tree.
"""

from __future__ import annotations

from typing import Any

from . import Check, Group, Node, Test

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


def operand_text(check: Check, *, name_params: bool = True) -> str:
    text = value_text(check.operand)
    return f"{text} (parameter {check.param})" if check.param and name_params else text


def test_words(test: Test, *, name_params: bool = True) -> str:
    """One test in words; with ``name_params``, operands from parameters say so."""
    keys = operand_text(test.total_of, name_params=name_params) if test.total_of else None
    return " and ".join(c.operator.words(test.field, c.operand, operand_text(c, name_params=name_params), keys)
                        for c in test.checks)


def when_lines(tree: Node) -> list[str]:
    """A rule's conditions as plain lines: a heading ("all of:") and "- " items,
    nested groups indented two spaces per level (valid Markdown lists)."""
    while isinstance(tree, Group) and len(tree.items) == 1:
        tree = tree.items[0]
    if isinstance(tree, Test):
        return [f"- {test_words(tree)}"]
    return [GROUP_WORDS[tree.mode]] + [line for item in tree.items for line in _lines(item, 0)]


def _lines(node: Node, depth: int) -> list[str]:
    if isinstance(node, Group) and len(node.items) == 1:
        return _lines(node.items[0], depth)
    indent = "  " * depth
    if isinstance(node, Test):
        return [f"{indent}- {test_words(node)}"]
    return [f"{indent}- {GROUP_WORDS[node.mode]}"] + [line for item in node.items for line in _lines(item, depth + 1)]
