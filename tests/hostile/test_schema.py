"""Unknown fields and wrong types at every level of every kind of file: each problem
is located at its field, says what was found and what is allowed (with a "did you
mean" for near misses), and all problems in a file are reported together.

Lists of allowed fields and values are taken from the models, so that another
helper adding a field changes the expected text with it."""

from __future__ import annotations

import pytest

from ca_advisor.facts.profiles import FactEntry, load_profiles
from ca_advisor.model import vocabulary as v
from ca_advisor.model.errors import InputErrors
from ca_advisor.model.findings import FAIL_ON
from ca_advisor.model.proposal import Component, Proposal
from ca_advisor.reading.builtin import builtin_profiles_dir
from ca_advisor.reading.validation import validate_document
from ca_advisor.reading.yaml_source import SourceDocument
from ca_advisor.review.waivers import WaiverEntry, WaiversFile
from ca_advisor.rulebook.config import ConfigFile
from ca_advisor.rulebook.rule import SEVERITIES, Rule

from ._run import DATA, assert_refused, check_as

SCHEMA = DATA / "schema"


def fields(model) -> str:
    return ", ".join(model.model_fields)


def unknown(name: str, model, hint: str = "") -> str:
    mean = f" (did you mean '{hint}'?)" if hint else ""
    return f"unknown field '{name}'; allowed fields here: {fields(model)}{mean}"


def fact_keys() -> str:
    return ", ".join(load_profiles([builtin_profiles_dir()]).keys)


