"""Silent passes: nothing switches the checker off without saying so.

A config file is searched for no higher than the repository root or the user's
home (outside both, only in the current directory), the config a run used is named
in its output, and a config that leaves no rule to run is warned about. (Skipped
paths are in test_skipped_paths.py; countries, duplicates, dates and fixtures below.)"""

from __future__ import annotations

import shutil
from pathlib import Path

from ca_advisor.builtin import builtin_rules_dir
from ca_advisor.config import find_config

from ._run import GOOD, GOOD_ID, run_cli

ALL_IDS = sorted(p.stem for p in builtin_rules_dir().glob("CA*.yaml"))
DISABLE_ALL = f"disable: [{', '.join(ALL_IDS)}]\n"


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
    assert run.stdout.splitlines()[-2:] == [
        f"config: {config}", "1 proposal checked: 0 error, 0 warning, 0 info, 0 waived, 0 strength; 0 input errors"]
    assert run.stderr == (f"warning: no rule that reports findings is left to run ({config}: disable/select); "
                          "every proposal will pass\n")
    json_run = run_cli(["check", "sub/good.yaml", "--format", "json"], tmp_path)
    assert '"config": "ca-advisor.yaml"' in json_run.stdout
