"""The Python API: check proposals from files, strings or mappings.

    from ca_advisor.api import check_paths, check_text
    report = check_paths(["proposals/"], waivers="waivers.yaml")
    for result in report.results:
        for finding in result.findings:
            print(finding.rule_id, finding.severity, finding.message, finding.waived)
    exit_status = report.exit_code("warning")

Every function returns the same ``Report`` model the CLI prints (``render`` turns it
into any of the CLI's output formats), never raises for bad input (a bad proposal,
config or waivers file becomes ``report.errors``), and is safe to call many times and
from several threads: rule books are compiled once per configuration and cached, the
engine serialises its own runs, and nothing else is shared between calls.

Options, the same for every function:

* ``config``: a ``Config`` or the path of a ``ca-advisor.yaml`` (rules, profiles, packs,
  disable, select, severity, parameters, and the default waivers file);
* ``checker``: a ready ``Checker`` from ``get_checker`` (wins over ``config``'s rules);
* ``as_of``: read country facts as of this date (else the proposal's date, else today);
* ``waivers``: the path of a waivers file or a loaded ``Waivers``;
* ``today``: the run's date, against which waivers expire (default: the real today);
* ``stale_after_years``: mark findings whose evidence is more than this many years older
  than the check date (default: the config's ``stale_after_years``, else 5).
"""

from __future__ import annotations

import datetime
import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import __version__, engines
from .batch import PlainReport, run_batch
from .engines import default_engine
from .engines.checker import Checker
from .facts.staleness import DEFAULT_STALE_AFTER_YEARS
from .model.errors import InputError, InputErrors
from .model.findings import CheckResult, Finding, Report, RunInfo
from .output import FORMATS
from .reading.builtin import builtin_profiles_dir, builtin_rules_dir
from .reading.proposals import LoadedProposal, proposal_from_mapping, read_proposal_text
from .reading.targets import expand_targets, file_looks_like_proposal
from .reading.yaml_source import DEFAULT_LIMITS, Limits
from .review.waivers import Waivers, load_waivers
from .rulebook.config import Config, load_config
from .rulebook.packs import pack_read_dirs
from .run_setup import RunSetup

if TYPE_CHECKING:  # imported when a diff is asked for, or a rule book loaded: a check may need neither
    from .review.diff import DirectoryDiff, FindingDiff
    from .rulebook.load import RuleBook

__all__ = [
    # functions
    "check_paths", "check_text", "check_mapping", "get_checker", "render", "expand_inputs", "tool_version",
    "diff_paths", "diff_directory_paths",
    # what they take and give
    "Report", "CheckResult", "Finding", "RunInfo", "InputError", "Config", "Checker", "Waivers", "Limits",
    "FORMATS",
]

ConfigLike = Config | str | Path | None
WaiversLike = Waivers | str | Path | None

# Checkers for the most recently used configurations.  A long-running process (an
# editor, a server, many configurations through the API) keeps at most this many; a
# checker that drops out is freed once nothing uses it (engines/durable.py).
CACHE_SIZE = 8
_cache: OrderedDict[tuple, Checker] = OrderedDict()
_cache_lock = threading.Lock()


def get_checker(rule_dirs: Sequence[str | Path] = (), profile_dirs: Sequence[str | Path] = (), *,
                config: Config | None = None, builtin: bool = True, engine: str | None = None) -> Checker:
    """A compiled checker for the built-in rules, a project config and extra
    directories (cached per configuration and state of their files, so call it
    freely: an edited, added or deleted rule or profile file is noticed).

    ``engine``: "durable-rules" or "native" (default: ``CA_ADVISOR_ENGINE``, else
    durable-rules where it imports).  Raises ``InputErrors`` when a rule, profile or
    config file is invalid.
    """
    config = (config or Config()).with_dirs(tuple(Path(d) for d in rule_dirs),
                                            tuple(Path(d) for d in profile_dirs))
    builtin_dirs = (builtin_rules_dir(), builtin_profiles_dir()) if builtin else (None, None)
    engine = engine or default_engine()
    directories = [d for d in (*builtin_dirs, *config.rule_dirs, *config.profile_dirs) if d is not None]
    # The packs' files too: an edited pack rule, profile or manifest makes another book.
    key = (builtin, engine, config.cache_key(), _files_state([*directories, *pack_read_dirs(config.packs)]))
    with _cache_lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
        checker = _new_checker(builtin_dirs, config, engine, directories)
        _cache[key] = checker
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
        return checker


