"""``ca-advisor diff``: introduced, resolved and kept findings; matching by rule id,
field paths and message; exit status from the introduced findings only."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from ca_advisor.api import check_paths, diff_paths
from ca_advisor.cli import main
from ca_advisor.model.findings import Finding, Location
from ca_advisor.review.diff import diff_findings, finding_key

TESTS = Path(__file__).resolve().parent
SARIF_SCHEMA = json.loads((TESTS / "data" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
FORMATS = ["text", "json", "markdown", "github", "sarif"]



def run(*args):
    return CliRunner().invoke(main, ["diff", *args])


def finding(rule="XX101", path="a", message="m", line=1) -> Finding:
    return Finding(rule_id=rule, name="n", severity="warning", title="t", message=message,
                   locations=[Location(path=path, line=line)], reasoning="r", evidence=[], recommendation="d")


# --- matching ------------------------------------------------------------------------

def test_a_finding_is_its_rule_paths_and_message_not_its_line():
    assert finding_key(finding(line=3)) == finding_key(finding(line=40)) == ("XX101", ("a",), "m")
    introduced, resolved, kept = diff_findings([finding(line=3)], [finding(line=40)])
    assert (introduced, resolved, [f.locations[0].line for f in kept]) == ([], [], [40])


def test_a_changed_message_or_moved_path_is_resolved_and_introduced():
    old = [finding(message="12 items"), finding(rule="XX102", path="components[0]")]
    new = [finding(message="40 items"), finding(rule="XX102", path="components[1]")]
    introduced, resolved, kept = diff_findings(old, new)
    assert ([f.message for f in introduced], [f.message for f in resolved], kept) == (
        ["40 items", "m"], ["12 items", "m"], [])
    assert [f.locations[0].path for f in introduced] == ["a", "components[1]"]


def test_duplicates_are_counted():
    introduced, resolved, kept = diff_findings([finding()], [finding(line=2), finding(line=5)])
    assert ([f.locations[0].line for f in kept], [f.locations[0].line for f in introduced], resolved) == (
        [2], [5], [])


# --- the command ---------------------------------------------------------------------

def test_text_lists_introduced_resolved_and_kept(in_data):
    result = run("diff/old.yaml", "diff/new.yaml")
    assert (result.exit_code, result.stderr) == (1, "")
    assert result.stdout == (
        "diff/old.yaml -> diff/new.yaml (proposal test-armour, as of 2013-06-01)\n"
        "  introduced (1)\n"
        "    error TS101 offensive-item: Component 'mrap-transfer' transfers 2 × Rocket pods (strike). "
        "(diff/new.yaml:15)\n"
        "  resolved (1)\n"
        "    warning TS102 no-duration: Proposal 'test-armour' gives no duration, so | pipes, *stars* and <tags> "
        "stay literal. (diff/old.yaml:6)\n"
        "  kept (2)\n"
        "    error TS101 offensive-item: Component 'mrap-transfer' transfers 12 × M-ATV, turret (armour). "
        "(diff/new.yaml:14)\n"
        "    info TS602 not-evaluated: TS103 (ct-forces) could not be evaluated for components[1]: add "
        "components[1].forces. (diff/new.yaml:16)\n"
        "diff: 1 introduced, 1 resolved, 2 kept; 0 input errors\n")


def test_waivers_apply_to_both_versions_and_notices_come_from_the_new_one(in_data, tmp_path):
    waivers = tmp_path / "w.yaml"
    waivers.write_text("waivers:\n"
                       "  - {proposal: test-armour, rule: TS101, reason: replaces older kit, approved_by: board}\n"
                       "  - {proposal: test-armour, rule: TS102, reason: budget, approved_by: board}\n")
    result = run("diff/old.yaml", "diff/new.yaml", "--waivers", str(waivers))
    assert result.exit_code == 0  # the introduced TS101 finding is waived
    assert "(diff/new.yaml:15) [waived: replaces older kit]\n" in result.stdout
    assert result.stdout.endswith(
        f"waiver unmatched: {waivers}:3:5: waiver for rule TS102 in proposal 'test-armour' matched no finding; "
        "remove it if the finding is gone\n"
        "diff: 1 introduced, 1 resolved, 2 kept; 0 input errors\n")


def test_markdown_has_a_counts_table_and_a_table_per_kind(in_data):
    result = run("diff/old.yaml", "diff/new.yaml", "--format", "markdown")
    assert result.stdout == """\
## ca-advisor diff

| introduced | resolved | kept | input errors |
| ---: | ---: | ---: | ---: |
| 1 | 1 | 2 | 0 |

`diff/old.yaml` → `diff/new.yaml`, proposal `test-armour`, as of 2013-06-01.

### Introduced

| severity | rule | message | location |
| --- | --- | --- | --- |
| **error** | TS101 offensive-item | Component 'mrap-transfer' transfers 2 × Rocket pods (strike).<br>*do:* Remove the offensive items. \
| `diff/new.yaml:15` `components[0].equipment[1].capability` |

