"""Dated, sourced country facts, read as of a date (like OpenFisca parameters).

A profile directory holds ``fact-keys.yaml`` (every fact key a profile may set, what
it means and the values it may take) and one ``<country>.yaml`` per country.  Each
fact is a list of dated entries; an entry holds from its ``since`` date until its
``until`` date, or until the next entry for the same key replaces it.

Several profile directories (the built-in one, then a project's) are read in order,
and a later profile for the same country *extends* the earlier one, fact key by
fact key: a key only the later file states is added; for a key both state, the
later file's entries join the earlier history, and an entry with the same ``since``
date as an earlier one replaces it.  So an analyst records a change of situation by
adding one dated entry, and corrects an entry by restating it with its ``since``.
Overlaps are checked on the joined history.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .errors import InputError, InputErrors, did_you_mean, one_of
from .validation import validate_document
from .vocabulary import SLUG_PATTERN
from .dates import Date
from .scan import unique_dirs, yaml_files
from .yaml_source import SourceDocument, join_path, read_yaml_file

FACT_KEYS_FILE = "fact-keys.yaml"
Slug = Annotated[str, Field(strict=True, pattern=SLUG_PATTERN)]
FactKey = Annotated[str, Field(strict=True, pattern=r"^[a-z][a-z0-9_]*$")]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class FactKeySpec(_Model):
    description: str
    values: Annotated[list[str], Field(min_length=1)]


class FactKeys(_Model):
    facts: dict[FactKey, FactKeySpec]


class Source(_Model):
    """Where a fact comes from: the report's section and endnote, or another public source."""

    section: str | None = None
    endnote: int | str | None = None
    reference: str | None = None
    note: str | None = None

    def cite(self) -> str:
        parts = []
        if self.section:
            parts.append(f"§{self.section}")
        if self.endnote is not None:
            parts.append(f"n.{self.endnote}")
        if self.reference:
            parts.append(self.reference)
        return ", ".join(parts) or "unsourced"


class FactEntry(_Model):
    value: str
    since: Date
    until: Date | None = None
    source: Source


class CountryProfile(_Model):
    country: Slug
    name: str
    facts: dict[FactKey, Annotated[list[FactEntry], Field(min_length=1)]]


@dataclass(frozen=True)
class DatedFact:
    """One fact in force on the check's date, with what it rests on."""

    country: str
    key: str
    value: str
    since: datetime.date
    until: datetime.date | None
    source: Source


@dataclass(frozen=True)
class EntryOrigin:
    """The file and line a fact entry was read from (profiles can come from several
    directories, so a reader needs to know which file states a fact)."""

    file: str
    path: str
    line: int | None

    def render(self) -> str:
        return f"{self.file}:{self.line}" if self.line else self.file


@dataclass(frozen=True)
class ProfileBook:
    """All loaded profiles and the fact keys they may use."""

    keys: dict[str, FactKeySpec]
    profiles: dict[str, CountryProfile]
    origins: dict[tuple[str, str, datetime.date], EntryOrigin] = field(default_factory=dict)

    def as_of(self, country: str, date: datetime.date) -> dict[str, DatedFact]:
        profile = self.profiles.get(country)
        if profile is None:
            return {}
        in_force = {}
        for key, entries in profile.facts.items():
            entry = entry_in_force(entries, date)
            if entry is not None:
                in_force[key] = DatedFact(country, key, entry.value, entry.since, entry.until, entry.source)
        return in_force

    def origin(self, country: str, key: str, since: datetime.date) -> EntryOrigin | None:
        return self.origins.get((country, key, since))


def entry_in_force(entries: Iterable[FactEntry], date: datetime.date) -> FactEntry | None:
    """The latest entry that has started by ``date`` and has not ended before it."""
    started = [e for e in entries if e.since <= date]
    if not started:
        return None
    latest = max(started, key=lambda e: e.since)
    if latest.until is not None and date >= latest.until:
        return None
    return latest


