"""The pydantic model of a rule file (rules/<ID>.yaml).

The model checks the shape (``when`` through the typed grammar of
conditions/grammar.py); ``conditions.parse_when`` checks what the ``when`` block says
(fields, operators, vocabulary values) against the fact schema.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from ..conditions.grammar import When
from ..facts.sources import REPORT_SOURCE, SourceBook
from ..model.vocabulary import RULE_ID_PATTERN, SEVERITIES, SLUG_PATTERN

FACT_TYPE_NAMES = ("proposal", "recipient", "component", "component_country", "equipment",
                   "portfolio_recipient", "portfolio_pair", "portfolio_sponsor_pair", "portfolio_sponsor_component")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Evidence(_Model):
    """A quoted passage: verbatim from its source (by id; default the report), with
    the section and endnote where the source has them."""

    quote: Annotated[str, Field(min_length=1)]
    source: str = REPORT_SOURCE
    section: Annotated[str, Field(min_length=1)] | None = None
    endnote: int | str | None = None
    at: Annotated[str, Field(min_length=1)] | None = None  # where else: "Art. 3", "p. 12", "para. 4"

    def cite(self, sources: SourceBook) -> str:
        section = f", §{self.section}" if self.section else ""
        note = f", n.{self.endnote}" if self.endnote is not None else ""
        at = f", {self.at}" if self.at else ""
        return f"{sources.citation(self.source)}{section}{note}{at}"


class Parameter(_Model):
    default: int | float | str | list[str]
    description: str


class Rule(_Model):
    id: Annotated[str, Field(pattern=RULE_ID_PATTERN)]
    name: Annotated[str, Field(pattern=SLUG_PATTERN)]
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
    # How the rule reads the proposal and the profiles (defaults, absent fields, what it
    # leaves to other rules): for docs/rules.md and `rules show`, kept out of `reasoning`
    # so that a finding's "why" argues only the policy point.
    how_it_decides: Annotated[str, Field(min_length=1)] | None = None
    evidence: Annotated[list[Evidence], Field(min_length=1)]
    recommendation: Annotated[str, Field(min_length=1)]
    parameters: dict[str, Parameter] = {}
    mechanism: Literal["not-evaluated"] | None = None
    # Portfolio rules only: per-proposal rules that say, package by package, what this
    # rule says of the portfolio.  In a portfolio run their findings on the packages
    # this rule's finding names are reported under it (portfolio/covering.py).
    covers: list[Annotated[str, Field(pattern=RULE_ID_PATTERN)]] = []

    @property
    def reference(self) -> str:
        return f"{self.id} ({self.name})"
