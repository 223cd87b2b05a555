"""Keys that are not plain names (``note[1]``, ``a b``): every reader reports them as
unknown fields at their own place, quoted in the field path so that the path reads
back as the keys it was made from, with a "did you mean" drawn from the fields of
that place (never the key's own name one level up), and the other files of the run
are still reported."""

from __future__ import annotations

import pytest

from ca_advisor.api import check_mapping, check_text
from ca_advisor.facts.profiles import CountryProfile
from ca_advisor.model.proposal import Justification, Proposal
from ca_advisor.reading.yaml_source import join_path, parent_path
from ca_advisor.review.waivers import WaiversFile
from ca_advisor.rulebook.config import ConfigFile
from ca_advisor.rulebook.rule import Rule

from ._run import DATA, GOOD, GOOD_ID, KINDS, check_as, run_cli

CASES = DATA / "bracket_keys"
MODELS = {"proposal": Proposal, "rule": Rule, "profile": CountryProfile, "config": ConfigFile,
          "waivers": WaiversFile}


def unknown(name: str, model, mean: str = "") -> str:
    return (f"unknown field '{name}'; allowed fields here: {', '.join(model.model_fields)}"
            + (f" (did you mean '{mean}'?)" if mean else ""))


NESTED = [
    "{file}:11:3: justification[\"justification[x]\"]: " + unknown("justification[x]", Justification),
    "{file}:12:3: justification.justification: " + unknown("justification", Justification),
    "{file}:13:3: justification[\"a b\"]: " + unknown("a b", Justification),
]


@pytest.mark.parametrize("kind", KINDS)
def test_a_bracket_key_at_the_top_of_every_kind_of_file(kind, tmp_path):
    run, name = check_as(kind, b"note[1]: hi\n", tmp_path)
    assert run.exit_code == 2
    assert f"{name}:1:1: [\"note[1]\"]: {unknown('note[1]', MODELS[kind])}" in run.errors
    if kind in ("proposal", "waivers"):
        assert run.checked == [GOOD_ID]


def test_nested_keys_are_placed_and_named_right(tmp_path):
    run, name = check_as("proposal", (CASES / "nested.yaml").read_bytes(), tmp_path)
    assert run.errors == [m.format(file=name) for m in NESTED]
    assert run.checked == [GOOD_ID]


def test_standard_input_explain_and_diff(tmp_path):
    (tmp_path / "nested.yaml").write_bytes((CASES / "nested.yaml").read_bytes())
    (tmp_path / "good.yaml").write_bytes(GOOD.read_bytes())
    stdin = run_cli(["check", "-"], tmp_path, stdin=(CASES / "nested.yaml").read_bytes())
    assert (stdin.exit_code, stdin.errors) == (2, [m.format(file="<stdin>") for m in NESTED])
    explain = run_cli(["explain", "nested.yaml", "--rule", "CA203"], tmp_path)
    assert (explain.exit_code, explain.errors) == (2, [m.format(file="nested.yaml") for m in NESTED])
    diff = run_cli(["diff", "good.yaml", "nested.yaml"], tmp_path)
    assert (diff.exit_code, diff.errors) == (2, [m.format(file="nested.yaml") for m in NESTED])


def test_a_bracket_key_in_a_fixture(tmp_path):
    rules = tmp_path / "rules"
    (rules / "fixtures").mkdir(parents=True)
    (rules / "fixtures" / "CA203.yaml").write_text("rule: CA203\nnote[1]: hi\ncases: []\n")
    run = run_cli(["rules", "check", "rules"], tmp_path)
    assert run.exit_code == 2
    assert "rules/fixtures/CA203.yaml:2:1: [\"note[1]\"]: unknown field 'note[1]'; allowed fields here: rule, " \
           "cases" in run.stdout


def test_the_api_reports_bracket_keys():
    text = (CASES / "nested.yaml").read_text()
    assert [e.render() for e in check_text(text, file="n.yaml").errors] == [m.format(file="n.yaml") for m in NESTED]
    report = check_mapping({"note[1]": "hi"}, file="m")
    assert f"m: [\"note[1]\"]: {unknown('note[1]', Proposal)}" in [e.render() for e in report.errors]


@pytest.mark.parametrize("parts", [["note[1]"], ["a", 0, "b c", 2], ["x", "", "\"]", "y"], ["CA202", "k-1"]])
def test_field_paths_read_back(parts):
    path = ""
    for part in parts:
        path = join_path(path, part)
    for n in range(len(parts), 0, -1):
        prefix = ""
        for part in parts[:n - 1]:
            prefix = join_path(prefix, part)
        assert parent_path(path) == prefix
        path = prefix
