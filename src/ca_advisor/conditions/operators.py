"""The operators of the condition language: one definition each.

An ``Operator`` holds everything the rest of ca-advisor knows about it: its name, the
kinds of field it applies to, the operand it takes, what it means for a fact's value
(``holds``), how durable-rules evaluates it (``compile``), how it reads in plain words
(``phrase``) and an example for the docs.  The parser, the evaluator, the compiler,
``rules show``, docs/facts.md, the rule-file JSON Schema and the checker read this
table; nothing else in the code names an operator.  A new operator is one entry in
``OPERATORS`` plus its tests (tests/test_operators.py runs every entry through both
engines).

Absent fields: a field the proposal does not give is ``ABSENT``.  The positive
operators are false on it, the negative ones (``is_not``, ``not_one_of``,
``includes_none``) true: a safeguard the proposal does not mention counts as absent.

durable-rules 2.0.28 notes for ``compile`` (each is a bug in its C source, rete.c):

* never an ``$or`` directly inside ``$iany``/``$iall``.  createAlpha reads the
  ``right.type`` of the node the inner expression returns; for an ``$or`` that is a
  "forward" node whose ``right`` is never initialised, so the ruleset is refused with
  error 102 whenever the heap happens to hold 0x09 or 0x0C there (the "random" error
  102).  ``includes_any`` is an ``$or`` of ``$iany`` tests instead, and ``only`` ends
  its inner ``$and`` with a test that always holds, so the inner node is initialised.
"""

from __future__ import annotations

import operator as _op
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

DATA = "data"  # facts carry their fields under this key (see Fact.engine_payload)


class _Absent:
    """A field the fact does not have."""

    def __repr__(self) -> str:
        return "ABSENT"


ABSENT: Any = _Absent()

# Field kinds an operator can apply to (facts.FieldSpec gives each field one).
SINGLE, LIST, NUMBER, QUANTITIES = "single value", "list", "number", "quantities"
ANY_KIND = frozenset({SINGLE, LIST, NUMBER, QUANTITIES})

# Operand kinds: what the parser accepts after the operator.
ONE_VALUE, VALUES, A_NUMBER, A_BOOL = "a value", "a non-empty list of values", "a number", "true or false"

# An item value no list can hold (fact values are validated names); see the module notes.
_NEVER = "\u0000never"


def same(value: Any, operand: Any) -> bool:
    """Equality without Python's True == 1: a boolean field never equals a number,
    as in durable-rules, which compares JSON types."""
    return value == operand and isinstance(value, bool) == isinstance(operand, bool)


def is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _items(value: Any) -> list | None:
    return value if isinstance(value, list) else None


def _absent(f: str) -> dict:
    return {"$nex": {f: 1}}


def _any_of(parts: list[dict]) -> dict:
    return parts[0] if len(parts) == 1 else {"$or": parts}


def _all_of(parts: list[dict]) -> dict:
    return parts[0] if len(parts) == 1 else {"$and": parts}


@dataclass(frozen=True)
class Operator:
    name: str
    applies_to: frozenset[str]  # field kinds
    operand: str  # ONE_VALUE, VALUES, A_NUMBER or A_BOOL
    holds: Callable[[Any, Any], bool]  # (the fact's value or ABSENT, operand) -> held
    compile: Callable[[str, Any], dict]  # (the durable-rules field path, operand) -> condition
    phrase: str  # "{f} is {x}": the field and the operand as text
    doc_kind: str  # the "for a field holding" column of docs/facts.md
    example: Any
    # A match proves that a list field contains the operand's values (the checker
    # shows the dated facts behind such values, e.g. for profiles_disagree_on).
    proves_members: bool = False
    comparison: str | None = None  # the durable-rules comparison, for operators total_of can pair with
    total_phrase: str | None = None  # how it reads paired with total_of ({k}: the summed entries)
    false_phrase: str | None = None  # how it reads with the operand false (present)

    def words(self, field: str, operand: Any, operand_text: str, keys_text: str | None = None) -> str:
        """The test in words; ``keys_text`` when paired with total_of."""
        if keys_text is not None and self.total_phrase:
            return self.total_phrase.format(f=field, k=keys_text, x=operand_text)
        if operand is False and self.false_phrase:
            return self.false_phrase.format(f=field)
        return self.phrase.format(f=field, x=operand_text)


def _comparison(name: str, symbol: str, words: str, test: Callable[[Any, Any], bool]) -> Operator:
    return Operator(
        name, frozenset({NUMBER, QUANTITIES}), A_NUMBER,
        holds=lambda value, x: is_number(value) and test(value, x),
        compile=lambda f, x: {symbol: {f: x}},
        phrase="{f} is " + words + " {x}", doc_kind="number", example=3, comparison=symbol,
        total_phrase="the total of {f} over {k} is " + words + " {x}")


