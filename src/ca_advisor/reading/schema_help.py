"""Hover help for editors: a description of every field of proposal format v1, put
into the JSON Schema that ``ca-advisor schema`` writes (the model itself stays free
of prose, so importing it for a check costs nothing extra).  The words follow
docs/proposal-format.md; a test checks that every field has one."""

from __future__ import annotations

FIELD_HELP: dict[str, dict[str, str]] = {
    "Proposal": {
        "format": "Format marker: ca-advisor/proposal/v1.",
        "id": "Stable identifier (lower-case letters, digits, hyphens), used in reports and waivers.",
        "title": "One line naming the package.",
        "date": "When the package would be agreed (YYYY-MM-DD); country facts are read as of this date.",
        "sponsors": "Donor states or organisations (united-states, nato, eu, ...); at least one.",
        "channel": "The framework through which the package is delivered.",
        "partners": "Other organisations or states co-delivering it (e.g. csto, sco, russia).",
        "summary": "Free text.",
        "recipients": "Recipient countries (kazakhstan, kyrgyzstan, tajikistan, turkmenistan, uzbekistan); "
                      "at least one.",
        "justification": "The threats the package answers and whose assessment the threat case rests on.",
        "other_actors_considered": "Actors whose interests and likely reactions the proposal has assessed "
                                   "(russia, china, iran, neighbouring states).",
        "consulted": "States consulted although not recipients (matters for basing near a neighbour's border).",
        "duration_years": "Planned length of the programme, in years (more than 0).",
        "targets": "Success measures, each saying whether it is agreed with the recipient.",
        "components": "What the package delivers; at least one.",
    },
    "Justification": {
        "threats": "The threats the package answers.",
        "threat_assessment": "Whose assessment the threat case rests on.",
    },
    "Target": {
        "measure": "What success is measured by.",
        "agreed_with_recipient": "Whether the recipient agreed this target (true or false).",
    },
    "Component": {
        "id": "Identifier, unique within the proposal.",
        "kind": "What sort of assistance the component is.",
        "countries": "Which recipients it serves (each one of the proposal's recipients); absent: all of them.",
        "forces": "The recipient bodies that receive it (armed-forces = defence-ministry forces).",
        "purposes": "What it is for.",
        "deployment": "Where the recipient's forces would operate if not at home (e.g. afghanistan, abroad).",
        "equipment": "For transfers: the items, their capability, quantity and source.",
        "needs_assessment": "How the need for it was established.",
        "end_use_monitoring": "Whether use of the equipment, training or intelligence is monitored (true or "
                              "false).",
        "location": "For basing, facility access, infrastructure and exercises: country and area.",
        "participants": "For exercises: other states or organisations taking part.",
        "transit_through": "Countries whose territory forces or equipment must cross.",
    },
    "EquipmentItem": {
        "item": "What the item is, in words.",
        "capability": "The capability it gives.",
        "quantity": "How many (a whole number, at least 1, without quotes).",
        "source": "Where it comes from.",
    },
    "Location": {
        "country": "The country (a slug).",
        "area": "The area, free text (fergana-valley, termez, ...).",
    },
}


def add_descriptions(schema: dict) -> dict:
    """The schema with each property's description (pydantic's titles kept)."""
    models = {"Proposal": schema, **schema.get("$defs", {})}
    for name, fields in FIELD_HELP.items():
        properties = models[name]["properties"]
        for field_name, text in fields.items():
            properties[field_name]["description"] = text
    return schema