@dataclass
class _Layer:
    """One country-profile file, read as far as it is valid (so that every problem in
    it can be reported, not only its schema errors)."""

    doc: SourceDocument
    country: str  # the file stem
    declared_country: str | None
    name: str | None
    keys_given: list[str]
    entries: dict[str, list[tuple[int, FactEntry]]]  # key -> (index in the file, entry)


def load_profiles(directories: Iterable[Path]) -> ProfileBook:
    """Load fact keys and profiles; later directories extend or override earlier ones."""
    book, errors = read_profiles(directories)
    if errors:
        raise InputErrors(errors)
    return book


def read_profiles(directories: Iterable[Path]) -> tuple[ProfileBook, list[InputError]]:
    """Every profile and fact key that could be read, and every problem found."""
    keys: dict[str, FactKeySpec] = {}
    layers: dict[str, list[_Layer]] = {}
    errors: list[InputError] = []
    for directory in unique_dirs(list(directories)):
        if not directory.is_dir():
            errors.append(InputError(file=str(directory), message="profiles directory does not exist"))
            continue
        listing = yaml_files(directory)
        errors.extend(listing.skipped)
        if directory / FACT_KEYS_FILE in listing.files:
            errors.extend(_read_keys(directory / FACT_KEYS_FILE, keys))
        for path in listing.files:
            if path.name != FACT_KEYS_FILE:
                layer, problems = _read_layer(path)
                errors.extend(problems)
                if layer is not None:
                    layers.setdefault(layer.country, []).append(layer)
    profiles: dict[str, CountryProfile] = {}
    origins: dict[tuple[str, str, datetime.date], EntryOrigin] = {}
    for country, stack in layers.items():
        for layer in stack:
            errors.extend(_layer_problems(layer, keys))
        profiles[country], merge_errors = _merge(country, stack, keys, origins)
        errors.extend(merge_errors)
    return ProfileBook(keys, profiles, origins), errors


def _read_keys(path: Path, keys: dict[str, FactKeySpec]) -> list[InputError]:
    if not path.exists():
        return []
    try:
        keys.update(validate_document(read_yaml_file(path, what="a fact-keys file"), FactKeys).facts)
    except InputErrors as exc:
        return exc.errors
    return []


def _read_layer(path: Path) -> tuple[_Layer | None, list[InputError]]:
    try:
        doc = read_yaml_file(path, what="a country profile")
    except InputErrors as exc:
        return None, exc.errors
    try:
        profile = validate_document(doc, CountryProfile)
    except InputErrors as exc:
        # A fact key of the wrong form is reported as an unknown fact key below, with
        # the keys that are allowed, rather than as a bad identifier.
        return _lenient_layer(doc, path.stem), [_explained(e) for e in exc.errors if not _is_key_form_error(e)]
    entries = {k: list(enumerate(v)) for k, v in profile.facts.items()}
    return _Layer(doc, path.stem, profile.country, profile.name, list(profile.facts), entries), []


def _explained(error: InputError) -> InputError:
    """An undated entry is the commonest slip; say what the date means."""
    if error.path.endswith(".since") and error.message == "missing required field 'since'":
        return error.model_copy(update={"message": "missing required field 'since': an entry needs the date "
                                                   "(YYYY-MM-DD) from which it holds"})
    return error


def _is_key_form_error(error: InputError) -> bool:
    return error.path.count(".") == 1 and error.path.startswith("facts.") and "[" not in error.path \
        and error.message.startswith("is not a valid identifier")


def _lenient_layer(doc: SourceDocument, stem: str) -> _Layer:
    data = doc.data
    facts = data.get("facts") if isinstance(data.get("facts"), dict) else {}
    entries: dict[str, list[tuple[int, FactEntry]]] = {}
    for key, raw_entries in facts.items():
        for i, raw in enumerate(raw_entries if isinstance(raw_entries, list) else []):
            try:
                entries.setdefault(key, []).append((i, FactEntry.model_validate(raw)))
            except ValidationError:
                continue  # already reported by the schema check
    country, name = data.get("country"), data.get("name")
    return _Layer(doc, stem, country if isinstance(country, str) else None, name if isinstance(name, str) else None,
                  [k for k in facts if isinstance(k, str)], entries)


