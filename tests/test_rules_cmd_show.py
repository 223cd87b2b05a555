"""``ca-advisor rules list`` and ``rules show``: what a rule says, readably."""

from __future__ import annotations

import json
from contextlib import chdir as cwd
from pathlib import Path

import pytest
from click.testing import CliRunner

from ca_advisor.cli import main

RULE = """\
# MY201 — a test rule for `rules show`.
id: MY201
name: long-programme-before-succession
severity: warning
title: A long programme for a state facing a leadership succession
tags: [succession]
for_each: recipient
when:
  - proposal.duration_years: {at_least: {param: min_years}}
  - any:
      - profile.succession_pending: {is: "yes"}
      - proposal.channel: {not_one_of: [bilateral, eu]}
requires: [proposal.duration_years]
message: >-
  The programme runs {proposal.duration_years} years in {country}, at least {param.min_years}.
reasoning: >
  A succession can end a programme's political backing.
evidence:
  - quote: "avoid agreeing equipment transfers"
    section: "5"
    endnote: 12
recommendation: Phase the programme.
parameters:
  min_years:
    default: 3
    description: Shortest programme, in years, that the rule flags.
"""

SHOWN = """\
MY201 long-programme-before-succession
  A long programme for a state facing a leadership succession
severity: warning    kind: finding    tags: succession
file: policy/MY201.yaml

looks at: each recipient state, with its country profile as of the check date (for_each: recipient)
fires when:
  all of:
  - proposal.duration_years is at least 5 (parameter min_years)
  - at least one of:
    - profile.succession_pending is yes
    - proposal.channel is not given or is none of bilateral, eu
requires: proposal.duration_years (when one is not given, CA602 reports the rule as not evaluated instead of staying silent)

parameters:
  min_years = 5 (default 3; set by the config)
      Shortest programme, in years, that the rule flags.

message:
  The programme runs {proposal.duration_years} years in {country}, at least
  {param.min_years}.

why:
  A succession can end a programme's political backing.

evidence:
  \u201cavoid agreeing equipment transfers\u201d (DIIS Report 2013:12, \u00a75, n.12)

what to do:
  Phase the programme.
"""


def run(directory: Path, *args: str):
    with cwd(directory):
        return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture
def project(tmp_path):
    (tmp_path / "policy").mkdir()
    (tmp_path / "policy" / "MY201.yaml").write_text(RULE)
    (tmp_path / "ca-advisor.yaml").write_text("rules: [policy]\nparameters: {MY201: {min_years: 5}}\n"
                                              "disable: [CA101]\n")
    return tmp_path


def test_show_gives_everything_in_plain_words(project):
    result = run(project, "rules", "show", "MY201")
    assert result.stdout == SHOWN
    assert result.exit_code == 0


def test_show_says_when_the_config_leaves_a_rule_out(project):
    result = run(project, "rules", "show", "CA101")
    assert result.stdout.splitlines()[:2] == [
        "note: ca-advisor.yaml leaves this rule out (disable or select), so `check` does not run it",
        "CA101 regional-only-initiative"]
    assert result.exit_code == 0


def test_show_an_unknown_rule(project):
    result = run(project, "rules", "show", "MY210")
    assert result.stdout == ""
    assert result.stderr == "error: no rule MY210 (did you mean 'MY201'?); `ca-advisor rules list` shows them all\n"
    assert result.exit_code == 2


def test_show_the_mechanism(project):
    result = run(project, "rules", "show", "CA602")
    assert "mechanism: not-evaluated (built into the checker; it has no conditions of its own)" in result.stdout


def test_list_shows_what_check_runs(project):
    result = run(project, "rules", "list")
    lines = result.stdout.splitlines()
    assert not any(line.startswith("CA101 ") for line in lines)  # disabled in the config
    mine = next(line for line in lines if line.startswith("MY201"))
    assert mine.split() == ["MY201", "warning", "long-programme-before-succession", "A", "long", "programme", "for",
                            "a", "state", "facing", "a", "leadership", "succession"]
    assert result.exit_code == 0


def test_list_as_json(project):
    rows = json.loads(run(project, "rules", "list", "--format", "json").stdout)
    assert rows[-1] == {"id": "MY201", "severity": "warning", "name": "long-programme-before-succession",
                        "title": "A long programme for a state facing a leadership succession", "kind": "finding",
                        "tags": ["succession"], "file": "policy/MY201.yaml"}
    assert [r["id"] for r in rows] == sorted(r["id"] for r in rows)


def test_list_with_a_broken_rule_directory(tmp_path):
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "MY301.yaml").write_text("id: MY301\n")
    result = run(tmp_path, "rules", "list", "--rules", "bad")
    assert result.stdout == ""
    assert "error: bad/MY301.yaml:1:1: name: missing required field 'name'" in result.stderr.splitlines()
    assert result.exit_code == 2
