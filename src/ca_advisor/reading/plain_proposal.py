"""Proposal format v1 read without pydantic: every proposal is read this way first
(reading/proposals.py), and a run of valid proposals needs no pydantic at all
(cli/quick_check.py).

The model (model/proposal.py) is the contract; this reads the same fields, as
strictly, and only ever says yes: a mapping it takes, the model takes too and gives
the same values (``model_dump()`` equals ``as_data()``).  Anything else (a wrong type,
an unknown or missing field, a date written as text, which the model would convert)
gives None, and the caller validates with the model, which words the problem or
accepts what this reader leaves to it.  tests/test_plain_proposal.py holds the two
alike on every example and fixture case, a generated corpus, hypothesis' proposals
and mutations of them.

The records it gives answer the attributes the facts builder reads, as the models do.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from typing import Any

from ..model import vocabulary as v


class _No(Exception):
    """Not a value this reader takes (the model decides)."""


Check = Callable[[Any], Any]


class Record:
    """A validated mapping: each field of its model an attribute (None when absent)."""

    __slots__ = ()
    FIELDS: dict[str, tuple[bool, Check]] = {}  # name -> (required, check)

    def __init__(self, data: dict[str, Any]):
        if type(data) is not dict or not data.keys() <= self.FIELDS.keys():
            raise _No
        for name, (required, check) in self.FIELDS.items():
            value = data.get(name)
            if value is not None:
                setattr(self, name, check(value))
            elif required:
                raise _No
            else:
                setattr(self, name, None)

    def as_data(self) -> dict[str, Any]:
        """What the model's ``model_dump()`` gives."""
        return {name: _as_data(getattr(self, name)) for name in self.FIELDS}


def _as_data(value: Any) -> Any:
    if isinstance(value, Record):
        return value.as_data()
    if type(value) is list:
        return [_as_data(item) for item in value]
    return value


def _text(value: Any) -> str:
    if type(value) is not str:
        raise _No
    return value


_SLUG = re.compile(v.SLUG_PATTERN)
# Names that passed: proposals repeat the same few (countries, sponsors), and a set
# answers before the pattern would.  Bounded, so a run over varied files cannot grow it.
_SLUGS_SEEN: set[str] = set()
_SLUGS_SEEN_MAX = 4096


def _slug(value: Any) -> str:
    if type(value) is not str:
        raise _No
    if value not in _SLUGS_SEEN:
        if _SLUG.fullmatch(value) is None:
            raise _No
        if len(_SLUGS_SEEN) < _SLUGS_SEEN_MAX:
            _SLUGS_SEEN.add(value)
    return value


def _one_of(values: tuple[str, ...]) -> Check:
    allowed = frozenset(values)

    def check(value: Any) -> str:
        if type(value) is not str or value not in allowed:
            raise _No
        return value
    return check


def _flag(value: Any) -> bool:
    if type(value) is not bool:
        raise _No
    return value


def _count(value: Any) -> int:  # a whole number, at least 1
    if type(value) is not int or value < 1:
        raise _No
    return value


def _years(value: Any) -> float:  # a number above 0, as a float (the model converts a whole number)
    if type(value) not in (int, float) or not value > 0:
        raise _No
    return float(value)


def _date(value: Any) -> datetime.date:  # as YAML gives an unquoted date; text is the model's to convert
    if type(value) is not datetime.date:
        raise _No
    return value


def _list(check: Check, *, at_least: int = 0) -> Check:
    def checked(value: Any) -> list:
        if type(value) is not list or len(value) < at_least:
            raise _No
        return [check(item) for item in value]
    return checked


class Target(Record):
    __slots__ = ("measure", "agreed_with_recipient")
    FIELDS = {"measure": (True, _text), "agreed_with_recipient": (True, _flag)}


class Justification(Record):
    __slots__ = ("threats", "threat_assessment")
    FIELDS = {"threats": (False, _list(_one_of(v.THREATS))),
              "threat_assessment": (False, _one_of(v.THREAT_ASSESSMENTS))}


class EquipmentItem(Record):
    __slots__ = ("item", "capability", "quantity", "source")
    FIELDS = {"item": (True, _text), "capability": (True, _one_of(v.CAPABILITIES)), "quantity": (True, _count),
              "source": (False, _one_of(v.EQUIPMENT_SOURCES))}


class Location(Record):
    __slots__ = ("country", "area")
    FIELDS = {"country": (False, _slug), "area": (False, _text)}


class Component(Record):
    __slots__ = ("id", "kind", "countries", "forces", "purposes", "deployment", "equipment", "needs_assessment",
                 "end_use_monitoring", "location", "participants", "transit_through")
    FIELDS = {"id": (True, _slug), "kind": (True, _one_of(v.COMPONENT_KINDS)), "countries": (False, _list(_slug)),
              "forces": (False, _list(_one_of(v.FORCES))), "purposes": (False, _list(_one_of(v.PURPOSES))),
              "deployment": (False, _slug), "equipment": (False, _list(EquipmentItem)),
              "needs_assessment": (False, _one_of(v.NEEDS_ASSESSMENTS)), "end_use_monitoring": (False, _flag),
              "location": (False, Location), "participants": (False, _list(_slug)),
              "transit_through": (False, _list(_slug))}

    def served_countries(self, recipients: list[str]) -> list[str]:
        """The format: absent ``countries`` means all recipients (as the model says)."""
        return v.served_countries(self.countries, recipients)


class Proposal(Record):
    __slots__ = ("format", "id", "title", "date", "sponsors", "channel", "partners", "summary", "recipients",
                 "justification", "other_actors_considered", "consulted", "duration_years", "targets",
                 "components")
    FIELDS = {"format": (True, _one_of(v.SUPPORTED_FORMATS)), "id": (True, _slug), "title": (True, _text),
              "date": (False, _date), "sponsors": (True, _list(_slug, at_least=1)),
              "channel": (True, _one_of(v.CHANNELS)), "partners": (False, _list(_slug)),
              "summary": (False, _text), "recipients": (True, _list(_slug, at_least=1)),
              "justification": (False, Justification), "other_actors_considered": (False, _list(_slug)),
              "consulted": (False, _list(_slug)), "duration_years": (False, _years),
              "targets": (False, _list(Target)), "components": (True, _list(Component, at_least=1))}


def plain_proposal(data: Any) -> Proposal | None:
    """``data`` as a proposal when this reader takes it; None leaves it to the model."""
    try:
        return Proposal(data)
    except _No:
        return None
