"""Dated, sourced country facts, read as of a date (like OpenFisca parameters).

A profile directory holds ``fact-keys.yaml`` (every fact key a profile may set, what
it means and the values it may take) and one ``<country>.yaml`` per country.  Each
fact is a list of dated entries; an entry holds from its start until its ``until``
date, or until the next entry for the same key replaces it.

**Dating.** ``since`` is when the stance or fact began, as far as the source supports
(a stance the source calls "never", "always" or "consistently" dates from independence
or the earliest date the source implies), not the event that revealed it.  Where the
source records a stance only as present ("a perception exists", "by April 2013"), the
entry gives ``attested``: the date by which the source shows it held.  An entry starts
at ``since``, else at ``attested``; before an attested-only entry starts, the checker
does not assume the stance, because the source says nothing of earlier years: the fact
is not in force, and rules that read it stay quiet as for a country the source does not
cover (``explain`` says the entry starts later).  We chose quiet over CA602 because a
rule cannot tell "not yet attested" from "never recorded", and reporting every rule
that reads an unrecorded stance as not evaluated would bury the findings that matter.  An entry's evidence is as new as its
``attested`` date, else its source's date; findings resting on old evidence are marked
stale (see ``staleness``).

Each entry cites a source by id (``source: {id: ...}``, default the report, see
``sources``), with the section, endnote or reference within it.

Several profile directories (the built-in one, then a project's) are read in order,
and a later profile for the same country *extends* the earlier one, fact key by
fact key: a key only the later file states is added; for a key both state, the
later file's entries join the earlier history, and an entry with the same start
(``since``, else ``attested``) as an earlier one replaces it.  So an analyst records a
change of situation by adding one dated entry, and corrects an entry by restating it
with its start date.
Overlaps are checked on the joined history.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from ..model.dates import Date
from ..model.errors import InputError, InputErrors, did_you_mean, one_of
from ..model.vocabulary import SLUG_PATTERN
from ..reading.scan import unique_dirs, yaml_files
from ..reading.validation import validate_document
from ..reading.yaml_source import SourceDocument, join_path, read_yaml_file
from .dated import DatedFact, InForce, ProfileTable
from .sources import REPORT_SOURCE, SOURCES_FILE, SourceBook, read_sources

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


class FactSource(_Model):
    """Where a fact comes from: a declared source (default the report), and the section,
    endnote or reference within it."""

    id: str = REPORT_SOURCE
    section: str | None = None
    endnote: int | str | None = None
    reference: str | None = None
    note: str | None = None

    def cite(self, sources: SourceBook) -> str:
        parts = [sources.citation(self.id)]
        if self.section:
            parts.append(f"§{self.section}")
        if self.endnote is not None:
            parts.append(f"n.{self.endnote}")
        if self.reference:
            parts.append(self.reference)
        return ", ".join(parts)


DATE_NEEDED = ("an entry needs 'since' (YYYY-MM-DD, when the stance began) or 'attested' (the date by which "
               "the source shows it held)")


class FactEntry(_Model):
    value: str
    since: Date | None = None
    attested: Date | None = None
    until: Date | None = None
    source: FactSource

    @model_validator(mode="after")
    def _dated(self) -> FactEntry:
        if self.since is None and self.attested is None:
            raise ValueError(DATE_NEEDED)
        return self

    @property
    def start(self) -> datetime.date:
        """When the entry starts to hold: its onset, else the date it is attested by."""
        return self.since or self.attested

    def evidence_year(self, sources: SourceBook) -> int | None:
        """How new the evidence for this entry is: its attested date, else its source's."""
        if self.attested is not None:
            return self.attested.year
        source = sources.get(self.source.id)
        return source.year if source else None


class CountryProfile(_Model):
    country: Slug
    name: str
    facts: dict[FactKey, Annotated[list[FactEntry], Field(min_length=1)]]


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
    sources: SourceBook = field(default_factory=SourceBook)

    @functools.cached_property
    def table(self) -> ProfileTable:
        """The entries as a check reads them (facts/dated.py), made when first asked for."""
        return ProfileTable(self._dated_entries())

    def has_profile(self, country: str) -> bool:
        return country in self.profiles

    def as_of(self, country: str, date: datetime.date) -> dict[str, DatedFact]:
        """The country's facts in force on ``date`` (ProfileTable.as_of)."""
        return self.table.as_of(country, date)

    def in_force(self, country: str, date: datetime.date) -> InForce:
        """ProfileTable.in_force: shared, read only."""
        return self.table.in_force(country, date)

    def _dated_entries(self) -> dict[str, dict[str, list[DatedFact]]]:
        return {country: {key: [self._dated(country, key, e) for e in entries]
                          for key, entries in profile.facts.items()}
                for country, profile in self.profiles.items()}

    def _dated(self, country: str, key: str, entry: FactEntry) -> DatedFact:
        return DatedFact(country, key, entry.value, entry.since, entry.attested, entry.until, entry.source.id,
                         entry.source.cite(self.sources), self.sources.kind(entry.source.id),
                         entry.evidence_year(self.sources))

    def origin(self, country: str, key: str, start: datetime.date) -> EntryOrigin | None:
        return self.origins.get((country, key, start))


def why_not_in_force(entries: Iterable[FactEntry], date: datetime.date) -> str:
    """Why no entry holds on ``date``: 'the first entry is attested by 2013-04-01', ..."""
    entries = list(entries)
    later = sorted((e for e in entries if e.start > date), key=lambda e: e.start)
    ended = sorted(e.until for e in entries if e.until is not None and e.until <= date)
    parts = [f"the last entry ended {ended[-1]}"] if ended else []
    if later:
        which, first = "next" if ended else "first", later[0]
        starts = f"starts {first.since}" if first.since else f"is attested by {first.attested}"
        parts.append(f"the {which} entry {starts}")
    return "; ".join(parts)


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


