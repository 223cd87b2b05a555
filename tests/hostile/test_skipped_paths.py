"""Nothing under a directory is skipped without a word: a case-variant suffix
(``X.YAML``), a ``.yml`` rule, fixture or profile file, a symbolic link to a
directory, an unreadable directory, a broken link and a FIFO are each reported
(exit 2), and a FIFO never blocks the run; a directory named twice is read once."""

from __future__ import annotations

import os
import shutil

import pytest

from ._run import GOOD, GOOD_ID, run_cli

SAMPLE_RULE = "rules/CA203.yaml"


def test_every_skipped_path_under_a_proposals_directory(root, monkeypatch):
    batch = root / "batch"
    (batch / "deep").mkdir(parents=True)
    (batch / "locked").mkdir()
    shutil.copy(GOOD, batch / "deep" / "a.yaml")
    shutil.copy(GOOD, batch / "LOUD.YAML")
    (root / "elsewhere").mkdir()
    (batch / "linked").symlink_to(root / "elsewhere")
    (batch / "gone.yml").symlink_to(root / "nowhere.yaml")
    os.mkfifo(batch / "pipe.yaml")
    real_scandir = os.scandir

    def scandir(path):  # root reads any directory, so unreadability is simulated
        if str(path).endswith("locked"):
            raise PermissionError(13, "Permission denied")
        return real_scandir(path)
    monkeypatch.setattr(os, "scandir", scandir)
    run = run_cli(["check", "batch"], root)
    assert run.errors == [
        "batch/LOUD.YAML: is not read: proposal files end in .yaml or .yml; rename it LOUD.yaml",
        "batch/gone.yml: is a broken symbolic link; not read",
        "batch/linked: is a symbolic link to a directory and is not followed; name the directory itself to check it",
        "batch/locked: cannot be read (Permission denied); its files are not checked",
        "batch/pipe.yaml: is not a regular file (a pipe, socket or device); not read",
    ]
    assert (run.exit_code, run.checked) == (2, [GOOD_ID])


@pytest.mark.parametrize("where", ["rules", "rules/fixtures", "profiles"])
@pytest.mark.parametrize("name", ["extra.yml", "EXTRA.YAML", "pipe.yaml"])
def test_rule_fixture_and_profile_directories_report_what_they_skip(root, where, name):
    (root / "rules" / "fixtures").mkdir(parents=True)
    shutil.copy(os.path.join(os.path.dirname(__file__), "..", "..", SAMPLE_RULE), root / "rules" / "XX901.yaml")
    text = (root / "rules" / "XX901.yaml").read_text().replace("id: CA203", "id: XX901")
    (root / "rules" / "XX901.yaml").write_text(text)
    (root / "profiles").mkdir()
    target = root / where / name
    if name == "pipe.yaml":
        os.mkfifo(target)
        message = "is not a regular file (a pipe, socket or device); not read"
    else:
        target.write_text("id: XX902\n")
        message = f"is not read: rule, fixture and profile files end in .yaml; rename it {target.stem}.yaml"
    expected = f"{where}/{name}: {message}"
    commands = [["rules", "check", "rules", "--profiles", "profiles"], ["rules", "test", "rules", "--profiles", "profiles"]]
    if where != "rules/fixtures":  # check reads no fixtures
        commands.append(["check", "good.yaml", "--rules", "rules", "--profiles", "profiles"])
    for args in commands:
        run = run_cli(args, root)
        assert expected in run.stdout + run.stderr, (args, run.stdout, run.stderr)
        assert run.exit_code == 2, args


def test_a_directory_given_by_the_config_and_on_the_command_line_is_read_once(root):
    (root / "more").mkdir()
    shutil.copy(os.path.join(os.path.dirname(__file__), "..", "..", SAMPLE_RULE), root / "more" / "XX901.yaml")
    rule = (root / "more" / "XX901.yaml")
    rule.write_text(rule.read_text().replace("id: CA203", "id: XX901"))
    (root / "ca-advisor.yaml").write_text("rules: [more]\n")
    run = run_cli(["check", "good.yaml", "--config", "ca-advisor.yaml", "--rules", "more", "--rules", "./more/"],
                  root)
    assert "also defined in" not in run.stdout + run.stderr
    assert run.checked == [GOOD_ID]


def test_a_fifo_named_on_the_command_line_never_blocks(root):
    os.mkfifo(root / "pipe.yaml")
    run = run_cli(["check", "pipe.yaml", "good.yaml"], root)
    assert run.errors == ["pipe.yaml:1: is empty; expected a proposal (format ca-advisor/proposal/v1): a YAML mapping"]
    assert (run.exit_code, run.checked) == (2, [GOOD_ID])
