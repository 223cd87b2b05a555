"""The two engines give identical findings: durable-rules (where it imports) and the
condition language's own evaluator (the engine on Python 3.13 and later).

Compared on every fixture case of every built-in rule, every bundled example and a
fuzz corpus of generated proposals: first what fired (rule, fact, CA602 field), then
the whole check result as every output format prints it.  Where durable-rules does
not import, the native engine is still held to the fixtures' expectations by
``rules test`` and tests/test_rule_fixtures.py.
"""

from __future__ import annotations

import datetime
import importlib.util
from pathlib import Path

import pytest
from hypothesis import given, settings
from test_fuzz import SETTINGS, near_valid, proposals

from ca_advisor.api import get_checker
from ca_advisor.authoring.cases import load_fixtures
from ca_advisor.engines import DURABLE, NATIVE, default_engine, durable_available
from ca_advisor.facts.build import build_facts
from ca_advisor.model.errors import InputErrors
from ca_advisor.portfolio.check import check_portfolio
from ca_advisor.portfolio.facts import build_portfolio_facts
from ca_advisor.portfolio.package import package_of
from ca_advisor.reading.builtin import builtin_rules_dir, examples_dir
from ca_advisor.reading.proposals import proposal_from_mapping, read_proposal_file
from ca_advisor.rulebook.load import FIXTURES_DIR

pytestmark = pytest.mark.skipif(durable_available() is not None, reason=str(durable_available()))

ALL_CASES = [(fixture.rule, case) for path in sorted((builtin_rules_dir() / FIXTURES_DIR).glob("*.yaml"))
             for fixture in [load_fixtures(path)[1]] for case in fixture.cases]
CASES = [(rule, case) for rule, case in ALL_CASES if case.proposal is not None]
PORTFOLIO_CASES = [(rule, case) for rule, case in ALL_CASES if case.proposals is not None]
EXAMPLES = sorted(examples_dir().glob("*.yaml"))


@pytest.fixture(scope="module")
def engines():
    return get_checker(engine=DURABLE), get_checker(engine=NATIVE)


def assert_same(engines, loaded, as_of=None) -> None:
    durable, native = engines
    date = as_of or loaded.proposal.date or datetime.date.today()
    facts = build_facts(loaded.proposal, durable.book.profiles, date)
    payloads = [f.engine_payload() for f in facts]
    assert set(native.compiled.run(payloads)) == set(durable.compiled.run(payloads))
    assert native.check(loaded, as_of=as_of) == durable.check(loaded, as_of=as_of)


def test_each_checker_says_which_engine_it_is(engines):
    assert [c.engine for c in engines] == [DURABLE, NATIVE]
    assert default_engine() in (DURABLE, NATIVE)


@pytest.mark.parametrize("rule_id,case", CASES, ids=[f"{r}-{c.expect}-{c.name}" for r, c in CASES])
def test_identical_on_every_fixture_case(engines, rule_id, case):
    assert_same(engines, proposal_from_mapping(case.proposal, file=case.name), case.as_of)


@pytest.mark.parametrize("rule_id,case", PORTFOLIO_CASES, ids=[f"{r}-{c.expect}-{c.name}" for r, c in PORTFOLIO_CASES])
def test_identical_on_every_portfolio_fixture_case(engines, rule_id, case):
    durable, native = engines
    packages = [package_of(proposal_from_mapping(p, file=f"{case.name}[{i}]")) for i, p in enumerate(case.proposals)]
    built = build_portfolio_facts([p for p in packages if p.in_play(case.as_of)], durable.book.profiles, case.as_of)
    payloads = [f.engine_payload() for f in built.facts]
    fired = set(durable.compiled.run(payloads))
    assert set(native.compiled.run(payloads)) == fired
    assert (rule_id in {m.rule_id for m in fired}) == (case.expect == "fire")
    assert check_portfolio(native, packages, as_of=case.as_of) == check_portfolio(durable, packages, as_of=case.as_of)


def test_identical_on_the_examples_as_portfolios(engines):
    durable, native = engines
    packages = [package_of(read_proposal_file(path)) for path in EXAMPLES]
    for year in range(2010, 2016):
        as_of = datetime.date(year, 9, 1)
        assert check_portfolio(native, packages, as_of=as_of) == check_portfolio(durable, packages, as_of=as_of)


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_identical_on_every_example(engines, path):
    assert_same(engines, read_proposal_file(path))


@settings(SETTINGS, max_examples=300)
@given(proposals())
def test_identical_on_generated_proposals(engines, p):
    assert_same(engines, proposal_from_mapping(p))


@SETTINGS
@given(near_valid())
def test_identical_on_near_valid_proposals_that_load(engines, p):
    try:
        loaded = proposal_from_mapping(p)
    except InputErrors:
        return  # refused before any engine runs
    assert_same(engines, loaded)



def test_identical_on_generated_portfolios(engines, tmp_path):
    """400 generated proposals (benchmarks/generate.py, fixed seed) as portfolios at four dates."""
    spec = importlib.util.spec_from_file_location(
        "bench_generate", Path(__file__).resolve().parent.parent / "benchmarks" / "generate.py")
    generate = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generate)
    durable, native = engines
    packages = [package_of(read_proposal_file(path)) for path in generate.write_proposals(tmp_path, 400)]
    for year in (2009, 2011, 2013, 2015):
        as_of = datetime.date(year, 6, 1)
        built = build_portfolio_facts([p for p in packages if p.in_play(as_of)], durable.book.profiles, as_of)
        payloads = [f.engine_payload() for f in built.facts]
        assert set(native.compiled.run(payloads)) == set(durable.compiled.run(payloads))
        assert check_portfolio(native, packages, as_of=as_of) == check_portfolio(durable, packages, as_of=as_of)
