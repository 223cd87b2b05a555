"""Silent passes: nothing switches the checker off without saying so.

A config file is searched for no higher than the repository root or the user's
home (outside both, only in the current directory), the config a run used is named
in its output, and a config that leaves no rule to run is warned about. (Skipped
paths are in test_skipped_paths.py; countries, duplicates, dates and fixtures below.)"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ca_advisor.reading.builtin import builtin_rules_dir
from ca_advisor.rulebook.config_search import find_config

from ._run import DATA, GOOD, GOOD_ID, assert_refused, check_as, data_files, run_cli

ALL_IDS = sorted(p.stem for p in builtin_rules_dir().glob("CA*.yaml"))
DISABLE_ALL = f"disable: [{', '.join(ALL_IDS)}]\n"
HOW = "write the country's English short name in lower case with hyphens (e.g. 'united-states')"


def test_a_config_above_the_repository_root_is_not_used(tmp_path):
    (tmp_path / "ca-advisor.yaml").write_text(DISABLE_ALL)
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / "sub").mkdir()
    shutil.copy(GOOD, repo / "sub" / "good.yaml")
    run = run_cli(["check", "good.yaml"], repo / "sub")
    assert run.exit_code == 1  # the built-in rules ran and found something
    assert "config:" not in run.stdout and run.stderr == ""


def test_outside_a_repository_only_the_current_directory_is_searched(tmp_path):
    (tmp_path / "ca-advisor.yaml").write_text(DISABLE_ALL)
    (tmp_path / "work").mkdir()
    assert find_config(tmp_path / "work", home=Path("/nonexistent")) is None
    assert find_config(tmp_path, home=Path("/nonexistent")) == tmp_path / "ca-advisor.yaml"


def test_the_search_stops_at_home(tmp_path):
    (tmp_path / "ca-advisor.yaml").write_text(DISABLE_ALL)
    home = tmp_path / "home"
    (home / "project").mkdir(parents=True)
    assert find_config(home / "project", home=home) is None
    (home / "ca-advisor.yaml").write_text("fail_on: error\n")
    assert find_config(home / "project", home=home) == home / "ca-advisor.yaml"


def test_the_config_used_is_named_and_a_config_that_runs_nothing_is_warned_about(tmp_path):
    (tmp_path / ".git").mkdir()
    (tmp_path / "ca-advisor.yaml").write_text(DISABLE_ALL)
    (tmp_path / "sub").mkdir()
    shutil.copy(GOOD, tmp_path / "sub" / "good.yaml")
    run = run_cli(["check", "good.yaml"], tmp_path / "sub")
    config = str(tmp_path / "ca-advisor.yaml")
    assert run.exit_code == 0 and run.checked == [GOOD_ID]
    assert f"config: {config}" in run.stdout.splitlines()
    assert run.stdout.splitlines()[-1] == "1 proposal checked: 0 error, 0 warning, 0 info, 0 waived, 0 strength; " \
                                          "0 input errors"
    assert run.stderr == (f"warning: no rule that reports findings is left to run ({config}: disable/select); "
                          "every proposal will pass\n")
    json_run = run_cli(["check", "sub/good.yaml", "--format", "json"], tmp_path)
    assert '"config": "ca-advisor.yaml"' in json_run.stdout


# --- proposals that used to pass as something else -------------------------------

CASES = {
    "misspelt-recipient.yaml": [
        "{file}:8:14: recipients[0]: 'kazakstan' is not a country name (did you mean 'kazakhstan'?); " + HOW,
        "{file}:9:13: consulted[0]: 'tajikistn' is not a country name (did you mean 'tajikistan'?); " + HOW,
        "{file}:9:24: consulted[1]: 'mordor' is not a country name; " + HOW],
    "not-a-country.yaml": [
        "{file}:12:23: components[0].transit_through[0]: 'narnia' is not a country name; " + HOW,
        "{file}:13:25: components[0].location.country: 'atlantis' is not a country name; " + HOW],
    "duplicate-recipients.yaml": [
        "{file}:8:26: recipients[1]: 'kazakhstan' is already listed at recipients[0]; list each once",
        "{file}:12:30: components[0].forces[1]: 'border-service' is already listed at components[0].forces[0]; "
        "list each once"],
    "numeric-date.yaml": ["{file}:5:7: date: expected a date (YYYY-MM-DD), found the number 0"],
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_proposals_that_would_pass_as_something_else_are_refused(case, tmp_path):
    run, name = check_as("proposal", (DATA / "silent_passes" / case).read_bytes(), tmp_path)
    assert_refused(run, "proposal", [m.format(file=name) for m in CASES[case]])


def test_every_data_file_has_a_case():
    assert data_files("silent_passes") == sorted(CASES)


@pytest.mark.parametrize("where,text,message", [
    ("waivers", "waivers:\n  - {proposal: p, rule: CA101, reason: r, approved_by: a, expires: 20140101}\n",
     "waivers.yaml:2:68: waivers[0].expires: expected a date (YYYY-MM-DD), found the number 20140101"),
    ("profile", "country: atlantis\nname: Atlantis\nfacts:\n  csto_member:\n    - {value: 'yes', since: 0, "
                "source: {note: n}}\n",
     "profiles/atlantis.yaml:5:29: facts.csto_member[0].since: expected a date (YYYY-MM-DD), found the number 0"),
])
def test_numeric_dates_are_refused_in_every_file(where, text, message, tmp_path):
    run, _ = check_as(where, text.encode(), tmp_path)
    assert message in run.errors
    assert run.exit_code == 2


@pytest.mark.parametrize("expected,message", [
    ("message: ''", "cases[0].message: must not be empty"),
    ("messages: []", "cases[0].messages: must list at least 1 entry, found an empty list"),
    ("messages: ['  ']", "cases[0]: an expected message is blank; write the exact message the rule gives"),
])
def test_a_firing_case_with_no_expected_message_is_refused(expected, message, tmp_path):
    (tmp_path / "rules" / "fixtures").mkdir(parents=True)
    (tmp_path / "rules" / "fixtures" / "CA203.yaml").write_text(
        f"rule: CA203\ncases:\n  - name: empty\n    expect: fire\n    {expected}\n    proposal: {{}}\n")
    run = run_cli(["rules", "check", "rules"], tmp_path)
    assert run.exit_code == 2
    assert [line.split(": ", 1)[1] for line in run.stdout.splitlines() if line.startswith("rules/")][0] == message
