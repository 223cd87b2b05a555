"""The durable-rules 2.0.28 hazards that engines/durable.py is built around, each shown
on a bare ``Ruleset`` (in a subprocess where it kills the interpreter) and each shown
not to reach ``DurableEngine`` under load.

=====================================  =================================  ==========================
hazard (bare durable-rules)             demonstration                      our engine under load
=====================================  =================================  ==========================
1,024 live states, then MemoryError     MemoryError at state 1,024         3,000 checks, one ruleset
assert_facts: an unmatched fact         MessageNotHandledException, the    400 checks mixing facts
defers the actions of the others        matched fact's action never runs   no rule matches (one C batch
                                                                           per check, actions drained)
durable.lang/Host polling threads       +2 threads; 8 threads through it   no thread, no durable.lang
                                        lose results
not thread-safe (no documented          -                                  8 threads: never two in the
guarantee); Host races shown above                                         engine at once
delete_state on a never-handled state   SIGSEGV                            5,000 checks where nothing
                                                                           fires (subprocess)
delete_state with actions pending       SIGSEGV                            (the same run)
an exception in an action is only       callback gets no error             no Python action runs; an
written into the state                                                     unreadable action message or
                                                                           result code: EngineError
a two-parameter action never            callback never called              no Python action runs
completes
a discarded ruleset is never freed      +1 MiB each (100: +100 MiB)        freed when its engine is
                                                                           garbage: 100 checkers
                                                                           < 20 MiB
error 102 "at random": an $or directly  heap filled with 0x0C: refused     never that shape: 0 of the
inside $iany reads uninitialised memory  in most of 40 builds               same 40 builds refused
=====================================  =================================  ==========================

We could not make unlocked concurrent calls on a bare ``Ruleset`` crash on CPython
3.11 (its C calls hold the GIL); the lock stays, because nothing in durable-rules
promises thread safety and a free-threaded build would remove that accident.
"""

from __future__ import annotations

import datetime
import os
import re
import signal
import subprocess
import sys
import textwrap
import threading

import pytest

pytest.importorskip("durable.engine", reason="durable-rules does not import on this Python (the native engine runs)")
from durable.engine import MessageNotHandledException, Ruleset  # noqa: E402

from ca_advisor.api import get_checker  # noqa: E402
from ca_advisor.engines.checker import Checker  # noqa: E402
from ca_advisor.engines.durable import SENTINEL, DurableEngine, EngineError  # noqa: E402
from ca_advisor.reading.builtin import examples_dir  # noqa: E402
from ca_advisor.reading.proposals import read_proposal_file  # noqa: E402

HIT = {"r": {"all": [{"m": {"type": "hit"}}], "run": lambda c: None}}


def run_python(code: str, timeout: float = 120) -> subprocess.CompletedProcess:
    """Run ``code`` in a fresh interpreter (a crash there cannot take pytest with it)."""
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True,
                          timeout=timeout, check=False)


@pytest.fixture(autouse=True)
def durable_engine(monkeypatch):
    """These tests are about durable-rules: run it whatever CA_ADVISOR_ENGINE says."""
    monkeypatch.setenv("CA_ADVISOR_ENGINE", "durable-rules")


@pytest.fixture(scope="module")
def book():
    return get_checker().book


@pytest.fixture(scope="module")
def examples():
    return [read_proposal_file(p) for p in sorted(examples_dir().glob("*.yaml"))]


FACT = '{"id":"proposal","type":"proposal","sid":"check-1","data":{}}'


def _signalled(proc: subprocess.CompletedProcess, sig: signal.Signals) -> bool:
    return proc.returncode in (-sig, 128 + sig)


# --- 1,024 live states ------------------------------------------------------------------

def test_bare_durable_rules_fails_at_1024_live_states():
    proc = run_python("""
        from durable.engine import Ruleset
        rs = Ruleset("s", None, {"r": {"all": [{"m": {"type": "hit"}}], "run": lambda c: None}})
        for i in range(3000):
            try:
                rs.do_actions(rs.assert_fact({"id": "f", "sid": f"s{i}", "type": "hit"}), lambda e, s: None)
            except MemoryError:
                print("MemoryError at state", i)
                break
    """)
    assert proc.stdout.strip() == "MemoryError at state 1024", proc.stderr


def test_our_engine_runs_3000_checks_on_one_ruleset(book):
    compiled = DurableEngine(book.rules)
    facts = _facts_for_every_rule(book)[:3]
    expected = compiled.run(facts)
    for _ in range(3000):  # past 1,024 live states only because each check's state is deleted
        assert compiled.run(facts) == expected


