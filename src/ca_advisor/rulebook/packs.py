"""Rule packs: rules and dated facts shared, versioned and installed as one unit.

A pack is a directory with a manifest, ``ca-advisor-pack.yaml``::

    name: public-record-2014            # lower-case words joined by hyphens
    version: 1.0.0                      # PEP 440
    description: What the pack records and from which sources.
    requires: ">=0.1,<0.2"              # the ca-advisor versions it works with (PEP 440 specifier)
    severity: {CA405: info}             # optional: change built-in rules' severities
    parameters: {CA202: {combat_item_threshold: 30}}   # ... or their parameters

beside ``rules/`` (rule files and ``fixtures/``), ``profiles/`` (fact keys and dated
country facts, extending the built-in profiles), ``sources.yaml`` (the sources its
rules and facts cite) and ``proposals/`` (examples).  Every part is optional.

A pack is found three ways: by path; by name among installed Python distributions
that expose a pack directory through the ``ca_advisor.packs`` entry-point group (the
entry point's name is the pack's name, its value the importable package that is the
pack directory); and by name among the packs shipped with ca-advisor.  An installed
pack comes before a shipped one of the same name, so a newer release of a shipped
pack can be installed over it; a version constraint picks the first that satisfies it.

Nothing in a pack is executed: an installed pack's package is located, not imported.
"""

from __future__ import annotations

import importlib.util
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

from ..facts.sources import PACK_MANIFEST as MANIFEST
from ..model.errors import InputError, InputErrors, did_you_mean, quoted
from ..model.findings import PackUsed
from ..model.vocabulary import SEVERITIES, SLUG_PATTERN
from ..reading.builtin import data_dir
from ..reading.validation import validate_document
from ..reading.yaml_source import SourceDocument, read_yaml_file

ENTRY_POINT_GROUP = "ca_advisor.packs"
PackName = Annotated[str, Field(strict=True, pattern=SLUG_PATTERN)]


def ca_advisor_version() -> str:
    """This ca-advisor's version (its ``__version__``, which pyproject.toml reads too)."""
    from .. import __version__
    return __version__


def _version(value: str) -> str:
    from packaging.version import (  # here: packaging is needed only when packs are used
        InvalidVersion,
        Version,
    )

    try:
        Version(value)
    except InvalidVersion:
        raise PydanticCustomError("pep440", "'{value}' is not a PEP 440 version (e.g. 1.0.0)", {"value": value}) from None
    return value


def _specifier(value: str) -> str:
    from packaging.specifiers import InvalidSpecifier, SpecifierSet

    try:
        SpecifierSet(value)
    except InvalidSpecifier:
        raise PydanticCustomError("pep440", "'{value}' is not a PEP 440 version specifier (e.g. \">=1.0,<2\")",
                                  {"value": value}) from None
    return value


class PackManifest(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)  # built when a pack is read

    name: PackName
    version: str
    description: Annotated[str, Field(min_length=1)]
    requires: str
    severity: dict[str, Literal[SEVERITIES]] = {}
    parameters: dict[str, dict[str, Any]] = {}

    @field_validator("version")
    @classmethod
    def _pep440_version(cls, value: str) -> str:
        return _version(value)

    @field_validator("requires")
    @classmethod
    def _pep440_specifier(cls, value: str) -> str:
        return _specifier(value)


