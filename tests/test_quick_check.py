"""``check FILE`` without pydantic (cli/quick_check.py): the same output, byte for byte,
and the same exit status as the full path, on every example, fixture case and a
generated corpus, in every format it takes; and everything it does not take given
back before anything is written.

Both paths run through the command line in this process: the full path with
``CA_ADVISOR_CACHE_DIR=off`` (no kept plan, so the quick path gives the run back),
the quick path with a plan kept in a directory of the test.
"""

from __future__ import annotations

import datetime
import json
import os
import subprocess
import sys
from collections import OrderedDict
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from test_fast_path import CASES, EXAMPLES

from ca_advisor import api
from ca_advisor.cli import main, quick_check
from ca_advisor.engines import durable_available
from ca_advisor.engines import plan_cache as pc
from ca_advisor.rulebook.config import Config

pytestmark = pytest.mark.skipif(durable_available() is not None,
                                reason="the quick path runs on durable-rules only, which does not import here")

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
import generate  # noqa: E402

FORMATS = [[], ["--format", "json"], ["--format", "compact"], ["--verbose"]]


@pytest.fixture
def plans(tmp_path, monkeypatch) -> Path:
    """Run in an empty directory (no config above it), with plans kept in one."""
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    monkeypatch.setenv(pc.ENV, str(tmp_path / "plans"))
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.setattr(api, "_cache", OrderedDict())  # not a checker of an earlier test: load, and keep a plan
    run(["check", str(EXAMPLES[0])])  # the first run keeps the plan
    assert len(list((tmp_path / "plans").glob("plan-*.json"))) == 1
    return tmp_path / "plans"


@pytest.fixture
def taken(monkeypatch) -> list:
    """The exit status of every run the quick path took (None: given back)."""
    statuses, real = [], quick_check.quick_check

    def recording(*args, **kwargs):
        statuses.append(real(*args, **kwargs))
        return statuses[-1]

    monkeypatch.setattr(quick_check, "quick_check", recording)
    return statuses


def run(args: list[str], **env: str):
    result = CliRunner().invoke(main, args, env=env or None)
    return result.exit_code, result.stdout, result.stderr


def assert_alike(args: list[str], taken: list, expect_taken: bool = True) -> tuple[int, str]:
    before = len(taken)
    quick = run(args)
    full = run(args, CA_ADVISOR_CACHE_DIR="off")
    assert quick == full, args
    assert (taken[before:] != [None] * (len(taken) - before)) == expect_taken, args
    return quick[0], quick[1]


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_every_example_alike_in_every_format(plans, taken, path):
    for options in FORMATS:
        assert_alike(["check", str(path), *options], taken)
    assert_alike(["check", str(path), "--as-of", "2022-03-01", "--fail-on", "info"], taken)
    assert_alike(["check", str(path), "--stale-after", "0", "--format", "json"], taken)


def test_every_fixture_case_alike(plans, taken, tmp_path):
    statuses = set()
    for rule_id, case in CASES:
        path = tmp_path / f"{rule_id}-{case.name}.yaml"
        path.write_text(yaml.safe_dump(case.proposal, sort_keys=False), encoding="utf-8")
        as_of = ["--as-of", str(case.as_of)] if case.as_of else []
        statuses.add(assert_alike(["check", str(path), "--format", "json", *as_of], taken)[0])
        assert_alike(["check", str(path), *as_of], taken)
    assert statuses == {0, 1}


def test_a_generated_corpus_alike(plans, taken, tmp_path):
    for path in generate.write_proposals(tmp_path / "corpus", 60, seed=91):
        assert_alike(["check", str(path), "--format", "json"], taken)
        assert_alike(["check", str(path), "--format", "compact", "--fail-on", "error"], taken)


def test_colour_alike(plans, taken):
    assert_alike(["check", str(EXAMPLES[0]), "--color", "always"], taken)


@pytest.mark.parametrize("fmt", ["json", "text"])
def test_output_to_a_file_alike(plans, taken, tmp_path, fmt):
    written = {}
    for env in ({}, {"CA_ADVISOR_CACHE_DIR": "off"}):
        target = tmp_path / f"report-{len(written)}.out"
        assert run(["check", str(EXAMPLES[0]), "--format", fmt, "--output", str(target)], **env) == (1, "", "")
        written[len(written)] = target.read_bytes()
    assert written[0] == written[1] and taken == [1, None]  # the quick path wrote the first


