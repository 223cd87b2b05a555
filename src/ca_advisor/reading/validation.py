"""Turn pydantic validation errors into located, human messages.

Used for every model read from a YAML file (proposals, rules, profiles, waivers,
config).  Each message says what was found and what is allowed, with a "did you
mean" for near-miss field names and vocabulary values.
"""

from __future__ import annotations

import datetime
import functools
import re
import types
import typing
from collections.abc import Callable
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from ..model.errors import (
    MAX_ERRORS_PER_FILE,
    InputError,
    InputErrors,
    did_you_mean,
    more_problems,
    one_of,
    quoted,
)
from ..model.vocabulary import RULE_ID_PATTERN, SLUG_PATTERN
from .yaml_source import SourceDocument, join_path

M = TypeVar("M", bound=BaseModel)
FACT_KEY_PATTERN = r"^[a-z][a-z0-9_]*$"  # profiles.FactKey (profiles imports this module)


def validate_document(doc: SourceDocument, model: type[M]) -> M:
    """Validate ``doc.data`` against ``model``; raise every problem at once."""
    try:
        return model.model_validate(doc.data)
    except ValidationError as exc:
        raise InputErrors(_located(doc, model, exc)) from None


def _located(doc: SourceDocument, model: type[BaseModel], exc: ValidationError) -> list[InputError]:
    """Every problem, in file order; messages are made only for the first
    ``MAX_ERRORS_PER_FILE`` (a did-you-mean costs a difflib search)."""
    pending: list[tuple[tuple[int, int], Callable[[], list[InputError]]]] = []
    unions: dict[tuple, list[tuple[tuple, dict]]] = {}
    for err in exc.errors(include_url=False):
        loc, union_at = _clean_loc(model, err["loc"], doc.data)
        if union_at is None:
            pending.append((_position(doc, loc, "key" if _about_key(err) else err["type"]),
                            lambda loc=loc, err=err: [_one(doc, model, loc, err)]))
        else:  # one message per union, not one per member type
            unions.setdefault(loc[:union_at], []).append((loc[union_at:], err))
    for prefix, members in unions.items():
        pending.append((_position(doc, prefix, "union"),
                        lambda prefix=prefix, members=members: _union_errors(doc, model, prefix, members)))
    pending.sort(key=lambda item: item[0])
    errors = _dedupe([e for _, make in pending[:MAX_ERRORS_PER_FILE] for e in make()])
    if len(pending) > MAX_ERRORS_PER_FILE:
        (line, column), _ = pending[MAX_ERRORS_PER_FILE]
        errors.append(more_problems(doc.file, line or None, column or None, len(pending) - MAX_ERRORS_PER_FILE))
    return errors


def _position(doc: SourceDocument, loc: tuple, kind: str) -> tuple[int, int]:
    """Where the message for an error at ``loc`` will point (see ``_one``)."""
    if kind == "missing" or kind == "invalid_key":
        mark = doc.mark_of(_path(loc[:-1]))
    else:
        mark = doc.mark_of(_path(loc), key=kind == "extra_forbidden" or kind == "key")
    return (mark.line, mark.column) if mark else (0, 0)


def _one(doc: SourceDocument, model: type[BaseModel], loc: tuple, err: dict) -> InputError:
    path = _path(loc)
    if err["type"] == "extra_forbidden":
        field_name = str(loc[-1] if loc else err["loc"][-1])
        allowed = _fields_at(model, loc[:-1])
        return doc.error(path, f"unknown field {quoted(field_name)}; allowed fields here: "
                               f"{one_of(allowed)}{did_you_mean(field_name, allowed)}", key=True)
    if err["type"] == "missing":
        parent = _path(loc[:-1])
        allowed = _literal_values(model, loc)
        values = f"; one of: {one_of(allowed)}" if allowed else ""
        return doc.error(parent, f"missing required field '{loc[-1]}'{values}").model_copy(update={"path": path})
    if err["type"] == "invalid_key":  # only from check_mapping: YAML keys are always text
        parent = _path(loc[:-1])
        return doc.error(parent, f"has a field name that is not text ({_show(err.get('input')) or 'a mapping'}); "
                                 "field names are text")
    return doc.error(path, _describe(err, model, loc), key=_about_key(err))


