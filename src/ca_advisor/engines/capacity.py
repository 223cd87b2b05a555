"""What a durable-rules 2.0.28 network can hold, modelled before it is built.

durable-rules compiles each rule's condition into a network of test nodes
(src/rules/rete.c: createAlpha, findAlpha, linkAlpha).  A test that several rules
share is one node; what follows it is kept in fixed-size tables of that node:

* a hash table of 512 slots for the value tests that follow it (``=``, ``!=``,
  ``<``..., ``$ex``, list tests).  When all 512 are taken, findAlpha's probe loop
  for a test not yet there never ends: the process hangs, ignoring Ctrl-C;
* a list of 128 for absence tests (``$nex``) and ``any``-branch joins.  A full
  list is read past its end (heap garbage): error 107, or worse;
* a list of 256 rule ends (error 108);
* per rule, 32 expression steps (``$and``/``$or`` take two each): error 113;
* and in all, 4,096 actions: one per compiled rule (a rule, and each CA602 variant
  of its ``requires``) and one for ca-advisor's sentinel (error 106).

The tables fill under *any* shared test, not only the fact type: 520 rules testing
``kind: training`` first and then 520 different quantities fill the table after
``kind: training``.  This module replays the network construction for the compiled
conditions, counts every table, and refuses a rule book that would overflow one, at
the rule (file and line of the test) that would overflow it, or at the config
parameter that made it so.  Both engines refuse the same books, so a rule book
valid on one Python is valid on every other.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from ..conditions import compile_node, top_level_tests
from ..conditions.tree import Group, Node
from ..model.errors import InputError

# The real sizes (src/rules/rules.h, rete.h) and what ca-advisor allows, a little below.
HASHED_SIZE, HASHED_ALLOWED = 512, 500
LISTED_SIZE, LISTED_ALLOWED = 128, 120
BETAS_SIZE, BETAS_ALLOWED = 256, 250
EXPRESSIONS_SIZE, EXPRESSIONS_ALLOWED = 32, 31  # error 113 when the 32nd step is added
ACTIONS_SIZE, ACTIONS_ALLOWED = 4096, 4000  # rete.c MAX_ACTIONS, the sentinel's included: error 106

_ARRAY_OPS = ("$iany", "$iall")
_COMPARISONS = ("$neq", "$gt", "$gte", "$lt", "$lte", "$ex", "$nex")


@dataclass
class _Node:
    label: str  # the test, for messages
    op: str = "="
    hashed: dict[str, _Node] = field(default_factory=dict)  # reusable value tests that follow
    hashed_count: int = 0
    listed: dict[str, _Node] = field(default_factory=dict)  # reusable absence tests
    listed_count: int = 0
    array_hashed: int = 0  # inside a list test: the item tests
    array_listed: int = 0
    betas: int = 0


@dataclass(frozen=True)
class Overflow:
    table: str  # "hashed", "listed", "betas", "expressions", "actions"
    count: int
    after: str  # the shared test the table belongs to


class _Full(Exception):
    def __init__(self, overflow: Overflow):
        self.overflow = overflow


@dataclass(frozen=True)
class Placed:
    """One durable-rules rule to place: whose it is, and where each top-level item
    comes from (for the message)."""

    rule: Any  # LoadedRule
    fact_type: str
    items: tuple[Node, ...]
    paths: tuple[str, ...]


class Network:
    """The tables of a durable-rules network, filled rule by rule."""

    def __init__(self) -> None:
        self.root = _Node("the start")
        self.actions = 0

    def add(self, fact_type: str, items: list[dict]) -> tuple[int, Overflow] | None:
        """Place one rule (its compiled top-level items after the type test); on
        overflow, the index of the item that overflowed (-1: the rule as a whole)."""
        self.actions += 1
        if self.actions > ACTIONS_ALLOWED:
            return -1, Overflow("actions", self.actions, "")
        self._expressions = 2  # the top-level $and
        try:
            node = self._find(self.root, "type", "=", fact_type, False)
        except _Full as full:
            return -1, full.overflow
        for index, item in enumerate(items):
            try:
                node = self._alpha(item, node, False)
            except _Full as full:
                return index, full.overflow
        node.betas += 1
        if node.betas > BETAS_ALLOWED:
            return -1, Overflow("betas", node.betas, node.label)
        if self._expressions > EXPRESSIONS_ALLOWED:
            return -1, Overflow("expressions", self._expressions, "")
        return None

    def _alpha(self, cond: dict, parent: _Node, to_array: bool) -> _Node:
        (key, value), = cond.items()
        if key == "$and":
            self._expressions += 2
            node = parent
            for item in value:
                node = self._alpha(item, node, to_array)
                to_array = False
            return node
        if key == "$or":
            self._expressions += 2
            forward = _Node("an any: group", op="$nex")
            for item in value:
                alternative = self._alpha(item, parent, to_array)
                self._link_listed(alternative)
            return forward
        if key in _ARRAY_OPS:
            (name, inner), = value.items()
            node = self._new(parent, name, key, to_array)  # never shared by durable-rules
            self._alpha(inner, node, True)
            return node
        if key in _COMPARISONS:
            (name, operand), = value.items()
            if isinstance(operand, dict):
                self._expressions += 1  # an expression operand (total_of)
            return self._find(parent, name, key, operand, to_array)
        return self._find(parent, key, "=", value, to_array)  # {field: value}

    def _find(self, parent: _Node, name: str, op: str, operand: Any, to_array: bool) -> _Node:
        identity = json.dumps([name, op, operand], sort_keys=True)
        table = parent.listed if op == "$nex" else parent.hashed
        if not (to_array and parent.op in _ARRAY_OPS) and identity in table:
            return table[identity]
        node = self._new(parent, name, op, to_array, operand)
        if not (to_array and parent.op in _ARRAY_OPS):
            table[identity] = node
        return node

    def _new(self, parent: _Node, name: str, op: str, to_array: bool, operand: Any = None) -> _Node:
        label = _label(name, op, operand)
        node = _Node(label, op=op)
        in_array = to_array and parent.op in _ARRAY_OPS
        if op == "$nex":
            count = self._bump(parent, "array_listed" if in_array else "listed_count")
            if count > LISTED_ALLOWED:
                raise _Full(Overflow("listed", count, parent.label))
        else:
            count = self._bump(parent, "array_hashed" if in_array else "hashed_count")
            if count > HASHED_ALLOWED:
                raise _Full(Overflow("hashed", count, parent.label))
        return node

    def _link_listed(self, node: _Node) -> None:
        node.listed_count += 1
        if node.listed_count > LISTED_ALLOWED:
            raise _Full(Overflow("listed", node.listed_count, node.label))

    @staticmethod
    def _bump(node: _Node, attribute: str) -> int:
        setattr(node, attribute, getattr(node, attribute) + 1)
        return getattr(node, attribute)


_WORDS = {"=": "is", "$neq": "is not", "$gt": ">", "$gte": ">=", "$lt": "<", "$lte": "<="}


def _label(name: str, op: str, operand: Any) -> str:
    """A network node as a rule author would recognise the test."""
    field = name.removeprefix("data.")
    if name == "type":
        return f"for_each: {operand}"
    if op in _ARRAY_OPS:
        return f"a test on the items of {field}"
    if op in ("$ex", "$nex"):
        return f"{field} is {'not ' if op == '$nex' else ''}given"
    value = "a sum" if isinstance(operand, dict) else json.dumps(operand, ensure_ascii=False)
    return f"{field} {_WORDS[op]} {value}"


def placements(rules) -> list[Placed]:
    """Every durable-rules rule a rule book makes, in the order they are compiled:
    each rule, and its CA602 variant per required field."""
    out = []
    for loaded in rules:
        items = top_level_tests(loaded.condition)
        out.append(Placed(loaded, loaded.rule.for_each, items, tuple(_path(i) for i in items)))
        for i, (name, variant) in enumerate(loaded.not_evaluated_conditions().items()):
            kept = variant.items
            paths = tuple(_path(item) for item in kept[:-1]) + (f"requires[{i}]",)
            out.append(Placed(loaded, loaded.rule.for_each, kept, paths))
    return out


def _path(node: Node) -> str:
    return node.path or "when"


def capacity_problem(rules) -> InputError | None:
    """The first rule that would overflow durable-rules' network, located, or None."""
    network = Network()
    for placed in placements(rules):
        found = network.add(placed.fact_type, [compile_node(item) for item in placed.items])
        if found is not None:
            index, overflow = found
            return _refusal(placed, index, overflow)
    return None


