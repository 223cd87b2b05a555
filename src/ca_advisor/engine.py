"""Run compiled rules on durable-rules 2.0.28, around the sharp edges it has.

What holds, and how this module is built on it (tests/test_engine_hazards.py
covers each point):

* **Facts, not events.** An event is consumed by the first rule that matches it;
  a fact is seen by every rule.  We assert facts.
* **One fact at a time.** ``assert_fact`` of one fact is synchronous; an
  ``assert_facts`` batch holding a fact that no rule matches raises
  ``MessageNotHandledException`` and defers the actions of the others.  We assert
  singly and treat "not handled" as "no rule matched this fact".
* **No joins, no ``$not``.** Each rule matches one fact (see conditions.py), so
  assertion order and join fields cannot change the outcome.
* **No Host.** ``durable.lang``/``Host`` start two polling threads per host that are
  never collected and crash the interpreter when other threads call in unlocked.
  We build ``durable.engine.Ruleset`` directly and run its actions ourselves.
* **One state per check, opened by a sentinel, deleted after its actions ran.**
  Each check gets a fresh ``sid``.  A fact that no rule matches still creates the
  state (so states leak towards the 1,024 limit and ``MemoryError``), yet
  ``delete_state`` on a state in which no fact was handled is a segmentation
  fault, as is deleting one with actions pending.  So every check first asserts a
  sentinel fact that a no-op rule handles, runs every action to completion, and
  only then deletes the state.
* **Rulesets are never freed.** durable-rules keeps a ruleset's network (about
  1 MiB for the built-in rules) until ``delete_ruleset``; but calling it, whether
  from a finalizer or deferred to a quiet moment under a lock, made later rulesets
  fail to build at random (error 102, in about one suite run in four).  So a
  compiled rule set lives as long as the process, and ``api.get_checker`` caches
  one per configuration; build ``Checker`` objects once, not per check.
* **One lock per compiled rule set.** The C engine is not thread-safe; checks from
  several threads take turns in the engine (parsing and reporting stay parallel).
* **Actions cannot fail silently.** durable-rules catches an exception raised in
  an action and only writes it into the state (``state["exception"]``), calling the
  completion callback with no error; it treats a two-parameter action as
  asynchronous (it never completes unless called back).  Our one action takes one
  parameter and only records (rule key, fact id); an error passed to the completion
  callback, or an exception written into the state, is raised as ``EngineError``.
"""

from __future__ import annotations

import itertools
import json
import threading
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from durable.engine import MessageNotHandledException, Ruleset

from .conditions import compile_condition
from .errors import InputError, InputErrors
from .rulebook import LoadedRule

_ruleset_names = itertools.count(1)
SENTINEL = "$check-opened"


def _ignore(_c) -> None:
    """The sentinel rule's action: nothing to record."""


class EngineError(RuntimeError):
    """durable-rules reported a failure while running actions (a bug, not bad input)."""


@dataclass(frozen=True)
class Match:
    """A durable-rules rule fired on a fact: ``missing`` is set for CA602 variants."""

    rule_id: str
    fact_id: str
    missing: str | None = None


def _field_trees(rules: list[LoadedRule]) -> dict[str, dict]:
    """Per fact type, the fields any rule reads, as a tree ({"proposal": {"channel":
    None}, "purposes": None}; None keeps the whole value).

    Why: durable-rules takes each fact as JSON (json.dumps in Python, a parse in C),
    and a fact carries its whole proposal and component (about 1.3 KB); the rules
    read a few fields of it.  Sending only those cuts the engine's time by about
    half and cannot change a match: conditions read nothing else, and a field
    absent from the proposal stays absent."""
    trees: dict[str, dict] = {}
    for rule in rules:
        tree = trees.setdefault(rule.rule.for_each, {})
        for name in sorted(set(rule.condition.fields()) | set(rule.rule.requires)):
            node, parts = tree, name.split(".")
            for part in parts[:-1]:
                if part in node and node[part] is None:
                    break  # the whole of it is kept already
                node = node.setdefault(part, {})
            else:
                node[parts[-1]] = None
    return trees


def _pruned(data: dict, tree: dict) -> dict:
    out = {}
    for key, below in tree.items():
        if key in data:
            value = data[key]
            out[key] = _pruned(value, below) if below is not None and isinstance(value, dict) else value
    return out


def _definitions(rules: list[LoadedRule]) -> dict[str, dict]:
    """durable-rules definitions: each rule, and its CA602 variant per required field."""
    definition = {}
    for rule in rules:
        fact_type = rule.rule.for_each
        definition[rule.id] = {"all": [{"m": compile_condition(fact_type, rule.condition)}]}
        for field in rule.rule.requires:
            key = f"{rule.id}$needs${field}"
            definition[key] = {"all": [{"m": compile_condition(fact_type, rule.condition, missing=field)}]}
    return definition


# durable-rules keeps the tests that follow a shared test in fixed tables.  Every rule
# of a fact type shares the test of its type, so these bound a rule book per kind
# of fact: past 512 different value tests it loops forever while building the network
# (an uninterruptible hang), and past about 256 rules with one and the same condition
# it has been seen to hang too.  We refuse a little earlier; the limits that end in an
# error code instead (128 absence or list tests, 256 rule ends) are caught when the
# ruleset is built (``_overflow``).
MAX_VALUE_HEADS = 500
MAX_SAME_CONDITION = 200
_LIST_TESTS = ("$nex", "$ex", "$iany", "$iall")


