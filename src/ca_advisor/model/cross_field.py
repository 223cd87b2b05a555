"""The format's cross-field rules, checked on the raw mapping (model/proposal.py has
the field-by-field model; reading/plain_proposal.py the same read without pydantic).

Defensive: these problems are reported in the same run as any schema errors elsewhere
in the file, so every value may still have any type here.
"""

from __future__ import annotations

import re

from . import vocabulary as v
from .countries import WORLD
from .errors import did_you_mean


def cross_field_problems(data: dict, known_countries: frozenset[str] = WORLD) -> list[tuple[str, str]]:
    """(field path, message) for each breach of the format's cross-field rules:
    unique component ids, component countries among the recipients, names listed
    once in each list of names, and country fields naming a country.

    Works on the raw mapping, defensively, so that these problems are reported in
    the same run as any schema errors elsewhere in the file.
    """
    problems: list[tuple[str, str]] = []
    recipients = [r for r in _list(data.get("recipients")) if isinstance(r, str)]
    components = _list(data.get("components"))
    first_index: dict[str, int] = {}
    for prefix, holder, keys in _name_lists(data, components):
        for key in keys:
            names = holder.get(key)
            if isinstance(names, list) and names and _repeats(names):
                problems.extend(_duplicates(prefix + key, names))
    for path, name in _country_fields(data, known_countries):
        suggestion = did_you_mean(name, sorted(known_countries), cutoff=0.8)
        problems.append((path, f"'{name}' is not a country name{suggestion}; write the country's English short "
                               "name in lower case with hyphens (e.g. 'united-states')"))
    for i, component in enumerate(components):
        if not isinstance(component, dict):
            continue
        cid = component.get("id")
        if isinstance(cid, str):
            if cid in first_index:
                problems.append((f"components[{i}].id",
                                 f"component id '{cid}' is already used by components[{first_index[cid]}]; "
                                 "component ids must be unique within a proposal"))
            first_index.setdefault(cid, i)
        for j, country in enumerate(_list(component.get("countries"))):
            if isinstance(country, str) and recipients and country not in recipients:
                problems.append((f"components[{i}].countries[{j}]",
                                 f"'{country}' is not one of the proposal's recipients "
                                 f"({', '.join(recipients)}); add it to recipients or remove it here"))
    return problems


# Lists of names whose order and repetition the format gives no meaning.
_TOP_NAME_LISTS = ("sponsors", "partners", "recipients", "other_actors_considered", "consulted")
_COMPONENT_NAME_LISTS = ("countries", "forces", "purposes", "participants", "transit_through")
_JUSTIFICATION_NAME_LISTS = ("threats",)


def _name_lists(data: dict, components: list) -> list[tuple[str, dict, tuple[str, ...]]]:
    """(path prefix, mapping, keys) of every list of names, in file order."""
    found = [("", data, _TOP_NAME_LISTS)]
    justification = data.get("justification")
    if isinstance(justification, dict):
        found.append(("justification.", justification, _JUSTIFICATION_NAME_LISTS))
    found += [(f"components[{i}].", component, _COMPONENT_NAME_LISTS)
              for i, component in enumerate(components) if isinstance(component, dict)]
    return found


def _repeats(names: list) -> bool:
    """Whether a list may hold a name twice (the usual list answers no at C speed;
    a list holding mappings or lists is looked at item by item)."""
    try:
        return len(set(names)) != len(names)
    except TypeError:  # an unhashable item: the schema's to word, the strings still count
        return True


def _duplicates(path: str, names: list) -> list[tuple[str, str]]:
    """A name listed twice would count twice (a recipient twice gave a finding twice)."""
    first: dict[str, int] = {}
    problems = []
    for j, name in enumerate(names):
        if not isinstance(name, str):
            continue
        if name in first:
            problems.append((f"{path}[{j}]", f"'{name}' is already listed at {path}[{first[name]}]; "
                                             "list each once"))
        first.setdefault(name, j)
    return problems


def _country_fields(data: dict, known_countries: frozenset[str]) -> list[tuple[str, str]]:
    """(path, name) of every field that names no known country, though written as a
    name (other values are the schema's to word): recipients, consulted, and each
    component's location.country and transit_through."""
    def unknown(name: object) -> bool:
        return isinstance(name, str) and name not in known_countries and re.fullmatch(v.SLUG_PATTERN, name) is not None

    found = [(f"{key}[{j}]", name) for key in ("recipients", "consulted")
             for j, name in enumerate(_list(data.get(key))) if unknown(name)]
    for i, component in enumerate(_list(data.get("components"))):
        if not isinstance(component, dict):
            continue
        location = component.get("location")
        if isinstance(location, dict) and unknown(location.get("country")):
            found.append((f"components[{i}].location.country", location["country"]))
        found += [(f"components[{i}].transit_through[{j}]", name)
                  for j, name in enumerate(_list(component.get("transit_through"))) if unknown(name)]
    return found


def _list(value: object) -> list:
    return value if isinstance(value, list) else []