def test_output_onto_the_proposal_is_given_back_and_refused(plans, taken, tmp_path):
    proposal = tmp_path / "p.yaml"
    proposal.write_bytes(EXAMPLES[0].read_bytes())
    status, _ = assert_alike(["check", str(proposal), "--output", str(proposal)], taken, expect_taken=False)
    assert status == 2 and proposal.read_bytes() == EXAMPLES[0].read_bytes()


@pytest.mark.parametrize("broken", [
    "format: ca-advisor/proposal/v1\nid: [unclosed\n",  # not YAML
    "format: ca-advisor/proposal/v1\nid: p\n",  # fields missing
    "id: p\ntitle: no format marker\n",
])
def test_a_proposal_with_a_problem_is_given_back_and_worded_by_the_model(plans, taken, tmp_path, broken):
    path = tmp_path / "broken.yaml"
    path.write_text(broken, encoding="utf-8")
    status, out = assert_alike(["check", str(path)], taken, expect_taken=False)
    assert status == 2


def test_forms_only_the_model_takes_are_given_back_and_checked(plans, taken, tmp_path):
    data = yaml.safe_load(EXAMPLES[0].read_text(encoding="utf-8"))
    data["date"] = "2013-05-01"  # text: the model reads it as a date
    path = tmp_path / "quoted-date.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    assert_alike(["check", str(path), "--format", "json"], taken, expect_taken=False)


@pytest.mark.parametrize("options", [["--format", "sarif"], ["--format", "markdown"], ["--select", "CA101"],
                                     ["--ignore", "CA101"], ["--min-severity", "error"], ["--pack",
                                     "public-record-2014"]])
def test_options_that_change_the_rule_book_or_the_format_are_given_back(plans, taken, options):
    assert_alike(["check", str(EXAMPLES[0]), *options], taken, expect_taken=False)
    assert taken == []  # never even tried


def test_a_config_file_waivers_or_several_files_are_given_back(plans, taken, tmp_path):
    assert_alike(["check", str(EXAMPLES[0]), str(EXAMPLES[1])], taken, expect_taken=False)
    assert_alike(["check", str(EXAMPLES[0].parent)], taken, expect_taken=False)
    waivers = tmp_path / "waivers.yaml"
    waivers.write_text("waivers: []\n", encoding="utf-8")
    assert_alike(["check", str(EXAMPLES[0]), "--waivers", str(waivers)], taken, expect_taken=False)
    Path("ca-advisor.yaml").write_text("fail_on: error\n", encoding="utf-8")
    assert_alike(["check", str(EXAMPLES[0])], taken, expect_taken=False)
    assert taken == []


def test_without_a_kept_plan_the_full_path_runs_and_keeps_one(taken, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(api, "_cache", OrderedDict())
    monkeypatch.setenv(pc.ENV, str(tmp_path / "plans"))
    first = run(["check", str(EXAMPLES[0]), "--format", "json"])
    assert taken == [None]
    assert run(["check", str(EXAMPLES[0]), "--format", "json"]) == first and taken[1] is not None


def test_the_default_configuration_key_is_the_default_config_s():
    assert pc.DEFAULT_CONFIG_KEY == repr(Config().cache_key())


def test_a_quick_check_imports_no_pydantic(tmp_path):
    """In a fresh process, as a user runs it: pydantic is never imported, and the
    report is the full path's."""
    code = ("import sys\nfrom ca_advisor.cli import main\n"
            "try:\n    main()\nexcept SystemExit as exc:\n"
            "    print(exc.code, 'pydantic' in sys.modules, file=sys.stderr)\n")
    env = {**os.environ, pc.ENV: str(tmp_path / "plans")}

    def check(*options: str) -> tuple[str, str]:
        done = subprocess.run([sys.executable, "-c", code, "check", str(EXAMPLES[0]), *options],
                              capture_output=True, text=True, env=env, cwd=tmp_path)
        return done.stdout, done.stderr

    full_json, full_said = check("--format", "json")  # keeps the plan
    quick_json, quick_said = check("--format", "json")
    assert full_json == quick_json and json.loads(quick_json)["run"]["files"] == 1
    assert (full_said, quick_said) == ("1 True\n", "1 False\n")
    assert check()[1] == "1 False\n"  # text too


def test_as_of_dates_the_check_alike(plans, taken):
    today = datetime.date.today().isoformat()
    assert_alike(["check", str(EXAMPLES[0]), "--as-of", today, "--format", "json"], taken)
