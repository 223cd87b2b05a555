"""A rule book larger than durable-rules can hold: its network keeps the tests that
follow any shared test in fixed tables (engines/capacity.py models them).  Past some
sizes it fails with an error code from the C extension; past others it loops forever
or reads past a table.  Every such book is refused before durable-rules sees it,
with a located, actionable message, exit 2, whichever engine runs.  CLI runs go
through a subprocess with a timeout, so that a regression to a hang fails the test
instead of freezing the suite."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from pathlib import Path

import pytest

from ca_advisor.api import get_checker
from ca_advisor.engines import build_engine
from ca_advisor.model.errors import InputErrors

from ._run import GOOD

RULE = """id: {id}
name: generated-{n}
severity: info
title: A generated rule
for_each: equipment
when:
  - quantity: {{is: {n}}}
message: "{{quantity}} items"
reasoning: r
evidence: [{{quote: q, section: "5"}}]
recommendation: r
"""


def run_cli(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    code = "import sys; from ca_advisor.cli import main; sys.exit(main())"
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, cwd=cwd,
                          timeout=120, check=False)


def rule_dir(tmp_path: Path, count: int) -> Path:
    rules = tmp_path / "rules"
    rules.mkdir()
    for n in range(1, count + 1):
        (rules / f"XX{n:04}.yaml").write_text(RULE.format(id=f"XX{n:04}", n=n))
    return rules


def test_more_tests_after_one_shared_test_than_durable_rules_holds(tmp_path):
    """520 rules testing quantity against 520 values: durable-rules would loop forever
    past 512 tests after the shared test of the fact type (the built-in equipment
    rules bring one more)."""
    rule_dir(tmp_path, 520)
    proc = run_cli(["check", str(GOOD), "--rules", "rules"], tmp_path)
    assert proc.returncode == 2
    assert proc.stderr == (
        f"error: {Path('rules') / 'XX0500.yaml'}:7:15: when[0].quantity: the rules on equipment facts have 501 "
        "different tests after one shared test (for_each: equipment); durable-rules stops responding past 512 "
        "(ca-advisor allows 500); test fewer different values there (a comparison such as at_least instead of a "
        "list of values), or disable or select fewer rules in ca-advisor.yaml\n")
    assert proc.stdout == ""


def test_rules_check_compiles_the_book_and_shows_the_refusal(tmp_path):
    rule_dir(tmp_path, 520)
    proc = run_cli(["rules", "check", "rules"], tmp_path)
    assert proc.returncode == 2
    assert (f"{Path('rules') / 'XX0500.yaml'}:7:15: when[0].quantity: the rules on equipment facts have 501 "
            "different tests after one shared test") in proc.stdout + proc.stderr


def test_within_the_limit_the_same_rules_load(tmp_path):
    rule_dir(tmp_path, 100)
    proc = run_cli(["check", str(GOOD), "--rules", "rules", "--fail-on", "never"], tmp_path)
    assert (proc.returncode, proc.stderr) == (0, "")


def test_the_fan_out_under_a_shared_test_other_than_the_fact_type_counts(tmp_path):
    """The old check counted only the tests right after the fact type; 501 rules that
    share a first test fill the table of that test just the same."""
    rules = tmp_path / "rules"
    rules.mkdir()
    for n in range(1, 502):
        (rules / f"XX{n:04}.yaml").write_text(RULE.format(id=f"XX{n:04}", n=n).replace(
            "  - quantity:", "  - capability: {is: transport}\n  - quantity:"))
    with pytest.raises(InputErrors) as exc:
        get_checker([rules], builtin=False)
    assert exc.value.errors[0].render() == (
        f"{rules / 'XX0501.yaml'}:8:15: when[1].quantity: the rules on equipment facts have 501 different tests "
        "after one shared test (capability is \"transport\"); durable-rules stops responding past 512 (ca-advisor "
        "allows 500); test fewer different values there (a comparison such as at_least instead of a list of "
        "values), or disable or select fewer rules in ca-advisor.yaml")


def test_one_rule_with_too_many_values_in_one_of_is_refused(tmp_path):
    rules = tmp_path / "rules"
    rules.mkdir()
    values = ", ".join(str(n) for n in range(1, 514))
    (rules / "XX0001.yaml").write_text(RULE.format(id="XX0001", n=1).replace("{is: 1}", f"{{one_of: [{values}]}}"))
    with pytest.raises(InputErrors) as exc:
        get_checker([rules], builtin=False)
    assert exc.value.errors[0].render().startswith(
        f"{rules / 'XX0001.yaml'}:7:15: when[0].quantity: the rules on equipment facts have 501 different tests "
        "after one shared test (for_each: equipment)")


def test_a_config_parameter_that_overflows_is_blamed_in_the_config(tmp_path):
    """600 donors in a parameter list: the problem is the config's value, not the rule."""
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "XX0001.yaml").write_text(
        RULE.format(id="XX0001", n=1).replace("for_each: equipment", "for_each: proposal")
        .replace("  - quantity: {is: 1}", "  - sponsors: {includes_any: {param: donors}}")
        .replace('"{quantity} items"', '"{sponsors}"')
        + "parameters:\n  donors: {default: [united-states], description: d}\n")
    donors = ", ".join(f"donor-{n}" for n in range(600))
    (tmp_path / "ca-advisor.yaml").write_text(f"rules: [rules]\nparameters:\n  XX0001:\n    donors: [{donors}]\n")
    proc = run_cli(["check", str(GOOD)], tmp_path)
    assert proc.returncode == 2
    assert proc.stderr == (
        f"error: {tmp_path / 'ca-advisor.yaml'}:4:13: parameters.XX0001.donors: with this value of XX0001's "
        "parameter 'donors', the rules on proposal facts have 501 different tests after one shared test "
        "(for_each: proposal); durable-rules stops responding past 512 (ca-advisor allows 500); give the "
        "parameter fewer values\n")


