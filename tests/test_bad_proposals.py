"""One broken proposal per error class: exit 2 and the exact message, no traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from ca_advisor.cli import main

BAD = Path(__file__).parent / "data" / "bad_proposals"

EXPECTED = {
    "bad-yaml.yaml": "bad-yaml.yaml:5:8: is not valid YAML: while parsing a flow sequence (started on line 4), "
                     "did not find expected ',' or ']'",
    "duplicate-key.yaml": "duplicate-key.yaml:7:1: channel: duplicate key 'channel' (first given on line 5); "
                          "each field may appear once",
    "unknown-field.yaml": "unknown-field.yaml:10:5: components[0].force: unknown field 'force'; allowed fields here: "
                          "id, kind, countries, forces, purposes, deployment, equipment, needs_assessment, "
                          "end_use_monitoring, location, participants, transit_through (did you mean 'forces'?)",
    "wrong-vocabulary.yaml": "wrong-vocabulary.yaml:11:41: components[0].equipment[0].capability: 'recon' is not "
                             "allowed; expected one of: reconnaissance, strike, armour, protected-mobility, artillery, "
                             "air-defence, combat-aircraft, attack-helicopter, transport-helicopter, transport, "
                             "engineering, communications, small-arms, night-vision, protective-gear, spare-parts, "
                             "non-lethal, other (did you mean 'reconnaissance'?)",
    "country-not-recipient.yaml": "country-not-recipient.yaml:10:29: components[0].countries[1]: 'tajikistan' is not "
                                  "one of the proposal's recipients (uzbekistan); add it to recipients or remove it here",
    "list-not-mapping.yaml": "list-not-mapping.yaml:1:1: expected a proposal (format ca-advisor/proposal/v1): a YAML "
                             "mapping of field names to values, found a list",
    "empty.yaml": "empty.yaml:1: is empty; expected a proposal (format ca-advisor/proposal/v1): a YAML mapping",
    "python-tag.yaml": "python-tag.yaml:3:8: title: uses the tag 'tag:yaml.org,2002:python/object/apply:os.system', "
                       "which is not allowed; use plain YAML (mappings, lists, strings, numbers, booleans, dates) "
                       "without tags",
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_broken_proposal_gives_exit_2_and_its_message(name, monkeypatch):
    monkeypatch.chdir(BAD)
    result = CliRunner().invoke(main, ["check", name])
    assert result.exit_code == 2
    assert result.stdout.splitlines()[0] == f"input error: {EXPECTED[name]}"
    assert result.stdout.splitlines()[-1] == "0 proposals checked: 0 error, 0 warning, 0 info, 0 waived, " \
                                             "0 strength; 1 input error"
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_every_broken_file_has_an_expected_message():
    assert sorted(p.name for p in BAD.iterdir()) == sorted(EXPECTED)


def test_json_reports_the_error_with_file_line_and_path(monkeypatch):
    monkeypatch.chdir(BAD)
    result = CliRunner().invoke(main, ["check", "unknown-field.yaml", "--format", "json"])
    assert result.exit_code == 2
    import json
    errors = json.loads(result.stdout)["errors"]
    assert [(e["file"], e["line"], e["column"], e["path"]) for e in errors] == [
        ("unknown-field.yaml", 10, 5, "components[0].force")]


def test_a_broken_file_does_not_stop_the_others(monkeypatch):
    monkeypatch.chdir(BAD.parent.parent.parent)
    result = CliRunner().invoke(main, ["check", "tests/data/bad_proposals/empty.yaml",
                                       "proposals/us-uz-2013-raven-uav.yaml", "--fail-on", "never", "--format", "text"])
    assert result.exit_code == 2
    assert "proposal us-uz-2013-raven-uav, checked as of 2013-04-15 (proposal date)" in result.stdout


def test_all_errors_in_a_file_are_reported_together(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "many.yaml").write_text(
        "format: ca-advisor/proposal/v2\nid: Bad Id\ntitle: t\nsponsors: []\nchannel: nato-pf\n"
        "recipients: [uzbekistan]\ncomponents:\n  - {id: a, kind: basing, countries: [kyrgyzstan]}\n"
        "  - {id: a, kind: trainin}\n")
    result = CliRunner().invoke(main, ["check", "many.yaml"])
    assert result.exit_code == 2
    located = [line.split(": ")[1:3] for line in result.stdout.splitlines() if line.startswith("input error")]
    assert located == [
        ["many.yaml:1:9", "format"], ["many.yaml:2:5", "id"], ["many.yaml:4:11", "sponsors"],
        ["many.yaml:5:10", "channel"], ["many.yaml:8:39", "components[0].countries[0]"],
        ["many.yaml:9:10", "components[1].id"], ["many.yaml:9:19", "components[1].kind"],
    ]
    assert "(did you mean 'nato-pfp'?)" in result.stdout
    assert "(did you mean 'training'?)" in result.stdout
