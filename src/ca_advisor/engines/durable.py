"""Run compiled rules on durable-rules 2.0.28, around the sharp edges it has.

What holds, and how this module is built on it (tests/test_engine_hazards.py
covers each point):

* **Facts, not events.** An event is consumed by the first rule that matches it;
  a fact is seen by every rule.  We assert facts.
* **One batch per check, straight to the C extension.**  Python's
  ``Ruleset.assert_facts`` raises ``MessageNotHandledException`` when any fact of a
  batch matches no rule, and the actions of the others are then left pending (the
  wrapper never runs them).  The C call itself (``durable_rules_engine.assert_facts``)
  returns ``(code, state)``: 0 means every fact was handled, 1 that at least one was
  not; both are success.  We then drain the state's actions ourselves
  (``start_action_for_state``, then ``complete_and_start_action`` until it returns
  nothing), which runs the deferred ones too.  One JSON document in, one message
  per action out (read from its start when it is one rule and a fact as sent:
  ``_matched``), and no Python closure per action: about a third of the engine's
  time of asserting fact by fact.
* **No joins, no ``$not``.** Each rule matches one fact (see conditions/compile.py), so
  assertion order and join fields cannot change the outcome.
* **No Host.** ``durable.lang``/``Host`` start two polling threads per host that are
  never collected and crash the interpreter when other threads call in unlocked.
  We create the ruleset in the C extension (``create_ruleset``: what
  ``durable.engine.Ruleset`` does, less its Python actions, and without importing
  ``durable``'s Python layer, a tenth of a one-file check) and run its actions ourselves.
* **One state per check, opened by a sentinel, deleted after its actions ran.**
  Each check gets a fresh ``sid``.  A fact that no rule matches still creates the
  state (so states leak towards the 1,024 limit and ``MemoryError``), yet
  ``delete_state`` on a state in which no fact was handled is a segmentation
  fault, as is deleting one with actions pending.  So every check first asserts a
  sentinel fact that a no-op rule handles, runs every action to completion, and
  only then deletes the state.
* **Error 102 was never about freeing.**  It comes from an uninitialised read in
  rete.c (an ``$or`` directly inside ``$iany``/``$iall``; see
  conditions/operators.py), so it depended on whatever the heap held: freeing
  rulesets, other imports, the number of rulesets built.  The compiler never writes
  that shape, the capacity model (capacity.py) refuses books that overflow a table,
  and a ruleset that still fails to build is retried once, then refused with a
  located message; never a random failure.
* **Rulesets are freed, safely.**  A ruleset is freed (``delete_ruleset``) only
  when its engine is garbage (a weakref finalizer queues it) and only at a safe
  point: the next time a ruleset is built, under the engine lock.
* **One lock for the C library.**  durable-rules is not thread-safe and keeps
  global tables (handles); every call into it takes ``ENGINE_LOCK``, so checks
  from several threads take turns in the engine (parsing and reporting stay
  parallel).
* **Actions cannot fail silently.** durable-rules catches an exception raised in
  a Python action and only writes it into the state; it treats a two-parameter
  action as asynchronous (it never completes).  We run no Python action: the
  drain reads each action's message (rule key, fact id) itself; a message it
  cannot read, or a result code other than 0 or 1, is raised as ``EngineError``
  (the state is then left undeleted: deleting it with actions pending would crash).
"""

from __future__ import annotations

import itertools
import json
import re
import threading
import weakref
from collections.abc import Iterable

import durable_rules_engine
import orjson

from .base import EngineError, Match

NAME = "durable-rules"
_ruleset_names = itertools.count(1)
SENTINEL = "$check-opened"
ENGINE_LOCK = threading.RLock()
_unused_handles: list[int] = []  # rulesets whose engine is gone, freed at the next build


def _free_later(handle: int) -> None:
    _unused_handles.append(handle)  # list.append is atomic; a finalizer may run in any thread


def _free_unused() -> None:
    """Free the rulesets of engines that are gone (called under ENGINE_LOCK)."""
    while _unused_handles:
        durable_rules_engine.delete_ruleset(_unused_handles.pop())


def build_ruleset(name: str, definition: dict) -> int:
    """A ruleset of ``definition`` (rule name -> durable-rules rule); its handle."""
    with ENGINE_LOCK:
        _free_unused()
        return durable_rules_engine.create_ruleset(name, json.dumps(definition, ensure_ascii=False))