def _copies(rule_id: str, count: int):
    rule = get_checker().book.get(rule_id)
    return [dataclasses.replace(rule, rule=rule.rule.model_copy(update={"id": f"ZZ{n:04}"})) for n in range(count)]


def test_copies_of_a_rule_with_an_any_group_are_refused_before_durable_rules_hangs():
    """Each any: group is joined in a 128-entry list of each of its branches; 129
    copies of CA202 make durable-rules read past that list and hang (measured)."""
    with pytest.raises(InputErrors) as exc:
        build_engine(_copies("CA202", 121))
    assert exc.value.errors[0].render().endswith(
        "CA202.yaml:10:7: when[0].any: the rules on recipient facts have 121 absence tests or any: groups after "
        "one shared test (transferred_quantity.reconnaissance >= a sum); durable-rules holds 128 there (error 107 "
        "or a hang; ca-advisor allows 120); merge rules that share these tests, or disable or select fewer rules "
        "in ca-advisor.yaml")


def test_copies_of_a_rule_with_an_absence_test_are_refused_before_error_107():
    """140 copies of CA102 gave durable-rules' error 107; 121 are refused at the test."""
    with pytest.raises(InputErrors) as exc:
        build_engine(_copies("CA102", 121))
    assert "CA102.yaml:10:11: when[1].kind: the rules on component facts have 121 absence tests or any: groups " \
           "after one shared test (kind is not given)" in exc.value.errors[0].render()
    assert len(build_engine(_copies("CA102", 120)).run([])) == 0


def test_a_rule_with_too_many_groups_is_told_to_split():
    """Error 113: durable-rules allows 31 expression steps per rule; 15 is_not tests
    take 32.  The fix is to split the rule, which the message says."""
    rule = get_checker().book.get("CA503")
    from ca_advisor.conditions import Check, Group, Test
    tests = tuple(Test("proposal.channel", (Check("is_not", "un"),), path=f"when[{i}]") for i in range(15))
    wide = dataclasses.replace(rule, condition=Group("all", tests, "when"),
                               rule=rule.rule.model_copy(update={"requires": []}))
    with pytest.raises(InputErrors) as exc:
        build_engine([wide])
    assert exc.value.errors[0].render().endswith(
        "when: the conditions of CA503 take 32 expression steps in durable-rules, which allows 31 per rule (error "
        "113; each any:, all:, one_of, not_one_of, is_not, includes_any and includes_none of several values takes "
        "two); split it into several rules")


def test_more_compiled_rules_than_durable_rules_has_actions_for_are_refused(tmp_path):
    """durable-rules holds 4,096 actions in a network (error 106 past them; the 4,500
    generated rules of benchmarks/run.py met it): one per compiled rule and one for
    the sentinel.  Rules spread so that no table after a shared test fills."""
    from ca_advisor.engines.capacity import ACTIONS_ALLOWED, Network, Overflow, _message

    network = Network()
    for n in range(ACTIONS_ALLOWED):
        assert network.add("equipment", [{"data.source": f"s{n // 400}"}, {"data.quantity": n}]) is None
    assert network.add("equipment", [{"data.source": "s0"}, {"data.quantity": -1}]) == \
        (-1, Overflow("actions", ACTIONS_ALLOWED + 1, ""))
    [loaded] = get_checker([rule_dir(tmp_path, 1)], builtin=False).book.rules
    assert _message(loaded, "equipment", Overflow("actions", 4001, "")) == (
        "with XX0001 the rule book makes 4001 rules in durable-rules (each rule, and one more for each field it "
        "requires); durable-rules holds 4096 in all (error 106; ca-advisor allows 4000)",
        "disable or select fewer rules in ca-advisor.yaml")


def test_too_many_rules_is_never_blamed_on_a_configured_parameter():
    """The actions durable-rules holds are counted in rules: the advice is fewer rules,
    even when the rule that crosses the limit has a parameter set in the config."""
    from dataclasses import replace

    from ca_advisor.engines.capacity import Overflow, _refusal, placements
    from ca_advisor.model.errors import input_error

    ca703 = get_checker().book.get("CA703")
    configured = replace(ca703, configured=(("min_countries", input_error(
        file="ca-advisor.yaml", line=4, column=5, path="parameters.CA703.min_countries", message="")),))
    placed = placements([configured])[0]
    refusal = _refusal(placed, -1, Overflow("actions", 4001, ""))
    assert (refusal.file, refusal.message) == (
        ca703.file, "with CA703 the rule book makes 4001 rules in durable-rules (each rule, and one more for each "
        "field it requires); durable-rules holds 4096 in all (error 106; ca-advisor allows 4000); disable or select "
        "fewer rules in ca-advisor.yaml")
    assert "parameter" in _refusal(placed, 0, Overflow("hashed", 300, "type")).message  # a table: the parameter
