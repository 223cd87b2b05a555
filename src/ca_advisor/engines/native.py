"""The condition language's own evaluator as an engine (no durable-rules needed).

It runs where durable-rules cannot load (Python 3.13 and later, or a machine where
its C extension did not build).  Every rule matches one fact, so a check is each
fact against the rules of its type: the rule's condition, and per required field its
CA602 variant (the same trees durable-rules compiles).  tests/test_engines.py proves
both engines give the same findings on every fixture case, bundled example and a
fuzz corpus.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from ..conditions import evaluate
from .base import Match

NAME = "native"


class NativeEngine:
    name = NAME

    def __init__(self, rules: Iterable) -> None:
        self._by_type: dict[str, list[tuple[str, str | None, object]]] = defaultdict(list)
        for loaded in rules:
            if loaded.condition is None:
                continue
            targets = self._by_type[loaded.rule.for_each]
            targets.append((loaded.id, None, loaded.condition))
            targets.extend((loaded.id, name, tree) for name, tree in loaded.not_evaluated_conditions().items())

    def run(self, payloads: list[dict]) -> list[Match]:
        """What holds on each fact; stateless, so safe from any thread."""
        return [Match(rule_id, payload["id"], missing)
                for payload in payloads
                for rule_id, missing, tree in self._by_type.get(payload["type"], ())
                if evaluate(tree, payload["data"])]
