"""Paths that do not lead to a readable YAML file: missing files, directories with
no YAML, broken and looping links, paths through a file, unreadable files; for
proposals (reported, the rest still checked) and for rule, profile and config
locations (the run stops with exit 2)."""

from __future__ import annotations

import builtins
import os
import pathlib
import shutil

import pytest

from ._run import GOOD, GOOD_ID, run_cli

NO_YAML = "directory holds no *.yaml or *.yml files"


def assert_reported(run, errors):
    """Proposal problems: exit 2, exactly these errors, and the valid file still checked."""
    assert (run.exit_code, run.errors, run.checked) == (2, errors, [GOOD_ID])


def test_a_missing_file(root):
    assert_reported(run_cli(["check", "nowhere.yaml", "good.yaml"], root), ["nowhere.yaml: no such file"])


def test_a_missing_waivers_file_is_reported_and_the_proposals_still_checked(root):
    assert_reported(run_cli(["check", "good.yaml", "--waivers", "nowhere.yaml"], root),
                    ["nowhere.yaml: no such file"])


def test_a_directory_with_no_yaml(root):
    (root / "empty").mkdir()
    (root / "notes").mkdir()
    (root / "notes" / "README.txt").write_text("not a proposal\n")
    (root / "notes" / "draft.yaml.bak").write_text("format: x\n")
    run = run_cli(["check", "empty", "notes", "good.yaml"], root)
    assert_reported(run, [f"empty: {NO_YAML}", f"notes: {NO_YAML}"])


def test_a_directory_is_searched_and_its_bad_files_reported(root):
    (root / "batch" / "sub").mkdir(parents=True)
    shutil.copy(GOOD, root / "batch" / "sub" / "b.yml")
    (root / "batch" / "a.yaml").write_bytes(b"\x00")
    run = run_cli(["check", "batch"], root)
    assert (run.exit_code, run.errors, run.checked) == (
        2, ["batch/a.yaml:1: is a binary file (it contains NUL bytes); expected UTF-8 YAML text"], [GOOD_ID])


def test_a_path_through_a_file(root):
    run = run_cli(["check", "good.yaml/inner.yaml", "good.yaml"], root)
    assert_reported(run, ["good.yaml/inner.yaml: cannot be read: Not a directory"])


def test_a_broken_link(root):
    (root / "dangling.yaml").symlink_to(root / "gone.yaml")
    assert_reported(run_cli(["check", "dangling.yaml", "good.yaml"], root), ["dangling.yaml: no such file"])


def test_a_link_loop(root):
    (root / "a.yaml").symlink_to(root / "b.yaml")
    (root / "b.yaml").symlink_to(root / "a.yaml")
    run = run_cli(["check", "a.yaml", "good.yaml"], root)
    assert_reported(run, ["a.yaml: cannot be read: Too many levels of symbolic links"])


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0,
                    reason="root reads files whatever their mode; the monkeypatched test below covers this as root")
def test_an_unreadable_file_for_real(root):
    secret = root / "secret.yaml"
    shutil.copy(GOOD, secret)
    secret.chmod(0)
    assert_reported(run_cli(["check", "secret.yaml", "good.yaml"], root),
                    ["secret.yaml: cannot be read: permission denied"])


def _refuse_opening(monkeypatch, names: set[str]) -> None:
    """From now on, opening a file of one of these names fails as it would without
    read permission (tests run as root, who may read anything)."""
    real_open = builtins.open

    def guarded(file, *args, **kwargs):
        if isinstance(file, (str, os.PathLike)) and pathlib.Path(file).name in names:
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", guarded)
    real_os_open = os.open  # the YAML reader opens with os.open (O_NONBLOCK, for FIFOs)

    def guarded_os_open(file, *args, **kwargs):
        if isinstance(file, (str, os.PathLike)) and pathlib.Path(file).name in names:
            raise PermissionError(13, "Permission denied", str(file))
        return real_os_open(file, *args, **kwargs)

    monkeypatch.setattr(os, "open", guarded_os_open)