class PackRef(BaseModel):
    """One entry of ``packs:`` in ca-advisor.yaml: a name, a path, or both, and an
    optional version constraint."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: PackName | None = None
    path: str | None = None
    version: str | None = None

    @field_validator("version")
    @classmethod
    def _pep440_specifier(cls, value: str | None) -> str | None:
        return value if value is None else _specifier(value)

    @model_validator(mode="after")
    def _named(self) -> PackRef:
        if self.name is None and self.path is None:
            raise ValueError("a pack entry needs 'name' (an installed or shipped pack) or 'path' (a pack directory)")
        return self


@dataclass(frozen=True)
class Pack:
    """A pack directory whose manifest is valid and fits this ca-advisor."""

    manifest: PackManifest
    root: Path
    document: SourceDocument  # the manifest, for located errors about its changes
    origin: str               # how it was found: a path, an installed distribution, or shipped

    @property
    def name(self) -> str:
        return self.manifest.name

    @property
    def version(self) -> str:
        return self.manifest.version

    @property
    def label(self) -> str:
        return f"{self.name} {self.version}"

    @property
    def manifest_file(self) -> str:
        return self.document.file

    def part(self, name: str) -> Path | None:
        """``rules``, ``profiles`` or ``proposals`` when the pack has that directory."""
        directory = self.root / name
        return directory if directory.is_dir() else None


def load_pack(root: Path, origin: str | None = None) -> Pack:
    """The pack in ``root``; its manifest must be valid and require this ca-advisor."""
    path = root / MANIFEST
    if not path.is_file():
        raise InputErrors([InputError(file=str(root), message=f"not a pack: no {MANIFEST} in this directory")])
    doc = read_yaml_file(path, what="a pack manifest")
    manifest = validate_document(doc, PackManifest)
    from packaging.specifiers import SpecifierSet

    running = ca_advisor_version()
    if not SpecifierSet(manifest.requires).contains(running, prereleases=True):
        raise InputErrors([doc.error("requires", f"pack {manifest.name} {manifest.version} requires ca-advisor "
                                                 f"{manifest.requires}, but this is ca-advisor {running}; use a "
                                                 "release of the pack made for this version")])
    return Pack(manifest, root, doc, origin or str(root))


# --- finding packs by name ----------------------------------------------------------

def shipped_packs_dir() -> Path:
    return data_dir("packs")


def installed_pack_dirs() -> list[tuple[str, Path, str]]:
    """(name, directory, origin) for each pack an installed distribution exposes."""
    found = []
    for ep in _metadata().entry_points(group=ENTRY_POINT_GROUP):
        directory = _package_dir(ep.value.split(":")[0].strip())
        dist = ep.dist.name if ep.dist is not None else "an unknown distribution"
        if directory is not None:
            found.append((ep.name, directory, f"installed: {dist}"))
    return found


def _package_dir(module: str) -> Path | None:
    """The directory of an importable package, found without importing it."""
    try:
        spec = importlib.util.find_spec(module)
    except (ImportError, ValueError):
        return None
    locations = list(spec.submodule_search_locations or []) if spec else []
    return Path(locations[0]) if locations else None


def shipped_pack_dirs() -> list[tuple[str, Path, str]]:
    base = shipped_packs_dir()
    if not base.is_dir():
        return []
    return [(d.name, d, "shipped with ca-advisor") for d in sorted(base.iterdir()) if (d / MANIFEST).is_file()]


def available_pack_dirs() -> list[tuple[str, Path, str]]:
    """Every pack found by name: installed ones first, then the shipped ones."""
    return installed_pack_dirs() + shipped_pack_dirs()


# --- resolving the packs a run names ---------------------------------------------------

def resolve_ref(ref: PackRef, base: Path, doc: SourceDocument | None, at: str) -> Pack:
    """The pack a ``packs:`` entry (at path ``at`` of ``doc``) or ``--pack`` names."""
    def error(field: str, message: str) -> InputErrors:
        path = f"{at}.{field}" if at else field
        return InputErrors([doc.error(path, message) if doc else InputError(file=at or "--pack", message=message)])

    if ref.path is not None:
        root = base / ref.path
        if not (root / MANIFEST).is_file():
            raise error("path", f"no pack at '{ref.path}' (relative to {base}): no {MANIFEST} there")
        candidates = [load_pack(root)]
        if ref.name is not None and candidates[0].name != ref.name:
            raise error("name", f"the pack at '{ref.path}' is named '{candidates[0].name}', not '{ref.name}'")
    else:
        candidates = [load_pack(d, origin) for name, d, origin in available_pack_dirs() if name == ref.name]
        if not candidates:
            names = sorted({name for name, _, _ in available_pack_dirs()})
            raise error("name", f"no pack named '{ref.name}' is installed or shipped with ca-advisor "
                                f"(available: {', '.join(names) or 'none'}){did_you_mean(ref.name, names)}; "
                                "give its directory with 'path'")
    if ref.version is None:
        return candidates[0]
    from packaging.specifiers import SpecifierSet

    wanted = SpecifierSet(ref.version)
    fitting = [p for p in candidates if wanted.contains(p.version, prereleases=True)]
    if not fitting:
        found = ", ".join(f"{p.version} ({p.origin})" for p in candidates)
        raise error("version", f"pack {candidates[0].name} {ref.version} is wanted, but found only {found}")
    return fitting[0]


def resolve_refs(refs: list[PackRef], base: Path, doc: SourceDocument | None, key: str = "packs") -> tuple[Pack, ...]:
    """Every pack the entries name, each once; every problem at once."""
    packs: list[Pack] = []
    errors: list[InputError] = []
    for i, ref in enumerate(refs):
        try:
            packs.append(resolve_ref(ref, base, doc, f"{key}[{i}]" if doc else ""))
        except InputErrors as exc:
            errors.extend(exc.errors)
    if errors:
        raise InputErrors(errors)
    return tuple(packs)


def ref_from_option(value: str) -> PackRef:
    """``--pack NAME|PATH``: a directory holding a manifest is a path, anything else a name."""
    if (Path(value) / MANIFEST).is_file() or "/" in value or "\\" in value:
        return PackRef(path=value)
    if not re.fullmatch(SLUG_PATTERN, value):  # never a pydantic traceback for what was typed
        raise InputErrors([InputError(file="--pack", message=f"{quoted(value)} is neither a pack name (lower-case "
                                      f"letters, digits and hyphens) nor a directory holding {MANIFEST}")])
    return PackRef(name=value)


def combine(first: tuple[Pack, ...], then: tuple[Pack, ...]) -> tuple[Pack, ...]:
    """The packs of a config and of the command line: each directory once; two
    different packs of one name are an error (which one would win is a guess)."""
    out: dict[Path, Pack] = {}
    by_name: dict[str, Pack] = {}
    for pack in (*first, *then):
        root = pack.root.resolve()
        if root in out:
            continue
        earlier = by_name.get(pack.name)
        if earlier is not None:
            raise InputErrors([pack.document.error("name", f"pack {pack.name} is also used from {earlier.root} "
                                                           f"({earlier.label}); use one of them")])
        out[root] = by_name[pack.name] = pack
    return tuple(out.values())


def pack_dirs(packs: tuple[Pack, ...], part: str) -> list[Path]:
    """The ``rules`` or ``profiles`` directories of the packs that have one, in order."""
    return [d for p in packs if (d := p.part(part)) is not None]


def pack_read_dirs(packs: tuple[Pack, ...]) -> list[Path]:
    """Every directory a rule book reads of ``packs``: their rules, their profiles, and
    the directory of each manifest (what a cached book must be checked against)."""
    return [*pack_dirs(packs, "rules"), *pack_dirs(packs, "profiles"), *(p.root for p in packs)]


def pack_of(file: str, packs: tuple[Pack, ...]) -> Pack | None:
    """The pack whose directory holds ``file``, if any."""
    path = Path(file).resolve()
    return next((p for p in packs if path.is_relative_to(p.root.resolve())), None)


def packs_used(packs: tuple[Pack, ...]) -> list[PackUsed]:
    """What a report says about the packs of its check."""
    return [PackUsed(name=p.name, version=p.version, origin=p.origin) for p in packs]


def _metadata():
    """importlib.metadata, imported when a pack is looked up (it costs a check of one
    file about a tenth of its start-up, and most checks use no pack)."""
    import importlib.metadata
    return importlib.metadata
