"""The fast path writes what the plain path writes, byte for byte.

Plain path: ``Checker.check`` (the CheckResult model), ``api.check_paths`` (the Report
model) and ``render_json`` (pydantic's ``model_dump_json``).  Fast path: the same
check as plain data (``Checker.check_data``), written by orjson (batch.py), in this
process and through forked workers (``-j``, fork_pool.py).  Compared on every bundled
example, every fixture case of every built-in rule, a corpus of generated files and
hypothesis' proposals, and on text with every kind of character JSON escapes.
"""

from __future__ import annotations

import datetime
import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import orjson
import pytest
from hypothesis import given, settings
from test_fuzz import SETTINGS, proposals

from ca_advisor import fork_pool
from ca_advisor.api import check_mapping, check_paths, check_paths_plain, get_checker, render
from ca_advisor.authoring.cases import load_fixtures
from ca_advisor.batch import JSON_OPTIONS
from ca_advisor.model.findings import CheckResult
from ca_advisor.reading.builtin import builtin_rules_dir, examples_dir
from ca_advisor.reading.proposals import proposal_from_mapping, read_proposal_file
from ca_advisor.rulebook.config import Config, load_config
from ca_advisor.rulebook.load import FIXTURES_DIR

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
import generate  # noqa: E402

CASES = [(fixture.rule, case) for path in sorted((builtin_rules_dir() / FIXTURES_DIR).glob("*.yaml"))
         for fixture in [load_fixtures(path)[1]] for case in fixture.cases
         if case.proposal is not None]  # a portfolio case (proposals:) is no single check
EXAMPLES = sorted(examples_dir().glob("*.yaml"))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    directory = tmp_path_factory.mktemp("corpus")
    generate.write_proposals(directory, 240, seed=31)
    # Among them: an input error, a proposal whose id another file has, and a YAML file
    # that is no proposal (skipped and counted).
    (directory / "broken.yaml").write_text("format: ca-advisor/proposal/v1\nid: [unclosed\n", encoding="utf-8")
    (directory / "zz-same-id.yaml").write_bytes((directory / "generated-00007.yaml").read_bytes())
    (directory / "notes.yaml").write_text("owner: someone\n", encoding="utf-8")
    return directory


def plain_path_json(paths, **options) -> str:
    return render(check_paths(paths, config=Config(), **options), "json")


def fast_path_json(paths, jobs: int = 1, **options) -> str:
    return check_paths_plain(paths, config=Config(), jobs=jobs, **options).to_json()


def assert_same_result(checker, loaded, as_of=None) -> None:
    data = checker.check_data(loaded, as_of=as_of)
    model = checker.check(loaded, as_of=as_of)
    assert CheckResult.model_validate(data) == model
    assert orjson.dumps(data, option=JSON_OPTIONS).decode() == model.model_dump_json(indent=2)


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_every_example_alike(checker, path):
    assert_same_result(checker, read_proposal_file(path))
    assert fast_path_json([path]) == plain_path_json([path])


@pytest.mark.parametrize("rule_id,case", CASES, ids=[f"{r}-{c.expect}-{c.name}" for r, c in CASES])
def test_every_fixture_case_alike(checker, rule_id, case):
    assert_same_result(checker, proposal_from_mapping(case.proposal, file=case.name), case.as_of)


def test_a_generated_corpus_alike_in_process_and_in_workers(corpus):
    plain = plain_path_json([corpus])
    assert '"message": "is not valid YAML' in plain  # the broken file is reported, in its place
    assert "is also the id of" in plain and "notes.yaml" in plain
    assert fast_path_json([corpus]) == plain
    assert fast_path_json([corpus], jobs=3) == plain
    later = datetime.date(2022, 3, 1)  # stale findings too
    assert fast_path_json([corpus], jobs=3, as_of=later) == plain_path_json([corpus], as_of=later)


def test_workers_check_every_file_and_the_parent_none(corpus, monkeypatch):
    """A worker that fails leaves its files to the parent, which hides the failure in
    the output; so the parent must have checked nothing itself."""
    parent, in_parent = os.getpid(), []
    real = fork_pool.check_target

    def recording(setup, target, *args):
        if os.getpid() == parent:
            in_parent.append(target.path)
        return real(setup, target, *args)

    monkeypatch.setattr(fork_pool, "check_target", recording)
    fast = check_paths_plain([corpus], config=Config(), jobs=2)
    assert in_parent == []
    assert len(fast.fragments) == 241 and fast.skipped == [str(corpus / "notes.yaml")]


