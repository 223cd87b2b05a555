"""Check plans kept on disk between runs, keyed on the content they were made from.

A new process would otherwise load its rule book before its first check: read the
rule, profile and source files, validate them with their models, parse and compile
the conditions.  That is about 40 ms of a one-file check, and it is the same work
every time the files are unchanged.  So a checker for durable-rules is made from
the plan (engines/plan.py) an earlier run wrote, when one was written for:

* the same rule, profile and pack files, byte for byte (every file of every
  directory the book reads, and each pack's manifest, by name and content);
* the same configuration (``Config.cache_key``: selection, severities, parameters,
  directories, packs) and engine;
* the same ca-advisor: its version, and the name, size and modification time of
  each of its own source files, so that an edited checker never reads a plan made
  by other code; the same Python and durable-rules (its extension's path, size and
  time).

The key is the BLAKE2b digest of all of that; a plan is a JSON file named by its key and
holding it.  Nothing is ever unpickled: a file that does not read back as a plan
with its own key (truncated, edited, from another format) is ignored and replaced,
and a plan whose network durable-rules no longer builds falls back to loading the
rule book.  Writing is atomic (a temporary file renamed), and a cache that cannot
be written (a read-only home, a full disk) only costs the time it would save.  The
newest ``KEEP`` plans are kept.

``CA_ADVISOR_CACHE_DIR`` names the directory, or ``off`` to neither read nor write
plans; the default is ``$XDG_CACHE_HOME/ca-advisor``, else ``~/.cache/ca-advisor``.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import orjson

from .. import __version__
from .checker import Checker
from .plan import FORMAT, CheckPlan

try:  # the standard library's own BLAKE2: importing hashlib loads its OpenSSL binding, 3 ms of a 100 ms check
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - an interpreter without it
    from hashlib import blake2b

if TYPE_CHECKING:
    from ..rulebook.config import Config
    from ..rulebook.load import RuleBook

ENV = "CA_ADVISOR_CACHE_DIR"
OFF = "off"
KEEP = 16
_PREFIX, _SUFFIX = "plan-", ".json"
_PACKAGE = Path(__file__).resolve().parent.parent  # src/ca_advisor


def cache_dir() -> Path | None:
    """Where plans are kept; None when caching is off."""
    chosen = os.environ.get(ENV, "").strip()
    if chosen == OFF:
        return None
    if chosen:
        return Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME", "").strip()
    return (Path(base) if base else Path.home() / ".cache") / "ca-advisor"


def cached_checker(directories: Sequence[Path], config: Config, load_book: Callable[[], RuleBook]) -> Checker:
    """A durable-rules checker for the book ``load_book`` loads from ``directories``
    (and ``config``'s packs): from a plan on disk when one was made from the same
    content, else from the book (then its plan is written for the next run)."""
    where = cache_dir()
    if where is None:
        return Checker(load_book(), engine="durable-rules")
    key = plan_key(directories, config)
    checker = kept_checker(where, key, load_book)
    if checker is None:
        checker = Checker(load_book(), engine="durable-rules")
        write_plan(where, key, checker.plan)
    return checker


def kept_checker(where: Path, key: str, load_book: Callable[[], RuleBook]) -> Checker | None:
    """The checker of the plan kept under ``key``; None when there is none, or its
    network no longer builds (the caller then loads the book)."""
    plan = read_plan(where, key)
    if plan is None:
        return None
    try:
        return Checker.from_plan(plan, load_book)
    except Exception:  # noqa: BLE001 - a plan that no longer builds is as good as none
        return None


# ``repr(Config().cache_key())``: the key of a run with no config file and no options
# that change the rule book (tests hold the two alike), so that the quick route of
# check finds the plan without the config model (cli/quick_check.py).
DEFAULT_CONFIG_KEY = "((), (), (), (), None, (), '()', ())"


def kept_default_checker() -> Checker | None:
    """The checker of the built-in rule book in the default configuration (no config
    file, no options), from the plan an earlier run kept; None when there is none or
    plans are off.  Needs no config model: the key's configuration part is
    ``DEFAULT_CONFIG_KEY``."""
    from ..reading.builtin import builtin_profiles_dir, builtin_rules_dir

    where = cache_dir()
    if where is None:
        return None
    directories = [builtin_rules_dir(), builtin_profiles_dir()]

    def load_book() -> RuleBook:
        from ..rulebook.config import Config
        from ..rulebook.load import load_configured_rulebook
        return load_configured_rulebook(*directories, Config())

    return kept_checker(where, content_key(directories, DEFAULT_CONFIG_KEY), load_book)


def plan_key(directories: Sequence[Path], config: Config) -> str:
    """The digest (hex) of everything a plan is made from (see the module's doc):
    ``directories`` (the built-in and the config's rule and profile directories) and
    each of ``config``'s packs (its rules, its profiles and its manifest's directory)."""
    from ..rulebook.packs import pack_read_dirs

    return content_key([*directories, *pack_read_dirs(config.packs)], repr(config.cache_key()))


def content_key(directories: Sequence[Path], config_key: str) -> str:
    """``plan_key`` of a configuration given as its ``repr(cache_key())``, with the
    packs' directories among ``directories``."""
    import durable_rules_engine

    engine_file = durable_rules_engine.__file__
    engine_stat = os.stat(engine_file)  # an upgrade in place keeps the path, not the size and time
    digest = blake2b(digest_size=32)
    for part in (f"format {FORMAT}", f"ca-advisor {__version__}", sys.version,
                 f"{engine_file} {engine_stat.st_size} {engine_stat.st_mtime_ns}", config_key):
        _add(digest, part.encode())
    for name, info in _own_sources(str(_PACKAGE)):
        _add(digest, f"{name} {info.st_size} {info.st_mtime_ns}".encode())
    for directory in directories:
        _add(digest, str(directory).encode())
        for path in _files(directory):
            _add(digest, path.name.encode())
            _add(digest, _content(path))
    return digest.hexdigest()


def _own_sources(directory: str, prefix: str = "") -> list[tuple[str, os.stat_result]]:
    """ca-advisor's source files below ``directory`` (name, stat), sorted by name."""
    found = []
    with os.scandir(directory) as entries:
        for entry in entries:
            if entry.is_dir(follow_symlinks=False) and entry.name != "__pycache__":
                found += _own_sources(entry.path, f"{prefix}{entry.name}/")
            elif entry.name.endswith(".py"):
                found.append((prefix + entry.name, entry.stat()))
    return sorted(found)


def _add(digest, data: bytes) -> None:
    """Each part with its length, so that no two sequences of parts hash alike."""
    digest.update(len(data).to_bytes(8, "little"))
    digest.update(data)


def _files(directory: Path) -> Iterable[Path]:
    try:
        entries = sorted(os.scandir(directory), key=lambda e: e.name)
    except OSError:  # missing or unreadable: loading the book says so
        return []
    return [Path(e.path) for e in entries if e.is_file()]


def _content(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError:
        return b"\0unreadable"


def read_plan(where: Path, key: str) -> CheckPlan | None:
    """The plan kept under ``key``, or None (none kept, or not one that reads back)."""
    path = where / f"{_PREFIX}{key}{_SUFFIX}"
    try:
        data = orjson.loads(path.read_bytes())
        if data["key"] != key:
            return None
        plan = CheckPlan.from_data(data["plan"])
    except (OSError, orjson.JSONDecodeError, KeyError, TypeError, ValueError, AttributeError):
        return None
    if plan.durable is None:
        return None
    try:
        os.utime(path)  # recently used: kept longest
    except OSError:
        pass
    return plan


def write_plan(where: Path, key: str, plan: CheckPlan) -> None:
    """Keep ``plan`` under ``key`` (atomically), and only the newest ``KEEP`` plans."""
    try:
        where.mkdir(parents=True, exist_ok=True)
        import tempfile  # only a run that keeps a new plan needs it

        data = orjson.dumps({"key": key, "plan": plan.to_data()})
        handle, temporary = tempfile.mkstemp(prefix=".plan-", dir=where)
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(data)
            os.replace(temporary, where / f"{_PREFIX}{key}{_SUFFIX}")
        except BaseException:
            os.unlink(temporary)
            raise
        _prune(where)
    except (OSError, orjson.JSONEncodeError):  # not writable here: the next run loads the book again
        pass


def _prune(where: Path) -> None:
    plans = []
    for entry in os.scandir(where):
        if entry.name.startswith(_PREFIX) and entry.name.endswith(_SUFFIX):
            try:
                plans.append((entry.stat().st_mtime_ns, entry.path))
            except OSError:
                continue
    for _, path in sorted(plans, reverse=True)[KEEP:]:
        try:
            os.unlink(path)
        except OSError:
            pass