_OPERATOR_LIST: list[Operator] = [
    Operator("is", frozenset({SINGLE, NUMBER}), ONE_VALUE,
             holds=lambda v, x: v is not ABSENT and same(v, x),
             compile=lambda f, x: {f: x},
             phrase="{f} is {x}", doc_kind="single value", example="bilateral"),
    Operator("is_not", frozenset({SINGLE, NUMBER}), ONE_VALUE,
             holds=lambda v, x: v is ABSENT or not same(v, x),
             compile=lambda f, x: {"$or": [_absent(f), {"$neq": {f: x}}]},
             phrase="{f} is not given or is not {x}", doc_kind="single value", example="bilateral"),
    Operator("one_of", frozenset({SINGLE, NUMBER}), VALUES,
             holds=lambda v, xs: v is not ABSENT and any(same(v, x) for x in xs),
             compile=lambda f, xs: _any_of([{f: x} for x in xs]),
             phrase="{f} is one of {x}", doc_kind="single value", example=["csto", "sco"]),
    Operator("not_one_of", frozenset({SINGLE, NUMBER}), VALUES,
             holds=lambda v, xs: v is ABSENT or not any(same(v, x) for x in xs),
             compile=lambda f, xs: {"$or": [_absent(f), _all_of([{"$neq": {f: x}} for x in xs])]},
             phrase="{f} is not given or is none of {x}", doc_kind="single value", example=["csto", "sco"]),
    Operator("includes", frozenset({LIST}), ONE_VALUE,
             holds=lambda v, x: _items(v) is not None and x in v,
             compile=lambda f, x: {"$iany": {f: {"$i": x}}},
             phrase="{f} includes {x}", doc_kind="list", example="counter-terrorism", proves_members=True),
    Operator("includes_any", frozenset({LIST}), VALUES,
             holds=lambda v, xs: _items(v) is not None and any(x in v for x in xs),
             compile=lambda f, xs: _any_of([{"$iany": {f: {"$i": x}}} for x in xs]),
             phrase="{f} includes any of {x}", doc_kind="list", example=["strike", "armour"], proves_members=True),
    Operator("includes_none", frozenset({LIST}), VALUES,
             holds=lambda v, xs: v is ABSENT or (_items(v) is not None and not any(x in v for x in xs)),
             compile=lambda f, xs: {"$or": [_absent(f), {"$iall": {f: _all_of([{"$neq": {"$i": x}} for x in xs])}}]},
             phrase="{f} is not given or includes none of {x}", doc_kind="list", example=["strike", "armour"]),
    Operator("only", frozenset({LIST}), VALUES,
             holds=lambda v, xs: _items(v) is not None and all(item in xs for item in v),
             compile=lambda f, xs: {"$iall": {f: {"$i": xs[0]} if len(xs) == 1 else
                                              {"$and": [{"$or": [{"$i": x} for x in xs]},
                                                        {"$neq": {"$i": _NEVER}}]}}},
             phrase="{f} is given and holds only {x}", doc_kind="list", example=["armed-forces"]),
    Operator("includes_other_than", frozenset({LIST}), VALUES,
             holds=lambda v, xs: _items(v) is not None and any(item not in xs for item in v),
             compile=lambda f, xs: {"$iany": {f: _all_of([{"$neq": {"$i": x}} for x in xs])}},
             phrase="{f} includes something other than {x}", doc_kind="list",
             example=["transport", "spare-parts"]),
    _comparison("at_least", "$gte", "at least", _op.ge),
    _comparison("at_most", "$lte", "at most", _op.le),
    _comparison("more_than", "$gt", "more than", _op.gt),
    _comparison("less_than", "$lt", "less than", _op.lt),
    Operator("present", ANY_KIND, A_BOOL,
             holds=lambda v, x: (v is not ABSENT) is x,
             compile=lambda f, x: {"$ex": {f: 1}} if x else _absent(f),
             phrase="{f} is given", false_phrase="{f} is not given", doc_kind="any", example=True),
]

OPERATORS: dict[str, Operator] = {op.name: op for op in _OPERATOR_LIST}

# ``total_of`` is not an operator of its own: it names the entries of a quantities
# field that a comparison sums (``{total_of: [strike, armour], at_least: 10}``).
TOTAL_OF = "total_of"
TOTAL_DOC = ("a number per capability", {"total_of": ["strike", "armour"], "at_least": 10})
# Every name a rule may write as an operator.
OPERATOR_NAMES: tuple[str, ...] = (*OPERATORS, TOTAL_OF)


def compile_total(f: str, keys: list[str], op: Operator, bound: float) -> dict:
    """sum(f.k for k in keys) <cmp> bound, written as f.k1 <cmp> bound - (f.k2 + ...),
    because durable-rules compares a field (left) with an expression (right)."""
    first, rest = f"{f}.{keys[0]}", keys[1:]
    if not rest:
        return {op.comparison: {first: bound}}
    total: Any = {"$m": f"{f}.{rest[0]}"}
    for key in rest[1:]:
        total = {"$add": {"$l": total, "$r": {"$m": f"{f}.{key}"}}}
    remainder = {"$add": {"$l": {"$mul": {"$l": total, "$r": -1}}, "$r": bound}}
    return {op.comparison: {first: remainder}}


def total(value: Any, keys: list[str]) -> Any:
    """The sum of the named entries of a quantities value, or ABSENT."""
    if not isinstance(value, dict):
        return ABSENT
    return sum(value.get(k, 0) for k in keys)
