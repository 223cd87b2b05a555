"""Check plans kept on disk (engines/plan_cache.py): a plan read back checks as its rule
book does, and a plan is used only for the content it was made from.

The differential half: every bundled example, every fixture case of every built-in
rule and a generated corpus, checked by a checker made from the rule book and by one
made from its plan written as JSON and read back (with and without the shipped pack),
give the same plain results.  The cache half: a second process reads the plan
instead of loading the rule book; an edited rule, profile or pack file, another
configuration or a broken plan file means loading the book; ``off`` writes nothing;
a cache that cannot be written costs nothing but time.
"""

from __future__ import annotations

import datetime
import json
import os
import subprocess
import sys
from pathlib import Path

import orjson
import pytest

from ca_advisor.api import get_checker
from ca_advisor.engines import durable_available
from ca_advisor.engines import plan_cache as pc
from ca_advisor.engines.checker import Checker
from ca_advisor.engines.plan import CheckPlan
from ca_advisor.reading.builtin import builtin_profiles_dir, builtin_rules_dir, examples_dir
from ca_advisor.reading.proposals import proposal_from_mapping, read_proposal_file
from ca_advisor.rulebook.config import Config
from ca_advisor.rulebook.load import load_configured_rulebook
from ca_advisor.rulebook.packs import ref_from_option, resolve_refs

pytestmark = pytest.mark.skipif(durable_available() is not None,
                                reason="plans are kept for durable-rules only, which does not import here")

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
import generate  # noqa: E402
from test_checker_cache import PROPOSAL, RULE  # noqa: E402
from test_fast_path import CASES, EXAMPLES  # noqa: E402

LATER = datetime.date(2022, 3, 1)  # past most facts' evidence: stale findings too


def read_back(checker: Checker) -> Checker:
    """A checker from ``checker``'s plan, written as JSON and read back (as the cache does)."""
    plan = CheckPlan.from_data(orjson.loads(orjson.dumps(checker.plan.to_data())))
    return Checker.from_plan(plan, lambda: checker.book)


def book_for(config: Config):
    return load_configured_rulebook(builtin_rules_dir(), builtin_profiles_dir(), config)


def with_pack() -> Config:
    return Config(packs=resolve_refs([ref_from_option("public-record-2014")], Path.cwd(), None))


@pytest.fixture(scope="module", params=["builtin", "public-record-2014"])
def both(request) -> tuple[Checker, Checker]:
    config = Config() if request.param == "builtin" else with_pack()
    checker = Checker(book_for(config), engine="durable-rules")
    return checker, read_back(checker)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> list[Path]:
    directory = tmp_path_factory.mktemp("corpus")
    generate.write_proposals(directory, 200, seed=53)
    return sorted(directory.glob("*.yaml"))


def test_every_example_alike(both):
    checker, from_plan = both
    for path in EXAMPLES:
        loaded = read_proposal_file(path)
        for as_of in (None, LATER):
            assert from_plan.check_data(loaded, as_of=as_of) == checker.check_data(loaded, as_of=as_of), path


def test_every_fixture_case_alike(both):
    checker, from_plan = both
    for rule_id, case in CASES:
        loaded = proposal_from_mapping(case.proposal, file=case.name)
        assert from_plan.check_data(loaded, as_of=case.as_of) == checker.check_data(loaded, as_of=case.as_of), \
            (rule_id, case.name)


def test_a_generated_corpus_alike(both, corpus):
    checker, from_plan = both
    found = 0
    for path in corpus:
        loaded = read_proposal_file(path)
        result = from_plan.check_data(loaded, as_of=LATER)
        assert result == checker.check_data(loaded, as_of=LATER), path
        found += len(result["findings"])
    assert found > 500  # the corpus does make findings to compare


def test_the_run_constants_alike(both):
    checker, from_plan = both
    assert from_plan.plan.to_data() == checker.plan.to_data()
    assert from_plan.engine == checker.engine == "durable-rules"