CASES = {
    "proposal": {
        "unknown-top-level.yaml": ["{file}:6:1: sponsor: " + unknown("sponsor", Proposal, "sponsors")],
        "unknown-in-justification.yaml": [
            "{file}:10:3: justification.threat: unknown field 'threat'; allowed fields here: threats, "
            "threat_assessment (did you mean 'threats'?)"],
        "unknown-in-target.yaml": [
            "{file}:10:5: targets[0].agreed_with_recipient: missing required field 'agreed_with_recipient'",
            "{file}:10:24: targets[0].agreed: unknown field 'agreed'; allowed fields here: measure, "
            "agreed_with_recipient (did you mean 'agreed_with_recipient'?)"],
        "unknown-in-component.yaml": ["{file}:12:5: components[0].force: " + unknown("force", Component, "forces")],
        "unknown-in-equipment.yaml": ["{file}:15:78: components[0].equipment[0].qty: unknown field 'qty'; allowed "
                                      "fields here: item, capability, quantity, source"],
        "unknown-in-location.yaml": ["{file}:16:37: components[0].location.region: unknown field 'region'; allowed "
                                     "fields here: country, area"],
        "wrong-types-top-level.yaml": [
            "{file}:4:8: title: expected text, found a list",
            "{file}:5:7: date: expected a date (YYYY-MM-DD), found the text 'next spring'",
            "{file}:8:17: duration_years: expected a number, found the text '2'; remove the quotes",
            "{file}:9:13: recipients: expected a list, found the text 'kazakhstan'"],
        "wrong-types-justification.yaml": ["{file}:9:16: justification: expected a mapping of fields, found a list"],
        "wrong-types-target.yaml": [
            "{file}:10:15: targets[0].measure: expected text, found a mapping",
            "{file}:10:50: targets[0].agreed_with_recipient: expected true or false, found the text 'true'; "
            "write true or false, without quotes"],
        "wrong-types-components.yaml": ["{file}:10:3: components: expected a list, found a mapping"],
        "wrong-types-component.yaml": [
            "{file}:12:13: components[0].forces: expected a list, found the text 'border-service'",
            "{file}:13:25: components[0].end_use_monitoring: expected true or false, found the text 'yes'; "
            "write true or false, without quotes",
            "{file}:14:15: components[0].location: expected a mapping of fields, found a list"],
        "wrong-types-equipment.yaml": [
            "{file}:15:16: components[0].equipment[0].item: expected text, found the number 3",
            "{file}:15:31: components[0].equipment[0].capability: expected one of: "
            f"{', '.join(v.CAPABILITIES)}; found a list",
            "{file}:15:57: components[0].equipment[0].quantity: expected a whole number, found the text '10'; "
            "remove the quotes"],
        "component-is-text.yaml": ["{file}:9:14: components[0]: expected a mapping of fields, found the text "
                                   "'goggles'"],
        "empty-values.yaml": [
            "{file}:4:7: title: expected text, found an empty value",
            "{file}:6:11: sponsors: must list at least 1 entry, found an empty list",
            "{file}:9:13: components: must list at least 1 entry, found an empty list"],
    },
    "rule": {
        "unknown-top-level.yaml": ["{file}:3:1: severty: " + unknown("severty", Rule, "severity")],
        "unknown-in-evidence.yaml": ["{file}:11:30: evidence[0].page: unknown field 'page'; allowed fields here: "
                                     "quote, source, section, endnote, at"],
        "unknown-in-parameter.yaml": ["{file}:14:39: parameters.limit.unit: unknown field 'unit'; allowed fields "
                                      "here: default, description"],
        "wrong-types.yaml": [
            f"{{file}}:3:11: severity: expected one of: {', '.join(SEVERITIES)}; found a list",
            "{file}:5:7: tags: expected a list, found the number 3",
            "{file}:12:3: evidence: expected a list, found a mapping"],
        "wrong-types-parameter.yaml": ["{file}:14:20: parameters.limit.default: expected a whole number, a number, "
                                       "text or a list, found a mapping"],
        "empty-values.yaml": ["{file}:4:8: title: must not be empty",
                              "{file}:10:11: evidence: must list at least 1 entry, found an empty list"],
    },
    "profile": {
        "unknown-top-level.yaml": ["{file}:8:1: capital: unknown field 'capital'; allowed fields here: country, "
                                   "name, facts"],
        "unknown-in-entry.yaml": ["{file}:7:7: facts.afghanistan_threat[0].confidence: "
                                  + unknown("confidence", FactEntry)],
        "unknown-in-source.yaml": ["{file}:7:44: facts.afghanistan_threat[0].source.page: unknown field 'page'; "
                                   "allowed fields here: id, section, endnote, reference, note"],
        "wrong-types.yaml": ["{file}:2:7: name: expected text, found a list",
                             "{file}:3:8: facts: expected a mapping of fields, found a list"],
        "wrong-types-entry.yaml": [
            "{file}:5:14: facts.afghanistan_threat[0].value: expected text, found the number 3",
            "{file}:6:14: facts.afghanistan_threat[0].since: expected a date (YYYY-MM-DD), found the text 'long ago'",
            "{file}:7:15: facts.afghanistan_threat[0].source: expected a mapping of fields, found the text "
            "'the report'"],
        "bad-fact-key.yaml": [
            "{file}:4:3: facts.Afghanistan-Threat: 'Afghanistan-Threat' is not a valid fact key; use lower-case "
            "letters, digits and underscores, starting with a letter (e.g. 'csto_participation')"],
    },
    "config": {
        "unknown-top-level.yaml": ["{file}:1:1: disabled: " + unknown("disabled", ConfigFile, "disable")],
        "wrong-types.yaml": [
            "{file}:1:8: rules: expected a list, found the text 'policy/rules'",
            f"{{file}}:2:19: severity.CA101: 'fatal' is not allowed; expected one of: {', '.join(SEVERITIES)}",
            "{file}:3:21: parameters.CA101: expected a mapping of fields, found the number 3",
            f"{{file}}:4:10: fail_on: expected one of: {', '.join(FAIL_ON)}; found a list",
            "{file}:5:10: waivers: expected text, found the number 3"],
    },
    "waivers": {
        "unknown-top-level.yaml": ["{file}:1:1: waiver: " + unknown("waiver", WaiversFile, "waivers"),
                                   "{file}:1:1: waivers: missing required field 'waivers'"],
        "unknown-in-entry.yaml": ["{file}:6:5: waivers[0].aproved: " + unknown("aproved", WaiverEntry, "approved_by")],
        "wrong-types.yaml": [
            "{file}:2:15: waivers[0].proposal: expected text, found a list",
            "{file}:3:11: waivers[0].rule: 'ca501' is not a valid rule id; use two or more capital letters and then "
            "three or more digits (e.g. 'CA101')",
            "{file}:4:13: waivers[0].reason: expected text, found the number 3",
            "{file}:6:14: waivers[0].expires: expected a date (YYYY-MM-DD), found the number 20140101"],
    },
}
PARAMS = [(kind, case) for kind, cases in CASES.items() for case in sorted(cases)]


