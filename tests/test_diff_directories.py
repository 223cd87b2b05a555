"""``ca-advisor diff OLD_DIR NEW_DIR``: proposals paired by path, one summary, a
warning when a pair's proposal ids differ."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from ca_advisor.cli import main

EXAMPLES = Path(__file__).resolve().parent.parent / "proposals"


@pytest.fixture
def revision(tmp_path, monkeypatch):
    """old/ and new/: raven changed (CA203 resolved), termez removed, intel sharing added,
    x.yaml a different proposal under the same name."""
    old, new = tmp_path / "old", tmp_path / "new"
    old.mkdir(), new.mkdir()
    for name in ("us-uz-2013-raven-uav.yaml", "us-uz-2013-termez-base.yaml"):
        shutil.copy(EXAMPLES / name, old / name)
    shutil.copy(EXAMPLES / "us-kg-2013-intelligence-sharing.yaml", new)
    raven = (EXAMPLES / "us-uz-2013-raven-uav.yaml").read_text()
    (new / "us-uz-2013-raven-uav.yaml").write_text(raven.replace("recipient-request", "joint"))
    shutil.copy(EXAMPLES / "us-kz-2013-army-ct-course.yaml", old / "x.yaml")
    shutil.copy(EXAMPLES / "us-kz-2013-five-year-modernisation.yaml", new / "x.yaml")
    (new / "ca-advisor.yaml").write_text("fail_on: error\n")  # not a proposal: skipped
    monkeypatch.chdir(tmp_path)


def diff(*args):
    return CliRunner().invoke(main, ["diff", "old", "new", *args])


def test_text_pairs_files_and_sums_up(revision):
    result = diff()
    heads = [line for line in result.stdout.splitlines() if not line.startswith(" ")]
    assert heads == [
        "(absent) -> new/us-kg-2013-intelligence-sharing.yaml (proposal us-kg-2013-intelligence-sharing, "
        "as of 2013-04-01)",
        "old/us-uz-2013-raven-uav.yaml -> new/us-uz-2013-raven-uav.yaml (proposal us-uz-2013-raven-uav, "
        "as of 2013-04-15)",
        "old/us-uz-2013-termez-base.yaml -> (absent) (proposal us-uz-2013-termez-base, as of 2013-09-01)",
        "old/x.yaml -> new/x.yaml (proposal us-kz-2013-five-year-modernisation, as of 2013-09-15)",
        "4 proposal files compared; diff: 8 introduced, 8 resolved, 2 kept; 0 input errors",
    ]
    assert "  resolved (1)\n    warning CA203 needs-not-analysed:" in result.stdout
    assert result.stderr == ("warning: old/x.yaml is proposal 'us-kz-2013-army-ct-course' but new/x.yaml is "
                             "'us-kz-2013-five-year-modernisation': they are compared because they have the same "
                             "path; waivers match by proposal id\n")
    assert result.exit_code == 0  # what is introduced is info only
    assert diff("--fail-on", "info").exit_code == 1


def test_json_has_the_pairs_and_the_totals(revision):
    doc = json.loads(diff("--format", "json").stdout)
    assert doc["summary"] == {"introduced": 8, "resolved": 8, "kept": 2, "input errors": 0}
    assert [(d["old"]["file"], d["new"]["file"]) for d in doc["diffs"]] == [
        ("(absent)", "new/us-kg-2013-intelligence-sharing.yaml"),
        ("old/us-uz-2013-raven-uav.yaml", "new/us-uz-2013-raven-uav.yaml"),
        ("old/us-uz-2013-termez-base.yaml", "(absent)"),
        ("old/x.yaml", "new/x.yaml")]


def test_github_annotates_every_introduced_finding(revision):
    lines = diff("--format", "github").stdout.splitlines()
    assert sum(line.startswith("::") and "title=ca-advisor diff" not in line for line in lines) == 8
    assert lines[-1] == "diff: 8 introduced, 8 resolved, 2 kept; 0 input errors"


def test_a_file_and_a_directory_are_a_usage_error(revision):
    result = CliRunner().invoke(main, ["diff", "old", "new/x.yaml"])
    assert result.exit_code == 2
    assert "give two proposal files or two directories" in result.stderr


def test_two_files_with_different_ids_are_compared_with_a_warning(revision):
    result = CliRunner().invoke(main, ["diff", "old/x.yaml", "new/x.yaml"])
    assert result.stderr == ("warning: old/x.yaml is proposal 'us-kz-2013-army-ct-course' but new/x.yaml is "
                             "'us-kz-2013-five-year-modernisation'; waivers match by proposal id\n")