def test_a_plan_from_the_cache_loads_its_rule_book_only_when_asked(tmp_path, monkeypatch):
    monkeypatch.setenv(pc.ENV, str(tmp_path))
    loads = []

    def load():
        loads.append(1)
        return book_for(Config())

    first = pc.cached_checker([builtin_rules_dir(), builtin_profiles_dir()], Config(), load)
    assert loads == [1] and len(list(tmp_path.glob("plan-*.json"))) == 1
    second = pc.cached_checker([builtin_rules_dir(), builtin_profiles_dir()], Config(), load)
    assert loads == [1]  # read from the plan
    loaded = read_proposal_file(examples_dir() / "us-uz-2013-raven-uav.yaml")
    assert second.check_data(loaded) == first.check_data(loaded)
    assert second.book.get("CA101") is not None and loads == [1, 1]  # the book, when asked for
    assert second.book is second.book and loads == [1, 1]


def test_the_plan_file_is_json_holding_its_key(tmp_path, monkeypatch):
    monkeypatch.setenv(pc.ENV, str(tmp_path))
    pc.cached_checker([builtin_rules_dir(), builtin_profiles_dir()], Config(), lambda: book_for(Config()))
    [path] = tmp_path.glob("plan-*.json")
    data = json.loads(path.read_text(encoding="utf-8"))
    assert path.name == f"plan-{data['key']}.json" and data["plan"]["format"] == 2


def test_the_key_changes_when_durable_rules_is_replaced_in_place(tmp_path, monkeypatch):
    import durable_rules_engine

    engine = tmp_path / "durable_rules_engine.so"
    engine.write_bytes(b"one build")
    monkeypatch.setattr(durable_rules_engine, "__file__", str(engine))
    key = pc.plan_key([builtin_rules_dir()], Config())
    engine.write_bytes(b"another build")  # the same path, another size
    assert pc.plan_key([builtin_rules_dir()], Config()) != key


def copy_dirs(tmp_path: Path) -> tuple[Path, Path]:
    rules, profiles = tmp_path / "rules", tmp_path / "profiles"
    for source, target in ((builtin_rules_dir(), rules), (builtin_profiles_dir(), profiles)):
        target.mkdir()
        for path in source.glob("*.yaml"):
            (target / path.name).write_bytes(path.read_bytes())
    return rules, profiles


def test_the_key_changes_with_the_content_of_any_file_and_the_configuration(tmp_path):
    rules, profiles = copy_dirs(tmp_path)
    key = pc.plan_key([rules, profiles], Config())
    assert pc.plan_key([rules, profiles], Config()) == key
    assert pc.plan_key([rules, profiles], Config(ignore=("CA101",))) != key
    assert pc.plan_key([rules, profiles], with_pack()) != key
    for path in (rules / "CA101.yaml", profiles / "uzbekistan.yaml", profiles / "sources.yaml"):
        text = path.read_bytes()
        path.write_bytes(text + b"\n# an edit\n")
        assert pc.plan_key([rules, profiles], Config()) != key, path
        os.utime(path, ns=(1, 1))  # the same size and time as any other edit: only the content tells
        path.write_bytes(text)
        assert pc.plan_key([rules, profiles], Config()) == key
    (rules / "CA999.yaml").write_text("added: a file\n", encoding="utf-8")
    assert pc.plan_key([rules, profiles], Config()) != key


