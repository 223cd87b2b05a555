"""Turn a validated proposal into the facts the rules match.

Fact types (a rule's ``for_each`` names one):

* ``proposal`` — the package as a whole, once;
* ``recipient`` — each recipient state, with its profile as of the check's date;
* ``component`` — each component;
* ``component_country`` — each country a component touches, in a ``role``:
  ``served`` (it receives the component), ``location`` (the component is sited
  there), ``transit`` (forces or equipment cross it); with that country's profile;
* ``equipment`` — each equipment item of a component.

Every fact carries the proposal-level fields under ``proposal.``, and facts below a
component carry the component under ``component.``, so a rule reads one fact and
never needs a join (durable-rules joins are order-dependent; see engines/durable.py).

The builder adds a few *generic* derived fields (counts, unions of lists, totals
per capability).  They describe the proposal; none of them encodes a rule's policy,
which lives only in the rule files.  ``FACT_FIELDS`` documents every field, its
allowed values and the proposal path it comes from; rule files are checked against
it at load time and docs/facts.md is generated from it.

Empty lists are dropped: the format gives no different meaning to ``[]`` and an
absent list, and durable-rules' all-items test is false on an empty list.  Lists
of names are held sorted: their order carries no meaning in the format.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..model import vocabulary as v
from .dated import NOTHING_IN_FORCE, DatedFact, InForce, ProfileTable

if TYPE_CHECKING:  # or the same read without pydantic (reading/plain_proposal.py)
    from ..model.proposal import Component, Proposal

ROLES = ("served", "location", "transit")
# Equipment sources that hand over existing stock rather than new procurement.
STOCK_SOURCES = ("drawdown", "excess-defence-articles")


@dataclass(frozen=True)
class FieldSpec:
    """One fact field: what it may hold and where in a proposal it comes from."""

    kind: str  # "enum", "slug", "text", "number", "bool", "date", "quantities"
    description: str
    values: tuple[str, ...] = ()
    is_list: bool = False
    source: str | None = None  # proposal path relative to the fact's own path; "^x" = from the root
    # Fields of the same fact whose values decide this one (a rule that requires one
    # of them cannot decide a test on this field while it is absent; see CA602).
    depends_on: tuple[str, ...] = ()


def _f(kind: str, description: str, values: tuple[str, ...] = (), *, many: bool = False,
       source: str | None = None, depends_on: tuple[str, ...] = ()) -> FieldSpec:
    return FieldSpec(kind, description, values, many, source, depends_on)


PROPOSAL_FIELDS: dict[str, FieldSpec] = {
    "id": _f("slug", "the proposal id", source="^id"),
    "title": _f("text", "the one-line title", source="^title"),
    "channel": _f("enum", "the delivery framework", v.CHANNELS, source="^channel"),
    "sponsors": _f("slug", "donor states or organisations", many=True, source="^sponsors"),
    "partners": _f("slug", "co-delivering organisations or states", many=True, source="^partners"),
    "recipients": _f("slug", "recipient states", many=True, source="^recipients"),
    "other_actors_considered": _f("slug", "actors whose reactions were assessed", many=True,
                                  source="^other_actors_considered"),
    "consulted": _f("slug", "states consulted although not recipients", many=True, source="^consulted"),
    "duration_years": _f("number", "planned length in years", source="^duration_years"),
    "threats": _f("enum", "justification.threats", v.THREATS, many=True, source="^justification.threats"),
    "threat_assessment": _f("enum", "justification.threat_assessment", v.THREAT_ASSESSMENTS,
                            source="^justification.threat_assessment"),
    "recipient_count": _f("number", "derived: how many recipients", source="^recipients"),
    "target_count": _f("number", "derived: how many targets", source="^targets"),
    "agreed_target_count": _f("number", "derived: targets with agreed_with_recipient: true", source="^targets"),
    "component_count": _f("number", "derived: how many components", source="^components"),
    "country_specific_component_count": _f("number", "derived: components serving exactly one country",
                                           source="^components"),
    "joint_component_count": _f("number", "derived: components serving two or more countries",
                                source="^components"),
    "component_kinds": _f("enum", "derived: every component kind used", v.COMPONENT_KINDS, many=True,
                          source="^components"),
    "component_purposes": _f("enum", "derived: every purpose of any component", v.PURPOSES, many=True,
                             source="^components"),
    "component_forces": _f("enum", "derived: every force any component reaches", v.FORCES, many=True,
                           source="^components"),
}

COMPONENT_FIELDS: dict[str, FieldSpec] = {
    "id": _f("slug", "the component id", source="id"),
    "kind": _f("enum", "the component kind", v.COMPONENT_KINDS, source="kind"),
    "countries": _f("slug", "served countries (all recipients when the proposal omits it)", many=True,
                    source="countries"),
    "forces": _f("enum", "recipient bodies", v.FORCES, many=True, source="forces"),
    "purposes": _f("enum", "what it is for", v.PURPOSES, many=True, source="purposes"),
    "deployment": _f("slug", "where recipient forces would operate abroad", source="deployment"),
    "needs_assessment": _f("enum", "how the need was established", v.NEEDS_ASSESSMENTS, source="needs_assessment"),
    "end_use_monitoring": _f("bool", "whether use is monitored", source="end_use_monitoring"),
    "location_country": _f("slug", "location.country", source="location.country"),
    "location_area": _f("text", "location.area (free text, e.g. fergana-valley)", source="location.area"),
    "participants": _f("slug", "other exercise participants", many=True, source="participants"),
    "transit_through": _f("slug", "countries crossed", many=True, source="transit_through"),
    "country_count": _f("number", "derived: how many countries it serves", source="countries"),
    "joint": _f("bool", "derived: serves two or more countries", source="countries"),
    "participant_count": _f("number", "derived: how many participants", source="participants"),
    "participants_besides_sponsors": _f("slug", "derived: participants that are not among the proposal's sponsors",
                                        many=True, source="participants"),
    "participant_count_besides_sponsors": _f("number", "derived: how many participants are not among the "
                                             "proposal's sponsors", source="participants"),
    "capabilities": _f("enum", "derived: capabilities of its equipment", v.CAPABILITIES, many=True,
                       source="equipment"),
    "stock_capabilities": _f("enum", "derived: capabilities of its equipment from existing stock (source drawdown "
                             "or excess-defence-articles, not new)", v.CAPABILITIES, many=True, source="equipment"),
    "equipment_quantity": _f("number", "derived: total quantity of its equipment", source="equipment"),
    "profiles_disagree_on": _f("profile-key", "derived: profile keys on which its served countries' facts differ",
                               many=True, source="countries"),
}

EQUIPMENT_FIELDS: dict[str, FieldSpec] = {
    "item": _f("text", "what is transferred", source="item"),
    "capability": _f("enum", "the item's capability", v.CAPABILITIES, source="capability"),
    "quantity": _f("number", "how many", source="quantity"),
    "source": _f("enum", "where it comes from", v.EQUIPMENT_SOURCES, source="source"),
}
_ITEM_FIELDS = tuple(EQUIPMENT_FIELDS)  # an equipment item's fields, in the model's order (tests hold them alike)

COUNTRY_FIELDS: dict[str, FieldSpec] = {
    "country": _f("slug", "the country", source=""),
    "has_profile": _f("bool", "derived: a country profile exists for it", source=""),
}

RECIPIENT_FIELDS: dict[str, FieldSpec] = {
    **COUNTRY_FIELDS,
    "transferred_quantity": _f("quantities", "derived: items transferred to it, per capability (0 if none)",
                               v.CAPABILITIES, source="^components"),
    "transferred_capabilities": _f("enum", "derived: capabilities transferred to it", v.CAPABILITIES, many=True,
                                   source="^components"),
    "served_component_count": _f("number", "derived: components serving it", source="^components"),
}

COMPONENT_COUNTRY_FIELDS: dict[str, FieldSpec] = {
    **COUNTRY_FIELDS,
    # Which roles a component has depends on what it gives: served from countries
    # (all recipients when absent), location from location.country, transit from
    # transit_through.
    "role": _f("enum", "how the component touches the country (derived from component.countries, "
                       "component.location_country and component.transit_through)", ROLES, source="",
               depends_on=("component.countries", "component.location_country", "component.transit_through")),
}

# Which prefixes each fact type carries, besides its own fields and "profile." keys.
FACT_TYPES: dict[str, dict[str, dict[str, FieldSpec]]] = {
    "proposal": {"": PROPOSAL_FIELDS},
    "recipient": {"": RECIPIENT_FIELDS, "proposal.": PROPOSAL_FIELDS},
    "component": {"": COMPONENT_FIELDS, "proposal.": PROPOSAL_FIELDS},
    "component_country": {"": COMPONENT_COUNTRY_FIELDS, "component.": COMPONENT_FIELDS,
                          "proposal.": PROPOSAL_FIELDS},
    "equipment": {"": EQUIPMENT_FIELDS, "component.": COMPONENT_FIELDS, "proposal.": PROPOSAL_FIELDS},
}
HAS_PROFILE = {"recipient", "component_country"}


@dataclass
class Fact:
    """A fact for the engine plus what we need to report on it afterwards.  Read only:
    its data shares the proposal's and component's fields with other facts, and its
    country's facts and their values with every check in the same interval
    (ProfileTable.in_force)."""

    type: str
    id: str
    path: str  # where in the proposal this fact comes from, e.g. "components[1]"
    data: dict[str, Any]
    component_path: str | None = None
    profile: dict[str, DatedFact] = field(default_factory=dict)
    # For component facts: each served country's dated facts, so that a finding on
    # ``profiles_disagree_on`` can show which facts disagree.
    served_profiles: list[dict[str, DatedFact]] = field(default_factory=list)
    order: int = 0

    def engine_payload(self) -> dict[str, Any]:
        # The fields sit under "data" so that a proposal field called "id" can never
        # collide with durable-rules' own fact identity ("id") or state id ("sid").
        return {"id": self.id, "type": self.type, "data": self.data}

    def source_path(self, name: str) -> str:
        """The proposal path a (possibly prefixed) fact field comes from."""
        where = _SOURCES.get((self.type, name))
        if where is None:
            where = _SOURCES[(self.type, name)] = _source_of(self.type, name)
        base_kind, source = where
        if base_kind == "fact":
            return self.path
        if base_kind == "absolute":
            return source
        base = self.component_path if base_kind == "component" else self.path if base_kind == "own" else ""
        if not source:
            return base or ""
        return f"{base}.{source}" if base else source


# Where each (fact type, field) comes from, worked out once: ("fact", "") for the
# fact's own path, ("absolute", path), or the base its source is relative to
# ("component", "own" or "none") and the source.  Fact types and fields are fixed by
# the schema, so this stays small.
_SOURCES: dict[tuple[str, str], tuple[str, str]] = {}


def _source_of(fact_type: str, name: str) -> tuple[str, str]:
    for prefix, fields in FACT_TYPES[fact_type].items():
        if prefix and name.startswith(prefix):
            spec, base_kind = fields.get(name[len(prefix):]), ("component" if prefix == "component." else "none")
            break
    else:
        spec, base_kind = FACT_TYPES[fact_type][""].get(name), "own"
    if spec is None or spec.source is None:
        return "fact", ""
    if spec.source.startswith("^"):
        return "absolute", spec.source[1:]
    return base_kind, spec.source


# What one check may hold. Real packages make tens to hundreds of facts; a file of
# 100 invented recipients x 25,000 components made 2.5 million (74 s, 2.6 GB). The
# reader refuses a proposal past this before any fact is built.
MAX_FACTS = 10_000


def fact_count(proposal: Proposal) -> int:
    """How many facts ``build_facts`` would make, counted without making them."""
    recipients = len(proposal.recipients)
    count = 1 + recipients
    for c in proposal.components:
        served = len(c.countries) if c.countries else recipients  # vocabulary.served_countries, counted
        located = 1 if c.location and c.location.country else 0
        count += 1 + served + located + len(c.transit_through or []) + len(c.equipment or [])
    return count


def build_facts(proposal: Proposal, profiles: ProfileTable, as_of: datetime.date) -> list[Fact]:
    """All facts for one check, in a fixed order."""
    recipients = list(proposal.recipients)
    in_force = {c: profiles.in_force(c, as_of) for c in _all_countries(proposal)}
    components = [_component_fields(c, recipients, proposal.sponsors, in_force) for c in proposal.components]
    top = _proposal_fields(proposal, components)
    facts = [Fact("proposal", "proposal", "", top)]
    for i, country in enumerate(recipients):
        facts.append(_recipient_fact(i, country, proposal, components, top, in_force[country], profiles))
    for i, (component, fields) in enumerate(zip(proposal.components, components)):
        cpath = f"components[{i}]"
        served = [in_force.get(c, NOTHING_IN_FORCE).facts for c in fields["countries"]]
        facts.append(Fact("component", f"component:{i}", cpath, {**fields, "proposal": top}, cpath,
                          served_profiles=served))
        facts.extend(_component_country_facts(i, component, fields, top, in_force, profiles))
        for j, item in enumerate(component.equipment or []):
            # The item's fields read directly (model_dump was a tenth of building facts).
            data = _drop_empty({**{name: getattr(item, name) for name in _ITEM_FIELDS}, "component": fields,
                                "proposal": top})
            facts.append(Fact("equipment", f"equipment:{i}:{j}", f"{cpath}.equipment[{j}]", data, cpath))
    for order, fact in enumerate(facts):
        fact.order = order
    return facts


def _all_countries(proposal: Proposal) -> set[str]:
    countries = set(proposal.recipients)
    for c in proposal.components:
        countries.update(c.transit_through or [])
        if c.location and c.location.country:
            countries.add(c.location.country)
    return countries


def _drop_empty(data: dict[str, Any]) -> dict[str, Any]:
    """Drop absent and empty fields; hold lists of names sorted, because the format
    gives their order no meaning and findings must not depend on it.  (A loop, not
    a comprehension with a helper: this runs for every field of every fact.)"""
    out = {}
    for key, value in data.items():
        if value is None:
            continue
        if isinstance(value, list):
            if not value:
                continue
            try:  # a list of text only: str.join refuses anything else, at C speed (faster than all())
                "".join(value)
            except TypeError:
                pass
            else:
                value = sorted(value)
        out[key] = value
    return out


def _proposal_fields(p: Proposal, components: list[dict[str, Any]]) -> dict[str, Any]:
    just = p.justification
    targets = p.targets or []
    return _drop_empty({
        "id": p.id, "title": p.title, "channel": p.channel, "sponsors": list(p.sponsors),
        "partners": p.partners, "recipients": list(p.recipients),
        "other_actors_considered": p.other_actors_considered, "consulted": p.consulted,
        "duration_years": p.duration_years,
        "threats": just.threats if just else None,
        "threat_assessment": just.threat_assessment if just else None,
        "recipient_count": len(p.recipients),
        "target_count": len(targets),
        "agreed_target_count": sum(1 for t in targets if t.agreed_with_recipient),
        "component_count": len(components),
        "country_specific_component_count": sum(1 for c in components if c["country_count"] == 1),
        "joint_component_count": sum(1 for c in components if c["joint"]),
        "component_kinds": _union(c.get("kind") for c in components),
        "component_purposes": _union(x for c in components for x in c.get("purposes", [])),
        "component_forces": _union(x for c in components for x in c.get("forces", [])),
    })


def _union(values) -> list[str]:
    return sorted(set(values))


def _component_fields(c: Component, recipients: list[str], sponsors: list[str],
                      in_force: dict[str, InForce]) -> dict[str, Any]:
    served = c.served_countries(recipients)
    equipment = c.equipment or []
    # Who takes part besides the donors: an exercise is multilateral by the parties it
    # brings together, and a sponsor listed among the participants is not one more party.
    others = [p for p in c.participants or [] if p not in sponsors]
    return _drop_empty({
        "id": c.id, "kind": c.kind, "countries": served, "forces": c.forces, "purposes": c.purposes,
        "deployment": c.deployment, "needs_assessment": c.needs_assessment,
        "end_use_monitoring": c.end_use_monitoring,
        "location_country": c.location.country if c.location else None,
        "location_area": c.location.area if c.location else None,
        "participants": c.participants, "transit_through": c.transit_through,
        "country_count": len(served), "joint": len(served) >= 2,
        "participant_count": len(c.participants or []),
        "participants_besides_sponsors": others, "participant_count_besides_sponsors": len(others),
        "capabilities": _union(e.capability for e in equipment),
        "stock_capabilities": _union(e.capability for e in equipment if e.source in STOCK_SOURCES),
        "equipment_quantity": sum(e.quantity for e in equipment),
        "profiles_disagree_on": _disagreements([in_force.get(s, NOTHING_IN_FORCE).facts for s in served]),
    })


def _disagreements(served_profiles: list[dict[str, DatedFact]]) -> list[str]:
    """Keys on which two served countries state different values (an absent fact is
    unknown, not a disagreement)."""
    if len(served_profiles) < 2:
        return []
    first: dict[str, Any] = {}  # each key's value in the first profile stating it
    differ = set()
    for profile in served_profiles:
        for key, fact in profile.items():
            if first.setdefault(key, fact.value) != fact.value:
                differ.add(key)
    return sorted(differ)


def _recipient_fact(i: int, country: str, p: Proposal, components: list[dict[str, Any]], top: dict[str, Any],
                    in_force: InForce, profiles: ProfileTable) -> Fact:
    quantities = {cap: 0 for cap in v.CAPABILITIES}
    served = 0
    for comp, fields in zip(p.components, components):
        if country not in fields["countries"]:
            continue
        served += 1
        if comp.kind == "equipment-transfer":
            for item in comp.equipment or []:
                quantities[item.capability] += item.quantity
    data = {
        "country": country, "has_profile": profiles.has_profile(country),
        "transferred_quantity": quantities,
        "transferred_capabilities": sorted(c for c, q in quantities.items() if q),
        "served_component_count": served,
        "profile": in_force.values, "proposal": top,
    }
    return Fact("recipient", f"recipient:{i}", f"recipients[{i}]", _drop_empty(data), profile=in_force.facts)


def _component_country_facts(i: int, c: Component, fields: dict[str, Any], top: dict[str, Any],
                             in_forces: dict[str, InForce], profiles: ProfileTable) -> list[Fact]:
    cpath = f"components[{i}]"
    links: list[tuple[str, str, str]] = []
    for j, country in enumerate(c.countries or []):
        links.append(("served", country, f"{cpath}.countries[{j}]"))
    if not c.countries:  # absent: the component serves every recipient
        links.extend(("served", country, cpath) for country in fields["countries"])
    if c.location and c.location.country:
        links.append(("location", c.location.country, f"{cpath}.location.country"))
    for j, country in enumerate(c.transit_through or []):
        links.append(("transit", country, f"{cpath}.transit_through[{j}]"))
    out = []
    for n, (role, country, path) in enumerate(links):
        in_force = in_forces.get(country, NOTHING_IN_FORCE)
        # Nothing here is ever absent or an empty list (the component's and the
        # proposal's own fields are dropped when empty already): no _drop_empty.
        data = {"country": country, "role": role, "has_profile": profiles.has_profile(country),
                "profile": in_force.values, "component": fields, "proposal": top}
        out.append(Fact("component_country", f"component_country:{i}:{n}", path, data, cpath, profile=in_force.facts))
    return out


# The portfolio fact types (facts/portfolio_schema.py) join the schema like any other, so
# rules over them are loaded, checked, documented and compiled the same way.
from .portfolio_schema import PORTFOLIO_FACT_TYPES, PORTFOLIO_HAS_PROFILE  # noqa: E402

FACT_TYPES.update(PORTFOLIO_FACT_TYPES)
HAS_PROFILE.update(PORTFOLIO_HAS_PROFILE)
