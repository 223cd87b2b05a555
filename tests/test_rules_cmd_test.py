"""``ca-advisor rules test``: every fixture case run, PASS/FAIL with the detail on
failure, rules lacking a firing case or a near-miss, one summary line, exit codes."""

from __future__ import annotations

from contextlib import chdir as cwd
from pathlib import Path

from click.testing import CliRunner
from samples import ARMOUR_RULE

from ca_advisor.api import get_checker
from ca_advisor.authoring.runner import render_run, run_fixtures
from ca_advisor.cli import main
from ca_advisor.reading.builtin import builtin_rules_dir


def case(name: str, expect: str, capability: str, message: str | None = None) -> str:
    text = f"  - name: {name}\n    expect: {expect}\n"
    if message:
        text += f"    message: {message}\n"
    return text + (
        "    proposal:\n"
        "      {format: ca-advisor/proposal/v1, id: p, title: P, sponsors: [eu], channel: eu, recipients: [kazakhstan],\n"
        f"       components: [{{id: kit, kind: equipment-transfer, equipment: [{{item: x, capability: {capability}, "
        "quantity: 4}]}]}\n")


FIRE = case("armour", "fire", "armour", "Component 'kit' transfers 4 armoured vehicles.")
QUIET = case("trucks", "quiet", "transport")


def project(tmp_path: Path, cases: str, rule: str = ARMOUR_RULE) -> Path:
    (tmp_path / "rules" / "fixtures").mkdir(parents=True)
    (tmp_path / "rules" / "MY101.yaml").write_text(rule)
    if cases:
        (tmp_path / "rules" / "fixtures" / "MY101.yaml").write_text("rule: MY101\ncases:\n" + cases)
    return tmp_path


def run(directory: Path, *args: str):
    with cwd(directory):
        return CliRunner().invoke(main, ["rules", "test", *args], catch_exceptions=False)


def test_passing_cases_are_a_count(tmp_path):
    result = run(project(tmp_path, FIRE + QUIET), "rules")
    assert result.stdout.splitlines() == ["2 cases: 2 passed, 0 failed"]
    assert result.stderr == ""
    assert result.exit_code == 0


def test_verbose_lists_the_passing_cases():
    # Through the API with the cached built-in checker: every `rules test` run compiles a
    # ruleset, and durable-rules builds new ones less reliably the more a process holds.
    fixture_run = run_fixtures(get_checker(), [builtin_rules_dir()])
    assert render_run(fixture_run) == [fixture_run.summary()]
    verbose = render_run(fixture_run, verbose=True)
    assert len(verbose) == len(fixture_run.cases) + 1 and verbose[-1] == fixture_run.summary()
    assert all(line.startswith("PASS CA") for line in verbose[:-1])
    assert "PASS CA203 fire" in "\n".join(verbose)


def test_a_failing_case_shows_where_and_why(tmp_path):
    wrong = case("armour", "fire", "armour", "Component 'kit' transfers armour.")
    result = run(project(tmp_path, wrong + QUIET), "rules")
    assert result.stdout.splitlines() == [
        "FAIL MY101 fire armour (rules/fixtures/MY101.yaml:3)",
        "     expected fire [\"Component 'kit' transfers armour.\"]; MY101 fired "
        "[\"Component 'kit' transfers 4 armoured vehicles.\"]; CA602 for it: []",
        "2 cases: 1 passed, 1 failed",
    ]
    assert result.exit_code == 1


def test_a_rule_without_a_near_miss_is_reported(tmp_path):
    result = run(project(tmp_path, FIRE), "rules")
    assert result.stdout.splitlines() == [
        "MISSING MY101: no near-miss that stays quiet (expect: quiet); add one to rules/fixtures/MY101.yaml",
        "1 case: 1 passed, 0 failed; 1 rule lacking a firing case or a near-miss",
    ]
    assert result.exit_code == 1


