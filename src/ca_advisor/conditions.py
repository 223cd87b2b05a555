"""The condition language of rule files, and its compilation to durable-rules.

A ``when`` block is a list of tests that must all hold, or ``all:`` / ``any:``
groups of them.  A test names a fact field and says what must be true of it::

    when:
      - purposes: {includes_any: [counter-terrorism, counter-insurgency]}
      - forces: {only: [armed-forces]}
      - proposal.channel: bilateral          # shorthand for {is: bilateral}
      - profile.foreign_military_bases: {is: banned}

Operators (absent fields: the positive operators are false, the negative ones true —
a safeguard the proposal does not mention counts as absent):

=====================  ==================================================  ============
operator               meaning                                             field kind
=====================  ==================================================  ============
is / is_not            equals / absent or different                        single value
one_of / not_one_of    equals one of / absent or none of                   single value
includes               the list contains the value                         list
includes_any           the list contains at least one of the values        list
includes_none          absent, or contains none of the values              list
only                   given, and every entry is one of the values         list
includes_other_than    contains an entry that is not one of the values     list
at_least / at_most     >= / <= (also more_than >, less_than <)             number
total_of               with a comparison: the sum of the named entries     quantities
present                true: the field is given; false: it is absent       any
=====================  ==================================================  ============

Any operand may be ``{param: NAME}``, a parameter of the rule.

Compilation targets what holds in durable-rules 2.0.28: every rule matches one fact
(``{"$and": [{"type": T}, ...]}``), so no join order, no bare ``$nex`` and no
top-level ``$or`` (both of which re-fire forever) can arise.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .errors import did_you_mean, one_of
from .facts import FACT_TYPES, HAS_PROFILE, FieldSpec
from .profiles import FactKeySpec
from .yaml_source import join_path

# Beyond about 512 sibling conditions under one parent durable-rules hangs; we stop
# well below that so that a rule author gets an error instead of a frozen check.
MAX_SIBLINGS = 200

SCALAR_OPS = {"is", "is_not", "one_of", "not_one_of"}
LIST_OPS = {"includes", "includes_any", "includes_none", "only", "includes_other_than"}
COMPARISONS = {"at_least": "$gte", "at_most": "$lte", "more_than": "$gt", "less_than": "$lt"}
OPERATORS = SCALAR_OPS | LIST_OPS | set(COMPARISONS) | {"total_of", "present"}
DATA = "data"  # facts carry their fields under this key (see Fact.engine_payload)


class ConditionError(Exception):
    """A problem at ``path`` in a rule file; ``at_key`` points at the field name
    rather than its value (for unknown names)."""

    def __init__(self, path: str, message: str, *, at_key: bool = False):
        self.path, self.message, self.at_key = path, message, at_key
        super().__init__(f"{path}: {message}")


@dataclass(frozen=True)
class Test:
    field: str
    ops: dict[str, Any]  # operator -> resolved operand

    def fields(self) -> set[str]:
        return {self.field}

    def describe(self) -> str:
        return f"{self.field} " + " and ".join(f"{op.replace('_', ' ')} {_plain(val)}" for op, val in self.ops.items())


@dataclass(frozen=True)
class Group:
    mode: str  # "all" or "any"
    items: tuple[Any, ...]

    def fields(self) -> set[str]:
        return set().union(*(i.fields() for i in self.items)) if self.items else set()

    def describe(self) -> str:
        joiner = " and " if self.mode == "all" else " or "
        return "(" + joiner.join(i.describe() for i in self.items) + ")"


def _plain(value: Any) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(map(str, value)) + "]"
    return str(value).lower() if isinstance(value, bool) else str(value)


class Schema:
    """The fields a rule over one fact type may read."""

    def __init__(self, fact_type: str, profile_keys: dict[str, FactKeySpec]):
        self.fact_type = fact_type
        self.fields: dict[str, FieldSpec] = {}
        for prefix, fields in FACT_TYPES[fact_type].items():
            for name, spec in fields.items():
                if spec.kind == "profile-key":
                    spec = FieldSpec("enum", spec.description, tuple(profile_keys), spec.is_list, spec.source)
                self.fields[prefix + name] = spec
        if fact_type in HAS_PROFILE:
            for key, spec in profile_keys.items():
                self.fields[f"profile.{key}"] = FieldSpec("enum", spec.description, tuple(spec.values))

    def spec(self, name: str, path: str) -> FieldSpec:
        if name not in self.fields:
            hint = did_you_mean(name, self.fields)
            if name.startswith("profile.") and self.fact_type not in HAS_PROFILE:
                hint = f"; profile facts are read on recipient and component_country facts{hint}"
            raise ConditionError(path, f"unknown field '{name}' for for_each: {self.fact_type}{hint}; "
                                       "run `ca-advisor rules docs facts` for the fields of each fact type", at_key=True)
        return self.fields[name]


def parse(node: Any, path: str, schema: Schema, params: dict[str, Any]) -> Test | Group:
    """Parse and check a ``when`` block; raise ConditionError at the first problem."""
    if isinstance(node, list):
        return _group("all", node, path, schema, params)
    if not isinstance(node, dict) or not node:
        raise ConditionError(path, "expected a list of tests, or a mapping of field names to tests")
    if set(node) <= {"all", "any"} and len(node) == 1:
        mode = next(iter(node))
        items = node[mode]
        if not isinstance(items, list) or not items:
            raise ConditionError(join_path(path, mode), f"'{mode}' takes a non-empty list of tests")
        return _group(mode, items, join_path(path, mode), schema, params)
    tests = [_test(name, spec, join_path(path, name), schema, params) for name, spec in node.items()]
    return tests[0] if len(tests) == 1 else Group("all", tuple(tests))


def _group(mode: str, items: list, path: str, schema: Schema, params: dict[str, Any]) -> Group:
    if not items:
        raise ConditionError(path, "an empty list of tests never decides anything; add a test")
    if len(items) > MAX_SIBLINGS:
        raise ConditionError(path, f"{len(items)} tests under one '{mode}'; at most {MAX_SIBLINGS} are allowed "
                                   "(durable-rules hangs on about 512 siblings); split the rule")
    return Group(mode, tuple(parse(item, join_path(path, i), schema, params) for i, item in enumerate(items)))


def _test(name: str, raw: Any, path: str, schema: Schema, params: dict[str, Any]) -> Test:
    if name in {"all", "any"}:
        raise ConditionError(path, f"'{name}' must be the only key of its mapping; put it in its own list entry")
    spec = schema.spec(name, path)
    ops = raw if isinstance(raw, dict) else {"is": raw}
    if not ops:
        raise ConditionError(path, "no operator given; e.g. {is: VALUE} or {includes_any: [..]}")
    resolved = {}
    for op, operand in ops.items():
        op_path = join_path(path, op)
        if op not in OPERATORS:
            raise ConditionError(op_path, f"unknown operator '{op}'; allowed: {one_of(sorted(OPERATORS))}"
                                          f"{did_you_mean(op, OPERATORS)}", at_key=True)
        resolved[op] = _operand(op, operand, spec, name, op_path, params)
    _check_combination(resolved, spec, name, path)
    return Test(name, resolved)


def _check_combination(ops: dict[str, Any], spec: FieldSpec, name: str, path: str) -> None:
    kind = "list" if spec.is_list else ("quantities" if spec.kind == "quantities" else
                                         "number" if spec.kind == "number" else "single value")
    for op in ops:
        fits = (op == "present"
                or (op in LIST_OPS and spec.is_list)
                or (op in SCALAR_OPS and not spec.is_list and spec.kind != "quantities")
                or (op in COMPARISONS and (spec.kind == "number" or spec.kind == "quantities"))
                or (op == "total_of" and spec.kind == "quantities"))
        if not fits:
            raise ConditionError(join_path(path, op), f"operator '{op}' does not apply to '{name}', which is a {kind}")
    if spec.kind == "quantities" and not ("total_of" in ops and any(op in COMPARISONS for op in ops)):
        raise ConditionError(path, f"'{name}' holds a quantity per capability; test it with "
                                   "total_of: [capabilities] and a comparison such as at_least")


def _operand(op: str, operand: Any, spec: FieldSpec, name: str, path: str, params: dict[str, Any]) -> Any:
    if isinstance(operand, dict) and set(operand) == {"param"}:
        pname = operand["param"]
        if pname not in params:
            raise ConditionError(path, f"unknown parameter '{pname}'; declare it under parameters"
                                       f"{did_you_mean(pname, params)}")
        operand = params[pname]
    if op == "present":
        if not isinstance(operand, bool):
            raise ConditionError(path, "present takes true or false")
        return operand
    if op in COMPARISONS:
        if isinstance(operand, bool) or not isinstance(operand, (int, float)):
            raise ConditionError(path, f"{op} takes a number, found {operand!r}")
        return operand
    if op == "total_of":
        values = operand if isinstance(operand, list) else None
        if not values:
            raise ConditionError(path, "total_of takes a non-empty list of capabilities")
        for i, value in enumerate(values):
            _check_value(value, spec, name, join_path(path, i))
        return list(values)
    many = op in {"one_of", "not_one_of", "includes_any", "includes_none", "only", "includes_other_than"}
    if many:
        if not isinstance(operand, list) or not operand:
            raise ConditionError(path, f"{op} takes a non-empty list of values")
        for i, value in enumerate(operand):
            _check_value(value, spec, name, join_path(path, i))
        return list(operand)
    _check_value(operand, spec, name, path)
    return operand


def _check_value(value: Any, spec: FieldSpec, name: str, path: str) -> None:
    """Refuse a value the field can never hold, so that no rule silently never fires."""
    if spec.kind in {"enum", "quantities"}:
        if value not in spec.values:
            raise ConditionError(path, f"'{value}' is not a value of '{name}'; expected one of: "
                                       f"{one_of(spec.values)}{did_you_mean(value, spec.values)}")
    elif spec.kind == "bool" and not isinstance(value, bool):
        raise ConditionError(path, f"'{name}' is true or false, found {value!r}")
    elif spec.kind == "number" and (isinstance(value, bool) or not isinstance(value, (int, float))):
        raise ConditionError(path, f"'{name}' is a number, found {value!r}")
    elif spec.kind in {"slug", "text"} and not isinstance(value, str):
        raise ConditionError(path, f"'{name}' holds text, found {value!r}")


# --- compilation to durable-rules JSON -------------------------------------------

def compile_condition(fact_type: str, tree: Test | Group, *, missing: str | None = None) -> dict:
    """The durable-rules condition for one fact; with ``missing``, the CA602 variant:
    the tests that do not read the ``missing`` field, and that field absent."""
    parts: list[dict] = [{"type": fact_type}]
    if missing is None:
        parts.append(_compile(tree))
    else:
        items = tree.items if isinstance(tree, Group) and tree.mode == "all" else (tree,)
        parts.extend(_compile(i) for i in items if missing not in i.fields())
        parts.append({"$nex": {f"{DATA}.{missing}": 1}})
    return {"$and": parts}


def _compile(node: Test | Group) -> dict:
    if isinstance(node, Group):
        return {"$and" if node.mode == "all" else "$or": [_compile(i) for i in node.items]}
    f = f"{DATA}.{node.field}"
    parts = [_compile_op(f, op, val, node.ops) for op, val in node.ops.items() if op != "total_of"]
    return parts[0] if len(parts) == 1 else {"$and": parts}


def _absent(f: str) -> dict:
    return {"$nex": {f: 1}}


def _compile_op(f: str, op: str, val: Any, ops: dict[str, Any]) -> dict:
    if op == "is":
        return {f: val}
    if op == "is_not":
        return {"$or": [_absent(f), {"$neq": {f: val}}]}
    if op == "one_of":
        return {"$or": [{f: x} for x in val]}
    if op == "not_one_of":
        return {"$or": [_absent(f), {"$and": [{"$neq": {f: x}} for x in val]}]}
    if op == "includes":
        return {"$iany": {f: {"$i": val}}}
    if op == "includes_any":
        return {"$iany": {f: {"$or": [{"$i": x} for x in val]}}}
    if op == "includes_none":
        return {"$or": [_absent(f), {"$iall": {f: {"$and": [{"$neq": {"$i": x}} for x in val]}}}]}
    if op == "only":
        return {"$iall": {f: {"$or": [{"$i": x} for x in val]}}}
    if op == "includes_other_than":
        return {"$iany": {f: {"$and": [{"$neq": {"$i": x}} for x in val]}}}
    if op == "present":
        return {"$ex": {f: 1}} if val else _absent(f)
    if op in COMPARISONS:
        if "total_of" in ops:
            return _total(f, ops["total_of"], COMPARISONS[op], val)
        return {COMPARISONS[op]: {f: val}}
    raise AssertionError(op)  # parse() admits no other operator


def _total(f: str, keys: list[str], comparison: str, bound: float) -> dict:
    """sum(f.k for k in keys) <cmp> bound, written as f.k1 <cmp> bound - (f.k2 + ...),
    because durable-rules compares a field (left) with an expression (right)."""
    first, rest = f"{f}.{keys[0]}", keys[1:]
    if not rest:
        return {comparison: {first: bound}}
    total: Any = {"$m": f"{f}.{rest[0]}"}
    for key in rest[1:]:
        total = {"$add": {"$l": total, "$r": {"$m": f"{f}.{key}"}}}
    remainder = {"$add": {"$l": {"$mul": {"$l": total, "$r": -1}}, "$r": bound}}
    return {comparison: {first: remainder}}
