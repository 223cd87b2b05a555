"""Duplicate keys at any depth: PyYAML keeps the last silently; we refuse, naming
both lines, and report every duplicate in the file at once."""

from __future__ import annotations

import pytest

from ._run import (
    KINDS,
    assert_case_refused,
    data_files,
)

DUP = "duplicate key '{key}' (first given on line {first}); each field may appear once"
CASES = {
    "top-level.yaml": ["{file}:4:1: id: " + DUP.format(key="id", first=2)],
    "nested.yaml": ["{file}:5:5: components[0].kind: " + DUP.format(key="kind", first=4)],
    "deep.yaml": ["{file}:6:9: components[0].equipment[0].quantity: " + DUP.format(key="quantity", first=5)],
    "flow.yaml": ["{file}:1:39: justification.threats: " + DUP.format(key="threats", first=1)],
    "quoted-and-plain.yaml": ["{file}:2:1: id: " + DUP.format(key="id", first=1)],
    "several.yaml": ["{file}:3:1: id: " + DUP.format(key="id", first=1),
                     "{file}:4:1: title: " + DUP.format(key="title", first=2)],
}


def test_every_data_file_has_a_case():
    assert data_files("duplicate_keys") == sorted(CASES)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("case", sorted(CASES))
def test_duplicate_keys_are_refused(case, kind, tmp_path):
    assert_case_refused("duplicate_keys", CASES, case, kind, tmp_path)