def load_profiles(directories: Iterable[Path], sources: SourceBook | None = None) -> ProfileBook:
    """Load fact keys and profiles; later directories extend or override earlier ones.
    Without ``sources``, the sources declared in the profile directories are read."""
    book, errors = read_profiles(directories, sources)
    if errors:
        raise InputErrors(errors)
    return book


def read_profiles(directories: Iterable[Path], sources: SourceBook | None = None
                  ) -> tuple[ProfileBook, list[InputError]]:
    """Every profile and fact key that could be read, and every problem found."""
    directories = list(directories)
    errors: list[InputError] = []
    if sources is None:
        sources, errors = read_sources(directories)
    keys: dict[str, FactKeySpec] = {}
    layers: dict[str, list[_Layer]] = {}
    for directory in unique_dirs(directories):
        if not directory.is_dir():
            errors.append(InputError(file=str(directory), message="profiles directory does not exist"))
            continue
        listing = yaml_files(directory)
        errors.extend(listing.skipped)
        if directory / FACT_KEYS_FILE in listing.files:
            errors.extend(_read_keys(directory / FACT_KEYS_FILE, keys))
        for path in listing.files:
            if path.name not in (FACT_KEYS_FILE, SOURCES_FILE):
                layer, problems = _read_layer(path)
                errors.extend(problems)
                if layer is not None:
                    layers.setdefault(layer.country, []).append(layer)
    profiles: dict[str, CountryProfile] = {}
    origins: dict[tuple[str, str, datetime.date], EntryOrigin] = {}
    for country, stack in layers.items():
        for layer in stack:
            errors.extend(_layer_problems(layer, keys, sources))
        profiles[country], merge_errors = _merge(country, stack, keys, origins)
        errors.extend(merge_errors)
    return ProfileBook(keys, profiles, origins, sources), errors


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
    """An undated entry is the commonest slip: pydantic's wording without its prefix."""
    if error.message.startswith("Value error, ") and DATE_NEEDED in error.message:
        return error.model_copy(update={"message": DATE_NEEDED})
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


def _layer_problems(layer: _Layer, keys: dict[str, FactKeySpec], sources: SourceBook) -> list[InputError]:
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
        problems.extend(doc.error(f"{join_path(join_path('facts', key), i)}.source.id", unknown)
                        for i, entry in entries if (unknown := sources.unknown(entry.source.id)))
    return problems


def _entry_problems(doc: SourceDocument, path: str, key: str, entries: list[tuple[int, FactEntry]],
                    allowed: list[str]) -> list[InputError]:
    problems, first_on = [], {}
    for i, entry in entries:
        if entry.value not in allowed:
            problems.append(doc.error(f"{path}[{i}].value", f"'{entry.value}' is not a value of '{key}'; "
                                      f"expected one of: {one_of(allowed)}{did_you_mean(entry.value, allowed)}"))
        start_name = "since" if entry.since is not None else "attested"
        if entry.until is not None and entry.until <= entry.start:
            problems.append(doc.error(f"{path}[{i}].until", f"until {entry.until} is not after "
                                                            f"{start_name} {entry.start}"))
        if entry.since is not None and entry.attested is not None and entry.attested < entry.since:
            problems.append(doc.error(f"{path}[{i}].attested", f"attested {entry.attested} is before since "
                                      f"{entry.since}; a stance cannot be attested before it began"))
        if entry.start in first_on:
            problems.append(doc.error(f"{path}[{i}].{start_name}", f"two entries start on {entry.start} "
                                      f"({path}[{first_on[entry.start]}] and {path}[{i}]); keep one"))
        first_on.setdefault(entry.start, i)
    return problems


@dataclass(frozen=True)
class _Placed:
    entry: FactEntry
    layer: _Layer
    path: str


def _merge(country: str, stack: list[_Layer], keys: dict[str, FactKeySpec],
           origins: dict[tuple[str, str, datetime.date], EntryOrigin]) -> tuple[CountryProfile, list[InputError]]:
    """Join the layers of one country key by key; a later entry with the same start
    replaces the earlier one."""
    history: dict[str, dict[datetime.date, _Placed]] = {}
    for layer in stack:
        for key, entries in layer.entries.items():
            if key not in keys:
                continue
            by_start, in_this_file = history.setdefault(key, {}), set()
            for i, entry in entries:
                if entry.start not in in_this_file:  # a repeat within one file is reported above
                    in_this_file.add(entry.start)
                    by_start[entry.start] = _Placed(entry, layer, join_path(join_path("facts", key), i))
    facts, problems = {}, []
    for key, by_start in history.items():
        placed = [by_start[start] for start in sorted(by_start)]
        facts[key] = [p.entry for p in placed]
        for p in placed:
            mark = p.layer.doc.mark_of(p.path, key=True)
            origins[(country, key, p.entry.start)] = EntryOrigin(p.layer.doc.file, p.path, mark.line if mark else None)
        problems.extend(_overlaps(placed))
    name = next((layer.name for layer in reversed(stack) if layer.name), country)
    return CountryProfile.model_construct(country=country, name=name, facts=facts), problems


def _overlaps(placed: list[_Placed]) -> list[InputError]:
    problems = []
    for first, second in zip(placed, placed[1:]):
        if first.entry.until is not None and first.entry.until > second.entry.start:
            other = second.path if second.layer is first.layer else f"{second.path} in {second.layer.doc.file}"
            problems.append(first.layer.doc.error(
                f"{first.path}.until", f"entry runs until {first.entry.until}, overlapping {other} which starts "
                                       f"{second.entry.start}; end it on or before {second.entry.start}"))
    return problems
