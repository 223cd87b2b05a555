"""Alias expansion bombs: every alias expansion counts towards a node budget, so a
"billion laughs" document is refused after 100,000 values, before memory grows; a
recursive alias is refused as such; ordinary anchors and aliases still work."""

from __future__ import annotations

import tracemalloc

import pytest

from ca_advisor.model.errors import InputErrors
from ca_advisor.reading.yaml_source import parse_yaml

from ._run import (
    DATA,
    GOOD,
    GOOD_ID,
    KINDS,
    assert_case_refused,
    data_files,
    run_cli,
)

BOMB = "expands to more than 100,000 values (an alias bomb, or far larger than any proposal); refused"
CASES = {
    "billion-laughs.yaml": ["{file}:1:14: f[0][3][3][7][2][1]: " + BOMB],  # 9**9 values if expanded
    "mapping-bomb.yaml": ["{file}:1:65: e.k7.k8.k8.k8.q: " + BOMB],  # 10**6 values if expanded
    "recursive.yaml": ["{file}:1:13: components[0].equipment: is a recursive alias (it contains itself); refused"],
}


def test_every_data_file_has_a_case():
    assert data_files("alias_bombs") == sorted(CASES)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("case", sorted(CASES))
def test_alias_bombs_are_refused(case, kind, tmp_path):
    assert_case_refused("alias_bombs", CASES, case, kind, tmp_path)


def test_a_bomb_is_refused_before_memory_grows():
    """387 million strings (tens of gigabytes) if expanded; refusing costs what
    100,000 values and their recorded positions cost, about 20 MB."""
    raw = (DATA / "alias_bombs" / "billion-laughs.yaml").read_bytes()
    tracemalloc.start()
    try:
        with pytest.raises(InputErrors):
            parse_yaml(raw, file="bomb.yaml", what="a proposal")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 64 * 1024 * 1024


def test_ordinary_anchors_and_aliases_are_allowed(tmp_path):
    text = GOOD.read_text().replace("forces: [border-service]", "forces: &f [border-service]")
    text += "  - id: training\n    kind: training\n    forces: *f\n    purposes: [border-security]\n"
    (tmp_path / "p.yaml").write_text(text)
    run = run_cli(["check", "p.yaml", "--fail-on", "never"], tmp_path)
    assert (run.exit_code, run.errors, run.checked) == (0, [], [GOOD_ID])


def test_a_mapping_that_contains_itself_is_refused_by_the_api():
    """The Python counterpart of a recursive alias: check_mapping must not recurse forever."""
    import yaml

    from ca_advisor.api import check_mapping
    data = yaml.safe_load(GOOD.read_text())
    data["components"][0]["equipment"] = data["components"]
    assert [e.render() for e in check_mapping(data).errors] == [
        "<mapping>: components[0].equipment: contains itself; refused"]
