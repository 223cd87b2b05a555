"""The typed grammar of a ``when`` block, made from the operator registry.

``When`` is a discriminated union: a list of items, an ``all:`` group, an ``any:``
group, or a mapping of field names to tests; a test is a mapping of operators (the
registry's names, nothing else) or a bare value (short for ``is``).  The rule model
uses it, so ``Rule.model_json_schema()`` (``ca-advisor schema --rules``) gives
editors completion of operator names and refuses a misspelt one.

The grammar checks the shape; the parser (parser.py) checks what it says against the
fact schema (fields, field kinds, vocabulary values, parameters) and words the
problems for rule authors, so rulebook.py reports the parser's messages for ``when``
and the grammar's only when the parser found nothing to say.
"""

from __future__ import annotations

from typing import Annotated, Any, Union

from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    StrictBool,
    StrictFloat,
    StrictInt,
    StrictStr,
    Tag,
    create_model,
)

from .operators import OPERATOR_NAMES, OPERATORS, TOTAL_OF

Scalar = Union[StrictStr, StrictBool, StrictInt, StrictFloat]


class ParameterRef(BaseModel):
    """``{param: NAME}``: the value of a parameter the rule declares."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    param: StrictStr


Operand = Union[ParameterRef, Scalar, Annotated[list[Scalar], Field(min_length=1)]]


def _description(name: str) -> str:
    if name == TOTAL_OF:
        return "the entries of a quantity per capability to sum; pair with a comparison such as at_least"
    op = OPERATORS[name]
    return f"{op.words('FIELD', op.example, str(op.example))} (for a field holding: {op.doc_kind})"


Operators = create_model(
    "Operators",
    __config__=ConfigDict(extra="forbid", frozen=True, json_schema_extra={"minProperties": 1}),
    __doc__="The operators applied to one field (all must hold).",
    **{name: (Operand | None, Field(default=None, description=_description(name))) for name in OPERATOR_NAMES},
)

TestSpec = Union[Operators, Scalar]
Tests = Annotated[dict[str, TestSpec], Field(min_length=1)]


def _item_kind(value: Any) -> str:
    if isinstance(value, (AllGroup, AnyGroup)):
        return "all" if isinstance(value, AllGroup) else "any"
    if isinstance(value, dict) and len(value) == 1 and next(iter(value)) in ("all", "any"):
        return next(iter(value))
    return "tests"


class AllGroup(BaseModel):
    """Every item holds."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    all: Annotated[list[Item], Field(min_length=1)]


class AnyGroup(BaseModel):
    """At least one item holds."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    any: Annotated[list[Item], Field(min_length=1)]


Item = Annotated[
    Union[Annotated[AllGroup, Tag("all")], Annotated[AnyGroup, Tag("any")], Annotated[Tests, Tag("tests")]],
    Discriminator(_item_kind),
]


def _when_kind(value: Any) -> str:
    return "list" if isinstance(value, list) else _item_kind(value)


When = Annotated[
    Union[Annotated[Annotated[list[Item], Field(min_length=1)], Tag("list")], Annotated[AllGroup, Tag("all")],
          Annotated[AnyGroup, Tag("any")], Annotated[Tests, Tag("tests")]],
    Discriminator(_when_kind),
]

AllGroup.model_rebuild()
AnyGroup.model_rebuild()