def _refusal(placed: Placed, index: int, overflow: Overflow) -> InputError:
    loaded = placed.rule
    item = placed.items[index] if index >= 0 else None
    path = placed.paths[index] if index >= 0 else "when"
    params = _params(item if item is not None else loaded.condition)
    configured = [(name, where) for name, where in loaded.configured if name in params]
    problem, advice = _message(loaded, placed.fact_type, overflow)
    # A parameter's values can fill a table after a shared test; the count of actions
    # is the count of rules, which no parameter changes.
    if configured and overflow.table != "actions":
        name, where = configured[0]
        return where.model_copy(update={"message": f"with this value of {loaded.id}'s parameter '{name}', "
                                                   f"{problem}; give the parameter fewer values"})
    return loaded.source.error(path, f"{problem}; {advice}")


def _params(node: Node | None) -> set[str]:
    if node is None:
        return set()
    if isinstance(node, Group):
        return set().union(*(_params(i) for i in node.items))
    checks = (*node.checks, node.total_of) if node.total_of else node.checks
    return {c.param for c in checks if c.param}


def _message(loaded, fact_type: str, overflow: Overflow) -> tuple[str, str]:
    """What overflows, and what the rule author can do about it."""
    if overflow.table == "expressions":
        return (f"the conditions of {loaded.id} take {overflow.count} expression steps in durable-rules, which "
                f"allows {EXPRESSIONS_ALLOWED} per rule (error 113; each any:, all:, one_of, not_one_of, is_not, "
                "includes_any and includes_none of several values takes two)", "split it into several rules")
    fewer = "disable or select fewer rules in ca-advisor.yaml"
    if overflow.table == "actions":
        return (f"with {loaded.id} the rule book makes {overflow.count} rules in durable-rules (each rule, and one "
                f"more for each field it requires); durable-rules holds {ACTIONS_SIZE} in all (error 106; "
                f"ca-advisor allows {ACTIONS_ALLOWED})", fewer)
    if overflow.table == "betas":
        return (f"{overflow.count} rules on {fact_type} facts end with the same test ({overflow.after}); "
                f"durable-rules holds {BETAS_SIZE} (error 108; ca-advisor allows {BETAS_ALLOWED})",
                f"merge rules with the same conditions, or {fewer}")
    if overflow.table == "listed":
        return (f"the rules on {fact_type} facts have {overflow.count} absence tests or any: groups after one "
                f"shared test ({overflow.after}); durable-rules holds {LISTED_SIZE} there (error 107 or a hang; "
                f"ca-advisor allows {LISTED_ALLOWED})", f"merge rules that share these tests, or {fewer}")
    return (f"the rules on {fact_type} facts have {overflow.count} different tests after one shared test "
            f"({overflow.after}); durable-rules stops responding past {HASHED_SIZE} (ca-advisor allows "
            f"{HASHED_ALLOWED})", "test fewer different values there (a comparison such as at_least instead "
                                  f"of a list of values), or {fewer}")