def _about_key(err: dict) -> bool:
    """pydantic marks an error in a mapping's key (not its value) with "[key]"."""
    return "[key]" in err["loc"]


def _union_errors(doc: SourceDocument, model: type[BaseModel], prefix: tuple,
                  members: list[tuple[tuple, dict]]) -> list[InputError]:
    """A value that fits no member of a union such as ``int | str``: say every form
    it may take, unless one member got further into a list or mapping, whose own
    errors are then the useful ones."""
    deeper = [(rest, err) for rest, err in members if rest]
    if deeper and isinstance(members[0][1].get("input"), (list, dict)):
        return [doc.error(_path(prefix + rest), _describe(err, model, prefix + rest)) for rest, err in deeper]
    found = members[0][1].get("input")
    forms = list(dict.fromkeys(_expected(err["type"]) for rest, err in members if not rest))
    wanted = ", ".join(forms[:-1]) + f" or {forms[-1]}" if len(forms) > 1 else forms[0]
    return [doc.error(_path(prefix), f"expected {wanted}, found {_kind_of(found)} {_show(found)}".rstrip())]


def _dedupe(errors: list[InputError]) -> list[InputError]:
    seen, out = set(), []
    for e in errors:
        if (e.path, e.message) not in seen:
            seen.add((e.path, e.message))
            out.append(e)
    return out


def _clean_loc(model: type[BaseModel], loc: tuple, data: Any = None) -> tuple[tuple, int | None]:
    """``loc`` without the parts pydantic adds that are not field names the user
    wrote: the member type after a union ("int", "list[str]") and markers such as
    "[key]" or "function-after[...]".  Also returns where the first union member
    name stood, or None.  Walking the model (not guessing from the names) keeps a
    field that happens to be called "date" or "int" in the path, and walking the
    data keeps a key the user wrote with a bracket in it (``note[1]``)."""
    out: list = []
    union_at = None
    ann: Any = model
    for part in loc:
        if isinstance(part, str) and _is_union(_cached(_unwrap, ann)):
            if union_at is None:
                union_at = len(out)
            ann, data = Any, None
            continue
        if isinstance(part, str) and "[" in part and not (isinstance(data, dict) and part in data):
            ann, data = Any, None
            continue
        out.append(part)
        ann = _step(ann, part)
        data = _below(data, part)
    return tuple(out), union_at


def _below(data: Any, part: str | int) -> Any:
    """The value one key or index below ``data`` in the input, or None."""
    if isinstance(data, dict):
        return data.get(part)
    if isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data):
        return data[part]
    return None


def _is_union(ann: Any) -> bool:
    return typing.get_origin(ann) in (typing.Union, types.UnionType)


def _path(loc: tuple) -> str:
    path = ""
    for part in loc:
        path = join_path(path, part)
    return path


_PATTERN_HINTS = {
    SLUG_PATTERN: "is not a valid identifier; use lower-case letters, digits and hyphens, starting with a "
                  "letter or digit (e.g. 'us-uz-2013-raven-uav')",
    RULE_ID_PATTERN: "is not a valid rule id; use two or more capital letters and then three or more digits "
                     "(e.g. 'CA101')",
    FACT_KEY_PATTERN: "is not a valid fact key; use lower-case letters, digits and underscores, starting with "
                      "a letter (e.g. 'csto_participation')",
}


