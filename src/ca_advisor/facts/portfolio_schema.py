"""The portfolio fact types: their fields, registered in the fact schema (facts.py)
so that rules read them as data, the loader checks rules against them and
docs/facts.md documents them like every other fact type.

None of these fields encodes a rule's policy: which capabilities are offensive, which
forces are first in, what counts as threat assessment, how many recipients make a
regional initiative, all live in the rule files.
"""

from __future__ import annotations

from ..model import vocabulary as v
from .build import FieldSpec, _f

# Land borders between the five states (the report's military balance is between
# neighbours).  Tajikistan and Turkmenistan do not border each other.
NEIGHBOURS: dict[str, tuple[str, ...]] = {
    "kazakhstan": ("kyrgyzstan", "turkmenistan", "uzbekistan"),
    "kyrgyzstan": ("kazakhstan", "tajikistan", "uzbekistan"),
    "tajikistan": ("kyrgyzstan", "uzbekistan"),
    "turkmenistan": ("kazakhstan", "uzbekistan"),
    "uzbekistan": ("kazakhstan", "kyrgyzstan", "tajikistan", "turkmenistan"),
}

_PKG = "^recipients"  # every portfolio field is derived from the packages in play

PORTFOLIO_RECIPIENT_FIELDS: dict[str, FieldSpec] = {
    "country": _f("slug", "the recipient state", source=_PKG),
    "has_profile": _f("bool", "derived: a country profile exists for it", source=_PKG),
    "package_count": _f("number", "derived: packages in play that it receives", source=_PKG),
    "packages": _f("slug", "derived: the ids of those packages", many=True, source=_PKG),
    "sponsors": _f("slug", "derived: every sponsor of those packages", many=True, source="^sponsors"),
    "sponsor_count": _f("number", "derived: how many sponsors", source="^sponsors"),
    "channels": _f("enum", "derived: every channel those packages use", v.CHANNELS, many=True, source="^channel"),
    "threats": _f("enum", "derived: every threat those packages cite", v.THREATS, many=True,
                  source="^justification.threats"),
    "component_kinds": _f("enum", "derived: every kind of component serving it", v.COMPONENT_KINDS, many=True,
                          source="^components"),
    "forces": _f("enum", "derived: every force reached by a component serving it (does any package reach the "
                         "forces a rule names?)", v.FORCES, many=True, source="^components"),
    "purposes": _f("enum", "derived: every purpose of a component serving it (does any package build the "
                           "capacity a rule names?)", v.PURPOSES, many=True, source="^components"),
    "transferred_quantity": _f("quantities", "derived: items transferred to it by all packages in play, per "
                               "capability (0 if none)", v.CAPABILITIES, source="^components"),
    "transferred_capabilities": _f("enum", "derived: capabilities transferred to it", v.CAPABILITIES, many=True,
                                   source="^components"),
    "transfer_package_count": _f("number", "derived: packages in play that transfer equipment to it",
                                 source="^components"),
}

PORTFOLIO_PAIR_FIELDS: dict[str, FieldSpec] = {
    "country": _f("slug", "a recipient state", source=_PKG),
    "neighbour": _f("slug", "a recipient it borders (among the five states)", source=_PKG),
    "transferred_quantity": _f("quantities", "derived: items transferred to country, per capability",
                               v.CAPABILITIES, source="^components"),
    "neighbour_transferred_quantity": _f("quantities", "derived: items transferred to neighbour, per capability",
                                         v.CAPABILITIES, source="^components"),
    "quantity_lead": _f("quantities", "derived: per capability, how many more items country receives than "
                        "neighbour (0 where it receives no more)", v.CAPABILITIES, source="^components"),
    "transfer_package_count": _f("number", "derived: packages in play that transfer equipment to country",
                                 source="^components"),
    "sponsors": _f("slug", "derived: sponsors of those packages", many=True, source="^sponsors"),
}

PORTFOLIO_SPONSOR_PAIR_FIELDS: dict[str, FieldSpec] = {
    "country": _f("slug", "the recipient both sponsors serve", source=_PKG),
    "has_profile": _f("bool", "derived: a country profile exists for it", source=_PKG),
    "sponsors": _f("slug", "derived: the two sponsors", many=True, source="^sponsors"),
    "consulted_each_other": _f("bool", "derived: a package of one names the other among its consulted, partners "
                               "or sponsors", source="^consulted"),
    "shared_kinds": _f("enum", "derived: component kinds both give it", v.COMPONENT_KINDS, many=True,
                       source="^components"),
    "shared_purposes": _f("enum", "derived: purposes both serve in it", v.PURPOSES, many=True,
                          source="^components"),
    "shared_forces": _f("enum", "derived: forces both reach in it", v.FORCES, many=True, source="^components"),
    "shared_capabilities": _f("enum", "derived: capabilities both transfer to it", v.CAPABILITIES, many=True,
                              source="^components"),
    "package_count": _f("number", "derived: the two sponsors' packages in play serving it", source=_PKG),
}

PORTFOLIO_SPONSOR_COMPONENT_FIELDS: dict[str, FieldSpec] = {
    "sponsor": _f("slug", "the sponsor", source="^sponsors"),
    "year": _f("number", "the year the packages start (their date)", source="^date"),
    "kind": _f("enum", "the component kind", v.COMPONENT_KINDS, source="^components"),
    "purposes": _f("enum", "the components' purposes (the same in each)", v.PURPOSES, many=True,
                   source="^components"),
    "capabilities": _f("enum", "the components' equipment capabilities (the same in each)", v.CAPABILITIES,
                       many=True, source="^components"),
    "forces": _f("enum", "derived: forces any of them reaches", v.FORCES, many=True, source="^components"),
    "countries": _f("slug", "derived: the countries they serve, one each", many=True, source="^components"),
    "country_count": _f("number", "derived: how many countries", source="^components"),
    "package_count": _f("number", "derived: how many packages they come from", source=_PKG),
}

PORTFOLIO_FACT_TYPES = {
    "portfolio_recipient": {"": PORTFOLIO_RECIPIENT_FIELDS},
    "portfolio_pair": {"": PORTFOLIO_PAIR_FIELDS},
    "portfolio_sponsor_pair": {"": PORTFOLIO_SPONSOR_PAIR_FIELDS},
    "portfolio_sponsor_component": {"": PORTFOLIO_SPONSOR_COMPONENT_FIELDS},
}
PORTFOLIO_HAS_PROFILE = {"portfolio_recipient", "portfolio_sponsor_pair"}

# for docs/facts.md: what one fact is, how many there are, the base path
PORTFOLIO_FACT_TYPE_TEXT = {
    "portfolio_recipient": ("portfolio: each recipient of the packages in play at the check date, with what they "
                            "add up to and its country profile", "per recipient of the portfolio", ""),
    "portfolio_pair": ("portfolio: each recipient and each neighbour it borders among the five states that is "
                       "also a recipient of packages in play, with what each receives", "per ordered pair of "
                       "neighbouring recipients", ""),
    "portfolio_sponsor_pair": ("portfolio: each recipient and two sponsors that both serve it with packages in "
                               "play, with what their packages share and whether they consulted each other",
                               "per recipient and pair of its sponsors", ""),
    "portfolio_sponsor_component": ("portfolio: near-identical components (same kind, purposes and "
                                    "capabilities) that one sponsor gives to one country each, in packages "
                                    "starting the same year", "per sponsor, year and kind of component", ""),
}
