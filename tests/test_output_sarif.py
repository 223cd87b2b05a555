"""``--format sarif``: valid against the OASIS SARIF 2.1.0 schema (errata 01, vendored
in tests/data), with rules, levels, locations, suppressions and notifications."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from ca_advisor.api import check_paths, check_text, get_checker
from ca_advisor.cli import main
from ca_advisor.model.findings import Report
from ca_advisor.output.sarif import SCHEMA_URI, artifact_uri, render_sarif
from ca_advisor.reading.builtin import builtin_profiles_dir

TESTS = Path(__file__).resolve().parent
DATA = TESTS / "data" / "waivers"
SCHEMA = json.loads((TESTS / "data" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
VALIDATOR = jsonschema.validators.validator_for(SCHEMA)(SCHEMA)



def sarif(*args):
    result = CliRunner().invoke(main, ["check", *args, "--format", "sarif"])
    assert result.stderr == ""
    return result.exit_code, json.loads(result.stdout)


def errors(doc) -> list[str]:
    return [f"{list(e.path)}: {e.message}" for e in VALIDATOR.iter_errors(doc)]


def test_the_vendored_schema_is_the_oasis_sarif_2_1_0_schema():
    assert SCHEMA["id"] == SCHEMA_URI
    assert SCHEMA["title"] == "Static Analysis Results Format (SARIF) Version 2.1.0 JSON Schema"
    jsonschema.Draft4Validator.check_schema(SCHEMA)


def test_the_schema_catches_a_wrong_level():
    bad = {"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}},
                                         "results": [{"message": {"text": "m"}, "level": "info"}]}]}
    assert errors(bad) == ["['runs', 0, 'results', 0, 'level']: 'info' is not one of "
                           "['none', 'note', 'warning', 'error']"]


@pytest.mark.parametrize("args", [
    ["proposals/armour.yaml", "proposals/clean.yaml", "broken/broken.yaml", "--waivers", "waivers.yaml"],
    ["proposals/clean.yaml"],
    ["missing.yaml"],
])
def test_every_run_is_valid_sarif(in_data, args):
    _, doc = sarif(*args)
    assert errors(doc) == []


def test_a_run_of_the_built_in_rules_on_every_example_is_valid_sarif():
    report = check_paths([Path(__file__).resolve().parent.parent / "proposals"])
    doc = json.loads(render_sarif(report, rules=[r.rule for r in get_checker().book.rules]))
    assert errors(doc) == []
    assert len(doc["runs"][0]["results"]) == sum(len(r.findings) for r in report.results)


def test_rule_descriptors_carry_title_reasoning_help_severity_and_tags(in_data):
    _, doc = sarif("proposals/armour.yaml")
    rules = doc["runs"][0]["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == ["TS101", "TS102", "TS602"]
    assert rules[1] == {
        "id": "TS102",
        "name": "no-duration",
        "shortDescription": {"text": "Package without a duration"},
        "fullDescription": {"text": "A package without an end date drifts."},
        "help": {
            "text": "Recommendation: State duration_years.\n\n"
                    "Evidence: \u201ca quote, with commas: and colons\u201d (DIIS Report 2013:12, §2, n.7)",
            "markdown": "**Recommendation:** State duration_years.\n\n"
                        "> \u201ca quote, with commas: and colons\u201d (DIIS Report 2013:12, §2, n.7)",
        },
        "defaultConfiguration": {"level": "warning"},
        "properties": {"severity": "warning", "tags": ["test"], "citations": ["DIIS Report 2013:12, §2, n.7"]},
    }
    assert rules[0]["properties"]["tags"] == ["test", "equipment"]
    assert doc["runs"][0]["tool"]["driver"]["name"] == "ca-advisor"


def test_results_have_level_message_file_line_column_and_field_path(in_data):
    _, doc = sarif("proposals/armour.yaml")
    results = doc["runs"][0]["results"]
    assert [(r["ruleId"], r["ruleIndex"], r["level"]) for r in results] == [
        ("TS101", 0, "error"), ("TS102", 1, "warning"), ("TS602", 2, "note")]
    ts101 = results[0]
    assert ts101["message"] == {"text": "Component 'mrap-transfer' transfers 12 × M-ATV, turret (armour)."}
    assert ts101["locations"] == [{
        "physicalLocation": {"artifactLocation": {"uri": "proposals/armour.yaml"},
                             "region": {"startLine": 12, "startColumn": 33}},
        "logicalLocations": [{"fullyQualifiedName": "components[0].equipment[0].capability", "kind": "member"}],
    }]
    assert ts101["properties"]["fieldPaths"] == ["components[0].equipment[0].capability"]
    assert ts101["properties"]["proposalId"] == "test-armour"
    assert results[2]["properties"]["evaluatedRule"] == "TS103"
    assert len(ts101["partialFingerprints"]["caAdvisorFinding/v1"]) == 32
    assert "suppressions" not in ts101


def test_a_waived_finding_is_kept_as_an_external_suppression(in_data):
    _, doc = sarif("proposals/armour.yaml", "--waivers", "waivers.yaml")
    ts102 = next(r for r in doc["runs"][0]["results"] if r["ruleId"] == "TS102")
    assert ts102["suppressions"] == [{
        "kind": "external", "status": "accepted",
        "justification": "Duration is set by the annual budget, see memo 4: para 2, 3",
        "properties": {"approvedBy": "Policy board", "expires": "2999-12-31"},
    }]
    assert ts102["level"] == "warning"  # a suppression does not rewrite the severity
    assert len(doc["runs"][0]["results"]) == 3


def test_waiver_notices_are_configuration_notifications_at_their_entries(in_data):
    _, doc = sarif("proposals/armour.yaml", "--waivers", "waivers.yaml")
    invocation = doc["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is True
    assert invocation["toolExecutionNotifications"] == []
    assert invocation["toolConfigurationNotifications"] == [
        {"descriptor": {"id": "waiver-expired"}, "level": "warning",
         "message": {"text": "waiver for rule TS101 in proposal 'test-armour' expired on 2020-01-01 and no longer "
                             "applies; its findings count again"},
         "locations": [{"physicalLocation": {"artifactLocation": {"uri": "waivers.yaml"},
                                             "region": {"startLine": 7, "startColumn": 5}}}],
         "properties": {"proposalId": "test-armour", "ruleId": "TS101", "expires": "2020-01-01"}},
        {"descriptor": {"id": "waiver-unmatched"}, "level": "warning",
         "message": {"text": "waiver for rule TS103 in proposal 'test-armour' matched no finding; remove it if "
                             "the finding is gone"},
         "locations": [{"physicalLocation": {"artifactLocation": {"uri": "waivers.yaml"},
                                             "region": {"startLine": 12, "startColumn": 5}}}],
         "properties": {"proposalId": "test-armour", "ruleId": "TS103"}},
    ]


def test_input_errors_are_execution_notifications_and_the_run_unsuccessful(in_data):
    status, doc = sarif("proposals/clean.yaml", "broken/broken.yaml")
    [error] = check_paths(["broken/broken.yaml"]).errors
    invocation = doc["runs"][0]["invocations"][0]
    assert status == 2
    assert invocation["executionSuccessful"] is False
    assert invocation["toolExecutionNotifications"] == [{
        "descriptor": {"id": "input-error"}, "level": "error", "message": {"text": error.message},
        "locations": [{
            "physicalLocation": {"artifactLocation": {"uri": "broken/broken.yaml"},
                                 "region": {"startLine": 11, "startColumn": 49}},
            "logicalLocations": [{"fullyQualifiedName": "components[0].equipment[0].quantity", "kind": "member"}],
        }],
        "properties": {"file": "broken/broken.yaml"},
    }]


def test_the_run_records_counts_and_each_proposal_check_date(in_data):
    _, doc = sarif("proposals/armour.yaml", "proposals/clean.yaml", "--waivers", "waivers.yaml")
    assert doc["runs"][0]["properties"] == {
        "config": "ca-advisor.yaml",
        "counts": {"error": 1, "warning": 0, "info": 1, "waived": 1, "strengths": 0, "stale": 0, "inputErrors": 0},
        "proposals": [
            {"file": "proposals/armour.yaml", "proposalId": "test-armour", "asOf": "2013-06-01",
             "asOfSource": "proposal date", "strengths": []},
            {"file": "proposals/clean.yaml", "proposalId": "test-clean", "asOf": "2013-06-01",
             "asOfSource": "proposal date", "strengths": []},
        ],
    }


def test_the_fingerprint_ignores_line_numbers(tmp_path):
    checker = get_checker([DATA / "rules"], [builtin_profiles_dir()], builtin=False)
    text = (DATA / "proposals" / "armour.yaml").read_text(encoding="utf-8")
    shifted = tmp_path / "shifted.yaml"
    shifted.write_text("# a comment that moves every line down\n" + text, encoding="utf-8")
    prints = [[r["partialFingerprints"] for r in json.loads(render_sarif(check_paths([p], checker=checker)))
               ["runs"][0]["results"]] for p in (DATA / "proposals" / "armour.yaml", shifted)]
    assert prints[0] == prints[1]


@pytest.mark.parametrize("file,uri", [
    ("proposals/a b.yaml", "proposals/a%20b.yaml"),
    ("/srv/plans/x.yaml", "file:///srv/plans/x.yaml"),
    ("C:\\plans\\x.yaml", "file:///C%3A/plans/x.yaml"),
    ("<stdin>", None),
])
def test_artifact_uris(file, uri):
    assert artifact_uri(file) == uri


def test_standard_input_has_no_physical_location_but_keeps_the_field_path():
    checker = get_checker([DATA / "rules"], [builtin_profiles_dir()], builtin=False)
    report = check_text((DATA / "proposals" / "armour.yaml").read_text(encoding="utf-8"), file="<stdin>",
                        checker=checker)
    doc = json.loads(render_sarif(report))
    assert errors(doc) == []
    assert doc["runs"][0]["results"][0]["locations"] == [
        {"logicalLocations": [{"fullyQualifiedName": "components[0].equipment[0].capability", "kind": "member"}]}]


def test_an_empty_report_is_valid_sarif():
    assert errors(json.loads(render_sarif(Report()))) == []
