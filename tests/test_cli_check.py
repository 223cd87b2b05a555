"""The check command end to end: output, exit status, formats, rule loading."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from ca_advisor.cli import main

REPO = Path(__file__).resolve().parent.parent

ARMY_ONLY_CT = """\
format: ca-advisor/proposal/v1
id: kz-ct-army
title: CT course for the army
date: 2013-05-01
sponsors: [united-states]
channel: bilateral
recipients: [kazakhstan]
other_actors_considered: [russia]
targets:
  - {measure: Courses held, agreed_with_recipient: true}
components:
  - id: ct-course
    kind: training
    purposes: [counter-terrorism, threat-assessment]
    forces: [armed-forces]
    end_use_monitoring: true
"""


def run(args, stdin=None):
    return CliRunner().invoke(main, args, input=stdin)


@pytest.fixture
def proposal(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "ct.yaml").write_text(ARMY_ONLY_CT)
    return "ct.yaml"


def test_text_output_shows_the_whole_reasoning_of_a_finding(proposal):
    result = run(["check", proposal, "--format", "text"])
    lines = result.stdout.splitlines()
    head = lines.index("  warning CA301 bypasses-first-in-forces: Component 'ct-course' is for")
    assert lines[head + 1: head + 3] == [  # the headline wrapped at 88 columns, as the reasoning
        "      counter-terrorism, threat-assessment but goes only to armed-forces; the forces",
        "      that would be first in are not reached."]
    assert lines[head + 3] == "    at ct.yaml:15 (components[0].forces); ct.yaml:14 (components[0].purposes)"
    assert lines[head + 4].startswith("    why: In Central Asia the first responders to terrorism or")
    block = " ".join(" ".join(lines[head:]).split())  # wrapped lines joined
    assert "evidence: “Defence and security assistance packages often bypass the forces" in block
    assert "(DIIS Report 2013:12, §3, n.88)" in block
    assert "do: Add the first-in forces to the component" in block
    assert lines[:2] == ["ct.yaml", "  proposal kz-ct-army, checked as of 2013-05-01 (proposal date)"]
    assert result.exit_code == 1


def test_json_document_has_the_documented_keys(proposal):
    result = run(["check", proposal, "--format", "json"])
    doc = json.loads(result.stdout)
    assert set(doc) >= {"results", "errors"}
    first = doc["results"][0]
    assert (first["file"], first["proposal_id"]) == ("ct.yaml", "kz-ct-army")
    ca301 = [f for f in first["findings"] if f["rule_id"] == "CA301"]
    assert [(f["severity"], f["locations"][0]) for f in ca301] == [
        ("warning", {"path": "components[0].forces", "line": 15, "column": 5})]
    assert ca301[0]["evidence"][1] == {
        "quote": "KNB Special Forces and the KNB Border Service, as well as other agencies, would be at the "
                 "forefront of detecting and combating this",
        "source": "diis-2013", "section": "3", "endnote": 88, "citation": "DIIS Report 2013:12, §3, n.88",
        "source_kind": "report"}
    assert isinstance(first["strengths"], list) and doc["errors"] == []
    assert result.exit_code == 1


@pytest.mark.parametrize("fail_on,code", [("error", 0), ("warning", 1), ("info", 1), ("never", 0)])
@pytest.mark.parametrize("fmt", ["text", "json"])
def test_exit_status_follows_fail_on_whatever_the_format(proposal, fail_on, code, fmt):
    assert run(["check", proposal, "--fail-on", fail_on, "--format", fmt]).exit_code == code


def test_standard_input_is_checked(proposal):
    result = run(["check", "-", "--format", "json"], stdin=ARMY_ONLY_CT)
    assert json.loads(result.stdout)["results"][0]["file"] == "<stdin>"


def test_as_of_wins_over_the_proposal_date_and_is_reported(proposal):
    result = run(["check", proposal, "--as-of", "2012-01-01", "--format", "json"])
    first = json.loads(result.stdout)["results"][0]
    assert (first["as_of"], first["as_of_source"]) == ("2012-01-01", "--as-of")


@pytest.mark.parametrize("args,message", [
    (["check"], "Missing argument 'FILES...'"),
    (["check", "x.yaml", "--format", "xml"], "'xml' is not one of"),
    (["check", "x.yaml", "--as-of", "2013-13-01"], "'2013-13-01' is not a date; use YYYY-MM-DD"),
])
def test_usage_errors_exit_2(proposal, args, message):
    result = run(args)
    assert result.exit_code == 2
    assert message in result.stderr


def test_missing_file_is_an_input_error(proposal):
    result = run(["check", "nowhere.yaml"])
    assert result.exit_code == 2
    assert result.stdout.splitlines()[0] == "input error: nowhere.yaml: no such file"


@pytest.mark.parametrize("name,test,error", [
    ("XX101", "purpose: {includes: counter-terrorism}",
     "XX101.yaml:7:5: when[0].purpose: unknown field 'purpose' for for_each: component (did you mean "
     "'purposes'?); run `ca-advisor rules docs facts` for the fields of each fact type"),
    ("XX102", "kind: {is: trainig}",
     "XX102.yaml:7:16: when[0].kind.is: 'trainig' is not a value of 'kind'; expected one of: equipment-transfer, "
     "training, intelligence-sharing, capacity-building, exercise, infrastructure, basing, facility-access, "
     "funding, advisory, transit (did you mean 'training'?)"),
])
def test_a_broken_rule_file_is_refused_with_file_and_line(proposal, tmp_path, name, test, error):
    rules = tmp_path / "my-rules"
    rules.mkdir()
    (rules / f"{name}.yaml").write_text(
        f"id: {name}\nname: broken\nseverity: warning\ntitle: t\nfor_each: component\nwhen:\n"
        f"  - {test}\nmessage: m\nreasoning: r\nevidence: [{{quote: q, section: '5'}}]\nrecommendation: r\n")
    result = run(["check", proposal, "--rules", str(rules)])
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == f"error: {rules}/{error}\n"


def test_a_rules_directory_without_rule_files_is_refused(proposal, tmp_path):
    (tmp_path / "my-rules").mkdir()
    result = run(["check", proposal, "--rules", str(tmp_path / "my-rules")])
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == f"error: {tmp_path / 'my-rules'}: rules directory holds no rule files (*.yaml); " \
                            "check the path\n"


def test_standard_input_is_read_only_up_to_the_size_limit(proposal):
    result = run(["check", "-", "--max-bytes", "100"], stdin="a" * 10_000)
    assert result.exit_code == 2
    assert result.stdout.splitlines()[0] == ("input error: <stdin>: is over the 100-byte limit for one "
                                             "input file; split it or raise the limit (--max-bytes)")