def _crowding(rules: list[LoadedRule], definition: dict[str, dict]) -> InputError | None:
    """Refuse, before durable-rules sees it, a rule book that would make it hang."""
    heads: dict[str, set[str]] = defaultdict(set)
    same: Counter = Counter()
    last_of_type: dict[str, LoadedRule] = {}
    by_id = {rule.id: rule for rule in rules}
    for name, body in definition.items():
        condition = body["all"][0]["m"]
        fact_type, rest = condition["$and"][0]["type"], condition["$and"][1:]
        last_of_type[fact_type] = by_id[name.partition("$needs$")[0]]
        same[json.dumps(condition, sort_keys=True)] += 1
        heads[fact_type].update(json.dumps(h, sort_keys=True) for h in _heads({"$and": rest})
                                if not set(h) & set(_LIST_TESTS))
    for fact_type, found in heads.items():
        if len(found) > MAX_VALUE_HEADS:
            rule = last_of_type[fact_type]
            return InputError(file=rule.file, path="when", message=(
                f"the rule book is too large for durable-rules: its rules on {fact_type} facts start with "
                f"{len(found)} different value tests, and durable-rules stops responding past 512 "
                f"(we allow {MAX_VALUE_HEADS}); disable or select fewer rules in ca-advisor.yaml, or merge rules"))
    condition, count = same.most_common(1)[0] if same else ("", 0)
    if count > MAX_SAME_CONDITION:
        return InputError(file="rules", message=(
            f"{count} rules have one and the same condition; durable-rules stops responding past about 256 "
            f"(we allow {MAX_SAME_CONDITION}); merge them into one rule"))
    return None


def _heads(node: dict) -> list[dict]:
    """The tests a condition can start with, after its fact type (where the network
    branches off the shared type test)."""
    if "$and" in node:
        return _heads(node["$and"][0]) if node["$and"] else []
    if "$or" in node:
        return [head for child in node["$or"] for head in _heads(child)]
    return [node]


def _overflow(rules: list[LoadedRule], exc: Exception) -> InputError:
    """durable-rules' network has fixed room under each shared test (every rule of a
    fact type shares the test of its type): 128 absence and list tests, 256 joins,
    512 value tests.  Find the first rule that no longer fits (by compiling prefixes)
    and say so in its file, instead of a traceback from the C extension."""
    def fits(count: int) -> bool:
        runnable = {name: {**body, "run": _ignore} for name, body in _definitions(rules[:count]).items()}
        try:
            Ruleset(f"ca-advisor-probe-{next(_ruleset_names)}", None, runnable)  # never freed: see above
            return True
        except Exception:  # noqa: BLE001 - the same C error as above
            return False

    low, high = 0, len(rules)  # rules[:low] fits, rules[:high] does not
    while high - low > 1:
        middle = (low + high) // 2
        low, high = (middle, high) if fits(middle) else (low, middle)
    rule = rules[high - 1] if rules else None
    return InputError(
        file=rule.file if rule else "rules", path="for_each" if rule else "",
        message=f"{'rule ' + rule.id if rule else 'the rule book'} does not fit in durable-rules' network "
                f"({len(rules)} rules loaded, only the first {low} fit; {exc}): its tables have fixed sizes "
                "(for example 128 absence or list tests under one shared test such as the fact type, here "
                f"{rule.rule.for_each if rule else '?'}); disable or select fewer rules in ca-advisor.yaml, "
                "or merge rules")


class CompiledRules:
    """One durable-rules ruleset holding every enabled rule of a rule book."""

    def __init__(self, rules: Iterable[LoadedRule]):
        self._lock = threading.Lock()
        self._sids = itertools.count(1)
        self._matches: dict[str, list[Match]] = {}
        rules = [rule for rule in rules if rule.condition is not None]
        self.definition = _definitions(rules)
        self._fields = _field_trees(rules)
        runnable = {name: {**body, "run": self._action(name)} for name, body in self.definition.items()}
        runnable[SENTINEL] = {"all": [{"m": {"type": SENTINEL}}], "run": _ignore}
        crowded = _crowding(rules, self.definition)
        if crowded:
            raise InputErrors([crowded])
        try:
            self._ruleset = Ruleset(f"ca-advisor-{next(_ruleset_names)}", None, runnable)
        except Exception as exc:  # durable_rules_engine.error: its network is full
            raise InputErrors([_overflow(rules, exc)]) from None

    def _action(self, key: str):
        rule_id, _, missing = key.partition("$needs$")

        def record(c) -> None:  # exactly one parameter: two would make it asynchronous
            self._matches[c.m["sid"]].append(Match(rule_id, c.m["id"], missing or None))

        return record

    def run(self, payloads: list[dict]) -> list[Match]:
        """Assert one check's facts in a fresh state; return what fired."""
        with self._lock:
            sid = f"check-{next(self._sids)}"
            self._matches[sid] = []
            try:
                self._assert({"id": SENTINEL, "type": SENTINEL, "sid": sid})
                for payload in payloads:
                    fields = self._fields.get(payload["type"])
                    if fields is not None:  # else no rule looks at this type of fact
                        self._assert({"id": payload["id"], "type": payload["type"], "sid": sid,
                                      "data": _pruned(payload["data"], fields)})
            except BaseException:
                # Leave this one state undeleted: deleting it with actions pending
                # would crash the process.  Only an engine bug gets here.
                self._matches.pop(sid, None)
                raise
            # Safe: the sentinel was handled and every action has run to completion.
            self._ruleset.delete_state(sid)
            return self._matches.pop(sid)

    def _assert(self, fact: dict) -> None:
        try:
            handle = self._ruleset.assert_fact(fact)
        except MessageNotHandledException:
            return  # no rule matches this fact
        failures = []

        def completed(error, state) -> None:
            problem = error or (state or {}).get("exception")
            if problem:
                failures.append(problem)

        self._ruleset.do_actions(handle, completed)
        if failures:
            raise EngineError(f"durable-rules failed running actions for {fact['id']}: {failures[0]}")
