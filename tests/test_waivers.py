"""Waivers: reading and validating the file, applying it, expiry, stale entries,
the exit status, and the check command's --waivers and config default."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from ca_advisor.api import check_paths, get_checker
from ca_advisor.cli import main
from ca_advisor.engines import default_engine
from ca_advisor.model.errors import InputErrors
from ca_advisor.model.findings import Report, Waiver, WaiverNotice
from ca_advisor.reading.builtin import builtin_profiles_dir
from ca_advisor.review.waivers import apply_waivers, load_waivers, parse_waivers

DATA = Path(__file__).resolve().parent / "data" / "waivers"
ARMOUR = DATA / "proposals" / "armour.yaml"


@pytest.fixture(scope="module")
def test_checker():
    return get_checker([DATA / "rules"], [builtin_profiles_dir()], builtin=False)



def run(args):
    return CliRunner().invoke(main, args)


def errors_of(text: str) -> list[str]:
    with pytest.raises(InputErrors) as info:
        parse_waivers(text, file="w.yaml")
    return [e.render() for e in info.value.errors]


# --- reading -------------------------------------------------------------------------

def test_the_test_waivers_file_reads_with_the_line_of_each_entry():
    waivers = load_waivers(DATA / "waivers.yaml")
    assert [(w.entry.proposal, w.entry.rule, w.line, w.column) for w in waivers.entries] == [
        ("test-armour", "TS102", 2, 5), ("test-armour", "TS101", 7, 5),
        ("test-armour", "TS103", 12, 5), ("test-not-checked", "TS101", 16, 5)]
    assert waivers.entries[0].waiver() == Waiver(reason="Duration is set by the annual budget, see memo 4: para 2, 3",
                                                 approved_by="Policy board", expires=datetime.date(2999, 12, 31))
    assert waivers.entries[2].entry.expires is None


def test_a_waiver_needs_a_reason_and_an_approver():
    assert errors_of("waivers:\n  - proposal: p\n    rule: CA201\n") == [
        "w.yaml:2:5: waivers[0].approved_by: missing required field 'approved_by'",
        "w.yaml:2:5: waivers[0].reason: missing required field 'reason'",
    ]


def test_a_blank_reason_or_approver_is_refused_where_it_is_written():
    text = "waivers:\n  - proposal: p\n    rule: CA201\n    reason: '  '\n    approved_by: ''\n"
    assert errors_of(text) == [
        "w.yaml:4:13: waivers[0].reason: must not be empty: say why the finding is accepted",
        "w.yaml:5:18: waivers[0].approved_by: must not be empty: say who accepted it",
    ]


def test_a_number_is_not_a_date():
    text = "waivers:\n  - {proposal: p, rule: CA201, reason: r, approved_by: a, expires: 20140101}\n"
    [error] = errors_of(text)
    assert error == "w.yaml:2:68: waivers[0].expires: expected a date (YYYY-MM-DD), found the number 20140101"


def test_a_second_waiver_for_the_same_proposal_and_rule_is_an_error():
    text = ("waivers:\n  - {proposal: p, rule: CA201, reason: r, approved_by: a}\n"
            "  - {proposal: p, rule: CA201, reason: s, approved_by: b}\n")
    assert errors_of(text) == [
        "w.yaml:3:5: waivers[1]: a second waiver for rule CA201 in proposal 'p' (the first is on line 2); "
        "keep one entry per proposal and rule"]


def test_a_misspelt_field_and_a_bad_rule_id_are_located():
    text = "waivers:\n  - {proposal: p, rule: ca201, reason: r, approved_by: a, expiry: 2014-01-01}\n"
    errors = errors_of(text)
    assert len(errors) == 2
    assert errors[0].startswith("w.yaml:2:25: waivers[0].rule: 'ca201' ")
    assert errors[1].startswith("w.yaml:2:59: waivers[0].expiry: unknown field 'expiry'")
    assert errors[1].endswith("(did you mean 'expires'?)")


def test_the_file_must_be_a_mapping_with_a_waivers_list():
    assert errors_of("- proposal: p\n")[0].startswith("w.yaml:1:1: expected a waivers file: a YAML mapping")


# --- applying ------------------------------------------------------------------------

def _report(test_checker, today):
    return check_paths([ARMOUR], checker=test_checker, waivers=DATA / "waivers.yaml", today=today)


def test_a_live_waiver_marks_its_findings_and_they_stay_in_the_report(test_checker):
    report = _report(test_checker, datetime.date(2024, 5, 1))
    by_rule = {f.rule_id: f for f in report.results[0].findings}
    assert sorted(by_rule) == ["TS101", "TS102", "TS602"]
    assert by_rule["TS102"].waived == Waiver(reason="Duration is set by the annual budget, see memo 4: para 2, 3",
                                             approved_by="Policy board", expires=datetime.date(2999, 12, 31))
    assert by_rule["TS101"].waived is None  # expired on 2020-01-01
    assert by_rule["TS602"].waived is None


def test_expired_and_unmatched_waivers_are_notices_at_their_entries(test_checker):
    report = _report(test_checker, datetime.date(2024, 5, 1))
    file = str(DATA / "waivers.yaml")
    assert report.waiver_notices == [
        WaiverNotice(kind="expired", file=file, line=7, column=5, proposal="test-armour", rule="TS101",
                     expires=datetime.date(2020, 1, 1),
                     message="waiver for rule TS101 in proposal 'test-armour' expired on 2020-01-01 and no longer "
                             "applies; its findings count again"),
        WaiverNotice(kind="unmatched", file=file, line=12, column=5, proposal="test-armour", rule="TS103",
                     message="waiver for rule TS103 in proposal 'test-armour' matched no finding; remove it if "
                             "the finding is gone"),
    ]
    assert report.waiver_notices[0].render() == (
        f"{file}:7:5: waiver for rule TS101 in proposal 'test-armour' expired on 2020-01-01 and no longer "
        "applies; its findings count again")


def test_a_waiver_is_valid_through_its_expiry_date(test_checker):
    on_the_day = _report(test_checker, datetime.date(2020, 1, 1))
    assert {f.rule_id for f in on_the_day.results[0].findings if f.waived} == {"TS101", "TS102"}
    assert [n.kind for n in on_the_day.waiver_notices] == ["unmatched"]
    day_after = _report(test_checker, datetime.date(2020, 1, 2))
    assert {f.rule_id for f in day_after.results[0].findings if f.waived} == {"TS102"}
    assert [n.kind for n in day_after.waiver_notices] == ["expired", "unmatched"]


def test_waivers_for_proposals_not_checked_are_silent(test_checker):
    report = check_paths([DATA / "proposals" / "clean.yaml"], checker=test_checker, waivers=DATA / "waivers.yaml")
    assert report.waiver_notices == []


def test_waived_findings_never_count_toward_fail_on(test_checker):
    waivers = parse_waivers("waivers:\n"
                            "  - {proposal: test-armour, rule: TS101, reason: r, approved_by: a}\n"
                            "  - {proposal: test-armour, rule: TS102, reason: r, approved_by: a}\n"
                            "  - {proposal: test-armour, rule: TS602, reason: r, approved_by: a}\n")
    unwaived = check_paths([ARMOUR], checker=test_checker)
    waived = apply_waivers(unwaived, waivers)
    assert [unwaived.exit_code(level) for level in ("error", "warning", "info", "never")] == [1, 1, 1, 0]
    assert [waived.exit_code(level) for level in ("error", "warning", "info", "never")] == [0, 0, 0, 0]
    assert waived.worst_severity() is None and waived.worst_severity(count_waived=True) == "error"
    assert waived.counts() == {"error": 0, "warning": 0, "info": 0, "waived": 3, "strengths": 0, "stale": 0}


def test_an_empty_report_takes_no_waiver_notices():
    waivers = parse_waivers("waivers: []\n")
    assert apply_waivers(Report(), waivers) == Report()


# --- the command line ----------------------------------------------------------------

def test_check_applies_the_waivers_file(in_data):
    result = run(["check", "proposals/armour.yaml", "--waivers", "waivers.yaml", "--fail-on", "error"])
    assert result.exit_code == 1  # TS101's waiver expired in 2020
    assert result.stderr == ""
    assert "  waived warning TS102 no-duration: " in result.stdout
    assert ("    waived: Duration is set by the annual budget, see memo 4: para 2, 3 (approved by\n"
            "      Policy board, until 2999-12-31)\n") in result.stdout
    assert result.stdout.endswith(
        "waiver expired: waivers.yaml:7:5: waiver for rule TS101 in proposal 'test-armour' expired on 2020-01-01 "
        "and no longer applies; its findings count again\n"
        "waiver unmatched: waivers.yaml:12:5: waiver for rule TS103 in proposal 'test-armour' matched no finding; "
        "remove it if the finding is gone\n"
        "\n"
        "4 rules ran\n"
        "config: ca-advisor.yaml\n"
        f"engine: {default_engine()}\n"
        "1 proposal checked: 1 error, 0 warning, 1 info, 1 waived, 0 strength; 0 input errors\n")


def test_the_config_names_the_default_waivers_file(in_data):
    result = run(["check", "proposals/armour.yaml", "--config", "with-default-waivers.yaml"])
    assert result.exit_code == 1
    assert "waived warning TS102" in result.stdout
    assert f"waiver expired: {DATA / 'waivers.yaml'}:7:5: " in result.stdout


def test_waivers_on_the_command_line_win_over_the_config(in_data, tmp_path):
    own = tmp_path / "mine.yaml"
    own.write_text("waivers:\n  - {proposal: test-armour, rule: TS101, reason: r, approved_by: a}\n")
    result = run(["check", "proposals/armour.yaml", "--config", "with-default-waivers.yaml",
                  "--waivers", str(own), "--fail-on", "error"])
    assert result.exit_code == 0
    assert "waived error TS101" in result.stdout and "waived warning TS102" not in result.stdout


def test_a_malformed_waivers_file_is_an_input_error_with_file_and_line(in_data, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("waivers:\n  - proposal: test-armour\n    rule: TS101\n    approved_by: a\n")
    result = run(["check", "proposals/armour.yaml", "--waivers", str(bad)])
    assert result.exit_code == 2
    assert result.stderr == ""
    assert result.stdout.startswith(f"input error: {bad}:2:5: waivers[0].reason: missing required field 'reason'\n")
    assert "  error TS101 offensive-item: " in result.stdout  # still checked, nothing waived


def test_a_missing_waivers_file_is_an_input_error(in_data):
    result = run(["check", "proposals/armour.yaml", "--waivers", "nope.yaml", "--format", "json"])
    assert result.exit_code == 2
    assert '"file": "nope.yaml"' in result.stdout and '"message": "no such file"' in result.stdout
