"""The pydantic model of a rule file (rules/<ID>.yaml).

The model checks the shape (``when`` through the typed grammar of
conditions/grammar.py); ``conditions.parse_when`` checks what the ``when`` block says
(fields, operators, vocabulary values) against the fact schema.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from .conditions.grammar import When

RULE_ID_PATTERN = r"^[A-Z]{2,}[0-9]{3,}$"
SEVERITIES = ("error", "warning", "info")
FACT_TYPE_NAMES = ("proposal", "recipient", "component", "component_country", "equipment")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Evidence(_Model):
    quote: Annotated[str, Field(min_length=1)]
    section: Annotated[str, Field(min_length=1)]
    endnote: int | str | None = None

    def cite(self) -> str:
        note = f", n.{self.endnote}" if self.endnote is not None else ""
        return f"DIIS Report 2013:12, §{self.section}{note}"


class Parameter(_Model):
    default: int | float | str | list[str]
    description: str


class Rule(_Model):
    id: Annotated[str, Field(pattern=RULE_ID_PATTERN)]
    name: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$")]
    kind: Literal["finding", "strength"] = "finding"
    severity: Literal[SEVERITIES] = "info"
    title: Annotated[str, Field(min_length=1)]
    tags: list[str] = []
    for_each: Literal[FACT_TYPE_NAMES] | None = None
    # The conditions (conditions/grammar.py); None only for the built-in mechanism CA602.
    when: When | None = None
    requires: list[str] = []
    locate: list[str] | None = None
    message: Annotated[str, Field(min_length=1)]
    reasoning: Annotated[str, Field(min_length=1)]
    evidence: Annotated[list[Evidence], Field(min_length=1)]
    recommendation: Annotated[str, Field(min_length=1)]
    parameters: dict[str, Parameter] = {}
    mechanism: Literal["not-evaluated"] | None = None

    @property
    def reference(self) -> str:
        return f"{self.id} ({self.name})"
