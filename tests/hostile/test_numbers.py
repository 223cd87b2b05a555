"""Numbers the rule engine cannot read back: durable-rules parses facts and rules
from JSON with its own parser, which fails on Infinity/NaN and on exponent forms
such as 1e+20 (an uncaught ``durable_rules_engine.error``, a traceback).  They are
refused where they are written, in any file, and in mappings given to the API."""

from __future__ import annotations

import shutil

import pytest

from ca_advisor.api import check_mapping, check_text

from ._run import (
    DATA,
    GOOD,
    GOOD_ID,
    KINDS,
    assert_case_refused,
    data_files,
    run_cli,
)

RANGE = ("is outside the range of numbers the checker handles (0, or between 0.0001 and 1,000,000,000,000,000 in "
         "size); write a number in that range")
INFINITE = "is not a finite number; write an ordinary number"
CASES = {
    "infinity.yaml": ["{file}:1:17: duration_years: .inf " + INFINITE],
    "negative-infinity.yaml": ["{file}:1:13: values[1]: -.inf " + INFINITE],
    "not-a-number.yaml": ["{file}:1:17: duration_years: .NaN " + INFINITE],
    "exponent.yaml": ["{file}:1:17: duration_years: 1.0e+20 " + RANGE],
    "tiny.yaml": ["{file}:1:17: duration_years: 0.00001 " + RANGE],
    "huge-integer.yaml": ["{file}:1:11: quantity: 100000000000000000000 " + RANGE],
}
CONTEXT = DATA / "numbers" / "in-context"


def test_every_data_file_has_a_case():
    assert data_files("numbers") == sorted(CASES)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("case", sorted(CASES))
def test_unreadable_numbers_are_refused(case, kind, tmp_path):
    assert_case_refused("numbers", CASES, case, kind, tmp_path)


def test_in_a_proposal_beside_others(tmp_path):
    for name in ("proposal-duration.yaml", "proposal-quantity.yaml"):
        shutil.copy(CONTEXT / name, tmp_path / name)
    shutil.copy(GOOD, tmp_path / "good.yaml")
    run = run_cli(["check", "proposal-duration.yaml", "proposal-quantity.yaml", "good.yaml"], tmp_path)
    assert run.errors == ["proposal-duration.yaml:8:17: duration_years: .inf " + INFINITE,
                          "proposal-quantity.yaml:15:74: components[0].equipment[0].quantity: 100000000000000000 "
                          + RANGE]
    assert (run.exit_code, run.checked) == (2, [GOOD_ID])


def test_in_a_rule_condition(tmp_path):
    (tmp_path / "rules").mkdir()
    shutil.copy(CONTEXT / "XX900.yaml", tmp_path / "rules" / "XX900.yaml")
    shutil.copy(GOOD, tmp_path / "good.yaml")
    run = run_cli(["check", "good.yaml", "--rules", "rules"], tmp_path)
    assert run.errors == ["rules/XX900.yaml:7:26: when[0].quantity.at_least: 1.0e+20 " + RANGE]
    assert (run.exit_code, run.stdout) == (2, "")


def test_in_a_config_parameter(tmp_path):
    shutil.copy(CONTEXT / "ca-advisor.yaml", tmp_path / "ca-advisor.yaml")
    shutil.copy(GOOD, tmp_path / "good.yaml")
    run = run_cli(["check", "good.yaml"], tmp_path)  # found upwards from the working directory
    assert run.errors == [f"{tmp_path / 'ca-advisor.yaml'}:2:34: parameters.CA202.combat_item_threshold: .inf "
                          + INFINITE]
    assert (run.exit_code, run.stdout) == (2, "")


@pytest.mark.parametrize("value,shown,problem", [
    (float("inf"), "inf", INFINITE), (float("nan"), "nan", INFINITE), (1e20, "1e+20", RANGE),
    (10 ** 17, "100000000000000000", RANGE), (1e-5, "1e-05", RANGE),
])
def test_in_a_mapping_given_to_the_api(value, shown, problem):
    data = {**_good_mapping(), "duration_years": value}
    assert [e.render() for e in check_mapping(data).errors] == [f"<mapping>: duration_years: {shown} {problem}"]


@pytest.mark.parametrize("value", ["0.0001", "0.5", "999999999999999", "12.25"])
def test_numbers_inside_the_range_are_checked(value):
    text = GOOD.read_text().replace("channel: bilateral", f"channel: bilateral\nduration_years: {value}")
    report = check_text(text)
    assert report.errors == [] and [r.proposal_id for r in report.results] == [GOOD_ID]


def _good_mapping() -> dict:
    import yaml
    return yaml.safe_load(GOOD.read_text())
