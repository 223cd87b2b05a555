"""A document that is a list, a single value or several documents is refused as
such, through the CLI for every kind of file and through the Python API."""

from __future__ import annotations

import pytest

from ca_advisor.api import check_mapping, check_text

from ._run import (
    KINDS,
    assert_case_refused,
    data_files,
)

FOUND = "{file}:1:1: expected {what}: a YAML mapping of field names to values, found "
SEVERAL = ("holds several YAML documents (the second starts here); expected {what} as one document: remove the "
           "extra '---' or split the file")
CASES = {
    "list.yaml": [FOUND + "a list"],
    "scalar.yaml": [FOUND + "a single value ('just some text')"],
    "number.yaml": [FOUND + "a single value (42)"],
    "several-documents.yaml": ["{file}:3:1: " + SEVERAL],
    "document-end-then-more.yaml": ["{file}:3:1: " + SEVERAL],
}
PROPOSAL = "a proposal (format ca-advisor/proposal/v1)"


def test_every_data_file_has_a_case():
    assert data_files("not_a_mapping") == sorted(CASES)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("case", sorted(CASES))
def test_documents_that_are_not_one_mapping_are_refused(case, kind, tmp_path):
    assert_case_refused("not_a_mapping", CASES, case, kind, tmp_path)


@pytest.mark.parametrize("data,found", [
    ([], "a list"), (None, "nothing"), ("text", "a single value ('text')"), (3, "a single value (3)"),
    (("a", "b"), "a single value (('a', 'b'))"),
])
def test_check_mapping_refuses_what_is_not_a_mapping(data, found):
    report = check_mapping(data)
    assert [e.render() for e in report.errors] == [
        f"<mapping>: expected {PROPOSAL}: a mapping of field names to values, found {found}"]


def test_check_mapping_refuses_keys_that_are_not_text():
    report = check_mapping({1: "x"})
    assert [e.render() for e in report.errors][0] == "<mapping>: has a field name that is not text (1); field names are text"


def test_check_text_refuses_a_list():
    report = check_text("- a\n- b\n", file="t")
    assert [e.render() for e in report.errors] == [f"t:1:1: expected {PROPOSAL}: a YAML mapping of field names to "
                                                   "values, found a list"]


@pytest.mark.parametrize("value", [3, None, ["a: 1"]])
def test_check_text_with_neither_text_nor_bytes_is_a_type_error(value):
    """A programming error, not bad input: it raises rather than reporting."""
    with pytest.raises(TypeError, match="YAML input must be str or bytes"):
        check_text(value)
