"""Dated, sourced country facts, read as of a date (like OpenFisca parameters).

A profile directory holds ``fact-keys.yaml`` (every fact key a profile may set, what
it means and the values it may take) and one ``<country>.yaml`` per country.  Each
fact is a list of dated entries; an entry holds from its ``since`` date until its
``until`` date, or until the next entry for the same key replaces it.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from .errors import InputError, InputErrors, did_you_mean, one_of
from .validation import validate_document
from .vocabulary import SLUG_PATTERN
from .yaml_source import SourceDocument, read_yaml_file

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
    since: datetime.date
    until: datetime.date | None = None
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
class ProfileBook:
    """All loaded profiles and the fact keys they may use."""

    keys: dict[str, FactKeySpec]
    profiles: dict[str, CountryProfile]

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


def entry_in_force(entries: Iterable[FactEntry], date: datetime.date) -> FactEntry | None:
    """The latest entry that has started by ``date`` and has not ended before it."""
    started = [e for e in entries if e.since <= date]
    if not started:
        return None
    latest = max(started, key=lambda e: e.since)
    if latest.until is not None and date >= latest.until:
        return None
    return latest


def load_profiles(directories: Iterable[Path]) -> ProfileBook:
    """Load fact keys and profiles; later directories extend or override earlier ones."""
    keys: dict[str, FactKeySpec] = {}
    docs: dict[str, tuple[SourceDocument, CountryProfile]] = {}
    errors: list[InputError] = []
    for directory in directories:
        keys_path = directory / FACT_KEYS_FILE
        if keys_path.exists():
            try:
                keys.update(validate_document(read_yaml_file(keys_path, what="a fact-keys file"), FactKeys).facts)
            except InputErrors as exc:
                errors.extend(exc.errors)
        for path in sorted(directory.glob("*.yaml")):
            if path.name == FACT_KEYS_FILE:
                continue
            try:
                doc = read_yaml_file(path, what="a country profile")
                docs[path.stem] = (doc, validate_document(doc, CountryProfile))
            except InputErrors as exc:
                errors.extend(exc.errors)
    for stem, (doc, profile) in docs.items():
        errors.extend(_profile_problems(doc, stem, profile, keys))
    if errors:
        raise InputErrors(errors)
    return ProfileBook(keys, {p.country: p for _, p in docs.values()})


def _profile_problems(doc: SourceDocument, stem: str, profile: CountryProfile,
                      keys: dict[str, FactKeySpec]) -> list[InputError]:
    problems = []
    if profile.country != stem:
        problems.append(doc.error("country", f"country '{profile.country}' does not match the file name "
                                             f"'{stem}.yaml'; name the file after the country"))
    for key, entries in profile.facts.items():
        path = f"facts.{key}"
        if key not in keys:
            problems.append(doc.error(path, f"unknown fact key '{key}'; declare it in {FACT_KEYS_FILE} "
                                            f"or use one of: {one_of(keys)}{did_you_mean(key, keys)}", key=True))
            continue
        allowed = keys[key].values
        for i, entry in enumerate(entries):
            if entry.value not in allowed:
                problems.append(doc.error(f"{path}[{i}].value", f"'{entry.value}' is not a value of '{key}'; "
                                          f"expected one of: {one_of(allowed)}{did_you_mean(entry.value, allowed)}"))
            if entry.until is not None and entry.until <= entry.since:
                problems.append(doc.error(f"{path}[{i}].until", f"until {entry.until} is not after since {entry.since}"))
        problems.extend(_overlaps(doc, path, entries))
    return problems


def _overlaps(doc: SourceDocument, path: str, entries: list[FactEntry]) -> list[InputError]:
    order = sorted(range(len(entries)), key=lambda i: entries[i].since)
    problems = []
    for a, b in zip(order, order[1:]):
        first, second = entries[a], entries[b]
        if first.since == second.since:
            problems.append(doc.error(f"{path}[{b}].since", f"two entries start on {second.since} "
                                      f"({path}[{a}] and {path}[{b}]); keep one"))
        elif first.until is not None and first.until > second.since:
            problems.append(doc.error(f"{path}[{a}].until", f"entry runs until {first.until}, overlapping "
                                      f"{path}[{b}] which starts {second.since}; end it on or before {second.since}"))
    return problems
