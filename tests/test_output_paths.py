"""CI formats tell the truth: relative paths GitHub can attach annotations to (waiver
files named by the config included), JSON with the tool version and the totals."""

from __future__ import annotations

import importlib.metadata
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from ca_advisor.cli import main

REPO = Path(__file__).resolve().parent.parent
RAVEN = REPO / "proposals" / "us-uz-2013-raven-uav.yaml"


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A project whose config names a waivers file (made absolute when the config is read)."""
    (tmp_path / "plans").mkdir()
    (tmp_path / "plans" / "raven.yaml").write_text(RAVEN.read_text())
    (tmp_path / "ca-advisor.yaml").write_text("waivers: waivers.yaml\n")
    (tmp_path / "waivers.yaml").write_text(
        "waivers:\n  - {proposal: us-uz-2013-raven-uav, rule: CA401, reason: r, approved_by: b}\n")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def check(*args):
    return CliRunner().invoke(main, ["check", *args])


def test_github_annotations_carry_relative_paths(project):
    out = check(str(project / "plans" / "raven.yaml"), "--format", "github").stdout.splitlines()
    assert out[0].startswith("::warning file=plans/raven.yaml,line=34,col=5,title=CA203 needs-not-analysed::")
    assert out[-3] == ("::warning file=waivers.yaml,line=2,col=5,title=ca-advisor waiver unmatched::waiver for "
                       "rule CA401 in proposal 'us-uz-2013-raven-uav' matched no finding; remove it if the "
                       "finding is gone")


def test_sarif_uris_are_relative(project):
    log = json.loads(check(str(project / "plans" / "raven.yaml"), "--format", "sarif").stdout)
    run = log["runs"][0]
    uris = {loc["physicalLocation"]["artifactLocation"]["uri"] for r in run["results"] for loc in r["locations"]}
    assert uris == {"plans/raven.yaml"}
    [notice] = run["invocations"][0]["toolConfigurationNotifications"]
    assert notice["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "waivers.yaml"


def test_markdown_paths_are_relative(project):
    out = check(str(project / "plans" / "raven.yaml"), "--format", "markdown").stdout
    assert "### `plans/raven.yaml`" in out
    assert "- `waivers.yaml:2:5`: waiver for rule CA401" in out
    assert str(project) not in out


def test_a_path_outside_the_working_directory_stays_as_given(project, tmp_path_factory):
    elsewhere = tmp_path_factory.mktemp("elsewhere") / "raven.yaml"
    elsewhere.write_text(RAVEN.read_text())
    out = check(str(elsewhere), "--format", "github").stdout
    assert f"file={str(elsewhere).replace(':', '%3A')}," in out


def test_markdown_keeps_the_recommendation(project):
    out = check("plans/raven.yaml", "--format", "markdown").stdout
    assert ("<br>*do:* Before agreeing the transfer, carry out a needs assessment jointly with the recipient "
            "(or commission an independent one)") in out


def test_json_carries_the_tool_version_the_run_and_the_totals(project):
    doc = json.loads(check("plans/raven.yaml", "--format", "json").stdout)
    assert doc["run"] == {"tool_version": importlib.metadata.version("ca-advisor"), "rules": 40, "files": 1,
                          "skipped": []}
    assert doc["config"] == "ca-advisor.yaml"
    assert doc["summary"] == {"error": 0, "warning": 2, "info": 1, "waived": 0, "strengths": 2, "stale": 0,
                              "input_errors": 0}
