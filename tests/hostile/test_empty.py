"""Empty files (no bytes, only whitespace, comments or a byte-order mark, or a bare
document marker or null) say that they are empty and what was expected."""

from __future__ import annotations

import pytest

from ca_advisor.api import check_text

from ._run import (
    KINDS,
    assert_case_refused,
    data_files,
)

EMPTY = "{file}:1: is empty; expected {what}: a YAML mapping"
CASES = {
    "zero-bytes.yaml": [EMPTY],
    "whitespace.yaml": [EMPTY],
    "comments-only.yaml": [EMPTY],
    "bom-only.yaml": [EMPTY],
    "document-marker-only.yaml": ["{file}:2:1: expected {what}: a YAML mapping of field names to values, found nothing"],
    "null-document.yaml": ["{file}:1:1: expected {what}: a YAML mapping of field names to values, found nothing"],
}


def test_every_data_file_has_a_case():
    assert data_files("empty") == sorted(CASES)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("case", sorted(CASES))
def test_empty_files_are_refused(case, kind, tmp_path):
    assert_case_refused("empty", CASES, case, kind, tmp_path)


@pytest.mark.parametrize("text", ["", b"", "\n\n", b"\xef\xbb\xbf"])
def test_empty_text_through_the_api(text):
    report = check_text(text, file="t")
    assert [e.render() for e in report.errors] == [
        "t:1: is empty; expected a proposal (format ca-advisor/proposal/v1): a YAML mapping"]
    assert report.exit_code("warning") == 2
