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
import threading
from collections.abc import Iterable
from dataclasses import dataclass

from durable.engine import MessageNotHandledException, Ruleset

from .conditions import compile_condition
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


class CompiledRules:
    """One durable-rules ruleset holding every enabled rule of a rule book."""

    def __init__(self, rules: Iterable[LoadedRule]):
        self._lock = threading.Lock()
        self._sids = itertools.count(1)
        self._matches: dict[str, list[Match]] = {}
        self.definition = {}
        for rule in rules:
            if rule.condition is None:
                continue
            fact_type = rule.rule.for_each
            self.definition[rule.id] = {"all": [{"m": compile_condition(fact_type, rule.condition)}]}
            for field in rule.rule.requires:
                key = f"{rule.id}$needs${field}"
                self.definition[key] = {"all": [{"m": compile_condition(fact_type, rule.condition, missing=field)}]}
        runnable = {name: {**body, "run": self._action(name)} for name, body in self.definition.items()}
        runnable[SENTINEL] = {"all": [{"m": {"type": SENTINEL}}], "run": _ignore}
        self._ruleset = Ruleset(f"ca-advisor-{next(_ruleset_names)}", None, runnable)

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
                    self._assert(dict(payload, sid=sid))
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
