"""Which engine runs, and every output format says so."""

from __future__ import annotations

import json
from collections import OrderedDict

import pytest
from click.testing import CliRunner

from ca_advisor import api, engines
from ca_advisor.cli import main
from ca_advisor.engines import DURABLE, NATIVE, default_engine, durable_available
from ca_advisor.reading.builtin import examples_dir

EXAMPLE = str(sorted(examples_dir().glob("*.yaml"))[0])


@pytest.mark.parametrize("engine", [DURABLE, NATIVE])
def test_every_output_says_which_engine_ran(engine, monkeypatch):
    if engine == DURABLE and durable_available():
        pytest.skip(durable_available())
    monkeypatch.setenv("CA_ADVISOR_ENGINE", engine)
    run = CliRunner().invoke
    assert run(main, ["check", EXAMPLE]).stdout.splitlines()[-2] == f"engine: {engine}"
    assert json.loads(run(main, ["check", EXAMPLE, "--format", "json"]).stdout)["engine"] == engine
    sarif = json.loads(run(main, ["check", EXAMPLE, "--format", "sarif"]).stdout)
    assert sarif["runs"][0]["tool"]["driver"]["properties"] == {"engine": engine}


def test_the_default_is_durable_rules_where_it_imports(monkeypatch):
    monkeypatch.delenv("CA_ADVISOR_ENGINE", raising=False)
    assert default_engine() == (NATIVE if durable_available() else DURABLE)
    monkeypatch.setattr(engines, "durable_available", lambda: "durable-rules cannot be imported here (test)")
    assert default_engine() == NATIVE


def test_an_unknown_engine_is_refused_with_the_choices(monkeypatch):
    monkeypatch.setenv("CA_ADVISOR_ENGINE", "drools")
    result = CliRunner().invoke(main, ["check", EXAMPLE])
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == "error: CA_ADVISOR_ENGINE: unknown engine 'drools'; choose durable-rules or native\n"


def test_durable_rules_asked_for_where_it_cannot_load_is_refused_with_the_way_out(monkeypatch):
    monkeypatch.setenv("CA_ADVISOR_ENGINE", DURABLE)
    monkeypatch.setattr(engines, "durable_available", lambda: "durable-rules cannot be imported here (test)")
    monkeypatch.setattr(api, "_cache", OrderedDict())  # not the durable-rules checker built earlier
    result = CliRunner().invoke(main, ["check", EXAMPLE])
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == ("error: CA_ADVISOR_ENGINE: durable-rules cannot be imported here (test); use the "
                             "native engine (CA_ADVISOR_ENGINE=native), which gives the same findings\n")


def test_whether_durable_rules_imports_is_asked_once_whatever_the_threads(monkeypatch):
    """Eight threads asking at once once got different answers on Python 3.13 (one saw
    the half-imported module of another's failing import); now one import decides."""
    import threading
    import time

    calls = []

    def slow_try() -> str:
        calls.append(1)
        time.sleep(0.05)  # a slow import: the other threads arrive meanwhile
        return "durable-rules cannot be imported here (test)"

    monkeypatch.setattr(engines, "_durable_answer", [])
    monkeypatch.setattr(engines, "_try_durable", slow_try)
    answers: list = []
    start = threading.Barrier(8)

    def ask() -> None:
        start.wait()
        answers.append(durable_available())

    threads = [threading.Thread(target=ask) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert calls == [1] and answers == ["durable-rules cannot be imported here (test)"] * 8