def _new_checker(builtin_dirs: tuple[Path | None, Path | None], config: Config, engine: str,
                 directories: Sequence[Path]) -> Checker:
    """A checker for a configuration not met before in this process; on durable-rules,
    from a plan an earlier run kept when the files are unchanged (engines/plan_cache.py)."""
    def load() -> RuleBook:
        from .rulebook.load import load_configured_rulebook
        return load_configured_rulebook(*builtin_dirs, config)

    if not engines.runs_on_durable(engine):  # build_engine says why not, if it is not there
        return Checker(load(), engine=engine)
    from .engines.plan_cache import cached_checker

    return cached_checker(directories, config, load)


def _files_state(directories: Sequence[Path]) -> tuple:
    """What a rule book was read from: (path, size, modification time, inode) of
    every entry of its directories (cheap: one stat each)."""
    state = []
    for directory in directories:
        try:
            entries = sorted(os.scandir(directory), key=lambda e: e.name)
        except OSError:
            state.append((str(directory), None))
            continue
        for entry in entries:
            try:
                info = entry.stat()
            except OSError:
                continue
            state.append((entry.path, info.st_size, info.st_mtime_ns, info.st_ino))
    return tuple(state)


def check_paths(paths: Iterable[str | Path], *, config: ConfigLike = None, checker: Checker | None = None,
                as_of: datetime.date | None = None, waivers: WaiversLike = None,
                today: datetime.date | None = None, limits: Limits = DEFAULT_LIMITS,
                exclude: Sequence[str] = (), stale_after_years: int | None = None) -> Report:
    """Check files, directories and "-" (stdin).

    A directory means every *.yaml / *.yml below it, sorted, that is a proposal: files
    without a ``format:`` marker (a project's config, waivers, rules, profiles) are
    skipped and listed in ``report.run.skipped``.  ``exclude`` holds glob patterns
    (``drafts/*``, ``*.bak.yaml``) matched against each found file's path and its
    path below the directory at any depth, as in ``.gitignore``.
    """
    return check_paths_plain(paths, config=config, checker=checker, as_of=as_of, waivers=waivers, today=today,
                             limits=limits, exclude=exclude, stale_after_years=stale_after_years).to_report()


def check_paths_plain(paths: Iterable[str | Path], *, config: ConfigLike = None, checker: Checker | None = None,
                      as_of: datetime.date | None = None, waivers: WaiversLike = None,
                      today: datetime.date | None = None, limits: Limits = DEFAULT_LIMITS,
                      exclude: Sequence[str] = (), stale_after_years: int | None = None,
                      jobs: int = 1) -> PlainReport:
    """``check_paths`` before the report becomes models (batch.py): ``to_json()``
    writes what ``render(report, "json")`` writes, ``to_report()`` gives the Report.
    ``jobs`` > 1 forks workers (fork_pool.py: only where this process runs one thread)."""
    setup = run_setup(config, checker, waivers, stale_after_years)
    return run_batch(paths, setup, as_of=as_of, today=today, limits=limits, exclude=exclude, jobs=jobs)


def check_text(text: str | bytes, *, file: str = "<string>", config: ConfigLike = None,
               checker: Checker | None = None, as_of: datetime.date | None = None,
               waivers: WaiversLike = None, today: datetime.date | None = None,
               stale_after_years: int | None = None) -> Report:
    """Check a proposal given as YAML text (``file`` names it in messages)."""
    return _check_one(lambda: read_proposal_text(text, file=file),
                      run_setup(config, checker, waivers, stale_after_years), as_of, today)