def _describe(err: dict, model: type[BaseModel], loc: tuple) -> str:
    kind, found, ctx = err["type"], err.get("input"), err.get("ctx") or {}
    shown = _show(found)
    if kind in {"literal_error", "enum"}:
        allowed = _literal_values(model, loc)
        if isinstance(found, bool):
            return f"expected one of: {one_of(allowed)}; found {_yaml_boolean(found)}"
        if not shown:
            return f"expected one of: {one_of(allowed)}; found {_kind_of(found)}"
        return f"{shown} is not allowed; expected one of: {one_of(allowed)}{did_you_mean(found, allowed)}"
    if kind == "string_pattern_mismatch":
        hint = _PATTERN_HINTS.get(ctx.get("pattern"), f"does not have the required form ({ctx.get('pattern')})")
        return f"{shown} {hint}"
    if kind in {"greater_than_equal", "greater_than", "less_than_equal", "less_than"}:
        words = {"greater_than_equal": "at least", "greater_than": "greater than",
                 "less_than_equal": "at most", "less_than": "less than"}[kind]
        bound = next(iter(ctx.values()))
        return f"must be {words} {bound}, found {shown}"
    if kind == "too_short":
        return f"must list at least {ctx.get('min_length', 1)} entry, found an empty list"
    if kind == "string_too_short":
        return "must not be empty"
    if kind in _EXPECTED or kind.endswith("_type") or kind.endswith("_parsing"):
        if isinstance(found, bool) and kind == "string_type":
            return f"expected {_expected(kind)}, found {_yaml_boolean(found)}"
        hint = ""
        if isinstance(found, str) and kind in _NUMBERS_AND_BOOLEANS:
            # quantity: "40" is text in YAML, 40 a number; "yes" is text, true a boolean
            if kind.startswith("bool"):
                hint = "; write true or false, without quotes"
            elif _NUMBER.fullmatch(found.strip()):
                hint = "; remove the quotes"
        return f"expected {_expected(kind)}, found {_kind_of(found)} {shown}".rstrip() + hint
    return f"{err['msg']} (found {shown})"


_EXPECTED = {
    "string_type": "text", "int_type": "a whole number", "int_parsing": "a whole number",
    "bool_type": "true or false", "bool_parsing": "true or false", "float_type": "a number",
    "float_parsing": "a number", "list_type": "a list", "dict_type": "a mapping of fields",
    "model_type": "a mapping of fields", "model_attributes_type": "a mapping of fields",
    "date_type": "a date (YYYY-MM-DD)", "date_parsing": "a date (YYYY-MM-DD)",
    "date_from_datetime_parsing": "a date (YYYY-MM-DD)", "date_from_datetime_inexact": "a date (YYYY-MM-DD)",
    "int_from_float": "a whole number", "model_type_error": "a mapping of fields",
}


_NUMBER = re.compile(r"[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?")
_NUMBERS_AND_BOOLEANS = {"int_type", "int_parsing", "bool_type", "bool_parsing", "float_type", "float_parsing"}


def _yaml_boolean(value: bool) -> str:
    """YAML 1.1 reads yes/no/on/off/true/false unquoted as a boolean."""
    return (f"the boolean {str(value).lower()} (YAML reads an unquoted yes, no, on, off, true or false "
            "as true or false: write it in quotes if you mean the text)")


def _expected(kind: str) -> str:
    return _EXPECTED.get(kind, kind.replace("_", " "))


def _kind_of(value: Any) -> str:
    if isinstance(value, bool):
        return "the boolean"
    if isinstance(value, datetime.datetime):
        return "the date and time"
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
    """The annotation reached by following ``loc`` (a cleaned one) through ``model``."""
    ann: Any = model
    for part in loc:
        ann = _step(ann, part)
    return _unwrap(ann)


def _step(ann: Any, part: str | int) -> Any:
    """The annotation one field, list entry or mapping value below ``ann``."""
    kind, below = _cached(_shape, ann)
    if kind == "list" and isinstance(part, int):
        return below
    if kind == "dict":
        return below
    if kind == "model" and part in below.model_fields:
        return below.model_fields[part].annotation
    return Any


def _cached(fn, ann: Any) -> Any:
    """``fn(ann)`` through its cache when ``ann`` is hashable (every annotation we
    have is; an unhashable one is simply not cached)."""
    try:
        return fn(ann)
    except TypeError:
        return fn.__wrapped__(ann)


@functools.lru_cache(maxsize=512)
def _shape(ann: Any) -> tuple[str, Any]:
    """("list", item type), ("dict", value type), ("model", class) or ("other", None);
    cached, because a file with thousands of errors asks about the same few types."""
    ann = _cached(_unwrap, ann)
    origin, args = typing.get_origin(ann), typing.get_args(ann)
    if origin in (list, tuple, set, frozenset) and args:
        return "list", args[0]
    if origin is dict and len(args) == 2:
        return "dict", args[1]
    if isinstance(ann, type) and issubclass(ann, BaseModel):
        return "model", ann
    return "other", None


@functools.lru_cache(maxsize=512)
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
