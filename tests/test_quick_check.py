"""The quick route of ``check`` (cli/quick_check.py: no config, the kept plan, no
pydantic for valid proposals): the same output, byte for byte, and the same exit
status as the full route, on every example, fixture case and a generated corpus, in
every format, one file or many, in one process or in workers; and the runs it must
not take (a config, waivers, options that change the rule book) never tried.

Both routes run through the command line in this process: the full route with
``CA_ADVISOR_CACHE_DIR=off`` (no kept plan, so the quick route is not taken), the
quick route with a plan kept in a directory of the test.
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
    """For every run that may take the quick route, whether it did (a setup from the
    kept plan, or None)."""
    routes, real = [], quick_check.kept_plan_setup

    def recording(*args, **kwargs):
        setup = real(*args, **kwargs)
        routes.append(setup is not None)
        return setup

    monkeypatch.setattr(quick_check, "kept_plan_setup", recording)
    return routes


def run(args: list[str], **env: str):
    result = CliRunner().invoke(main, args, env=env or None)
    return result.exit_code, result.stdout, result.stderr


def assert_alike(args: list[str], taken: list, expect_taken: bool = True) -> tuple[int, str]:
    before = len(taken)
    quick = run(args)
    full = run(args, CA_ADVISOR_CACHE_DIR="off")
    assert quick == full, args
    if expect_taken:
        assert taken[before:] == [True, False], args  # the full route's run found no plan
    else:
        assert taken[before:] == [], args  # never tried
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
    assert written[0] == written[1] and taken == [True, False]  # the quick route wrote the first


def test_output_onto_the_proposal_is_refused(plans, taken, tmp_path):
    proposal = tmp_path / "p.yaml"
    proposal.write_bytes(EXAMPLES[0].read_bytes())
    status, _ = assert_alike(["check", str(proposal), "--output", str(proposal)], taken)
    assert status == 2 and proposal.read_bytes() == EXAMPLES[0].read_bytes()
    status, _ = assert_alike(["check", str(tmp_path), "--output", str(proposal)], taken)
    assert status == 2 and proposal.read_bytes() == EXAMPLES[0].read_bytes()


@pytest.mark.parametrize("broken", [
    "format: ca-advisor/proposal/v1\nid: [unclosed\n",  # not YAML
    "format: ca-advisor/proposal/v1\nid: p\n",  # fields missing
    "id: p\ntitle: no format marker\n",
])
def test_a_proposal_with_a_problem_is_worded_by_the_model(plans, taken, tmp_path, broken):
    path = tmp_path / "broken.yaml"
    path.write_text(broken, encoding="utf-8")
    status, out = assert_alike(["check", str(path)], taken)
    assert status == 2


def test_forms_only_the_model_takes_are_checked_alike(plans, taken, tmp_path):
    data = yaml.safe_load(EXAMPLES[0].read_text(encoding="utf-8"))
    data["date"] = "2013-05-01"  # text: the model reads it as a date
    path = tmp_path / "quoted-date.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    status, out = assert_alike(["check", str(path), "--format", "json"], taken)
    assert status == 1 and json.loads(out)["results"][0]["as_of"] == "2013-05-01"


@pytest.mark.parametrize("fmt", ["sarif", "junit", "markdown", "github", "html"])
def test_the_formats_written_from_the_models_alike(plans, taken, fmt):
    assert_alike(["check", str(EXAMPLES[0]), str(EXAMPLES[1]), "--format", fmt], taken)


@pytest.mark.parametrize("options", [["--select", "CA101"], ["--ignore", "CA101"], ["--min-severity", "error"],
                                     ["--pack", "public-record-2014"]])
def test_options_that_change_the_rule_book_never_try_it(plans, taken, options):
    assert_alike(["check", str(EXAMPLES[0]), *options], taken, expect_taken=False)


def test_a_config_file_or_waivers_never_try_it(plans, taken, tmp_path):
    waivers = tmp_path / "waivers.yaml"
    waivers.write_text("waivers: []\n", encoding="utf-8")
    assert_alike(["check", str(EXAMPLES[0]), "--waivers", str(waivers)], taken, expect_taken=False)
    Path("ca-advisor.yaml").write_text("fail_on: error\n", encoding="utf-8")
    assert_alike(["check", str(EXAMPLES[0])], taken, expect_taken=False)


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_directory_alike_in_one_process_and_in_workers(plans, taken, tmp_path, jobs):
    corpus = tmp_path / "corpus"
    generate.write_proposals(corpus, 70, seed=17)
    (corpus / "ca-advisor-notes.yaml").write_text("notes: not a proposal\n", encoding="utf-8")  # skipped
    for options in FORMATS:
        status, out = assert_alike(["check", str(corpus), "-j", jobs, *options], taken)
    report = json.loads(assert_alike(["check", str(corpus), "-j", jobs, "--format", "json"], taken)[1])
    assert (report["run"]["files"], len(report["run"]["skipped"]), report["errors"]) == (70, 1, [])
    (corpus / "broken.yaml").write_text("format: ca-advisor/proposal/v1\nid: p\n", encoding="utf-8")
    for options in FORMATS:
        status, out = assert_alike(["check", str(corpus), "-j", jobs, *options], taken)
        assert status == 2


def test_several_files_and_standard_input_alike(plans, taken):
    for options in FORMATS:
        assert_alike(["check", str(EXAMPLES[0]), str(EXAMPLES[1]), *options], taken)
    before = len(taken)
    stdin = EXAMPLES[0].read_text(encoding="utf-8")
    quick = CliRunner().invoke(main, ["check", "-", "--format", "json"], input=stdin)
    full = CliRunner().invoke(main, ["check", "-", "--format", "json"], input=stdin,
                              env={"CA_ADVISOR_CACHE_DIR": "off"})
    assert (quick.exit_code, quick.stdout) == (full.exit_code, full.stdout)
    assert quick.exit_code == 1 and json.loads(quick.stdout)["run"]["files"] == 1
    assert taken[before:] == [True, False] and '"file": "<stdin>"' in quick.stdout


def test_without_a_kept_plan_the_full_route_runs_and_keeps_one(taken, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(api, "_cache", OrderedDict())
    monkeypatch.setenv(pc.ENV, str(tmp_path / "plans"))
    first = run(["check", str(EXAMPLES[0]), "--format", "json"])
    assert taken == [False]
    assert run(["check", str(EXAMPLES[0]), "--format", "json"]) == first and taken == [False, True]


def test_the_default_configuration_key_is_the_default_config_s():
    assert pc.DEFAULT_CONFIG_KEY == repr(Config().cache_key())


def test_the_quick_route_imports_no_pydantic_for_valid_proposals(tmp_path):
    """In a fresh process, as a user runs it: pydantic is never imported for valid
    proposals, one or many, in any format the route writes from plain data; a file
    with a problem brings it in to word the problem.  The report is the full route's."""
    code = ("import sys\nfrom ca_advisor.cli import main\n"
            "try:\n    main()\nexcept SystemExit as exc:\n"
            "    print(exc.code, sys.modules.get('pydantic') is not None, file=sys.stderr)\n")
    env = {**os.environ, pc.ENV: str(tmp_path / "plans")}

    def check(*args: str) -> tuple[str, str]:
        done = subprocess.run([sys.executable, "-c", code, "check", *args],
                              capture_output=True, text=True, env=env, cwd=tmp_path)
        return done.stdout, done.stderr

    full_json, full_said = check(str(EXAMPLES[0]), "--format", "json")  # keeps the plan
    quick_json, quick_said = check(str(EXAMPLES[0]), "--format", "json")
    assert full_json == quick_json and json.loads(quick_json)["run"]["files"] == 1
    assert (full_said, quick_said) == ("1 True\n", "1 False\n")
    assert check(str(EXAMPLES[0]))[1] == "1 False\n"  # text too
    # Workers too: with pydantic made unimportable (a forked worker inherits that), any
    # import of it anywhere fails the run; 70 files are enough for two workers.
    corpus = tmp_path / "corpus"
    generate.write_proposals(corpus, 70, seed=5)
    blocked = "import sys\nsys.modules['pydantic'] = None\n" + code
    reports = set()
    for options in (["--format", "json"], ["--format", "json", "-j", "1"], ["--format", "json", "-j", "2"],
                    ["--format", "text", "-j", "2"], []):
        done = subprocess.run([sys.executable, "-c", blocked, "check", str(corpus), *options],
                              capture_output=True, text=True, env=env, cwd=tmp_path)
        assert done.stderr == "1 False\n", (options, done.stderr)
        if "json" in options:
            reports.add(done.stdout)
    assert len(reports) == 1 and json.loads(reports.pop())["run"]["files"] == 70
    (corpus / "broken.yaml").write_text("format: ca-advisor/proposal/v1\nid: p\n", encoding="utf-8")
    out, said = check(str(corpus), "--format", "json")
    assert said == "2 True\n" and json.loads(out)["errors"][0]["file"].endswith("broken.yaml")


def test_as_of_dates_the_check_alike(plans, taken):
    today = datetime.date.today().isoformat()
    assert_alike(["check", str(EXAMPLES[0]), "--as-of", today, "--format", "json"], taken)
