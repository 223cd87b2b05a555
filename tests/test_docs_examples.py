"""Docs that work when pasted: the waiver examples match a real finding of the bundled
example, the pre-commit configurations are whole and name hooks that exist, and every
hook runs a command the CLI has."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from ca_advisor.api import check_paths
from ca_advisor.cli import main

REPO = Path(__file__).resolve().parent.parent
DOCS = [REPO / "README.md", REPO / "docs" / "ci.md"]
HOOKS = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())


def yaml_blocks(doc: Path, first_key: str) -> list[str]:
    blocks = re.findall(r"```yaml\n(.*?)```", doc.read_text(encoding="utf-8"), flags=re.S)
    return [b for b in blocks if b.startswith(f"{first_key}:")]


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.name)
def test_the_waiver_example_waives_a_real_finding(doc, tmp_path):
    [block] = yaml_blocks(doc, "waivers")
    (tmp_path / "waivers.yaml").write_text(block)
    report = check_paths([REPO / "proposals" / "us-uz-2013-raven-uav.yaml"], waivers=tmp_path / "waivers.yaml")
    assert report.waiver_notices == [] and report.errors == []
    assert [f.rule_id for f in report.results[0].findings if f.waived] == ["CA203"]


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.name)
def test_the_pre_commit_config_is_whole_and_names_real_hooks(doc):
    blocks = yaml_blocks(doc, "repos")
    assert blocks, "no .pre-commit-config.yaml example"
    for block in blocks:
        config = yaml.safe_load(block)
        assert list(config) == ["repos"]
        for repo in config["repos"]:
            if repo["repo"] == "local":
                assert all({"id", "name", "entry", "language"} <= set(hook) for hook in repo["hooks"])
            else:
                assert set(repo) == {"repo", "rev", "hooks"}
                assert {hook["id"] for hook in repo["hooks"]} <= {hook["id"] for hook in HOOKS}


@pytest.mark.parametrize("hook", HOOKS, ids=lambda h: h["id"])
def test_every_hook_runs_one_process_and_a_real_command(hook):
    assert hook["require_serial"] is True  # one summary, not one per batch of files
    command = hook["entry"].split()
    assert command[0] == "ca-advisor"
    assert CliRunner().invoke(main, [*command[1:], "--help"]).exit_code == 0
    re.compile(hook["files"])
