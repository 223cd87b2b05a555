"""One parser for ``when`` blocks: raw YAML in, a typed tree and every problem out.

A ``when`` block is a list of tests that must all hold, or an ``all:`` / ``any:``
group of them; a mapping of several fields is "all of" their tests::

    when:
      - purposes: {includes_any: [counter-terrorism, counter-insurgency]}
      - forces: {only: [armed-forces]}
      - proposal.channel: bilateral          # shorthand for {is: bilateral}
      - any:
          - kind: {is: basing}
          - profile.foreign_military_bases: {is: banned}

Each problem is a ``ConditionError`` with the path of the offending part (the caller
turns it into file and line); the parser goes on past a problem, so one run reports
them all.  What an operator accepts comes from its registry entry.
"""

from __future__ import annotations

from typing import Any

from ..facts.build import FieldSpec
from ..model.errors import did_you_mean, one_of
from ..reading.yaml_source import join_path
from .fields import ConditionError, Schema, field_kind
from .operators import A_BOOL, A_NUMBER, OPERATOR_NAMES, OPERATORS, QUANTITIES, TOTAL_OF, VALUES, is_number
from .tree import Check, Group, Node, Test

GROUPS = ("all", "any")


def parse_when(node: Any, path: str, schema: Schema,
               params: dict[str, Any]) -> tuple[Node | None, list[ConditionError]]:
    """The tree (None when there is any problem) and every problem."""
    problems: list[ConditionError] = []
    tree = _Parser(schema, params, problems).node(node, path)
    return (None if problems else tree), problems


class _Parser:
    def __init__(self, schema: Schema, params: dict[str, Any], problems: list[ConditionError]):
        self.schema, self.params, self.problems = schema, params, problems

    def fail(self, path: str, message: str, *, at_key: bool = False) -> None:
        self.problems.append(ConditionError(path, message, at_key=at_key))

    def node(self, node: Any, path: str) -> Node | None:
        if isinstance(node, list):
            return self.group("all", node, path)
        if not isinstance(node, dict) or not node:
            self.fail(path, "expected a list of tests, or a mapping of field names to tests")
            return None
        if len(node) == 1 and next(iter(node)) in GROUPS:
            mode = next(iter(node))
            items = node[mode]
            if not isinstance(items, list) or not items:
                self.fail(join_path(path, mode), f"'{mode}' takes a non-empty list of tests")
                return None
            return self.group(mode, items, join_path(path, mode))
        tests = [self.test(name, spec, join_path(path, name)) for name, spec in node.items()]
        return tests[0] if len(tests) == 1 else Group("all", tuple(tests), path)

    def group(self, mode: str, items: list, path: str) -> Group | None:
        if not items:
            self.fail(path, "an empty list of tests never decides anything; add a test")
            return None
        return Group(mode, tuple(self.node(item, join_path(path, i)) for i, item in enumerate(items)), path)

    def test(self, name: Any, raw: Any, path: str) -> Test | None:
        if name in GROUPS:
            self.fail(path, f"'{name}' must be the only key of its mapping; put it in its own list entry")
            return None
        try:
            spec = self.schema.spec(str(name), path)
        except ConditionError as exc:
            self.problems.append(exc)
            return None
        ops = raw if isinstance(raw, dict) else {"is": raw}
        if not ops:
            self.fail(path, "no operator given; e.g. {is: VALUE} or {includes_any: [..]}")
            return None
        before = len(self.problems)
        checks, total = [], None
        for op, operand in ops.items():
            check = self.check(str(op), operand, spec, name, join_path(path, str(op)))
            if check is not None and check.op == TOTAL_OF:
                total = check
            elif check is not None:
                checks.append(check)
        if len(self.problems) == before and field_kind(spec) == QUANTITIES and not (
                total and any(c.operator.comparison for c in checks)):
            self.fail(path, f"'{name}' holds a quantity per capability; test it with "
                            "total_of: [capabilities] and a comparison such as at_least")
        return Test(name, tuple(checks), total, path)

    def check(self, op: str, operand: Any, spec: FieldSpec, name: str, path: str) -> Check | None:
        if op not in OPERATOR_NAMES:
            self.fail(path, f"unknown operator '{op}'; allowed: {one_of(sorted(OPERATOR_NAMES))}"
                            f"{did_you_mean(op, OPERATOR_NAMES)}", at_key=True)
            return None
        kind = field_kind(spec)
        applies = kind == QUANTITIES if op == TOTAL_OF else kind in OPERATORS[op].applies_to
        if not applies:
            self.fail(path, f"operator '{op}' does not apply to '{name}', which is a {kind}")
            return None
        param = None
        if isinstance(operand, dict) and set(operand) == {"param"}:
            param = operand["param"]
            if param not in self.params:
                self.fail(path, f"unknown parameter '{param}'; declare it under parameters"
                                f"{did_you_mean(param, self.params)}")
                return None
            operand = self.params[param]
        if not self.operand_fits(op, operand, spec, name, path):
            return None
        return Check(op, list(operand) if isinstance(operand, list) else operand, param, path)

    def operand_fits(self, op: str, operand: Any, spec: FieldSpec, name: str, path: str) -> bool:
        before = len(self.problems)
        wanted = VALUES if op == TOTAL_OF else OPERATORS[op].operand
        if wanted == A_BOOL:
            if not isinstance(operand, bool):
                self.fail(path, f"{op} takes true or false")
        elif wanted == A_NUMBER:
            if not is_number(operand):
                self.fail(path, f"{op} takes a number, found {operand!r}")
        elif wanted == VALUES:
            if not isinstance(operand, list) or not operand:
                what = "capabilities" if op == TOTAL_OF else "values"
                self.fail(path, f"{op} takes a non-empty list of {what}")
            else:
                for i, value in enumerate(operand):
                    self.value(value, spec, name, join_path(path, i))
        else:
            self.value(operand, spec, name, path)
        return len(self.problems) == before

    def value(self, value: Any, spec: FieldSpec, name: str, path: str) -> None:
        """Refuse a value the field can never hold, so that no rule silently never fires."""
        if spec.kind in {"enum", "quantities"}:
            if value not in spec.values:
                self.fail(path, f"'{value}' is not a value of '{name}'; expected one of: "
                                f"{one_of(spec.values)}{did_you_mean(value, spec.values)}")
        elif spec.kind == "bool" and not isinstance(value, bool):
            self.fail(path, f"'{name}' is true or false, found {value!r}")
        elif spec.kind == "number" and not is_number(value):
            self.fail(path, f"'{name}' is a number, found {value!r}")
        elif spec.kind in {"slug", "text"} and not isinstance(value, str):
            self.fail(path, f"'{name}' holds text, found {value!r}")
