"""Unexpected exceptions and a broken standard output: one line on standard error
and exit 2 (never the traceback and exit 1 that CI reads as "findings"); the
traceback only with --debug or CA_ADVISOR_DEBUG=1."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest
from click.testing import CliRunner

from ca_advisor.cli import main

from ._run import GOOD, run_cli

BUG = ("error: internal error (RuntimeError: engine exploded); this is a bug in ca-advisor: please report it with "
       "the command and the input files (run with CA_ADVISOR_DEBUG=1 for the traceback)\n")


@pytest.fixture
def exploding(monkeypatch):
    def explode(*_args, **_kwargs):
        raise RuntimeError("engine exploded\nsecond line")
    monkeypatch.setattr("ca_advisor.engines.checker.Checker.check_data", explode)  # both paths of check


def test_an_internal_error_is_one_line_and_exit_2(exploding, tmp_path, monkeypatch):
    monkeypatch.delenv("CA_ADVISOR_DEBUG", raising=False)
    shutil.copy(GOOD, tmp_path / "good.yaml")
    run = run_cli(["check", "good.yaml"], tmp_path)
    assert (run.exit_code, run.stdout, run.stderr) == (2, "", BUG)


@pytest.mark.parametrize("how", ["flag", "env"])
def test_the_traceback_on_request(exploding, tmp_path, monkeypatch, how):
    shutil.copy(GOOD, tmp_path / "good.yaml")
    monkeypatch.chdir(tmp_path)
    if how == "env":
        monkeypatch.setenv("CA_ADVISOR_DEBUG", "1")
    args = ["--debug", "check", "good.yaml"] if how == "flag" else ["check", "good.yaml"]
    result = CliRunner().invoke(main, args, catch_exceptions=True)
    assert isinstance(result.exception, RuntimeError)


CLI = [sys.executable, "-c", "from ca_advisor.cli import main; main()"]


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_a_full_standard_output():
    with open("/dev/full", "w") as full:
        proc = subprocess.run([*CLI, "check", str(GOOD)], stdout=full, stderr=subprocess.PIPE, timeout=60)
    assert proc.returncode == 2
    assert proc.stderr.decode() == "error: cannot write the output: No space left on device\n"


def test_a_closed_standard_output():
    """``ca-advisor check ... | head -1``: the reader goes away; no traceback, exit 2."""
    proc = subprocess.Popen([*CLI, "check", str(GOOD), str(GOOD), str(GOOD), "--format", "sarif"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.close()  # before anything is written
    stderr = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == 2
    assert stderr == "error: cannot write the output: Broken pipe\n"


@pytest.mark.parametrize("command", [["check", "-"], ["explain", "-", "--rule", "CA203"]])
def test_a_closed_standard_input_is_an_input_error(command):
    proc = subprocess.run([*CLI, *command], stdin=subprocess.DEVNULL, capture_output=True, timeout=60,
                          preexec_fn=lambda: os.close(0))
    assert proc.returncode == 2
    assert "standard input is closed; give a file instead of -" in proc.stdout.decode() + proc.stderr.decode()
    assert "Traceback" not in proc.stderr.decode() and "internal error" not in proc.stderr.decode()
