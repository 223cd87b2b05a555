"""The project config file, ``ca-advisor.yaml``.

Found from the current directory upwards, no higher than the repository root or the
user's home (see ``find_config``), or given with ``--config FILE``::

    rules: [policy/rules]            # extra rule directories, relative to this file
    profiles: [policy/profiles]      # extra country-profile directories: a profile here
                                     # extends the built-in one for its country, fact key
                                     # by fact key (an entry with the same since replaces)
    ignore: [CA411, basing]          # rule ids or tags to switch off (``disable`` is
                                     # the older name, still read)
    select: [CA201, military-balance]   # only these rule ids or tags (default: all)
    min_severity: warning            # run only rules of this severity or worse
    severity: {CA502: warning}       # change a rule's severity
    parameters: {CA202: {combat_item_threshold: 30}}
    waivers: waivers.yaml            # default for --waivers
    fail_on: warning                 # default for --fail-on
    report: reference/central-asia-post-2014.txt   # the report's text, for the quote
                                     # check of `ca-advisor rules check` (not shipped)
    stale_after_years: 5             # mark findings whose evidence is older than this
                                     # at the check date (default 5, see staleness.py)
    packs:                           # rule packs (see packs.py): by name (installed or
      - {name: public-record-2014, version: ">=1.0,<2"}   # shipped), or by path
      - {path: vendor/our-pack}

Relative paths are read from the config file's directory.  Later rule directories
may not redefine a rule id; a clash is an error naming both files.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from ..model.errors import InputError, InputErrors, did_you_mean
from ..model.findings import FAIL_ON
from ..model.vocabulary import SEVERITIES
from ..reading.validation import validate_document
from ..reading.yaml_source import SourceDocument, read_yaml_file
from .packs import Pack, PackRef, combine, resolve_refs


class ConfigFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    rules: list[str] = []
    profiles: list[str] = []
    disable: list[str] = []
    ignore: list[str] = []
    select: list[str] = []
    min_severity: Literal[SEVERITIES] | None = None
    severity: dict[str, Literal[SEVERITIES]] = {}
    parameters: dict[str, dict[str, Any]] = {}
    waivers: str | None = None
    fail_on: Literal[FAIL_ON] | None = None
    report: str | None = None
    stale_after_years: Annotated[int, Field(strict=True, ge=0, le=100)] | None = None
    packs: list[PackRef] = []


class Config(BaseModel):
    """A config file resolved against its own directory (or the empty default)."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    file: str | None = None
    source: SourceDocument | None = None  # for located errors about rule references
    rule_dirs: tuple[Path, ...] = ()
    profile_dirs: tuple[Path, ...] = ()
    disable: tuple[str, ...] = ()  # rule ids
    ignore: tuple[str, ...] = ()  # rule ids or tags
    select: tuple[str, ...] = ()
    min_severity: str | None = None
    cli_select: tuple[str, ...] = ()  # --select: replaces ``select`` (as in ruff)
    cli_ignore: tuple[str, ...] = ()  # --ignore: adds to ``ignore``
    severity: tuple[tuple[str, str], ...] = ()
    parameters: tuple[tuple[str, tuple[tuple[str, Any], ...]], ...] = ()
    waivers: Path | None = None
    fail_on: str | None = None
    report: Path | None = None
    stale_after_years: int | None = None
    packs: tuple[Pack, ...] = ()

    def parameter_overrides(self) -> dict[str, dict[str, Any]]:
        return {rule: dict(values) for rule, values in self.parameters}

    def with_dirs(self, rule_dirs: tuple[Path, ...], profile_dirs: tuple[Path, ...]) -> Config:
        """This config plus directories given on the command line (after its own)."""
        return self.model_copy(update={"rule_dirs": self.rule_dirs + rule_dirs,
                                       "profile_dirs": self.profile_dirs + profile_dirs})

    def with_selection(self, *, select: tuple[str, ...] = (), ignore: tuple[str, ...] = (),
                       min_severity: str | None = None) -> Config:
        """This config with the command line's ``--select``, ``--ignore`` and ``--min-severity``."""
        return self.model_copy(update={"cli_select": tuple(select), "cli_ignore": tuple(ignore),
                                       "min_severity": min_severity or self.min_severity})

    def selected(self) -> tuple[str, ...]:
        """The rule ids and tags to run (empty: all)."""
        return self.cli_select or self.select

    def ignored(self) -> tuple[str, ...]:
        """The rule ids and tags to leave out."""
        return self.disable + self.ignore + self.cli_ignore

    def with_packs(self, packs: tuple[Pack, ...]) -> Config:
        """This config plus packs given on the command line (after its own)."""
        return self.model_copy(update={"packs": combine(self.packs, packs)}) if packs else self

    def cache_key(self) -> tuple:
        return (tuple(str(p.resolve()) for p in self.rule_dirs), tuple(str(p.resolve()) for p in self.profile_dirs),
                self.ignored(), self.selected(), self.min_severity, self.severity, repr(self.parameters),
                tuple((str(p.root.resolve()), p.version) for p in self.packs))


def load_config(path: Path | None) -> Config:
    if path is None:
        return Config()
    doc = read_yaml_file(path, what="a ca-advisor config")
    raw = validate_document(doc, ConfigFile)
    base = path.resolve().parent
    missing = [doc.error(f"{key}[{i}]", f"directory '{d}' does not exist (relative to {base})")
               for key in ("rules", "profiles") for i, d in enumerate(getattr(raw, key))
               if not (base / d).is_dir()]
    if missing:
        raise InputErrors(missing)
    packs = combine(resolve_refs(raw.packs, base, doc), ())
    return Config(
        file=str(path), source=doc,
        rule_dirs=tuple(base / d for d in raw.rules),
        profile_dirs=tuple(base / d for d in raw.profiles),
        disable=tuple(raw.disable), ignore=tuple(raw.ignore), select=tuple(raw.select), min_severity=raw.min_severity,
        severity=tuple(sorted(raw.severity.items())),
        parameters=tuple(sorted((k, tuple(sorted(v.items()))) for k, v in raw.parameters.items())),
        waivers=base / raw.waivers if raw.waivers else None,
        fail_on=raw.fail_on,
        report=base / raw.report if raw.report else None,
        stale_after_years=raw.stale_after_years,
        packs=packs,
    )


def unknown_rule_references(config: Config, rule_ids: set[str], tags: set[str]) -> list[InputError]:
    """Config entries that name no loaded rule (so that a typo never disables nothing)."""
    problems = []

    def check(key: str, name: str, allowed: set[str]) -> None:
        if name not in allowed:
            message = f"'{name}' names no loaded rule{' or tag' if key.endswith(('select', 'ignore')) else ''}" \
                      f"{did_you_mean(name, allowed)}"
            if key.startswith("--"):
                problems.append(InputError(file="command line", path=key, message=message))
            else:
                problems.append(config.source.error(key, message) if config.source else
                                InputError(file=config.file or "config", path=key, message=message))

    for name in config.disable:
        check("disable", name, rule_ids)
    for name in config.ignore:
        check("ignore", name, rule_ids | tags)
    for name in config.select:
        check("select", name, rule_ids | tags)
    for key, names in (("--select", config.cli_select), ("--ignore", config.cli_ignore)):
        for name in names:
            check(key, name, rule_ids | tags)
    for name, _ in config.severity:
        check("severity", name, rule_ids)
    for name, _ in config.parameters:
        check("parameters", name, rule_ids)
    return problems
