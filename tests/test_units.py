"""Unit tests for the pieces every check stands on: the fact builder, the dated profile
lookup at its boundaries, and rule selection and parameters from a config."""

from __future__ import annotations

import datetime

import pytest

from ca_advisor.facts.build import _disagreements, build_facts, fact_count
from ca_advisor.facts.dated import DatedFact, entry_in_force
from ca_advisor.facts.profiles import FactEntry, FactSource, why_not_in_force
from ca_advisor.reading.proposals import proposal_from_mapping
from ca_advisor.rulebook.config import Config
from ca_advisor.rulebook.load import select_rules

D = datetime.date

PROPOSAL = {
    "format": "ca-advisor/proposal/v1", "id": "unit", "title": "Unit", "date": "2013-05-01",
    "sponsors": ["united-states"], "channel": "bilateral", "recipients": ["uzbekistan", "kazakhstan"],
    "components": [
        {"id": "radios", "kind": "equipment-transfer", "countries": ["uzbekistan"],
         "equipment": [{"item": "radio", "capability": "communications", "quantity": 40},
                       {"item": "truck", "capability": "transport", "quantity": 10}]},
        {"id": "move", "kind": "transit", "transit_through": ["kazakhstan"]},
    ],
}


# --- the fact builder ---------------------------------------------------------------------

@pytest.fixture(scope="module")
def facts(checker):
    proposal = proposal_from_mapping(PROPOSAL).proposal
    return build_facts(proposal, checker.book.profiles, D(2013, 5, 1))


def test_the_facts_of_a_proposal_in_their_fixed_order(facts):
    assert [(f.type, f.id, f.path) for f in facts] == [
        ("proposal", "proposal", ""),
        ("recipient", "recipient:0", "recipients[0]"),
        ("recipient", "recipient:1", "recipients[1]"),
        ("component", "component:0", "components[0]"),
        ("component_country", "component_country:0:0", "components[0].countries[0]"),
        ("equipment", "equipment:0:0", "components[0].equipment[0]"),
        ("equipment", "equipment:0:1", "components[0].equipment[1]"),
        ("component", "component:1", "components[1]"),
        # a component with no countries serves every recipient, in the order recipients are listed
        ("component_country", "component_country:1:0", "components[1]"),
        ("component_country", "component_country:1:1", "components[1]"),
        ("component_country", "component_country:1:2", "components[1].transit_through[0]"),
    ]


def test_fact_count_counts_what_the_builder_makes(facts):
    assert fact_count(proposal_from_mapping(PROPOSAL).proposal) == len(facts)


def test_a_component_totals_its_equipment_and_a_recipient_what_it_receives(facts):
    radios = next(f for f in facts if f.id == "component:0")
    assert (radios.data["capabilities"], radios.data["equipment_quantity"]) == (["communications", "transport"], 50)
    uzbekistan = next(f for f in facts if f.id == "recipient:0")
    assert uzbekistan.data["transferred_quantity"]["communications"] == 40
    assert uzbekistan.data["transferred_capabilities"] == ["communications", "transport"]


def test_a_country_fact_reads_its_country_s_profile_as_of_the_check_date(facts):
    served = next(f for f in facts if f.id == "component_country:0:0")
    assert served.data["role"] == "served"
    assert served.data["profile"]["foreign_military_bases"] == "banned"
    assert served.profile["foreign_military_bases"].since == D(2012, 8, 1)


# --- dated entries at their boundaries -------------------------------------------------------

def entry(value: str, *, since=None, attested=None, until=None) -> FactEntry:
    return FactEntry(value=value, since=since, attested=attested, until=until, source=FactSource())


ENTRIES = [entry("a", since=D(2000, 1, 1), until=D(2005, 1, 1)), entry("b", since=D(2008, 1, 1)),
           entry("c", attested=D(2013, 4, 1))]


@pytest.mark.parametrize("date,value", [
    (D(1999, 12, 31), None),   # before the first entry
    (D(2000, 1, 1), "a"),      # an entry holds from its since date
    (D(2004, 12, 31), "a"),
    (D(2005, 1, 1), None),     # and up to, not on, its until date
    (D(2007, 12, 31), None),
    (D(2008, 1, 1), "b"),
    (D(2013, 3, 31), "b"),     # an attested-only entry is not assumed before its date
    (D(2013, 4, 1), "c"),
])
def test_the_entry_in_force(date, value):
    found = entry_in_force(ENTRIES, date)
    assert (found.value if found else None) == value


@pytest.mark.parametrize("date,why", [
    (D(1999, 12, 31), "the first entry starts 2000-01-01"),
    (D(2006, 1, 1), "the last entry ended 2005-01-01; the next entry starts 2008-01-01"),
])
def test_why_no_entry_is_in_force(date, why):
    assert why_not_in_force(ENTRIES, date) == why


