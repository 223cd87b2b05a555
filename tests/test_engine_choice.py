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
