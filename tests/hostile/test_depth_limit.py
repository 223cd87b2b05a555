"""Nesting deeper than the limit (default 50, ``--max-depth`` for proposals, at most
200 so that the reader can never hit Python's recursion limit) is refused at the
first node too deep; libyaml's own flow-nesting limit (1,000) is reported too."""

from __future__ import annotations

import pytest

from ca_advisor.reading.yaml_source import MAX_DEPTH_CEILING, Limits, parse_yaml

from ._run import (
    GOOD,
    KINDS,
    assert_case_refused,
    data_files,
    run_cli,
)

DEEP = "nests deeper than {n} levels; refused (flatten it; for proposals --max-depth raises the limit)"
CASES = {
    "deep-lists.yaml": ["{file}:1:58: title" + "[0]" * 50 + ": " + DEEP.format(n=50)],
    "deep-mappings.yaml": ["{file}:52:103: " + ".".join(f"k{i}" for i in range(51)) + ": " + DEEP.format(n=50)],
    "past-libyaml.yaml": ["{file}:1:1007: is not valid YAML: while increasing flow level (started on line 1), "
                          "exceeded maximum nesting depth"],
}


def test_every_data_file_has_a_case():
    assert data_files("depth_limit") == sorted(CASES)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("case", sorted(CASES))
def test_deep_nesting_is_refused(case, kind, tmp_path):
    assert_case_refused("depth_limit", CASES, case, kind, tmp_path)


def test_max_depth_lowers_the_limit(tmp_path):
    (tmp_path / "good.yaml").write_bytes(GOOD.read_bytes())
    run = run_cli(["check", "good.yaml", "--max-depth", "4"], tmp_path)  # the root is depth 0
    assert run.errors == ["good.yaml:15:16: components[0].equipment[0].item: " + DEEP.format(n=4),
                          "good.yaml:15:50: components[0].equipment[0].capability: " + DEEP.format(n=4),
                          "good.yaml:15:74: components[0].equipment[0].quantity: " + DEEP.format(n=4)]
    assert run.exit_code == 2


def test_max_depth_raises_the_limit_to_its_ceiling(tmp_path):
    """At the ceiling a file nested 200 deep is read (and then refused by the schema,
    not by a RecursionError)."""
    (tmp_path / "deep.yaml").write_text("title: " + "[" * 199 + "]" * 199 + "\n")
    run = run_cli(["check", "deep.yaml", "--max-depth", str(MAX_DEPTH_CEILING)], tmp_path)
    assert "deep.yaml:1:8: title: expected text, found a list" in run.errors
    assert run.exit_code == 2


def test_max_depth_beyond_the_ceiling_is_a_usage_error(tmp_path):
    run = run_cli(["check", "x.yaml", "--max-depth", "201"], tmp_path)
    assert run.exit_code == 2
    assert "Invalid value for '--max-depth': 201 is not in the range 1<=x<=200." in run.stderr


def test_the_api_refuses_a_limit_beyond_the_ceiling():
    with pytest.raises(ValueError, match="max_depth must be between 1 and 200, not 1000"):
        Limits(max_depth=1000)


def test_the_ceiling_is_safe_under_a_deep_call_stack():
    """The reader takes two frames per level, so at the ceiling it needs about 400
    of Python's 1,000: called from 300 frames down, a file at the ceiling parses."""
    text = "a: " + "[" * (MAX_DEPTH_CEILING - 1) + "]" * (MAX_DEPTH_CEILING - 1) + "\n"

    def nested(n):
        return nested(n - 1) if n else parse_yaml(text, file="x", what="x", limits=Limits(max_depth=MAX_DEPTH_CEILING))

    assert "a" in nested(300).data


def test_deep_nesting_in_a_mapping_given_to_the_api():
    import yaml

    from ca_advisor.api import check_mapping
    data = yaml.safe_load(GOOD.read_text())
    deep = data["summary"] = []
    for _ in range(5000):  # far past Python's recursion limit if walked naively
        deep.append([])
        deep = deep[0]
    errors = [e.render() for e in check_mapping(data).errors]
    assert errors == ["<mapping>: summary" + "[0]" * 50 + ": nests deeper than 50 levels; refused"]