def check_mapping(data: dict[str, Any], *, file: str = "<mapping>", config: ConfigLike = None,
                  checker: Checker | None = None, as_of: datetime.date | None = None,
                  waivers: WaiversLike = None, today: datetime.date | None = None,
                  stale_after_years: int | None = None) -> Report:
    """Check a proposal already parsed into a mapping (errors carry paths, not lines)."""
    return _check_one(lambda: proposal_from_mapping(data, file=file),
                      run_setup(config, checker, waivers, stale_after_years), as_of, today)


def _check_one(read: Callable[[], LoadedProposal], setup: RunSetup, as_of: datetime.date | None,
               today: datetime.date | None) -> Report:
    if setup.checker is None:
        return Report(errors=setup.errors)
    try:
        loaded = read()
    except InputErrors as exc:
        return setup.finish(Report(errors=exc.errors), today, files=1)
    return setup.finish(Report(results=[setup.check(loaded, as_of)]), today, files=1)


def tool_version() -> str:
    """ca-advisor's version, as the outputs report it (the package's ``__version__``,
    which pyproject.toml reads too: no importlib.metadata at start-up)."""
    return __version__


def run_setup(config: ConfigLike, checker: Checker | None, waivers: WaiversLike,
              stale_after_years: int | None = None) -> RunSetup:
    try:
        resolved = config if isinstance(config, Config) else load_config(Path(config) if config else None)
        checker = checker or get_checker(config=resolved)
    except InputErrors as exc:
        return RunSetup(None, None, exc.errors)
    stale = next(n for n in (stale_after_years, resolved.stale_after_years, DEFAULT_STALE_AFTER_YEARS)
                 if n is not None)
    try:
        return RunSetup(checker, _waivers(waivers, resolved), [], stale, resolved.file)
    except InputErrors as exc:
        return RunSetup(checker, None, exc.errors, stale, resolved.file)


def _waivers(waivers: WaiversLike, config: Config) -> Waivers | None:
    if isinstance(waivers, Waivers):
        return waivers
    path = waivers if waivers is not None else config.waivers
    return load_waivers(path) if path is not None else None


def render(report: Report, fmt: str = "text", **options: Any) -> str:
    """The report in one of the CLI's output formats (the keys of ``output.FORMATS``).

    ``rules=[r.rule for r in checker.book.rules]`` lets SARIF carry each rule's tags and JUnit list a
    passing test case for every rule that did not fire.
    """
    return FORMATS[fmt](report, **options)


def diff_paths(old: str | Path, new: str | Path, **options: Any) -> FindingDiff:
    """Check two proposal files with the same options (``check_paths``'s) and compare."""
    from .review.diff import diff_reports

    return diff_reports(check_paths([old], **options), check_paths([new], **options))


def diff_directory_paths(old_dir: str | Path, new_dir: str | Path, **options: Any) -> DirectoryDiff:
    """Check every proposal of two directories with the same options and compare them
    pairwise (paired by their path below each directory)."""
    from .review.diff import diff_directories

    return diff_directories(old_dir, new_dir, check=lambda file: check_paths([file], **options),
                            list_proposals=expand_inputs)


def expand_inputs(paths: Iterable[str | Path], errors: list[InputError], *, exclude: Sequence[str] = (),
                  skipped: list[str] | None = None, limits: Limits = DEFAULT_LIMITS) -> list[str]:
    """Files as given, directories expanded to their proposals (files with a top-level
    ``format:`` key; the others are added to ``skipped``); a directory with no YAML is
    an error.  Files named on the command line are always checked."""
    out: list[str] = []
    for target in expand_targets(paths, errors, exclude=exclude):
        if not target.found or file_looks_like_proposal(target.path, limits):
            out.append(target.path)
        elif skipped is not None:
            skipped.append(target.path)
    return out