def test_an_edited_rule_is_checked_as_edited_in_a_new_process(tmp_path):
    """End to end, as a user meets it: the second run reads the plan, the run after an
    edit reads the edit."""
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "XX100.yaml").write_text(RULE.replace("{message}", "first wording"), encoding="utf-8")
    (tmp_path / "ca-advisor.yaml").write_text("rules: [rules]\n", encoding="utf-8")
    (tmp_path / "p.yaml").write_text(PROPOSAL, encoding="utf-8")
    env = {**os.environ, pc.ENV: str(tmp_path / "cache")}

    def messages() -> list[str]:
        run = subprocess.run([sys.executable, "-c", "from ca_advisor.cli import main; main()", "check", "--format",
                              "json", "p.yaml"], capture_output=True, text=True, cwd=tmp_path, env=env)
        assert run.returncode == 1, run.stderr
        findings = [f for r in json.loads(run.stdout)["results"] for f in r["findings"]]
        return [f["message"] for f in findings if f["rule_id"] == "XX100"]

    assert messages() == ["first wording"]
    assert len(list((tmp_path / "cache").glob("plan-*.json"))) == 1
    assert messages() == ["first wording"]
    assert len(list((tmp_path / "cache").glob("plan-*.json"))) == 1
    (rules / "XX100.yaml").write_text(RULE.replace("{message}", "second wording"), encoding="utf-8")
    assert messages() == ["second wording"]
    assert len(list((tmp_path / "cache").glob("plan-*.json"))) == 2


@pytest.mark.parametrize("content", [b"", b"not json", b'{"key": "other", "plan": {}}', b'{"key": "KEY"}',
                                     b'{"key": "KEY", "plan": {"format": 99}}', b"[1, 2]"])
def test_a_plan_file_that_does_not_read_back_is_ignored_and_replaced(tmp_path, monkeypatch, content):
    monkeypatch.setenv(pc.ENV, str(tmp_path))
    dirs = [builtin_rules_dir(), builtin_profiles_dir()]
    key = pc.plan_key(dirs, Config())
    path = tmp_path / f"plan-{key}.json"
    path.write_bytes(content.replace(b"KEY", key.encode()))
    loads = []
    checker = pc.cached_checker(dirs, Config(), lambda: loads.append(1) or book_for(Config()))
    assert loads == [1] and checker.plan.durable is not None
    assert json.loads(path.read_bytes())["key"] == key  # replaced by a good one


def test_off_neither_reads_nor_writes(tmp_path, monkeypatch):
    monkeypatch.setenv(pc.ENV, "off")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setenv("HOME", str(tmp_path))
    assert pc.cache_dir() is None
    pc.cached_checker([builtin_rules_dir(), builtin_profiles_dir()], Config(), lambda: book_for(Config()))
    assert list(tmp_path.rglob("*")) == []


def test_the_default_directory(monkeypatch, tmp_path):
    monkeypatch.delenv(pc.ENV, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert pc.cache_dir() == tmp_path / "xdg" / "ca-advisor"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path))
    assert pc.cache_dir() == tmp_path / ".cache" / "ca-advisor"


def test_a_cache_that_cannot_be_written_costs_only_time(tmp_path, monkeypatch):
    blocked = tmp_path / "a-file"
    blocked.write_text("not a directory\n", encoding="utf-8")
    monkeypatch.setenv(pc.ENV, str(blocked / "cache"))
    checker = pc.cached_checker([builtin_rules_dir(), builtin_profiles_dir()], Config(), lambda: book_for(Config()))
    loaded = read_proposal_file(examples_dir() / "us-uz-2013-raven-uav.yaml")
    assert checker.check_data(loaded)["findings"]


def test_only_the_newest_plans_are_kept(tmp_path, monkeypatch):
    monkeypatch.setenv(pc.ENV, str(tmp_path))
    plan = get_checker().plan
    for n in range(pc.KEEP + 3):
        pc.write_plan(tmp_path, f"{n:064x}", plan)
        os.utime(tmp_path / f"plan-{n:064x}.json", ns=(n * 10**9, n * 10**9))
    pc.write_plan(tmp_path, "f" * 64, plan)
    kept = sorted(p.name for p in tmp_path.glob("plan-*.json"))
    assert len(kept) == pc.KEEP and f"plan-{'f' * 64}.json" in kept and f"plan-{0:064x}.json" not in kept