def _field_trees(rules: list) -> dict[str, dict]:
    """Per fact type, the fields any rule reads, as a tree ({"proposal": {"channel":
    None}, "purposes": None}; None keeps the whole value).

    Why: durable-rules takes each fact as JSON (json.dumps in Python, a parse in C),
    and a fact carries its whole proposal and component (about 1.3 KB); the rules
    read a few fields of it (of a total, only the summed entries).  Sending only
    those cuts the engine's time by about half and cannot change a match:
    conditions read nothing else, and a field absent from the proposal stays absent."""
    trees: dict[str, dict] = {}
    for rule in rules:
        tree = trees.setdefault(rule.rule.for_each, {})
        for name in sorted(rule.condition.engine_fields() | set(rule.rule.requires)):
            node, parts = tree, name.split(".")
            for part in parts[:-1]:
                if part in node and node[part] is None:
                    break  # the whole of it is kept already
                node = node.setdefault(part, {})
            else:
                node[parts[-1]] = None
    return trees


def _pruned(data: dict, tree: dict, done: dict[tuple[int, int], dict]) -> dict:
    """``data`` with only the fields ``tree`` names.  Facts share their proposal's and
    component's dicts, so each (dict, tree) pair is pruned once per check (``done``,
    keyed on identity: both live until the check ends)."""
    out = {}
    for name, below in tree.items():
        if name in data:
            value = data[name]
            if below is not None and type(value) is dict:
                key = (id(value), id(below))
                pruned = done.get(key)
                if pruned is None:
                    pruned = done[key] = _pruned(value, below, done)
                value = pruned
            out[name] = value
    return out


def _definitions(rules: list) -> dict[str, dict]:
    """durable-rules definitions: each rule, and its CA602 variant per required field."""
    from ..conditions import compile_condition

    definition = {}
    for rule in rules:
        fact_type = rule.rule.for_each
        definition[rule.id] = {"all": [{"m": compile_condition(fact_type, rule.condition)}]}
        for field, variant in rule.not_evaluated_conditions().items():
            definition[f"{rule.id}$needs${field}"] = {"all": [{"m": compile_condition(fact_type, variant)}]}
    return definition


def _overflow(rules: list, exc: Exception):
    """durable-rules refused a book the capacity model accepted (capacity.py models
    every table we know of).  Find the first rule that no longer fits (by compiling
    prefixes) and say so in its file, instead of a traceback from the C extension."""
    def fits(count: int) -> bool:
        try:
            probe = build_ruleset(f"ca-advisor-probe-{next(_ruleset_names)}", _definitions(rules[:count]))
        except Exception:  # noqa: BLE001 - the same C error as above
            return False
        _free_later(probe)
        return True

    low, high = 0, len(rules)  # rules[:low] fits, rules[:high] does not
    while high - low > 1:
        middle = (low + high) // 2
        low, high = (middle, high) if fits(middle) else (low, middle)
    rule = rules[high - 1] if rules else None
    from ..model.errors import InputError

    return InputError(
        file=rule.file if rule else "rules", path="for_each" if rule else "",
        message=f"{'rule ' + rule.id if rule else 'the rule book'} does not fit in durable-rules' network "
                f"({len(rules)} rules loaded, only the first {low} fit; {exc}): its tables have fixed sizes "
                f"under each shared test (here on {rule.rule.for_each if rule else '?'} facts); disable or "
                "select fewer rules in ca-advisor.yaml, and please report this rule book: ca-advisor's capacity "
                "model should have refused it with a precise reason")