@pytest.mark.parametrize("kind", sorted(CASES))
def test_every_data_file_has_a_case(kind):
    assert sorted(p.name for p in (SCHEMA / kind).iterdir()) == sorted(CASES[kind])


@pytest.mark.parametrize("kind,case", PARAMS, ids=[f"{k}-{c}" for k, c in PARAMS])
def test_schema_problems_are_located_and_explained(kind, case, tmp_path):
    run, name = check_as(kind, (SCHEMA / kind / case).read_bytes(), tmp_path)
    messages = [m.format(file=name) for m in CASES[kind][case]]
    if case == "bad-fact-key.yaml":  # profiles.py adds its own message, listing the declared keys
        messages.append(f"{name}:4:3: facts.Afghanistan-Threat: unknown fact key 'Afghanistan-Threat'; declare it "
                           f"in fact-keys.yaml or use one of: {fact_keys()} (did you mean 'afghanistan_threat'?)")
    assert_refused(run, kind, messages)


@pytest.mark.parametrize("rule_id", ["ca101", "CA1", "C101", "CA-101"])
def test_a_rule_id_of_the_wrong_form_says_what_the_form_is(rule_id):
    doc = SourceDocument(file="r.yaml", data={"id": rule_id})
    with pytest.raises(InputErrors) as exc:
        validate_document(doc, Rule)
    assert f"r.yaml: id: '{rule_id}' is not a valid rule id; use two or more capital letters and then three or " \
           "more digits (e.g. 'CA101')" in [e.render() for e in exc.value.errors]


def test_a_field_called_date_keeps_its_path():
    """pydantic puts member type names such as "date" in the location of union errors;
    a field that is itself called "date" must not be mistaken for one."""
    import datetime
    doc = SourceDocument(file="p", data={"date": datetime.datetime(2013, 1, 1, 5)})
    with pytest.raises(InputErrors) as exc:
        validate_document(doc, Proposal)
    assert "p: date: expected a date (YYYY-MM-DD), found the date and time 2013-01-01 05:00:00" in \
           [e.render() for e in exc.value.errors]


def test_thousands_of_problems_are_cut_to_the_first_hundred(tmp_path):
    """A generated or wrong file: the first 100 in file order, then one line for the rest."""
    text = (DATA / "good.yaml").read_text() + "".join(f"field_{i}: {i}\n" for i in range(5000))
    run, name = check_as("proposal", text.encode(), tmp_path)
    assert len(run.errors) == 101
    assert run.errors[0] == f"{name}:16:1: field_0: " + unknown("field_0", Proposal)
    assert run.errors[-1] == (f"{name}:116:1: ... and 4,900 more problems from here on (only the first 100 in a "
                              "file are listed); fix those first")
    assert (run.exit_code, run.checked[-1:]) == (2, ["hostile-run-companion"])


def test_thousands_of_duplicate_keys_are_cut_too(tmp_path):
    run, name = check_as("rule", "".join(f"k: {i}\n" for i in range(3000)).encode(), tmp_path)
    assert len(run.errors) == 101
    assert run.errors[-1] == (f"{name}:102:1: ... and 2,899 more problems from here on (only the first 100 in a "
                              "file are listed); fix those first")
