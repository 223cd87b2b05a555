"""The Python API: check proposals from files, strings or mappings.

    from ca_advisor import check_paths, check_text
    report = check_paths(["proposals/"])
    for result in report.results:
        for finding in result.findings:
            print(finding.rule_id, finding.severity, finding.message)

Every function returns the same ``Report`` model the CLI prints, never raises for
bad input (bad input becomes ``report.errors``), and is safe to call many times and
from several threads: rule books are compiled once per configuration and cached.
"""

from __future__ import annotations

import datetime
import sys
import threading
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from .builtin import builtin_profiles_dir, builtin_rules_dir
from .checker import Checker
from .errors import InputError, InputErrors
from .findings import CheckResult, Report
from .reading import LoadedProposal, proposal_from_mapping, read_proposal_file, read_proposal_text
from .config import Config
from .rulebook import load_configured_rulebook
from .yaml_source import DEFAULT_LIMITS, Limits

YAML_SUFFIXES = (".yaml", ".yml")
_cache: dict[tuple, Checker] = {}
_cache_lock = threading.Lock()


def get_checker(rule_dirs: Sequence[str | Path] = (), profile_dirs: Sequence[str | Path] = (), *,
                config: Config | None = None, builtin: bool = True) -> Checker:
    """A compiled checker for the built-in rules, a project config and extra
    directories (cached per configuration, so call it freely).

    Raises ``InputErrors`` when a rule, profile or config file is invalid.
    """
    config = (config or Config()).with_dirs(tuple(Path(d) for d in rule_dirs),
                                            tuple(Path(d) for d in profile_dirs))
    key = (builtin, config.cache_key())
    with _cache_lock:
        if key not in _cache:
            builtin_dirs = (builtin_rules_dir(), builtin_profiles_dir()) if builtin else (None, None)
            _cache[key] = Checker(load_configured_rulebook(*builtin_dirs, config))
        return _cache[key]


def check_paths(paths: Iterable[str | Path], *, checker: Checker | None = None,
                as_of: datetime.date | None = None, limits: Limits = DEFAULT_LIMITS) -> Report:
    """Check files, directories (every *.yaml / *.yml below, sorted) and "-" (stdin)."""
    checker = checker or get_checker()
    results: list[CheckResult] = []
    errors: list[InputError] = []
    for target in expand_inputs(paths, errors):
        try:
            if target == "-":
                loaded = read_proposal_text(sys.stdin.buffer.read(), file="<stdin>", limits=limits)
            else:
                loaded = read_proposal_file(target, limits=limits)
        except InputErrors as exc:
            errors.extend(exc.errors)
            continue
        results.append(checker.check(loaded, as_of=as_of))
    return Report(results=results, errors=errors)


def check_text(text: str | bytes, *, file: str = "<string>", checker: Checker | None = None,
               as_of: datetime.date | None = None) -> Report:
    """Check a proposal given as YAML text."""
    return _check_one(lambda: read_proposal_text(text, file=file), checker, as_of)


def check_mapping(data: dict[str, Any], *, file: str = "<mapping>", checker: Checker | None = None,
                  as_of: datetime.date | None = None) -> Report:
    """Check a proposal already parsed into a mapping (errors carry paths, not lines)."""
    return _check_one(lambda: proposal_from_mapping(data, file=file), checker, as_of)


def _check_one(read, checker: Checker | None, as_of: datetime.date | None) -> Report:
    try:
        loaded: LoadedProposal = read()
    except InputErrors as exc:
        return Report(errors=exc.errors)
    return Report(results=[(checker or get_checker()).check(loaded, as_of=as_of)])


def expand_inputs(paths: Iterable[str | Path], errors: list[InputError]) -> list[str]:
    """Files as given, directories expanded; a directory with no YAML is an error."""
    out: list[str] = []
    for raw in paths:
        target = str(raw)
        path = Path(target)
        if target != "-" and path.is_dir():
            found = sorted(str(p) for p in path.rglob("*") if p.suffix in YAML_SUFFIXES and p.is_file())
            if not found:
                errors.append(InputError(file=target, message="directory holds no *.yaml or *.yml files"))
            out.extend(found)
        else:
            out.append(target)
    return out
