"""The typed syntax tree of a ``when`` block, as the parser makes it.

A ``Test`` is one field and the operators applied to it (all must hold); a ``Group``
is ``all`` or ``any`` of tests and groups.  Operands are resolved (a ``{param: NAME}``
operand holds the parameter's value and remembers its name, so that plain words can
say what a config may change).  Each node keeps its path in the rule file.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Union

from .operators import OPERATORS, TOTAL_OF


@dataclass(frozen=True)
class Check:
    """One operator applied to a test's field."""

    op: str
    operand: Any  # resolved from the parameter when ``param`` is set
    param: str | None = None
    path: str = ""

    @property
    def operator(self):
        return OPERATORS[self.op]


@dataclass(frozen=True)
class Test:
    __test__ = False  # a syntax-tree node, not a pytest test class

    field: str
    checks: tuple[Check, ...]
    total_of: Check | None = None  # the summed entries of a quantities field
    path: str = ""

    def fields(self) -> set[str]:
        return {self.field}

    def compares_total(self, check: Check) -> bool:
        """Whether ``check`` compares the sum of the ``total_of`` entries (a comparison
        beside total_of), rather than the field itself."""
        return self.total_of is not None and bool(check.operator.comparison)

    def engine_fields(self) -> set[str]:
        """The fields the compiled test reads: a comparison of a total reads only the
        summed entries (``transferred_quantity.strike``), any other check the field."""
        read = set()
        for check in self.checks:
            if self.compares_total(check):
                read.update(f"{self.field}.{key}" for key in self.total_of.operand)
            else:
                read.add(self.field)
        return read

    @property
    def ops(self) -> dict[str, Any]:
        """Operator name -> resolved operand, total_of included."""
        out = {TOTAL_OF: self.total_of.operand} if self.total_of else {}
        return {**out, **{c.op: c.operand for c in self.checks}}


@dataclass(frozen=True)
class Group:
    mode: str  # "all" or "any"
    items: tuple[Node, ...]
    path: str = ""

    def fields(self) -> set[str]:
        return set().union(*(i.fields() for i in self.items)) if self.items else set()

    def engine_fields(self) -> set[str]:
        return set().union(*(i.engine_fields() for i in self.items)) if self.items else set()


Node = Union[Test, Group]


def top_level_tests(node: Node) -> tuple[Node, ...]:
    """The items that must all hold: a top-level ``all`` group's items, else the node."""
    return node.items if isinstance(node, Group) and node.mode == "all" else (node,)


def absent(field: str) -> Test:
    return Test(field, (Check("present", False),))


def not_evaluated_variant(node: Node, missing: str, reads) -> Group:
    """The CA602 condition of a rule that ``requires`` the field ``missing``: every
    top-level test that does not read it (``reads(node)``: the fields a node depends
    on) holds, and the field is absent.  Both engines evaluate this same tree."""
    kept = tuple(item for item in top_level_tests(node) if missing not in reads(item))
    return Group("all", (*kept, absent(missing)))


def tested_values(node: Node, field: str) -> list[Any]:
    """The values a match proves the list ``field`` contains (operators that declare
    ``proves_members``), anywhere in the tree."""
    if isinstance(node, Group):
        return [v for item in node.items for v in tested_values(item, field)]
    if node.field != field:
        return []
    values: list[Any] = []
    for check in node.checks:
        if check.operator.proves_members:
            values.extend(check.operand if isinstance(check.operand, list) else [check.operand])
    return values