def test_an_entry_with_neither_since_nor_attested_is_refused():
    with pytest.raises(ValueError, match="an entry needs 'since'"):
        entry("x")


# --- selection and parameters ------------------------------------------------------------------

def test_select_keeps_the_rules_and_tags_named_and_the_not_evaluated_mechanism(checker):
    chosen = select_rules(checker.book, Config(select=("CA401", "military-balance")))
    ids = {r.id for r in chosen.rules}
    assert "CA401" in ids and "CA602" in ids
    assert all(r.id in {"CA401", "CA602"} or "military-balance" in r.rule.tags for r in chosen.rules)


def test_ignore_by_tag_and_min_severity_leave_rules_out(checker):
    chosen = select_rules(checker.book, Config(ignore=("basing",), min_severity="warning"))
    assert not [r.id for r in chosen.rules if "basing" in r.rule.tags]
    assert not [r.id for r in chosen.rules if r.rule.kind == "finding" and r.rule.severity == "info"]


def test_a_config_severity_changes_the_rule_it_names(checker):
    chosen = select_rules(checker.book, Config(severity=(("CA401", "warning"),)))
    assert next(r for r in chosen.rules if r.id == "CA401").rule.severity == "warning"


def _stated(country: str, **values: str) -> dict:
    return {key: DatedFact(country, key, value, datetime.date(2013, 1, 1), None, None, "s", "s", "report", 2013)
            for key, value in values.items()}


@pytest.mark.parametrize("profiles, disagree", [
    ([], []),
    ([_stated("a", bases="banned", cst="active")], []),
    ([_stated("a", bases="banned"), _stated("b", bases="banned")], []),
    ([_stated("a", bases="banned", cst="active"), _stated("b", bases="allowed", cst="active")], ["bases"]),
    ([_stated("a", cst="active"), _stated("b", bases="allowed")], []),  # an absent fact is unknown
    ([_stated("a", x="1", y="1"), _stated("b", y="1"), _stated("c", x="2", y="2")], ["x", "y"]),
])
def test_served_countries_disagree_on_a_key_two_of_them_state_differently(profiles, disagree):
    assert _disagreements(profiles) == disagree


def test_the_facts_in_force_are_worked_out_once_per_interval_and_shared_read_only(checker):
    """Every check in one validity interval shares one InForce (its facts and their
    values); as_of hands out a copy, which a caller may change."""
    table = checker.plan.profiles
    first, second = table.in_force("uzbekistan", datetime.date(2013, 5, 1)), table.in_force(
        "uzbekistan", datetime.date(2013, 5, 2))
    assert first is second
    assert first.values == {key: fact.value for key, fact in first.facts.items()}
    assert first.values["foreign_military_bases"] == "banned"
    copy = table.as_of("uzbekistan", datetime.date(2013, 5, 1))
    copy.clear()
    assert table.in_force("uzbekistan", datetime.date(2013, 5, 1)).facts  # untouched
    remembered = len(table._in_force)
    assert table.in_force("nowhere", datetime.date(2013, 5, 1)) == ({}, {})
    assert len(table._in_force) == remembered  # a country without a profile is not remembered


def _source_path_as_written_before(fact, name):
    """Fact.source_path before its answers were remembered per fact type and field."""
    from ca_advisor.facts.build import FACT_TYPES

    for prefix, fields in FACT_TYPES[fact.type].items():
        if prefix and name.startswith(prefix):
            spec, base = fields.get(name[len(prefix):]), (fact.component_path if prefix == "component." else "")
            break
    else:
        spec, base = FACT_TYPES[fact.type][""].get(name), fact.path
    if spec is None or spec.source is None:
        return fact.path
    if spec.source.startswith("^"):
        return spec.source[1:]
    if not spec.source:
        return base or ""
    return f"{base}.{spec.source}" if base else spec.source


def test_every_field_of_every_fact_comes_from_where_it_did(facts):
    from ca_advisor.facts.build import FACT_TYPES

    checked = 0
    for fact in facts:
        for prefix, fields in FACT_TYPES[fact.type].items():
            for name in [*fields, "no_such_field"]:
                assert fact.source_path(prefix + name) == _source_path_as_written_before(fact, prefix + name)
                checked += 1
    assert checked > 300


def test_parent_paths_are_worked_out_once_and_remembered_bounded():
    from ca_advisor.reading.yaml_source import parent_path

    parent_path.cache_clear()
    assert parent_path('components[2].countries[0]') == "components[2].countries"
    assert parent_path('justification["note[1]"]') == "justification"
    assert parent_path("channel") == ""
    assert parent_path("channel") == "" and parent_path.cache_info().hits == 1
    assert parent_path.cache_info().maxsize == 4096
