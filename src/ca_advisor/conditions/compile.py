"""Compile a condition tree to a durable-rules condition.

What holds in durable-rules 2.0.28: every rule matches one fact
(``{"$and": [{"type": T}, ...]}``), so no join order, no bare ``$nex`` and no
top-level ``$or`` (both of which re-fire forever) can arise.  Each operator's
compilation lives in its registry entry (operators.py).
"""

from __future__ import annotations

from .operators import DATA, compile_total
from .tree import Group, Node, Test, top_level_tests


def compile_condition(fact_type: str, tree: Node) -> dict:
    """The durable-rules condition for one fact: its type, then the top-level tests."""
    return {"$and": [{"type": fact_type}, *(compile_node(item) for item in top_level_tests(tree))]}


def compile_node(node: Node) -> dict:
    if isinstance(node, Group):
        parts = [compile_node(i) for i in node.items]
        if len(parts) == 1:
            return parts[0]
        return {"$and" if node.mode == "all" else "$or": parts}
    return _compile_test(node)


def _compile_test(test: Test) -> dict:
    f = f"{DATA}.{test.field}"
    parts = []
    for check in test.checks:
        op = check.operator
        if test.compares_total(check):
            parts.append(compile_total(f, test.total_of.operand, op, check.operand))
        else:
            parts.append(op.compile(f, check.operand))
    return parts[0] if len(parts) == 1 else {"$and": parts}
