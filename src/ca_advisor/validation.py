"""Turn pydantic validation errors into located, human messages.

Used for every model read from a YAML file (proposals, rules, profiles, waivers,
config).  Each message says what was found and what is allowed, with a "did you
mean" for near-miss field names and vocabulary values.
"""

from __future__ import annotations

import types
import typing
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from .errors import InputError, InputErrors, did_you_mean, one_of
from .yaml_source import SourceDocument, join_path

M = TypeVar("M", bound=BaseModel)


def validate_document(doc: SourceDocument, model: type[M]) -> M:
    """Validate ``doc.data`` against ``model``; raise every problem at once."""
    try:
        return model.model_validate(doc.data)
    except ValidationError as exc:
        raise InputErrors(_located(doc, model, exc)) from None


def _located(doc: SourceDocument, model: type[BaseModel], exc: ValidationError) -> list[InputError]:
    errors = []
    for err in exc.errors(include_url=False):
        loc = tuple(p for p in err["loc"] if not _is_union_tag(p))
        path = _path(loc)
        if err["type"] == "extra_forbidden":
            field_name = str(loc[-1])
            allowed = _fields_at(model, loc[:-1])
            errors.append(doc.error(path, f"unknown field '{field_name}'; allowed fields here: "
                                          f"{one_of(allowed)}{did_you_mean(field_name, allowed)}", key=True))
        elif err["type"] == "missing":
            parent = _path(loc[:-1])
            errors.append(doc.error(parent, f"missing required field '{loc[-1]}'").model_copy(
                update={"path": path}))
        else:
            errors.append(doc.error(path, _describe(err, model, loc)))
    return _dedupe(errors)


def _dedupe(errors: list[InputError]) -> list[InputError]:
    seen, out = set(), []
    for e in errors:
        if (e.path, e.message) not in seen:
            seen.add((e.path, e.message))
            out.append(e)
    return out


def _is_union_tag(part: Any) -> bool:
    # pydantic adds the member type name ("float", "function-after[...]") to the loc of
    # errors inside unions; they are not field names the user wrote.
    return isinstance(part, str) and ("[" in part or part in {"float", "int", "str", "bool", "date", "list", "dict"})


def _path(loc: tuple) -> str:
    path = ""
    for part in loc:
        path = join_path(path, part)
    return path


def _describe(err: dict, model: type[BaseModel], loc: tuple) -> str:
    kind, found, ctx = err["type"], err.get("input"), err.get("ctx") or {}
    shown = _show(found)
    if kind in {"literal_error", "enum"}:
        allowed = _literal_values(model, loc)
        return f"{shown} is not allowed; expected one of: {one_of(allowed)}{did_you_mean(found, allowed)}"
    if kind == "string_pattern_mismatch":
        return (f"{shown} is not a valid identifier; use lower-case letters, digits and hyphens, "
                "starting with a letter or digit (e.g. 'us-uz-2013-raven-uav')")
    if kind in {"greater_than_equal", "greater_than", "less_than_equal", "less_than"}:
        words = {"greater_than_equal": "at least", "greater_than": "greater than",
                 "less_than_equal": "at most", "less_than": "less than"}[kind]
        bound = next(iter(ctx.values()))
        return f"must be {words} {bound}, found {shown}"
    if kind == "too_short":
        return f"must list at least {ctx.get('min_length', 1)} entry, found an empty list"
    if kind.endswith("_type") or kind.endswith("_parsing") or kind in {"model_attributes_type", "dict_type"}:
        return f"expected {_expected(kind)}, found {_kind_of(found)} {shown}".rstrip()
    return f"{err['msg']} (found {shown})"


_EXPECTED = {
    "string_type": "text", "int_type": "a whole number", "int_parsing": "a whole number",
    "bool_type": "true or false", "bool_parsing": "true or false", "float_type": "a number",
    "float_parsing": "a number", "list_type": "a list", "dict_type": "a mapping of fields",
    "model_type": "a mapping of fields", "model_attributes_type": "a mapping of fields",
    "date_type": "a date (YYYY-MM-DD)", "date_parsing": "a date (YYYY-MM-DD)",
    "date_from_datetime_parsing": "a date (YYYY-MM-DD)", "date_from_datetime_inexact": "a date (YYYY-MM-DD)",
}


def _expected(kind: str) -> str:
    return _EXPECTED.get(kind, kind.replace("_", " "))


def _kind_of(value: Any) -> str:
    if isinstance(value, bool):
        return "the boolean"
    if isinstance(value, (int, float)):
        return "the number"
    if isinstance(value, str):
        return "the text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if value is None:
        return "an empty value"
    return type(value).__name__


def _show(value: Any) -> str:
    if isinstance(value, (list, dict)) or value is None:
        return ""
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _resolve(model: type[BaseModel], loc: tuple) -> Any:
    """The annotation reached by following ``loc`` through ``model``'s fields."""
    ann: Any = model
    for part in loc:
        ann = _unwrap(ann)
        if isinstance(part, int):
            args = typing.get_args(ann)
            ann = args[0] if args else Any
        elif isinstance(ann, type) and issubclass(ann, BaseModel) and part in ann.model_fields:
            ann = ann.model_fields[part].annotation
        else:
            return Any
    return _unwrap(ann)


def _unwrap(ann: Any) -> Any:
    """Strip Optional and Annotated wrappers."""
    while True:
        origin = typing.get_origin(ann)
        if origin is typing.Annotated:
            ann = typing.get_args(ann)[0]
        elif origin in (typing.Union, types.UnionType):
            members = [a for a in typing.get_args(ann) if a is not type(None)]
            if len(members) != 1:
                return ann
            ann = members[0]
        else:
            return ann


def _fields_at(model: type[BaseModel], loc: tuple) -> list[str]:
    ann = _resolve(model, loc)
    if isinstance(ann, type) and issubclass(ann, BaseModel):
        return list(ann.model_fields)
    return []


def _literal_values(model: type[BaseModel], loc: tuple) -> list[str]:
    ann = _resolve(model, loc)
    if typing.get_origin(ann) is typing.Literal:
        return [str(a) for a in typing.get_args(ann)]
    return []