class DurableEngine:
    """One durable-rules ruleset holding every enabled rule of a rule book (the
    caller has refused books that overflow its network: capacity.py)."""

    name = NAME

    def __init__(self, rules: Iterable):
        rules = [rule for rule in rules if rule.condition is not None]
        self._open({"definition": _definitions(rules), "fields": _field_trees(rules)}, rules)

    @classmethod
    def from_network(cls, network: dict) -> DurableEngine:
        """The engine of a network made before (``network``, as a check plan holds it)."""
        engine = cls.__new__(cls)
        engine._open(network, None)
        return engine

    def _open(self, network: dict, rules: list | None) -> None:
        self.network = network  # JSON-able: what a check plan keeps (engines/plan.py)
        self._sids = itertools.count(1)
        self.definition = network["definition"]
        self._fields = network["fields"]
        # What each compiled rule name stands for: (rule id, CA602 field or None).
        self._keys = {name: _rule_key(name) for name in self.definition}
        # What durable-rules holds: every rule, and the sentinel's (see above).
        self.ruleset_definition = {**self.definition, SENTINEL: {"all": [{"m": {"type": SENTINEL}}]}}
        self._handle = self._build(rules, self.ruleset_definition)
        weakref.finalize(self, _free_later, self._handle)

    @staticmethod
    def _build(rules: list | None, definition: dict) -> int:
        """Build the ruleset; a failure is retried once (a table overflow fails the
        same way again, and is then located), never passed on as a C error code.
        Without the rules (a network from a check plan, which built before), the
        failure is an EngineError: the caller then loads the rule book."""
        for attempt in (1, 2):
            try:
                return build_ruleset(f"ca-advisor-{next(_ruleset_names)}", definition)
            except Exception as exc:  # durable_rules_engine.error: a table is full
                if attempt == 2 and rules is None:
                    raise EngineError(f"durable-rules could not build a network that built before: {exc}") from None
                if attempt == 2:
                    from ..model.errors import InputErrors
                    raise InputErrors([_overflow(rules, exc)]) from None
        raise AssertionError("unreachable")

    def run(self, payloads: list[dict]) -> list[Match]:
        """Assert one check's facts in a fresh state, in one batch; return what fired."""
        with ENGINE_LOCK:
            sid = f"check-{next(self._sids)}"
            # The sentinel first: it is always handled, so the state can be deleted.
            # Each fact's JSON is kept by its id: an action's message repeats it.
            sent = {SENTINEL: orjson.dumps({"id": SENTINEL, "type": SENTINEL, "sid": sid}).decode()}
            pruned: dict[tuple[int, int], dict] = {}
            for payload in payloads:
                fields = self._fields.get(payload["type"])
                if fields is not None:  # else no rule looks at this type of fact
                    if payload["id"] in sent:  # durable-rules refuses it too (code 2); never silently one
                        raise EngineError(f"two facts of {sid} have the id {payload['id']!r}")
                    # orjson writes what json.dumps(fact, ensure_ascii=False) writes for
                    # these facts (text, booleans, whole numbers, floats between 1e-4 and
                    # 1e15: yaml_source refuses the rest), ten times faster.
                    sent[payload["id"]] = orjson.dumps({"id": payload["id"], "type": payload["type"], "sid": sid,
                                                        "data": _pruned(payload["data"], fields, pruned)}).decode()
            handle = self._handle
            code, state = durable_rules_engine.assert_facts(handle, f"[{','.join(sent.values())}]")
            if code not in (0, 1):  # 2: a fact id seen before in this state; never with fresh states
                raise EngineError(f"durable-rules refused the facts of {sid} (result code {code})")
            matches = self._drain(handle, state, sid, sent)
            # Safe: the sentinel was handled and every action has been completed.
            durable_rules_engine.delete_state(handle, sid)
            return matches

    def _drain(self, handle: int, state: int, sid: str, sent: dict[str, str]) -> list[Match]:
        """Every pending action of the state, read and completed in turn."""
        matches = []
        started = durable_rules_engine.start_action_for_state(handle, state)
        message = started[1] if started else None
        while message:
            try:
                for key, fact_id in _matched(message, sent):
                    if key != SENTINEL:
                        rule_id, missing = self._keys[key]
                        matches.append(Match(rule_id, fact_id, missing))
            except Exception as exc:  # noqa: BLE001 - any unreadable message is an engine bug
                raise EngineError(f"durable-rules failed running actions for {sid}: {exc!r} "
                                  f"in {message[:200]}") from None
            message = durable_rules_engine.complete_and_start_action(handle, state)
        return matches


# An action's message for one rule and one fact, as durable-rules writes it: the
# rule's name, then the fact exactly as it was sent ({"CA101":{"m":{"id":"proposal",...}}}).
_ONE_MATCH = re.compile(r'\{"([^"\\]+)":\{"m":\{"id":"([^"\\]+)"')


def _matched(message: str, sent: dict[str, str]) -> list[tuple[str, str]]:
    """(rule name, fact id) of each rule an action's message names.

    Reading the whole message as JSON rebuilt every fact it repeats (the 13,000
    messages of 2,000 proposals took 63 ms to read so).  So a message that is one rule's name followed by a
    fact we sent, exactly (its text at its place, and nothing after it), is read
    from its start; any other message is read as JSON."""
    found = _ONE_MATCH.match(message)
    if found is not None:
        key, fact_id = found.groups()
        fact = sent.get(fact_id)
        # {"KEY":{"m":  FACT  }}: the fact's text starts after 9 characters besides KEY
        if (fact is not None and len(message) == len(key) + 9 + len(fact) + 2
                and message.startswith(fact, len(key) + 9) and message.endswith("}}")):
            return [(key, fact_id)]
    return [(key, content["m"]["id"]) for key, content in orjson.loads(message).items()]


def _rule_key(name: str) -> tuple[str, str | None]:
    rule_id, _, missing = name.partition("$needs$")
    return rule_id, missing or None
