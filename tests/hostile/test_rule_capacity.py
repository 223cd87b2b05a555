"""A rule book larger than durable-rules can hold: its network keeps the tests that
follow a shared test (every rule of a fact type shares its type test) in fixed
tables.  Past some sizes it fails with an error code from the C extension (a
traceback, before); past others it loops forever.  Both are refused with a located,
actionable message, exit 2.  Runs go through a subprocess with a timeout, so that a
regression to a hang fails the test instead of freezing the suite."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from pathlib import Path

import pytest

from ca_advisor.api import get_checker
from ca_advisor.engine import CompiledRules
from ca_advisor.errors import InputErrors

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


def test_more_value_tests_on_one_fact_type_than_durable_rules_holds(tmp_path):
    """520 rules testing quantity against 520 values: durable-rules would loop forever
    past 512."""
    rules = tmp_path / "rules"
    rules.mkdir()
    for n in range(1, 521):
        (rules / f"XX{n:04}.yaml").write_text(RULE.format(id=f"XX{n:04}", n=n))
    proc = run_cli(["check", str(GOOD), "--rules", "rules"], tmp_path)
    assert proc.returncode == 2
    assert proc.stderr == (
        f"error: {Path('rules') / 'XX0520.yaml'}: when: the rule book is too large for durable-rules: its rules on "
        "equipment facts start with 521 different value tests, and durable-rules stops responding past 512 (we "
        "allow 500); disable or select fewer rules in ca-advisor.yaml, or merge rules\n")
    assert proc.stdout == ""


def test_within_the_limit_the_same_rules_load(tmp_path):
    rules = tmp_path / "rules"
    rules.mkdir()
    for n in range(1, 101):
        (rules / f"XX{n:04}.yaml").write_text(RULE.format(id=f"XX{n:04}", n=n))
    proc = run_cli(["check", str(GOOD), "--rules", "rules", "--fail-on", "never"], tmp_path)
    assert (proc.returncode, proc.stderr) == (0, "")


def test_hundreds_of_rules_with_one_condition_are_refused():
    """257 copies of CA202's condition made durable-rules hang; refused at 201."""
    book = get_checker().book
    ca202 = book.get("CA202")
    copies = [dataclasses.replace(ca202, rule=ca202.rule.model_copy(update={"id": f"ZZ{n:03}202"}))
              for n in range(201)]
    with pytest.raises(InputErrors) as exc:
        CompiledRules(copies)
    assert exc.value.errors[0].render() == (
        "rules: 201 rules have one and the same condition; durable-rules stops responding past about 256 "
        "(we allow 200); merge them into one rule")


def test_an_error_code_from_durable_rules_names_the_rule_that_does_not_fit():
    """Rules whose first test is an absence or list test fill a 128-entry table; the
    C extension then fails with error 107, which we locate by compiling prefixes."""
    ca102 = get_checker().book.get("CA102")
    copies = [dataclasses.replace(ca102, rule=ca102.rule.model_copy(update={"id": f"ZZ{n:03}102"}),
                                  file=f"rules/ZZ{n:03}102.yaml") for n in range(140)]
    with pytest.raises(InputErrors) as exc:
        CompiledRules(copies)
    message = exc.value.errors[0].render()
    assert message.startswith("rules/ZZ")
    assert "does not fit in durable-rules' network (140 rules loaded, only the first" in message
    assert "error code: 107" in message
