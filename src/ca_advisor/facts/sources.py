"""Sources: the documents that rule evidence and country facts cite, declared once.

A ``sources.yaml`` file in any profiles or rules directory declares sources by id::

    sources:
      diis-2013:
        kind: report                   # report | analysis | official | treaty | news | public-record
        citation: DIIS Report 2013:12  # the short citation every output prints
        title: "Central Asian Security Post-2014: Perspectives in Astana and Tashkent"
        author: Roger N. McDermott
        publisher: Danish Institute for International Studies
        date: 2013                     # a year or YYYY-MM-DD: how new its evidence is
        url: https://www.diis.dk/      # optional
        text: central-asia.txt         # optional: the text, for `rules check`'s quote check

The built-in sources (the report, ``diis-2013``, and the public records the built-in
profiles cite) are declared in the built-in profiles' ``sources.yaml`` and are always
declared, even when the built-in rules and profiles are left out; the report is the
source a rule's evidence or a profile entry cites when it names none.  A project adds
its own sources (a later report, a treaty, an official statement, a news record) in
its own directories; an id declared twice is an error naming both files.  A rule
pack declares its sources in a ``sources.yaml`` at its root, beside its manifest, so
the sources of the pack a rules or profiles directory belongs to are read with it.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from ..model.errors import InputError, InputErrors, did_you_mean
from ..model.vocabulary import SLUG_PATTERN
from ..reading.builtin import builtin_profiles_dir
from ..reading.validation import validate_document
from ..reading.yaml_source import SourceDocument, read_yaml_file

SOURCES_FILE = "sources.yaml"
PACK_MANIFEST = "ca-advisor-pack.yaml"  # a rule pack's manifest (see packs.py)
REPORT_SOURCE = "diis-2013"
SOURCE_KINDS = ("report", "analysis", "official", "treaty", "news", "public-record")
SourceId = Annotated[str, Field(strict=True, pattern=SLUG_PATTERN)]


class Source(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: Literal[SOURCE_KINDS]
    citation: Annotated[str, Field(min_length=1)]
    title: Annotated[str, Field(min_length=1)]
    author: str | None = None
    publisher: str | None = None
    date: datetime.date | Annotated[int, Field(strict=True, ge=1900, le=2100)]
    url: str | None = None
    text: str | None = None

    @property
    def year(self) -> int:
        return self.date if isinstance(self.date, int) else self.date.year

    @property
    def is_report(self) -> bool:
        """The built-in report, or another source of its kind; outputs label the rest
        as what they are (public record, a treaty, ...), never as the report."""
        return self.kind == "report"


class SourcesFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    sources: dict[SourceId, Source]


@dataclass(frozen=True)
class DeclaredSource:
    """A source and where it is declared (for clashes, and to resolve its ``text``)."""

    id: str
    source: Source
    file: str
    line: int | None

    def text_path(self) -> Path | None:
        return Path(self.file).parent / self.source.text if self.source.text else None


@dataclass
class SourceBook:
    """Every declared source by id."""

    declared: dict[str, DeclaredSource] = field(default_factory=dict)

    def get(self, source_id: str) -> Source | None:
        found = self.declared.get(source_id)
        return found.source if found else None

    def citation(self, source_id: str) -> str:
        """The short citation; an undeclared id is shown as itself (loading reports it)."""
        source = self.get(source_id)
        return source.citation if source else source_id

    def kind(self, source_id: str) -> str:
        """What the source is ("report", "public-record", ...); an undeclared id counts as the report."""
        source = self.get(source_id)
        return source.kind if source else "report"

    def unknown(self, source_id: str) -> str | None:
        """Why ``source_id`` cannot be cited, or None when it is declared."""
        if source_id in self.declared:
            return None
        known = ", ".join(sorted(self.declared)) or "none"
        return (f"source '{source_id}' is not declared; declare it in a {SOURCES_FILE} of a rules or "
                f"profiles directory (declared: {known}){did_you_mean(source_id, self.declared)}")


def read_sources(directories: Iterable[Path]) -> tuple[SourceBook, list[InputError]]:
    """The built-in sources and those declared in each directory's ``sources.yaml``."""
    book = SourceBook()
    errors: list[InputError] = []
    directories = list(directories)
    pack_roots = [d.parent for d in directories if (d.parent / PACK_MANIFEST).is_file()]
    files = dict.fromkeys(d / SOURCES_FILE for d in [builtin_profiles_dir(), *pack_roots, *directories])
    read: set[Path] = set()
    for path in files:
        if path.is_file() and path.resolve() not in read:
            read.add(path.resolve())
            errors.extend(_read_file(path, book))
    return book, errors


def _read_file(path: Path, book: SourceBook) -> list[InputError]:
    try:
        doc = read_yaml_file(path, what="a sources file")
        declared = validate_document(doc, SourcesFile).sources
    except InputErrors as exc:
        return exc.errors
    errors = []
    for source_id, source in declared.items():
        mark = doc.mark_of(f"sources.{source_id}", key=True)
        here = DeclaredSource(source_id, source, str(path), mark.line if mark else None)
        earlier = book.declared.get(source_id)
        if earlier is not None:
            errors.append(_clash(doc, source_id, earlier))
            continue
        book.declared[source_id] = here
    return errors


def _clash(doc: SourceDocument, source_id: str, earlier: DeclaredSource) -> InputError:
    where = f"{earlier.file}:{earlier.line}" if earlier.line else earlier.file
    return doc.error(f"sources.{source_id}", f"source '{source_id}' is also declared in {where}; "
                                             "source ids must be unique (give this one another id)", key=True)
