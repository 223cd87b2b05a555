"""Malformed YAML: refused with libyaml's own reason, at its line and column, for
every kind of file; the valid proposal beside a malformed one is still checked."""

from __future__ import annotations

import pytest

from ._run import (
    KINDS,
    assert_case_refused,
    data_files,
)

CASES = {
    "unclosed-flow.yaml": ["{file}:4:11: is not valid YAML: while parsing a flow sequence (started on line 3), "
                           "did not find expected ',' or ']'"],
    "bad-indent.yaml": ["{file}:3:8: is not valid YAML: mapping values are not allowed in this context; "
                         "if the value is text holding ': ', put it in quotes (\"like: this\"), else check the indentation"],
    "value-after-value.yaml": ["{file}:2:6: is not valid YAML: mapping values are not allowed in this context; "
                         "if the value is text holding ': ', put it in quotes (\"like: this\"), else check the indentation"],
    "tab-indent.yaml": ["{file}:3:1: is not valid YAML: while scanning for the next token (started on line 3), "
                        "found character that cannot start any token (a tab: indent with spaces, YAML does not "
                        "allow tabs here)"],
    "unclosed-quote.yaml": ["{file}:4:1: is not valid YAML: while scanning a quoted scalar (started on line 2), "
                            "found unexpected end of stream"],
    "undefined-alias.yaml": ["{file}:2:13: is not valid YAML: found undefined alias '*nowhere'; define the anchor "
                             "&nowhere before using it"],
}


def test_every_data_file_has_a_case():
    assert data_files("malformed_yaml") == sorted(CASES)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("case", sorted(CASES))
def test_malformed_yaml_is_refused_where_it_breaks(case, kind, tmp_path):
    assert_case_refused("malformed_yaml", CASES, case, kind, tmp_path)
