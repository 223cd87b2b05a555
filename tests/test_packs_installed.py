"""A pack installed as a wheel is found by name: a tiny pack is built with pip and
hatchling (no network: --no-build-isolation), installed with --target into a temporary
directory, and a fresh ca-advisor process with that directory on its path lists it,
shows it and checks with it by name."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("hatchling")

# The three lines of pyproject.toml a pack needs beyond [project] and [build-system]
# (docs/packs.md quotes them).
PYPROJECT = """\
[project]
name = "demo-pack"
version = "1.2.0"

[build-system]
requires = ["hatchling"]
build-backend = "hatchling.build"

[tool.hatch.build.targets.wheel]
packages = ["demo_pack"]

[project.entry-points."ca_advisor.packs"]
demo-pack = "demo_pack"
"""

MANIFEST = 'name: demo-pack\nversion: 1.2.0\ndescription: An installed test pack\nrequires: ">=0.1"\n'
RULE = """\
id: DP101
name: demo-training
severity: warning
title: Any training (demo)
for_each: component
when:
  - kind: training
message: "Training component '{id}'"
reasoning: A demonstration.
evidence:
  - {quote: "Central Asia has always played a vital role", section: "1"}
recommendation: Nothing.
"""
PROPOSAL = """\
format: ca-advisor/proposal/v1
id: demo
title: Demo
date: 2013-05-01
sponsors: [united-states]
channel: bilateral
recipients: [kazakhstan]
components:
  - {id: course, kind: training}
"""


def ca_advisor(site: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(site), os.environ.get("PYTHONPATH", "")])}
    return subprocess.run([sys.executable, "-c", "from ca_advisor.cli import main; main()", *args],
                          capture_output=True, text=True, env=env, cwd=cwd)


def test_a_pack_installed_as_a_wheel_is_found_by_name(tmp_path):
    src = tmp_path / "src"
    (src / "demo_pack" / "rules").mkdir(parents=True)
    (src / "pyproject.toml").write_text(PYPROJECT)
    (src / "demo_pack" / "ca-advisor-pack.yaml").write_text(MANIFEST)
    (src / "demo_pack" / "rules" / "DP101.yaml").write_text(RULE)
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    subprocess.run([*pip, "wheel", "--no-build-isolation", "--no-deps", "-w", str(tmp_path / "dist"), str(src)],
                   check=True, capture_output=True)
    wheel = next((tmp_path / "dist").glob("demo_pack-1.2.0-*.whl"))
    subprocess.run([*pip, "install", "--no-deps", "--target", str(tmp_path / "site"), str(wheel)],
                   check=True, capture_output=True)
    (tmp_path / "plan.yaml").write_text(PROPOSAL)

    listed = ca_advisor(tmp_path / "site", "packs", "list", cwd=tmp_path)
    assert "demo-pack           1.2.0    installed: demo-pack" in listed.stdout, listed.stderr
    checked = ca_advisor(tmp_path / "site", "check", "plan.yaml", "--pack", "demo-pack", cwd=tmp_path)
    assert "  warning DP101 demo-training: Training component 'course'\n" in checked.stdout, checked.stderr
    assert "packs: demo-pack 1.2.0 (installed: demo-pack)\n" in checked.stdout
    (tmp_path / "ca-advisor.yaml").write_text('packs:\n  - {name: demo-pack, version: "~=1.2"}\n')
    configured = ca_advisor(tmp_path / "site", "rules", "list", cwd=tmp_path)
    assert "[pack demo-pack 1.2.0]" in configured.stdout, configured.stderr
