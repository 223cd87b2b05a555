"""The format's cross-field rules on the raw mapping (model/cross_field.py): every
kind of problem, in the order reported, and values of any type met defensively."""

from __future__ import annotations

from ca_advisor.model.cross_field import cross_field_problems


def test_every_problem_in_the_order_reported():
    data = {
        "recipients": ["kazakhstan", "uzbekistan", "kazakhstan"],
        "sponsors": ["france"],
        "justification": {"threats": ["insurgency", "insurgency"]},
        "consulted": ["atlantis"],
        "components": [
            {"id": "a", "countries": ["uzbekistan", "tajikistan"], "forces": ["border-service", "border-service"]},
            {"id": "a", "transit_through": ["narnia"], "location": {"country": "ruritania"}},
        ],
    }
    assert cross_field_problems(data) == [
        ("recipients[2]", "'kazakhstan' is already listed at recipients[0]; list each once"),
        ("justification.threats[1]", "'insurgency' is already listed at justification.threats[0]; list each once"),
        ("components[0].forces[1]", "'border-service' is already listed at components[0].forces[0]; list each once"),
        ("consulted[0]", "'atlantis' is not a country name; write the country's English short name in lower case "
                         "with hyphens (e.g. 'united-states')"),
        ("components[1].location.country", "'ruritania' is not a country name (did you mean 'mauritania'?); write the "
                                           "country's English short "
                                           "name in lower case with hyphens (e.g. 'united-states')"),
        ("components[1].transit_through[0]", "'narnia' is not a country name; write the country's English short "
                                             "name in lower case with hyphens (e.g. 'united-states')"),
        ("components[0].countries[1]", "'tajikistan' is not one of the proposal's recipients (kazakhstan, "
                                       "uzbekistan, kazakhstan); add it to recipients or remove it here"),
        ("components[1].id", "component id 'a' is already used by components[0]; component ids must be unique "
                             "within a proposal"),
    ]


def test_only_names_count_as_repeated_whatever_else_a_list_holds():
    data = {"sponsors": [{"name": "france"}, "france", ["x"], "france", 3, 3, True],
            "partners": "not a list", "components": ["not a mapping", {"forces": [1, 1.0, None, None]}]}
    assert cross_field_problems(data) == [
        ("sponsors[3]", "'france' is already listed at sponsors[1]; list each once")]


def test_a_valid_proposal_has_none():
    data = {"recipients": ["kazakhstan"], "sponsors": ["france", "germany"],
            "components": [{"id": "a", "countries": ["kazakhstan"], "forces": ["border-service"]}]}
    assert cross_field_problems(data) == []
