"""The Python API: the same Report as the CLI from a path, a YAML string or a
mapping; config, as-of date, waivers and today as options; bad input in
``report.errors`` rather than exceptions; safe from several threads."""

from __future__ import annotations

import datetime
import inspect
import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from ca_advisor.api import check_mapping, check_paths, check_text, render
from ca_advisor.cli import main
from ca_advisor.review.waivers import parse_waivers
from ca_advisor.rulebook.config import load_config

DATA = Path(__file__).resolve().parent / "data" / "waivers"
CONFIG = DATA / "ca-advisor.yaml"
ARMOUR = DATA / "proposals" / "armour.yaml"
TEXT = ARMOUR.read_text(encoding="utf-8")


def rules(report):
    return [(f.rule_id, f.waived is not None) for r in report.results for f in r.findings]


def test_a_path_gives_the_report_the_cli_prints(monkeypatch):
    monkeypatch.chdir(DATA)
    report = check_paths(["proposals/armour.yaml"], config="ca-advisor.yaml")
    cli = CliRunner().invoke(main, ["check", "proposals/armour.yaml", "--format", "json"])
    assert report.model_dump(mode="json") == json.loads(cli.stdout)


def test_text_and_mapping_find_what_the_file_does():
    from_file = check_paths([ARMOUR], config=CONFIG)
    from_text = check_text(TEXT, file="armour.yaml", config=CONFIG)
    from_mapping = check_mapping(yaml.safe_load(TEXT), config=CONFIG)
    assert rules(from_file) == rules(from_text) == rules(from_mapping) == [
        ("TS101", False), ("TS102", False), ("TS602", False)]
    assert from_text.results[0].file == "armour.yaml"
    assert from_text.results[0].findings[0].line == 12
    assert from_mapping.results[0].findings[0].line is None  # a mapping has no lines


def test_a_config_object_works_like_its_path():
    assert check_text(TEXT, config=load_config(CONFIG)) == check_text(TEXT, config=CONFIG)


def test_as_of_wins_over_the_proposal_date():
    result = check_text(TEXT, config=CONFIG, as_of=datetime.date(2014, 2, 1)).results[0]
    assert (result.as_of, result.as_of_source) == (datetime.date(2014, 2, 1), "--as-of")


def test_waivers_by_path_or_loaded_with_an_injected_today():
    by_path = check_text(TEXT, config=CONFIG, waivers=DATA / "waivers.yaml", today=datetime.date(2019, 12, 31))
    assert rules(by_path) == [("TS101", True), ("TS102", True), ("TS602", False)]
    assert [n.kind for n in by_path.waiver_notices] == ["unmatched"]
    later = check_text(TEXT, config=CONFIG, waivers=DATA / "waivers.yaml", today=datetime.date(2020, 1, 2))
    assert rules(later) == [("TS101", False), ("TS102", True), ("TS602", False)]
    loaded = parse_waivers("waivers:\n  - {proposal: test-armour, rule: TS602, reason: r, approved_by: a}\n")
    assert rules(check_text(TEXT, config=CONFIG, waivers=loaded)) == [
        ("TS101", False), ("TS102", False), ("TS602", True)]


def test_the_configs_waivers_are_the_default():
    report = check_text(TEXT, config=DATA / "with-default-waivers.yaml")
    assert ("TS102", True) in rules(report)


def test_bad_input_is_in_the_report_never_raised(tmp_path):
    assert check_text("id: [unclosed", config=CONFIG).errors[0].file == "<string>"
    assert check_mapping({"format": "ca-advisor/proposal/v1"}, config=CONFIG).errors
    bad_config = tmp_path / "ca-advisor.yaml"
    bad_config.write_text("disable: [NOPE101]\n")
    report = check_text(TEXT, config=bad_config)
    assert (report.results, report.errors[0].file) == ([], str(bad_config))
    report = check_text(TEXT, config=CONFIG, waivers=tmp_path / "none.yaml")
    assert report.errors[0].message == "no such file"
    assert rules(report) == [("TS101", False), ("TS102", False), ("TS602", False)]
    assert report.exit_code("never") == 2


def test_render_gives_any_cli_format():
    report = check_text(TEXT, file="armour.yaml", config=CONFIG)
    assert render(report).endswith("1 proposal checked: 1 error, 1 warning, 1 info, 0 waived, 0 strength; "
                                   "0 input errors\n")
    assert json.loads(render(report, "sarif"))["version"] == "2.1.0"


def test_many_calls_from_several_threads_agree():
    expected = check_text(TEXT, config=CONFIG, waivers=DATA / "waivers.yaml")
    texts = [TEXT.replace("quantity: 12", f"quantity: {n}") for n in range(1, 25)]

    def one(text):
        return check_text(text, config=CONFIG, waivers=DATA / "waivers.yaml")

    with ThreadPoolExecutor(max_workers=8) as pool:
        reports = list(pool.map(one, [TEXT] * 16 + texts))
    assert all(r == expected for r in reports[:16])
    messages = [r.results[0].findings[0].message for r in reports[16:]]
    assert messages == [f"Component 'mrap-transfer' transfers {n} × M-ATV, turret (armour)." for n in range(1, 25)]


@pytest.mark.parametrize("call", [check_text, check_mapping])
def test_the_one_proposal_functions_take_the_same_options(call):
    assert [p for p in inspect.signature(call).parameters][1:] == [
        "file", "config", "checker", "as_of", "waivers", "today", "stale_after_years"]


def test_the_public_names_are_listed_and_importable():
    import ca_advisor.api as api
    namespace: dict = {}
    exec("from ca_advisor.api import *", namespace)
    assert sorted(k for k in namespace if not k.startswith("__")) == sorted(api.__all__)
    assert {"check_paths", "check_text", "check_mapping", "get_checker", "render", "Report"} <= set(api.__all__)
    assert "threading" not in api.__all__ and "load_config" not in api.__all__
