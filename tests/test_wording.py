"""Messages that read well: what a missing value, a YAML boolean, quoted numbers, a
colon in text and a missing vocabulary field say."""

from __future__ import annotations

from pathlib import Path

import pytest

from ca_advisor.api import check_text

RAVEN = (Path(__file__).resolve().parent.parent / "proposals" / "us-uz-2013-raven-uav.yaml").read_text()


def errors(text: str) -> list[str]:
    return [e.render() for e in check_text(text, file="p.yaml").errors]


def messages(text: str, rule: str) -> list[str]:
    [result] = check_text(text, file="p.yaml").results
    return [f.message for f in result.findings if f.rule_id == rule]


@pytest.mark.parametrize("old,new,expected", [
    ("quantity: 20", 'quantity: "40"', "p.yaml:33:19: components[0].equipment[0].quantity: expected a whole number, "
                                       "found the text '40'; remove the quotes"),
    ("end_use_monitoring: true", 'end_use_monitoring: "yes"',
     "p.yaml:35:25: components[0].end_use_monitoring: expected true or false, found the text 'yes'; write true or "
     "false, without quotes"),
    ("needs_assessment: recipient-request", "needs_assessment: no",
     "p.yaml:34:23: components[0].needs_assessment: expected one of: none, recipient-request, joint, independent; "
     "found the boolean false (YAML reads an unquoted yes, no, on, off, true or false as true or false: write it in "
     "quotes if you mean the text)"),
    ("- item: RQ-11 Raven small UAV", "- item: yes",
     "p.yaml:31:15: components[0].equipment[0].item: expected text, found the boolean true (YAML reads an unquoted "
     "yes, no, on, off, true or false as true or false: write it in quotes if you mean the text)"),
    ("    kind: equipment-transfer\n", "",
     "p.yaml:25:5: components[0].kind: missing required field 'kind'; one of: equipment-transfer, training, "
     "intelligence-sharing, capacity-building, exercise, infrastructure, basing, facility-access, funding, "
     "advisory, transit"),
    ("title: ", "title: Raven: ",
     "p.yaml:7:13: is not valid YAML: mapping values are not allowed in this context; if the value is text holding "
     "': ', put it in quotes (\"like: this\"), else check the indentation"),
])
def test_input_errors_say_what_to_write(old, new, expected):
    assert old in RAVEN
    assert errors(RAVEN.replace(old, new, 1)) == [expected]


def test_no_targets_reads_as_none_stated():
    text = RAVEN.replace("targets:\n  - measure: Border incidents detected per quarter on the Termez sector\n"
                         "    agreed_with_recipient: true\n", "")
    assert messages(text, "CA501") == ["The package delivers equipment-transfer to uzbekistan with 0 target(s) agreed "
                                       "with the recipient (0 stated; at least 1 wanted)."]


def test_a_missing_value_is_not_given_and_never_quoted():
    text = RAVEN.replace("    needs_assessment: recipient-request\n", "")
    assert messages(text, "CA203") == ["Component 'uav-transfer' transfers 20 item(s) (reconnaissance) to uzbekistan "
                                       "with needs_assessment not given: the need has not been analysed jointly or "
                                       "independently."]
    assert messages(RAVEN, "CA203")[0].count("'recipient-request'") == 1  # a value given stays quoted