def test_a_plan_that_no_longer_builds_loads_the_rule_book(tmp_path, monkeypatch):
    monkeypatch.setenv(pc.ENV, str(tmp_path))
    dirs = [builtin_rules_dir(), builtin_profiles_dir()]
    pc.cached_checker(dirs, Config(), lambda: book_for(Config()))
    [path] = tmp_path.glob("plan-*.json")
    data = json.loads(path.read_bytes())
    data["plan"]["durable"]["definition"]["CA101"] = {"all": "not a list of conditions"}  # error 204
    path.write_text(json.dumps(data), encoding="utf-8")
    loads = []
    checker = pc.cached_checker(dirs, Config(), lambda: loads.append(1) or book_for(Config()))
    assert loads == [1] and checker.plan.durable["definition"]["CA101"] != {"all": "not a list of conditions"}


def test_get_checker_uses_the_plan_in_a_new_process(tmp_path):
    """Through the API, as a fresh process meets it: no rule file is validated."""
    code = ("import sys; from ca_advisor.rulebook import load; calls = []; real = load.load_configured_rulebook\n"
            "load.load_configured_rulebook = lambda *a: calls.append(1) or real(*a)\n"
            "from ca_advisor.api import check_paths\n"
            f"r = check_paths([{str(examples_dir() / 'us-uz-2013-raven-uav.yaml')!r}])\n"
            "print(len(calls), len(r.results[0].findings))")
    env = {**os.environ, pc.ENV: str(tmp_path)}
    runs = [subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=tmp_path)
            for _ in range(2)]
    assert [r.stderr for r in runs] == ["", ""]
    (first_loads, findings), (second_loads, again) = (r.stdout.split() for r in runs)
    assert (first_loads, second_loads) == ("1", "0") and findings == again != "0"


def test_a_batch_written_to_a_file_does_not_load_the_rule_book(tmp_path, monkeypatch):
    """``--output`` guards the run's inputs, rule files among them: named by the plan,
    not by loading the book."""
    from collections import OrderedDict

    from click.testing import CliRunner

    from ca_advisor import api
    from ca_advisor.cli import main
    from ca_advisor.rulebook import load

    monkeypatch.setenv(pc.ENV, str(tmp_path / "plans"))
    monkeypatch.chdir(tmp_path)
    args = ["check", str(examples_dir()), "--format", "json", "--fail-on", "never", "-j", "1"]
    monkeypatch.setattr(api, "_cache", OrderedDict())
    assert CliRunner().invoke(main, [*args, "--output", "first.json"]).exit_code == 0  # keeps the plan
    calls, real = [], load.load_configured_rulebook
    monkeypatch.setattr(load, "load_configured_rulebook", lambda *a: calls.append(1) or real(*a))
    monkeypatch.setattr(api, "_cache", OrderedDict())
    assert CliRunner().invoke(main, [*args, "--output", "second.json"]).exit_code == 0
    assert calls == [] and (tmp_path / "first.json").read_bytes() == (tmp_path / "second.json").read_bytes()
    rule = next(builtin_rules_dir().glob("CA*.yaml"))
    refused = CliRunner().invoke(main, [*args, "--output", str(rule)])
    assert refused.exit_code == 2 and "is one of the inputs" in refused.stderr and calls == []


def test_the_key_changes_with_ca_advisor_s_own_source(tmp_path, monkeypatch):
    """An edited checker never reads a plan made by other code."""
    package = tmp_path / "ca_advisor"
    (package / "engines").mkdir(parents=True)
    source = package / "engines" / "checker.py"
    source.write_text("x = 1\n", encoding="utf-8")
    (package / "__pycache__").mkdir()
    monkeypatch.setattr(pc, "_PACKAGE", package)
    key = pc.content_key([builtin_rules_dir()], "()")
    (package / "__pycache__" / "checker.cpython-311.pyc").write_bytes(b"compiled")
    assert pc.content_key([builtin_rules_dir()], "()") == key  # bytecode is not source
    source.write_text("x = 2\n", encoding="utf-8")
    os.utime(source, ns=(1, 1))
    edited = pc.content_key([builtin_rules_dir()], "()")
    assert edited != key
    (package / "engines" / "new.py").write_text("", encoding="utf-8")
    assert pc.content_key([builtin_rules_dir()], "()") not in (key, edited)
