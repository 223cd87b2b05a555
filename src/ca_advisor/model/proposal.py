"""The pydantic model of proposal format v1 (docs/proposal-format.md).

Unknown fields are rejected everywhere (``extra="forbid"``), closed vocabularies are
``Literal`` types built from ``vocabulary``, and booleans and numbers are strict so
that a quoted ``"true"`` or ``"20"`` is reported rather than guessed at.  The
cross-field checks of the format live in cross_field.py; they need field paths for
their messages, which a pydantic validator cannot give.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt

from . import vocabulary as v
from .dates import Date

Slug = Annotated[str, Field(strict=True, pattern=v.SLUG_PATTERN)]
Text = Annotated[str, Field(strict=True)]
Channel = Literal[v.CHANNELS]
Threat = Literal[v.THREATS]
ThreatAssessment = Literal[v.THREAT_ASSESSMENTS]
ComponentKind = Literal[v.COMPONENT_KINDS]
Force = Literal[v.FORCES]
Purpose = Literal[v.PURPOSES]
Capability = Literal[v.CAPABILITIES]
EquipmentSource = Literal[v.EQUIPMENT_SOURCES]
NeedsAssessment = Literal[v.NEEDS_ASSESSMENTS]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Target(_Model):
    measure: Text
    agreed_with_recipient: StrictBool


class Justification(_Model):
    threats: list[Threat] | None = None
    threat_assessment: ThreatAssessment | None = None


class EquipmentItem(_Model):
    item: Text
    capability: Capability
    quantity: Annotated[StrictInt, Field(ge=1)]
    source: EquipmentSource | None = None


class Location(_Model):
    country: Slug | None = None
    area: Text | None = None


class Component(_Model):
    id: Slug
    kind: ComponentKind
    countries: list[Slug] | None = None
    forces: list[Force] | None = None
    purposes: list[Purpose] | None = None
    deployment: Slug | None = None
    equipment: list[EquipmentItem] | None = None
    needs_assessment: NeedsAssessment | None = None
    end_use_monitoring: StrictBool | None = None
    location: Location | None = None
    participants: list[Slug] | None = None
    transit_through: list[Slug] | None = None

    def served_countries(self, recipients: list[str]) -> list[str]:
        """The format: absent ``countries`` means all recipients."""
        return v.served_countries(self.countries, recipients)


class Proposal(_Model):
    format: Literal[v.SUPPORTED_FORMATS]
    id: Slug
    title: Text
    date: Date | None = None
    sponsors: Annotated[list[Slug], Field(min_length=1)]
    channel: Channel
    partners: list[Slug] | None = None
    summary: Text | None = None
    recipients: Annotated[list[Slug], Field(min_length=1)]
    justification: Justification | None = None
    other_actors_considered: list[Slug] | None = None
    consulted: list[Slug] | None = None
    duration_years: Annotated[float, Field(strict=True, gt=0)] | None = None
    targets: list[Target] | None = None
    components: Annotated[list[Component], Field(min_length=1)]