# --- assert_facts batches defer actions ---------------------------------------------------

def test_bare_assert_facts_with_an_unmatched_fact_defers_the_others():
    fired = []
    rs = Ruleset("hazard-batch", None, {"r": {"all": [{"m": {"type": "hit"}}], "run": lambda c: fired.append(1)}})
    with pytest.raises(MessageNotHandledException):
        rs.assert_facts([{"id": "a", "sid": "1", "type": "hit"}, {"id": "b", "sid": "1", "type": "miss"}])
    assert fired == []  # the matched fact's action did not run


def test_our_engine_drains_its_batch_so_unmatched_facts_change_nothing(book):
    """One batch per check, straight to the C call (result code 1 is success) and
    every pending action drained: facts no rule matches change nothing."""
    compiled = DurableEngine(book.rules)
    target = next(r for r in book.rules if r.condition is not None and r.rule.for_each == "proposal")
    facts = _facts_for_every_rule(book)
    expected = compiled.run(facts)
    assert any(m.rule_id == target.id for m in expected)
    noise = [{"id": f"noise:{i}", "type": "no-rule-matches-this", "data": {}} for i in range(3)]
    for i in range(400):
        mixed = noise[: i % 4] + facts + noise[: (i + 1) % 4]
        assert sorted(map(repr, compiled.run(mixed))) == sorted(map(repr, expected))


def _facts_for_every_rule(book) -> list[dict]:
    from ca_advisor.facts.build import build_facts
    p = read_proposal_file(sorted(examples_dir().glob("nato-ca-*.yaml"))[0])
    return [f.engine_payload() for f in build_facts(p.proposal, book.profiles, p.proposal.date)]


# --- Host polling threads ------------------------------------------------------------------

def test_durable_lang_starts_polling_threads_and_loses_results_under_threads():
    proc = run_python("""
        import sys, threading
        sys.setswitchinterval(1e-6)
        before = threading.active_count()
        from durable.lang import ruleset, when_all, m, assert_fact, delete_state
        fired, errors = [], []
        with ruleset("h"):
            @when_all(m.type == "hit")
            def hit(c):
                fired.append(c.m.id)
        start = threading.Barrier(8)
        def work(t):
            start.wait()
            for i in range(500):
                try:
                    assert_fact("h", {"id": f"{t}-{i}", "sid": f"{t}-{i}", "type": "hit"})
                    delete_state("h", f"{t}-{i}")
                except Exception as e:
                    errors.append(e)
        threads = [threading.Thread(target=work, args=(t,)) for t in range(8)]
        [t.start() for t in threads]; [t.join() for t in threads]
        print(threading.active_count() - before, len(fired), len(errors))
    """)
    extra_threads, fired, errors = map(int, proc.stdout.split())
    assert extra_threads >= 2  # the Host's polling threads, never collected
    # The lazily created Host races: rulesets registered twice or not found, facts lost.
    # (Which of the two shows varies run to run; both are failures of the same race.)
    assert errors > 0 or fired < 4000 or extra_threads > 2


def test_our_engine_starts_no_thread_and_never_imports_durable_lang():
    proc = run_python("""
        import sys, threading
        before = threading.active_count()
        from ca_advisor.api import check_paths
        from ca_advisor.reading.builtin import examples_dir
        for _ in range(20):
            report = check_paths([examples_dir()])
        print(threading.active_count() - before, "durable.lang" in sys.modules, len(report.results))
    """)
    assert proc.returncode == 0, proc.stderr
    extra_threads, lang_imported, checked = proc.stdout.split()
    assert (extra_threads, lang_imported) == ("0", "False")
    assert int(checked) >= 15  # 20 x the examples: over 300 checks


# --- one lock for the C library ------------------------------------------------------------

