"""The smaller holes: a report path that is a device, raw line separators shifting
line numbers, `rules new` taking an id with a trailing newline, and escaped braces
in a rule message. (A directory named by the config and --rules is read once: see
test_skipped_paths.py.)"""

from __future__ import annotations

import shutil

import pytest

from ca_advisor.rulebook.message import placeholders, render

from ._run import GOOD, check_as, run_cli


def test_a_report_that_is_a_device_is_named_as_such(tmp_path):
    run = run_cli(["rules", "check", "--report", "/dev/zero"], tmp_path)
    assert (run.exit_code, run.stderr) == (2, "error: the report file /dev/zero (--report) is not a regular file (a "
                                              "directory, device or pipe); give the report's text file\n")


@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\x85", "\r"])
def test_line_separators_in_text_do_not_shift_line_numbers(separator, tmp_path):
    text = GOOD.read_text().replace("title: ", f'summary: "one{separator}two{separator}three"\ntytle: x\ntitle: ')
    run, name = check_as("proposal", text.encode(), tmp_path)
    line = text.split("\n").index("tytle: x") + 1
    assert run.errors[0].startswith(f"{name}:{line}:1: tytle: unknown field 'tytle'")
    broken = text.replace("tytle: x", "tytle: [x")
    run, name = check_as("proposal", broken.encode(), tmp_path)
    assert run.errors[0].startswith(f"{name}:{line + 1}:")  # the unclosed list, reported where it ends


@pytest.mark.parametrize("rule_id,shown", [("MY101\n", '"MY101\\n"'), ("MY1\x0101", '"MY1\\u000101"'),
                                           ("../MY101", "'../MY101'")])
def test_rules_new_refuses_an_id_that_only_looks_right(rule_id, shown, tmp_path):
    run = run_cli(["rules", "new", rule_id, "--name", "my-rule", "--dir", "rules"], tmp_path)
    assert (run.exit_code, run.stdout, run.stderr) == (
        2, "", f"error: {shown} is not a rule id; use two or more capital letters and three or more digits, "
               "e.g. MY101\n")
    assert not (tmp_path / "rules").exists()


def test_doubled_braces_are_literal_in_a_message():
    template = "{{id}} is {id}; {{{id}}} {{param.x}} {param.x}"
    assert render(template, {"id": "c1"}, {"x": 3}) == "{id} is c1; {c1} {param.x} 3"
    assert [p.name for p in placeholders(template)] == ["id", "id", "param.x"]


def test_a_rule_message_with_doubled_braces_loads(tmp_path):
    shutil.copytree(GOOD.parent.parent.parent.parent / "rules", tmp_path / "builtin")
    rule = (tmp_path / "builtin" / "CA203.yaml").read_text()
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "XX203.yaml").write_text(
        rule.replace("id: CA203", "id: XX203").replace("message: >-", "message: >-\n  {{literal}}", 1))
    run = run_cli(["rules", "check", "rules"], tmp_path)
    assert "XX203.yaml" not in run.stdout, run.stdout


@pytest.mark.parametrize("typed,shown", [("\x01", '"\\u0001"'), ("Foo Bar", "'Foo Bar'")])
def test_a_pack_option_that_is_neither_name_nor_path(typed, shown, tmp_path):
    shutil.copy(GOOD, tmp_path / "good.yaml")
    run = run_cli(["check", "good.yaml", "--pack", typed], tmp_path)
    assert (run.exit_code, run.stdout, run.stderr) == (
        2, "", f"error: --pack: {shown} is neither a pack name (lower-case letters, digits and hyphens) nor a "
               "directory holding ca-advisor-pack.yaml\n")


def test_braces_in_a_value_are_never_read_as_placeholders():
    template = "'{title}' and {title} and '{missing}'"
    assert render(template, {"title": "{id} {{x}} '{id}'", "id": "c1"}, {}) == \
        "'{id} {{x}} '{id}'' and {id} {{x}} '{id}' and not given"
