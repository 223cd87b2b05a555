"""The condition language's own evaluator, with an optional trace.

It gives durable-rules' verdict on every condition the parser accepts (each
operator's ``holds`` in the registry states durable-rules' semantics; the
differential tests compare the two engines fact by fact).  With a trace, every test
and group is recorded with whether it held and the value the fact has, for
``explain``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .operators import ABSENT, TOTAL_OF, total
from .tree import Node, Test


@dataclass(frozen=True)
class TraceLine:
    depth: int
    held: bool
    node: Node
    value: Any = ABSENT  # the fact's value for a test (the sum, with total_of)


def lookup(data: dict[str, Any], name: str) -> Any:
    """A (dotted) fact field's value, or ABSENT."""
    current: Any = data
    for part in name.split("."):
        if not isinstance(current, dict) or part not in current:
            return ABSENT
        current = current[part]
    return current


def test_value(test: Test, data: dict[str, Any]) -> Any:
    value = lookup(data, test.field)
    return total(value, test.total_of.operand) if test.total_of else value


def test_holds(test: Test, value: Any) -> bool:
    return all(c.operator.holds(value, c.operand) for c in test.checks if c.op != TOTAL_OF)


def evaluate(node: Node, data: dict[str, Any], trace: list[TraceLine] | None = None, depth: int = 0) -> bool:
    """Whether ``node`` holds for a fact's data; with ``trace``, record every step
    (a group of one test reads as that test)."""
    if isinstance(node, Test):
        value = test_value(node, data)
        held = test_holds(node, value)
        if trace is not None:
            trace.append(TraceLine(depth, held, node, value))
        return held
    if trace is None:
        results = (evaluate(item, data) for item in node.items)
        return all(results) if node.mode == "all" else any(results)
    if len(node.items) == 1:
        return evaluate(node.items[0], data, trace, depth)
    index = len(trace)
    trace.append(TraceLine(depth, False, node))
    results = [evaluate(item, data, trace, depth + 1) for item in node.items]
    held = all(results) if node.mode == "all" else any(results)
    trace[index] = TraceLine(depth, held, node)
    return held