def test_an_unreadable_proposal(root, monkeypatch):
    shutil.copy(GOOD, root / "secret.yaml")
    _refuse_opening(monkeypatch, {"secret.yaml"})
    assert_reported(run_cli(["check", "secret.yaml", "good.yaml"], root),
                    ["secret.yaml: cannot be read: permission denied"])


@pytest.mark.parametrize("option,directory,name", [("--rules", "rules", "XX900.yaml"),
                                                   ("--profiles", "profiles", "atlantis.yaml")])
def test_an_unreadable_rule_or_profile(root, monkeypatch, option, directory, name):
    (root / directory).mkdir()
    shutil.copy(GOOD, root / directory / name)
    _refuse_opening(monkeypatch, {name})
    run = run_cli(["check", "good.yaml", option, directory], root)
    assert (run.exit_code, run.errors, run.stdout) == (
        2, [f"{directory}/{name}: cannot be read: permission denied"], "")


@pytest.mark.parametrize("option,kind", [("--rules", "rules"), ("--profiles", "profiles")])
def test_a_missing_rules_or_profiles_directory(root, option, kind):
    run = run_cli(["check", "good.yaml", option, "nowhere"], root)
    assert (run.exit_code, run.errors, run.stdout) == (2, [f"nowhere: {kind} directory does not exist"], "")


@pytest.mark.parametrize("option", ["--rules", "--profiles"])
def test_a_file_given_as_rules_or_profiles_directory_is_a_usage_error(root, option):
    run = run_cli(["check", "good.yaml", option, "good.yaml"], root)
    assert run.exit_code == 2
    assert f"Invalid value for '{option}': Directory 'good.yaml' is a file." in run.stderr


def test_a_rules_directory_with_no_rule_files_is_refused(root):
    """A mistyped or empty --rules directory must not silently check with the built-in rules only."""
    (root / "rules").mkdir()
    run = run_cli(["check", "good.yaml", "--rules", "rules"], root)
    assert (run.exit_code, run.errors, run.stdout) == (
        2, ["rules: rules directory holds no rule files (*.yaml); check the path"], "")


def test_an_empty_profiles_directory_is_accepted(root):
    """Unlike an empty rules directory (refused: a check with no rules of one's own
    passes silently), an empty profiles directory is a project that has not added facts
    yet; the tutorial creates it before its first fact. A mistyped path that does not
    exist is still refused."""
    (root / "profiles").mkdir()
    with_empty = run_cli(["check", "good.yaml", "--profiles", "profiles"], root)
    assert (with_empty.errors, with_empty.checked) == ([], [GOOD_ID])
    assert with_empty == run_cli(["check", "good.yaml"], root)  # it adds nothing, and nothing changes
    missing = run_cli(["check", "good.yaml", "--profiles", "profile"], root)
    assert (missing.exit_code, missing.errors) == (2, ["profile: profiles directory does not exist"])


@pytest.mark.parametrize("target,message", [
    ("nowhere.yaml", "Invalid value for '--config': File 'nowhere.yaml' does not exist."),
    (".", "Invalid value for '--config': File '.' is a directory."),
])
def test_a_config_that_is_missing_or_a_directory_is_a_usage_error(root, target, message):
    run = run_cli(["check", "good.yaml", "--config", target], root)
    assert run.exit_code == 2
    assert message in run.stderr


def test_an_unreadable_config(root, monkeypatch):
    shutil.copy(GOOD, root / "ca-advisor.yaml")
    _refuse_opening(monkeypatch, {"ca-advisor.yaml"})
    run = run_cli(["check", "good.yaml", "--config", "ca-advisor.yaml"], root)
    assert (run.exit_code, run.errors, run.stdout) == (2, ["ca-advisor.yaml: cannot be read: permission denied"], "")
