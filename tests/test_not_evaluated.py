"""CA602 for a ``component.*`` field a rule over ``component_country`` facts requires.

Whether a component has a ``location`` country fact at all depends on its
``location.country``: a test on ``role`` reads that field (FieldSpec.depends_on), so
the not-evaluated condition leaves it out.  CA401 and CA402 state their conditions
plainly (no workaround pairing the role with ``present: true``) and CA602 still
reports them when the location is missing and a country the component touches bans
bases; once per component, at the component.
"""

from __future__ import annotations

import pytest

from ca_advisor.api import check_mapping
from ca_advisor.conditions import Check, Group, Test, not_evaluated_variant, reads

BASE = {"format": "ca-advisor/proposal/v1", "id": "p", "title": "t", "date": "2013-09-01",
        "sponsors": ["united-states"], "channel": "bilateral"}


def findings(recipients, component):
    report = check_mapping({**BASE, "recipients": recipients, "components": [component]})
    assert report.errors == []
    return [(f.rule_id, f.evaluated_rule, f.message, [(loc.path, loc.line) for loc in f.locations])
            for r in report.results for f in r.findings if {f.rule_id, f.evaluated_rule} & {"CA401", "CA402"}]


@pytest.mark.parametrize("kind,rule", [("basing", "CA401 (foreign-base-prohibited)"),
                                       ("facility-access", "CA402 (facility-access-not-basing)")])
def test_a_missing_location_is_reported_once_at_the_component(kind, rule):
    """Two served countries given explicitly: before, the message named the served
    country's entry (components[0].countries[1]); the field is the component's."""
    component = {"id": "b", "kind": kind, "countries": ["kazakhstan", "uzbekistan"]}
    assert findings(["kazakhstan", "uzbekistan"], component) == [
        ("CA602", rule[:5], f"{rule} could not be evaluated for components[0]: the proposal does not give "
                            "'component.location_country'; add components[0].location.country.",
         [("components[0].location.country", None)])]


def test_with_the_location_given_the_rule_decides():
    assert [f[0] for f in findings(["uzbekistan"], {"id": "b", "kind": "basing",
                                                    "location": {"country": "uzbekistan"}})] == ["CA401"]
    assert findings(["uzbekistan"], {"id": "b", "kind": "basing", "location": {"country": "kazakhstan"}}) == []


def test_without_a_ban_in_any_country_it_touches_nothing_is_reported():
    assert findings(["kazakhstan"], {"id": "b", "kind": "basing"}) == []


def test_a_test_on_role_reads_the_fields_roles_come_from():
    role = Test("role", (Check("is", "location"),), path="when[1]")
    kind = Test("component.kind", (Check("is", "basing"),), path="when[0]")
    tree = Group("all", (kind, role), "when")
    variant = not_evaluated_variant(tree, "component.location_country", reads("component_country"))
    assert variant.items == (kind, Test("component.location_country", (Check("present", False),)))
    assert not_evaluated_variant(tree, "component.forces", reads("component_country")).items[:2] == (kind, role)