def test_a_worker_that_stops_is_reported_and_its_files_still_checked(corpus, monkeypatch, capfd):
    parent, real = os.getpid(), fork_pool.check_target
    broken = str(corpus / "generated-00010.yaml")

    def failing_in_a_worker(setup, target, *args):
        if os.getpid() != parent and target.path == broken:
            raise RuntimeError("simulated fault")
        return real(setup, target, *args)

    monkeypatch.setattr(fork_pool, "check_target", failing_in_a_worker)
    fast = check_paths_plain([corpus], config=Config(), jobs=2)
    stderr = capfd.readouterr().err
    assert f"warning: a worker process stopped at {broken}: RuntimeError: simulated fault\n" in stderr
    left = stderr.split("stopped early; the ")[1].split(" files")[0]
    assert "warning: 1 of 2 worker processes stopped early; the " in stderr and int(left) > 0
    assert fast.to_json() == plain_path_json([corpus])


def test_workers_give_the_same_report_model(corpus):
    fast = check_paths_plain([corpus], config=Config(), jobs=2)
    assert fast.fragments is not None  # it did go through the workers
    assert fast.to_report() == check_paths([corpus], config=Config())
    assert fast.exit_code("warning") == 2 and fast.exit_code("never") == 2


def test_exit_codes_alike(corpus, tmp_path):
    clean = tmp_path / "one.yaml"
    clean.write_bytes(sorted(corpus.glob("g*.yaml"))[0].read_bytes())
    for fail_on in ("error", "warning", "info", "never"):
        fast = check_paths_plain([clean], config=Config())
        assert fast.exit_code(fail_on) == check_paths([clean], config=Config()).exit_code(fail_on)


def test_exit_codes_and_summary_alike_from_workers(tmp_path):
    generate.write_proposals(tmp_path, 80, seed=5)
    fast = check_paths_plain([tmp_path], config=Config(), jobs=2)
    assert fast.fragments is not None and fast.results == []  # counted from what the workers sent
    model = check_paths([tmp_path], config=Config())
    for fail_on in ("error", "warning", "info", "never"):
        assert fast.exit_code(fail_on) == model.exit_code(fail_on)
    assert json.loads(fast.to_json())["summary"] == {**model.counts(), "input_errors": 0}


def test_waivers_take_the_model_path_and_agree(tmp_path):
    raven = examples_dir() / "us-uz-2013-raven-uav.yaml"
    waivers = tmp_path / "waivers.yaml"
    waivers.write_text("waivers:\n  - {proposal: us-uz-2013-raven-uav, rule: CA203, reason: briefed, "
                       "approved_by: board}\n", encoding="utf-8")
    fast = fast_path_json([raven], waivers=str(waivers))
    assert '"reason": "briefed"' in fast
    assert fast == plain_path_json([raven], waivers=str(waivers))


def test_characters_json_escapes_alike(checker):
    """Control characters, quotes, backslashes, non-ASCII and line separators reach the
    JSON through messages and paths; both writers must escape them identically."""
    title = "q\"b\\s/\x01\x1f\x7f\u2028\u00e9\u4e2d\U0001F600\t\n\r\b\f"
    data = {"format": "ca-advisor/proposal/v1", "id": "odd-text", "title": title, "date": "2013-05-01",
            "sponsors": ["united-states"], "recipients": ["uzbekistan"], "channel": "bilateral",
            "components": [{"id": "c1", "kind": "equipment-transfer", "purposes": ["counter-terrorism"],
                            "equipment": [{"item": title, "capability": "small-arms", "quantity": 40}]}]}
    report = check_mapping(data, file=f"odd {title}.yaml", config=Config())
    assert report.errors == [] and report.results[0].findings
    loaded = proposal_from_mapping(data, file=f"odd {title}.yaml")
    assert_same_result(checker, loaded)


@settings(SETTINGS, max_examples=150)
@given(proposals())
def test_generated_proposals_alike(checker, p):
    assert_same_result(checker, proposal_from_mapping(p))


def test_no_fork_while_other_threads_run(corpus, monkeypatch):
    """A child forked while another thread holds a lock would wait for ever: with a
    second thread alive the batch runs in this process."""
    forked = []

    def fork():
        forked.append(1)
        raise AssertionError("forked with two threads running")

    monkeypatch.setattr(os, "fork", fork)
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert not fork_pool.can_fork()
        assert fast_path_json([corpus], jobs=4) == plain_path_json([corpus])
    finally:
        stop.set()
        other.join()
    assert forked == []


def test_few_files_are_checked_in_process(monkeypatch):
    monkeypatch.setattr(os, "fork", lambda: pytest.fail("forked for a handful of files"))
    assert fast_path_json(EXAMPLES, jobs=4) == plain_path_json(EXAMPLES)


def test_a_worker_that_dies_loses_no_file(corpus, monkeypatch):
    """Workers that exit before sending anything: the parent checks their files."""
    monkeypatch.setattr(fork_pool, "_work", lambda *args: 70)
    assert fast_path_json([corpus], jobs=2) == plain_path_json([corpus])