def test_a_rule_without_fixtures_is_reported(tmp_path):
    result = run(project(tmp_path, ""), "rules")
    assert result.stdout.splitlines() == [
        "MISSING MY101: no case that fires (expect: fire) and no near-miss that stays quiet (expect: quiet); "
        "add them to rules/fixtures/MY101.yaml",
        "0 cases: 0 passed, 0 failed; 1 rule lacking a firing case or a near-miss",
    ]
    assert result.exit_code == 1


def test_a_rule_that_does_not_load_stops_the_run(tmp_path):
    result = run(project(tmp_path, FIRE + QUIET, ARMOUR_RULE.replace("capability: armour", "capabilty: armour")), "rules")
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "error: rules/MY101.yaml:7:5: when[0].capabilty: unknown field 'capabilty' for for_each: equipment "
        "(did you mean 'capability'?); run `ca-advisor rules docs facts` for the fields of each fact type",
        "error: the rules cannot be loaded; `ca-advisor rules check` lists every problem",
    ]
    assert result.exit_code == 2


def test_an_unreadable_fixture_file_is_an_input_error(tmp_path):
    result = run(project(tmp_path, FIRE.replace("expect: fire", "expect: fires") + QUIET), "rules")
    assert result.stdout.splitlines() == [
        "ERROR rules/fixtures/MY101.yaml:4:13: cases[0].expect: 'fires' is not allowed; "
        "expected one of: fire, quiet, not-evaluated (did you mean 'fire'?)",
        "0 cases: 0 passed, 0 failed; 1 fixture file problem",
    ]
    assert result.exit_code == 2


def test_a_fixture_file_for_no_rule_is_an_error(tmp_path):
    root = project(tmp_path, FIRE + QUIET)
    (root / "rules" / "fixtures" / "MY999.yaml").write_text("rule: MY999\ncases: []\n")
    result = run(root, "rules")
    assert result.stdout.splitlines()[-2:] == [
        "ERROR rules/fixtures/MY999.yaml: no rule MY999 is loaded for this fixture file; "
        "`ca-advisor rules check` says why",
        "2 cases: 2 passed, 0 failed; 1 fixture file problem",
    ]
    assert result.exit_code == 2


def test_only_the_named_directory_is_tested_but_the_built_in_rules_are_loaded(tmp_path):
    # CA602 (built in) reports the not-evaluated case of a rule in the project
    rule = ARMOUR_RULE.replace("for_each: equipment\nwhen:\n  - capability: armour",
                        "for_each: component\nwhen:\n  - forces: {includes: armed-forces}\nrequires: [forces]")
    rule = rule.replace("{component.id}' transfers {quantity} armoured vehicles", "{id}' goes to the army")
    not_evaluated = ("  - name: no-forces\n    expect: not-evaluated\n    message: >-\n"
                     "      MY101 (transfer-of-armour) could not be evaluated for components[0]: the proposal does\n"
                     "      not give 'forces'; add components[0].forces.\n"
                     "    proposal:\n"
                     "      {format: ca-advisor/proposal/v1, id: p, title: P, sponsors: [eu], channel: eu,\n"
                     "       recipients: [kazakhstan], components: [{id: kit, kind: training}]}\n")
    result = run(project(tmp_path, not_evaluated, rule), "rules")
    assert result.stdout.splitlines() == [
        "MISSING MY101: no case that fires (expect: fire) and no near-miss that stays quiet (expect: quiet); "
        "add them to rules/fixtures/MY101.yaml",
        "1 case: 1 passed, 0 failed; 1 rule lacking a firing case or a near-miss",
    ]


def test_the_built_in_fixtures_all_pass():
    result = run(Path(__file__).resolve().parent)
    last = result.stdout.splitlines()[-1]
    total = int(last.split()[0])
    assert last == f"{total} cases: {total} passed, 0 failed", result.stdout
    assert result.exit_code == 0
