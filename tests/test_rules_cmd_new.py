"""``ca-advisor rules new``: a skeleton that loads, that `rules check` and `rules test`
point at until it is filled in, and that never overwrites a file."""

from __future__ import annotations

from contextlib import chdir as cwd
from pathlib import Path

import pytest
from click.testing import CliRunner

from ca_advisor.cli import main
from ca_advisor.reading.builtin import builtin_profiles_dir
from ca_advisor.rulebook.load import load_rulebook


def run(directory: Path, *args: str):
    with cwd(directory):
        return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture
def project(tmp_path):
    (tmp_path / "policy").mkdir()
    (tmp_path / "ca-advisor.yaml").write_text("rules: [policy]\n")
    return tmp_path


def test_writes_a_rule_and_a_fixture_skeleton_into_the_config_rules_directory(project):
    result = run(project, "rules", "new", "MY101", "--name", "long-programme")
    assert result.stdout.splitlines() == [
        "wrote policy/MY101.yaml",
        "wrote policy/fixtures/MY101.yaml",
        "next: replace every TODO, then run `ca-advisor rules check` and `ca-advisor rules test policy`",
    ]
    assert result.exit_code == 0
    text = (project / "policy" / "MY101.yaml").read_text()
    assert text.startswith("# MY101 — long-programme: one line on what this rule guards against.\n")
    assert "id: MY101\nname: long-programme\n" in text


def test_the_skeleton_loads(project):
    run(project, "rules", "new", "MY101", "--name", "long-programme")
    book = load_rulebook([project / "policy"], [builtin_profiles_dir()])
    assert [r.id for r in book.rules] == ["MY101"]


def test_rules_check_points_at_every_placeholder(project):
    run(project, "rules", "new", "MY101", "--name", "long-programme")
    result = run(project, "rules", "check")
    todo = "still holds the placeholder 'TODO' written by `ca-advisor rules new`; replace it with the real text"
    assert result.stdout.splitlines()[:-2] == [
        f"policy/MY101.yaml:9:8: title: {todo}",
        f"policy/MY101.yaml:21:10: message: {todo}",
        f"policy/MY101.yaml:23:12: reasoning: {todo}",
        f"policy/MY101.yaml:26:12: evidence[0].quote: {todo}",
        f"policy/MY101.yaml:27:14: evidence[0].section: {todo}",
        f"policy/MY101.yaml:29:17: recommendation: {todo}",
        f"policy/fixtures/MY101.yaml:5:11: cases[0].name: {todo}",
        f"policy/fixtures/MY101.yaml:8:14: cases[0].message: {todo}",
        f"policy/fixtures/MY101.yaml:19:11: cases[1].name: {todo}",
    ]
    assert result.exit_code == 2


def test_rules_test_fails_both_cases_until_they_are_filled_in(project):
    run(project, "rules", "new", "MY101", "--name", "long-programme")
    result = run(project, "rules", "test", "policy")
    assert result.stdout.splitlines() == [
        "FAIL MY101 fire TODO-a-proposal-it-must-flag (policy/fixtures/MY101.yaml:5)",
        "     expected fire ['TODO: the exact message']; MY101 fired "
        "[\"TODO: what the finding says about component 'course'.\"]; CA602 for it: []",
        "FAIL MY101 quiet TODO-a-near-miss-it-must-not-flag (policy/fixtures/MY101.yaml:19)",
        "     expected quiet []; MY101 fired [\"TODO: what the finding says about component 'course'.\"]; "
        "CA602 for it: []",
        "2 cases: 0 passed, 2 failed",
    ]
    assert result.exit_code == 1


def test_never_overwrites(project):
    run(project, "rules", "new", "MY101", "--name", "long-programme")
    (project / "policy" / "MY101.yaml").write_text("# mine\n")
    result = run(project, "rules", "new", "MY101", "--name", "other")
    assert result.stderr == "error: rule MY101 already exists in policy/MY101.yaml; choose another id\n"
    assert result.exit_code == 2
    assert (project / "policy" / "MY101.yaml").read_text() == "# mine\n"


def test_never_overwrites_a_fixture_file_either(project):
    (project / "policy" / "fixtures").mkdir()
    (project / "policy" / "fixtures" / "MY102.yaml").write_text("# mine\n")
    result = run(project, "rules", "new", "MY102", "--name", "other")
    assert result.stderr == ("error: policy/fixtures/MY102.yaml already exists; not overwritten "
                             "(choose another id or remove the file)\n")
    assert result.exit_code == 2
    assert not (project / "policy" / "MY102.yaml").exists()


def test_refuses_the_id_of_a_built_in_rule(project):
    result = run(project, "rules", "new", "CA101", "--name", "mine")
    assert result.stderr.startswith("error: rule CA101 already exists in ")
    assert result.stderr.endswith("CA101.yaml; choose another id\n")
    assert result.exit_code == 2


@pytest.mark.parametrize("rule_id,name,message", [
    ("my101", "x", "'my101' is not a rule id; use two or more capital letters and three or more digits, e.g. MY101"),
    ("MY101", "Long Programme", "'Long Programme' is not a rule name; use lower-case letters, digits and hyphens, "
                                "e.g. long-programme-before-succession"),
])
def test_refuses_a_bad_id_or_name(project, rule_id, name, message):
    result = run(project, "rules", "new", rule_id, "--name", name)
    assert result.stderr == f"error: {message}\n"
    assert result.exit_code == 2


def test_a_directory_outside_the_config_gets_a_note(project):
    result = run(project, "rules", "new", "MY101", "--name", "x", "--dir", "elsewhere")
    assert result.stdout.splitlines()[2] == ("note: elsewhere is not among the rule directories; add it to `rules:` "
                                             "in ca-advisor.yaml or pass --rules to each command")
    assert (project / "elsewhere" / "fixtures" / "MY101.yaml").exists()


def test_a_directory_that_cannot_be_made(project):
    (project / "afile").write_text("")
    result = run(project, "rules", "new", "MY101", "--name", "x", "--dir", "afile/rules")
    assert result.stderr == "error: cannot write afile/rules: Not a directory\n"
    assert result.exit_code == 2