def test_eight_threads_never_enter_the_engine_at_once(book, examples):
    """Every call into the C engine is wrapped to count how many threads are inside."""
    import durable_rules_engine

    checker = Checker(book)
    inside, peak, guard = [0], [0], threading.Lock()

    def counting(method):
        def wrapper(*args, **kwargs):
            with guard:
                inside[0] += 1
                peak[0] = max(peak[0], inside[0])
            try:
                return method(*args, **kwargs)
            finally:
                with guard:
                    inside[0] -= 1
        return wrapper

    calls = ("assert_facts", "start_action_for_state", "complete_and_start_action", "delete_state")
    saved = {name: getattr(durable_rules_engine, name) for name in calls}
    for name in calls:
        setattr(durable_rules_engine, name, counting(saved[name]))
    old_interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-5)
    try:
        start = threading.Barrier(8)

        def work(t):
            start.wait()
            for k in range(40):
                checker.check(examples[(t + k) % len(examples)])

        threads = [threading.Thread(target=work, args=(t,)) for t in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        sys.setswitchinterval(old_interval)
        for name, function in saved.items():
            setattr(durable_rules_engine, name, function)
    assert peak[0] == 1


# --- delete_state segfaults ------------------------------------------------------------------

# Crashing a process on purpose is opt-in (it leaves core dumps and crash reports on some
# machines): CA_ADVISOR_SEGFAULT_DEMOS=1 runs these two demonstrations.
SEGFAULT_DEMO = pytest.mark.skipif(
    os.environ.get("CA_ADVISOR_SEGFAULT_DEMOS") != "1" or sys.version_info[:2] != (3, 11),
    reason="opt-in with CA_ADVISOR_SEGFAULT_DEMOS=1, on Python 3.11 only: there the C engine's bad free kills "
           "the process; on 3.12 the same call happens to survive (undefined behaviour); ca-advisor avoids the "
           "call on every version")

@SEGFAULT_DEMO
def test_bare_delete_state_on_a_never_handled_state_is_a_segfault():
    proc = run_python("""
        from durable.engine import Ruleset, MessageNotHandledException
        rs = Ruleset("d", None, {"r": {"all": [{"m": {"type": "hit"}}], "run": lambda c: None}})
        try:
            rs.assert_fact({"id": "a", "sid": "never-handled", "type": "miss"})
        except MessageNotHandledException:
            pass
        print("deleting", flush=True)
        rs.delete_state("never-handled")
        print("survived", flush=True)
    """)
    assert proc.stdout == "deleting\n"
    assert _signalled(proc, signal.SIGSEGV), proc.returncode


@SEGFAULT_DEMO
def test_bare_delete_state_with_actions_pending_is_a_segfault():
    proc = run_python("""
        from durable.engine import Ruleset
        rs = Ruleset("p", None, {"r": {"all": [{"m": {"type": "hit"}}], "run": lambda c: None}})
        rs.assert_fact({"id": "a", "sid": "s", "type": "hit"})  # actions not run
        print("deleting", flush=True)
        rs.delete_state("s")
        print("survived", flush=True)
    """)
    assert proc.stdout == "deleting\n"
    assert _signalled(proc, signal.SIGSEGV), proc.returncode


def test_our_engine_deletes_5000_states_where_nothing_fired():
    """Every check opens its state with the sentinel, so deleting is safe even when no
    rule matches any fact; in a subprocess, so that a regression fails this test
    instead of killing the run."""
    proc = run_python("""
        from ca_advisor.api import get_checker
        from ca_advisor.engines.durable import DurableEngine
        from ca_advisor.facts.build import build_facts
        from ca_advisor.reading.builtin import examples_dir
        from ca_advisor.reading.proposals import read_proposal_file
        checker = get_checker()
        compiled = DurableEngine(checker.book.rules)
        nothing = [{"id": "x", "type": "no-rule-matches-this", "data": {}}]
        for i in range(5000):
            assert compiled.run(nothing if i % 2 else []) == []
        raven = read_proposal_file(examples_dir() / "us-uz-2013-raven-uav.yaml").proposal
        facts = build_facts(raven, checker.plan.profiles, raven.date)
        print("ok", len(compiled.run([f.engine_payload() for f in facts])) > 0)  # the network still matches
    """)
    assert (proc.returncode, proc.stdout) == (0, "ok True\n"), proc.stderr


def test_the_sentinel_rule_is_part_of_every_compiled_rule_set(book):
    assert SENTINEL in DurableEngine(book.rules).ruleset_definition


# --- what a fact sends ------------------------------------------------------------------------

def test_a_fact_sends_the_fields_rules_read_and_of_a_total_only_the_summed_entries(book):
    """durable-rules parses every field it is sent; CA202 sums eight of the eighteen
    capabilities, so only those eight of each recipient's quantities go in."""
    recipient = DurableEngine(book.rules).network["fields"]["recipient"]
    assert recipient["transferred_quantity"] == dict.fromkeys(sorted(
        ["reconnaissance", "small-arms", "night-vision", "strike", "armour", "artillery", "combat-aircraft",
         "attack-helicopter"]))
    assert recipient["transferred_capabilities"] is None  # a whole field where a rule reads it whole


# --- actions that fail ------------------------------------------------------------------------

def test_bare_durable_rules_reports_an_action_exception_only_in_the_state():
    # In a subprocess: the state is left with its action unfinished, which must not
    # share an engine with the rest of the suite.
    proc = run_python("""
        from durable.engine import Ruleset
        seen = []
        def explode(c):
            raise ValueError("boom")
        rs = Ruleset("hazard-raises", None, {"r": {"all": [{"m": {"type": "hit"}}], "run": explode}})
        rs.do_actions(rs.assert_fact({"id": "a", "sid": "s", "type": "hit"}), lambda e, s: seen.append((e, s)))
        (error, state), = seen
        print(error is None, "exception caught boom" in state["exception"])
    """)
    assert proc.stdout.split() == ["True", "True"], proc.stderr


def test_bare_two_parameter_action_never_completes():
    proc = run_python("""
        from durable.engine import Ruleset
        seen = []
        rs = Ruleset("hazard-async", None, {"r": {"all": [{"m": {"type": "hit"}}], "run": lambda c, done: None}})
        rs.do_actions(rs.assert_fact({"id": "a", "sid": "s", "type": "hit"}), lambda e, s: seen.append(e))
        print(len(seen))
    """)
    assert proc.stdout.split() == ["0"], proc.stderr


def test_our_engine_raises_when_an_action_cannot_be_read(book, examples, monkeypatch):
    """A failure reading what fired must not become a silently missing finding."""
    import durable_rules_engine

    checker = Checker(book)
    monkeypatch.setattr(durable_rules_engine, "complete_and_start_action", lambda handle, state: '{"CA101": {}}')
    with pytest.raises(EngineError, match=r"durable-rules failed running actions for check-1: KeyError\('m'\)"):
        checker.check(examples[0])


def test_an_action_is_read_from_its_start_and_matches_reading_it_as_json(book, examples, monkeypatch):
    """An action's message repeats the fact it matched; reading it whole as JSON was a
    third of the engine's Python time.  Every message of the examples is one rule and
    one fact as sent, read from its start; what is read equals reading every message
    as JSON."""
    from ca_advisor.engines import durable
    from ca_advisor.facts.build import build_facts

    engine = DurableEngine(book.rules)
    checker = get_checker()
    payloads = [[f.engine_payload() for f in build_facts(e.proposal, checker.plan.profiles, e.proposal.date
                                                         or datetime.date(2013, 6, 1))] for e in examples]
    as_json = []
    real_loads = durable.orjson.loads
    monkeypatch.setattr(durable.orjson, "loads", lambda text: as_json.append(text) or real_loads(text))
    from_start = [engine.run(p) for p in payloads]
    assert as_json == [] and sum(map(len, from_start)) > 50
    monkeypatch.setattr(durable, "_ONE_MATCH", re.compile("(?!)"))  # never matches: every message as JSON
    assert [engine.run(p) for p in payloads] == from_start
    assert len(as_json) > 50


def test_two_facts_with_one_id_are_refused_not_merged(book):
    payload = {"id": "recipient:0", "type": "recipient", "data": {"country": "uzbekistan"}}
    with pytest.raises(EngineError, match=r"two facts of check-1 have the id 'recipient:0'"):
        DurableEngine(book.rules).run([payload, dict(payload)])


def _reads(message: str, sent: dict[str, str], monkeypatch) -> tuple[list, bool]:
    """What _matched reads of ``message``, and whether it read it as JSON."""
    from ca_advisor.engines import durable

    as_json = []
    real_loads = durable.orjson.loads
    monkeypatch.setattr(durable.orjson, "loads", lambda text: as_json.append(text) or real_loads(text))
    return durable._matched(message, sent), as_json == [message]


def test_one_rule_and_a_fact_exactly_as_sent_is_read_from_its_start(monkeypatch):
    assert _reads('{"CA101":{"m":' + FACT + '}}', {"proposal": FACT}, monkeypatch) == (
        [("CA101", "proposal")], False)


@pytest.mark.parametrize("message,sent,expected", [
    ('{"CA101":{"m":' + FACT + '},"CA102":{"m":' + FACT + '}}', {"proposal": FACT},
     [("CA101", "proposal"), ("CA102", "proposal")]),  # two rules
    ('{"CA101":{"m":' + FACT.replace(":{}", ": {}") + '}}', {"proposal": FACT}, [("CA101", "proposal")]),  # not as sent
    ('{"CA101":{"m":' + FACT + '}}', {"recipient:0": FACT}, [("CA101", "proposal")]),  # an id we did not send
    ('{"CA101":{"m":' + FACT + ',"x":1}}', {"proposal": FACT}, [("CA101", "proposal")]),  # more after the fact
])
def test_any_other_message_is_read_as_json(message, sent, expected, monkeypatch):
    assert _reads(message, sent, monkeypatch) == (expected, True)


def test_our_engine_raises_on_a_result_code_it_does_not_know(book, examples, monkeypatch):
    import durable_rules_engine

    checker = Checker(book)
    monkeypatch.setattr(durable_rules_engine, "assert_facts", lambda handle, facts: (2, 0))
    with pytest.raises(EngineError, match=r"durable-rules refused the facts of check-1 \(result code 2\)"):
        checker.check(examples[0])


# --- rulesets are freed when their engine is garbage ----------------------------------------

_GROWTH = """
    import gc, os
    from ca_advisor.api import get_checker
    from ca_advisor.engines.checker import Checker
    from ca_advisor.engines.durable import DurableEngine, _definitions
    from durable.engine import Ruleset
    book = get_checker().book
    rules = [r for r in book.rules if r.condition is not None]
    def rss():
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2 ** 20
    def bare(i):
        Ruleset(f"bare-{{i}}", None, {{n: {{**b, "run": lambda c: None}} for n, b in _definitions(rules).items()}})
    def ours(i):
        Checker(book)  # discarded at once: its ruleset is freed at the next build
    make = {make}
    make(0); gc.collect()
    before = rss()
    for i in range(1, 101):
        make(i)
    gc.collect()
    print(round(rss() - before, 1))
"""


@pytest.mark.skipif(not os.path.exists("/proc/self/statm"), reason="reads resident memory from /proc")
def test_bare_durable_rules_never_frees_a_discarded_ruleset():
    proc = run_python(_GROWTH.format(make="bare"))
    assert proc.returncode == 0, proc.stderr
    assert float(proc.stdout) > 50  # about 1 MiB for each of 100 discarded rulesets


@pytest.mark.skipif(not os.path.exists("/proc/self/statm"), reason="reads resident memory from /proc")
def test_discarded_checkers_give_their_memory_back():
    """A discarded checker's ruleset is freed (engines/durable.py): 100 of them cost
    what a few do."""
    proc = run_python(_GROWTH.format(make="ours"))
    assert proc.returncode == 0, proc.stderr
    # 100 rulesets kept would cost about 150 MiB with today's rule book (the bare test
    # above); freed ones leave allocator slack of 15-20 MiB, more on a loaded machine.
    assert float(proc.stdout) < 40


# --- error 102: an uninitialised read, not freeing -------------------------------------------

_HEAP_102 = """
    from durable.engine import Ruleset
    from ca_advisor.conditions import OPERATORS
    bare = {"$iany": {"data.l": {"$or": [{"$i": "a"}, {"$i": "b"}]}}}
    ours = [OPERATORS["includes_any"].compile("data.l", ["a", "b"]), OPERATORS["only"].compile("data.l", ["a", "b"])]
    tests = CHOICE
    refused = 0
    for i in range(40):
        junk = [b"\\x0c" * (n * 64) for n in range(1, 200)]  # freed memory full of 0x0C (JSON_EXPRESSION)
        del junk
        try:
            Ruleset(f"r{i}", None, {f"t{n}": {"all": [{"m": {"$and": [{"type": "t"}, test]}}], "run": lambda c: None}
                                    for n, test in enumerate(tests)})
        except Exception as exc:
            assert "error code: 102" in str(exc), exc
            refused += 1
    print(refused)
"""


def test_error_102_is_an_uninitialised_read_of_an_or_inside_a_list_test():
    """rete.c reads right.type of the node an $iany's inner expression returns; for an
    $or that node's right is never set, so the build fails whenever the heap holds
    0x09 or 0x0C there.  Filling freed memory with 0x0C makes it happen at will."""
    proc = run_python(_HEAP_102.replace("CHOICE", "[bare]"))
    assert proc.returncode == 0, proc.stderr
    assert int(proc.stdout) > 20  # most of 40 builds


def test_the_compiled_operators_never_read_it():
    """includes_any is an $or of $iany tests, and only ends its inner $and with a test
    that always holds: the same 40 builds all succeed."""
    proc = run_python(_HEAP_102.replace("CHOICE", "ours"))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["0"]