def test_cli_json_with_and_without_workers(corpus):
    cli = [sys.executable, "-c", "from ca_advisor.cli import main; main()", "check", str(corpus),
           "--format", "json", "--fail-on", "never"]
    one = subprocess.run([*cli, "-j", "1"], capture_output=True, text=True)
    two = subprocess.run([*cli, "-j", "2"], capture_output=True, text=True)
    assert one.returncode == two.returncode == 2  # the broken file
    assert one.stdout == two.stdout == plain_path_json([corpus])
    assert json.loads(one.stdout)["engine"] == get_checker().engine


def test_whitespace_folding_shortcut_agrees_with_the_expression():
    """message.prose skips the regular expression on text that is already folded;
    on every mix of spaces, other whitespace (ASCII, Latin-1, Unicode) and text it
    must give what the expression gives."""
    import random
    import re

    from ca_advisor.rulebook.message import prose

    fold = re.compile(r"\s+")
    chars = [" ", "\t", "\n", "\x1c", "\x85", "\u00a0", "\u2028", "\u3000", "a", "\u00e9", "\x01", "b"]
    rnd = random.Random(13)
    for _ in range(20_000):
        text = "".join(rnd.choice(chars) for _ in range(rnd.randint(0, 8)))
        assert prose(text) == fold.sub(" ", text).strip(), repr(text)


def test_every_character_inert_would_change_sends_a_result_the_slow_way():
    """batch.result_fragment skips output/inert.py's walk when the written JSON holds
    nothing it would change: every character (and command prefix) inert changes must
    be seen in the JSON."""
    from ca_advisor.batch import may_need_inert
    from ca_advisor.output.inert import inert

    missed = [hex(code) for code in range(0x110000) if 0xD800 > code or code > 0xDFFF
              if inert(f"a{chr(code)}b") != f"a{chr(code)}b"
              and not may_need_inert(orjson.dumps({"k": f"a{chr(code)}b"}))]
    assert missed == []
    for text in ("::error::x", "x ::add-mask::", "##vso[task]", "##[group]"):
        assert inert(text) != text and may_need_inert(orjson.dumps({"k": text}))


def test_hostile_text_made_inert_alike(tmp_path):
    raven = (examples_dir() / "us-uz-2013-raven-uav.yaml").read_text(encoding="utf-8")
    lines = raven.splitlines(keepends=True)
    title = next(i for i, line in enumerate(lines) if line.startswith("title: "))
    lines[title] = 'title: "::error::pwned \\u202e \\x1b[31m red \\r"\n'
    path = tmp_path / "hostile.yaml"
    path.write_text("".join(lines), encoding="utf-8")
    plain = plain_path_json([path])
    assert "\\\\x1b" in plain and ":\\\\:error" in plain  # made inert
    assert fast_path_json([path]) == plain


def test_a_report_without_input_errors_alike_with_a_config_a_pack_and_skipped_files(tmp_path, monkeypatch):
    """The report's head is then written from plain data (RunSetup.shell_data): the
    config's name, the packs used and the skipped files as the model writes them."""
    monkeypatch.chdir(tmp_path)
    corpus = tmp_path / "corpus ::odd"
    generate.write_proposals(corpus, 12, seed=3)
    (corpus / "notes.yaml").write_text("owner: someone\n", encoding="utf-8")
    config_file = tmp_path / "ca-advisor.yaml"
    config_file.write_text("packs:\n  - {name: public-record-2014}\n", encoding="utf-8")
    config = load_config(config_file)
    fast = check_paths_plain([corpus], config=config).to_json()
    report = json.loads(fast)
    assert (report["config"], report["packs"][0]["name"], len(report["run"]["skipped"]), report["errors"]) == (
        "ca-advisor.yaml", "public-record-2014", 1, [])
    assert ":\\:odd" in report["run"]["skipped"][0]  # made inert, as every format does
    assert fast == render(check_paths([corpus], config=config), "json")


def test_a_report_is_written_in_one_call_unless_some_text_may_need_inert(tmp_path, monkeypatch):
    """A report holding nothing inert would change is written in one orjson call; one
    hostile file sends every result through result_fragment (and inert); either way
    byte for byte what the model path writes."""
    from ca_advisor import batch

    generate.write_proposals(tmp_path, 6, seed=5)
    written = []
    real_fragment = batch.result_fragment
    monkeypatch.setattr(batch, "result_fragment", lambda result: written.append(result) or real_fragment(result))
    assert fast_path_json([tmp_path]) == plain_path_json([tmp_path])
    assert written == []
    raven = (examples_dir() / "us-uz-2013-raven-uav.yaml").read_text(encoding="utf-8")
    (tmp_path / "hostile.yaml").write_text(raven.replace("title: ", 'title: "::error::pwned" #', 1), encoding="utf-8")
    plain = plain_path_json([tmp_path])
    assert fast_path_json([tmp_path]) == plain and ":\\\\:error" in plain
    assert len(written) == 7