def _layer_problems(layer: _Layer, keys: dict[str, FactKeySpec]) -> list[InputError]:
    doc, problems = layer.doc, []
    if layer.declared_country is not None and layer.declared_country != layer.country:
        problems.append(doc.error("country", f"country '{layer.declared_country}' does not match the file name "
                                             f"'{layer.country}.yaml'; name the file after the country"))
    for key in layer.keys_given:
        if key not in keys:
            problems.append(doc.error(join_path("facts", key), f"unknown fact key '{key}'; declare it in {FACT_KEYS_FILE} "
                                      f"or use one of: {one_of(keys)}{did_you_mean(key, keys)}", key=True))
    for key, entries in layer.entries.items():
        if key in keys:
            problems.extend(_entry_problems(doc, join_path("facts", key), key, entries, keys[key].values))
    return problems


def _entry_problems(doc: SourceDocument, path: str, key: str, entries: list[tuple[int, FactEntry]],
                    allowed: list[str]) -> list[InputError]:
    problems, first_on = [], {}
    for i, entry in entries:
        if entry.value not in allowed:
            problems.append(doc.error(f"{path}[{i}].value", f"'{entry.value}' is not a value of '{key}'; "
                                      f"expected one of: {one_of(allowed)}{did_you_mean(entry.value, allowed)}"))
        if entry.until is not None and entry.until <= entry.since:
            problems.append(doc.error(f"{path}[{i}].until", f"until {entry.until} is not after since {entry.since}"))
        if entry.since in first_on:
            problems.append(doc.error(f"{path}[{i}].since", f"two entries start on {entry.since} "
                                      f"({path}[{first_on[entry.since]}] and {path}[{i}]); keep one"))
        first_on.setdefault(entry.since, i)
    return problems


@dataclass(frozen=True)
class _Placed:
    entry: FactEntry
    layer: _Layer
    path: str


def _merge(country: str, stack: list[_Layer], keys: dict[str, FactKeySpec],
           origins: dict[tuple[str, str, datetime.date], EntryOrigin]) -> tuple[CountryProfile, list[InputError]]:
    """Join the layers of one country key by key; a later entry with the same ``since``
    replaces the earlier one."""
    history: dict[str, dict[datetime.date, _Placed]] = {}
    for layer in stack:
        for key, entries in layer.entries.items():
            if key not in keys:
                continue
            by_since, in_this_file = history.setdefault(key, {}), set()
            for i, entry in entries:
                if entry.since not in in_this_file:  # a repeat within one file is reported above
                    in_this_file.add(entry.since)
                    by_since[entry.since] = _Placed(entry, layer, join_path(join_path("facts", key), i))
    facts, problems = {}, []
    for key, by_since in history.items():
        placed = [by_since[since] for since in sorted(by_since)]
        facts[key] = [p.entry for p in placed]
        for p in placed:
            mark = p.layer.doc.mark_of(p.path, key=True)
            origins[(country, key, p.entry.since)] = EntryOrigin(p.layer.doc.file, p.path, mark.line if mark else None)
        problems.extend(_overlaps(placed))
    name = next((layer.name for layer in reversed(stack) if layer.name), country)
    return CountryProfile.model_construct(country=country, name=name, facts=facts), problems


def _overlaps(placed: list[_Placed]) -> list[InputError]:
    problems = []
    for first, second in zip(placed, placed[1:]):
        if first.entry.until is not None and first.entry.until > second.entry.since:
            other = second.path if second.layer is first.layer else f"{second.path} in {second.layer.doc.file}"
            problems.append(first.layer.doc.error(
                f"{first.path}.until", f"entry runs until {first.entry.until}, overlapping {other} which starts "
                                       f"{second.entry.since}; end it on or before {second.entry.since}"))
    return problems