### Resolved

| severity | rule | message | location |
| --- | --- | --- | --- |
| warning | TS102 no-duration | Proposal 'test-armour' gives no duration, so \\| pipes, \\*stars\\* and \\<tags\\> \
stay literal.<br>*do:* State duration\\_years. | `diff/old.yaml:6` `channel`<br>`diff/old.yaml:1` `duration_years` |

### Kept

| severity | rule | message | location |
| --- | --- | --- | --- |
| **error** | TS101 offensive-item | Component 'mrap-transfer' transfers 12 × M-ATV, turret (armour).<br>*do:* Remove the offensive items. \
| `diff/new.yaml:14` `components[0].equipment[0].capability` |
| info | TS602 not-evaluated | TS103 (ct-forces) could not be evaluated for components\\[1\\]: add \
components\\[1\\].forces.<br>*do:* Add the field. | `diff/new.yaml:16` `components[1].forces` |
"""


def test_github_annotates_only_the_introduced_findings(in_data):
    result = run("diff/old.yaml", "diff/new.yaml", "--format", "github")
    assert result.stdout == (
        "::error file=diff/new.yaml,line=15,col=29,title=TS101 offensive-item::"
        "Component 'mrap-transfer' transfers 2 × Rocket pods (strike).%0A"
        "at components[0].equipment[1].capability%0Ado: Remove the offensive items.\n"
        "diff: 1 introduced, 1 resolved, 2 kept; 0 input errors\n")


def test_sarif_holds_the_introduced_findings_and_is_valid(in_data):
    result = run("diff/old.yaml", "diff/new.yaml", "--format", "sarif")
    doc = json.loads(result.stdout)
    jsonschema.validators.validator_for(SARIF_SCHEMA)(SARIF_SCHEMA).validate(doc)
    assert [(r["ruleId"], r["message"]["text"]) for r in doc["runs"][0]["results"]] == [
        ("TS101", "Component 'mrap-transfer' transfers 2 × Rocket pods (strike).")]


def test_json_has_every_list_and_both_versions(in_data):
    doc = json.loads(run("diff/old.yaml", "diff/new.yaml", "--format", "json").stdout)
    assert [len(doc[k]) for k in ("introduced", "resolved", "kept", "errors", "waiver_notices")] == [1, 1, 2, 0, 0]
    assert (doc["old"]["file"], doc["new"]["file"]) == ("diff/old.yaml", "diff/new.yaml")


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("old,new,extra,status", [
    ("diff/old.yaml", "diff/new.yaml", [], 1),                        # introduces an error
    ("diff/old.yaml", "diff/new.yaml", ["--fail-on", "never"], 0),
    ("diff/new.yaml", "diff/old.yaml", ["--fail-on", "info"], 1),     # reintroduces TS102
    ("diff/new.yaml", "diff/old.yaml", ["--fail-on", "error"], 0),    # ... a warning only
    ("diff/old.yaml", "diff/old.yaml", ["--fail-on", "info"], 0),     # nothing introduced, all kept
    ("diff/old.yaml", "broken/broken.yaml", [], 2),
    ("missing.yaml", "diff/new.yaml", [], 2),
])
def test_the_exit_status_follows_the_introduced_findings_in_every_format(in_data, fmt, old, new, extra, status):
    result = run(old, new, *extra, "--format", fmt)
    assert (result.exit_code, result.stderr) == (status, "")


def test_an_input_error_is_reported_in_place_of_the_lists(in_data):
    result = run("diff/old.yaml", "broken/broken.yaml")
    [error] = check_paths(["broken/broken.yaml"]).errors
    assert result.stdout == (f"input error: {error.render()}\n"
                             "diff: 0 introduced, 0 resolved, 0 kept; 1 input error\n")


def test_a_bad_waivers_file_is_reported_once_and_the_lists_still_shown(in_data):
    result = run("diff/old.yaml", "diff/new.yaml", "--waivers", "missing.yaml")
    assert result.exit_code == 2
    assert result.stdout.startswith("input error: missing.yaml: no such file\n"
                                    "diff/old.yaml -> diff/new.yaml (proposal test-armour, as of 2013-06-01)\n")
    assert result.stdout.endswith("diff: 1 introduced, 1 resolved, 2 kept; 1 input error\n")


def test_a_directory_and_a_file_are_a_usage_error(in_data):
    result = run("diff", "diff/new.yaml")
    assert result.exit_code == 2
    assert result.stderr.endswith("Error: give two proposal files or two directories\n")


def test_the_python_api(in_data):
    d = diff_paths("diff/old.yaml", "diff/new.yaml", config="ca-advisor.yaml")
    assert d.counts() == {"introduced": 1, "resolved": 1, "kept": 2, "input errors": 0}
    assert d.exit_code("error") == 1 and d.exit_code("never") == 0
