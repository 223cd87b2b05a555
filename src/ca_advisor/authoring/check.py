"""``ca-advisor rules check``: every problem in rule, fixture and profile files at once.

Loading a rule book stops a check at the first broken file set; an analyst editing
rules wants the whole list, each with file, line, field path, what was found and
what is allowed.  This module gathers:

* rule files: schema errors, unknown fields and vocabulary values in conditions,
  message placeholders, duplicate ids, placeholders left by ``rules new``, evidence
  citing undeclared sources, and evidence quotes that are not verbatim in their
  source, for every source whose text is given (the report's with ``--report``,
  any other's through the ``text:`` of its declaration);
* fixture files: schema errors, a fixture whose rule does not exist, case proposals
  that are not valid proposals;
* profile files: schema errors (an entry without ``since`` is undated), unknown
  fact keys and values, overlapping date ranges;
* the project config: names of rules it disables, selects or sets that do not exist;
* the rule book as a whole, compiled as ``check`` compiles it: a book that would
  overflow durable-rules' network (engines/capacity.py), at the rule or config
  parameter that overflows it.

The report is not shipped with the package, so its quotes are checked only when a
report file is given; the result names every source whose quotes were not checked.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..engines import build_engine
from ..facts.profiles import read_profiles
from ..facts.sources import REPORT_SOURCE, SourceBook, read_sources
from ..model.errors import InputError, InputErrors, did_you_mean
from ..reading.proposals import proposal_from_mapping
from ..reading.scan import yaml_files
from ..reading.validation import validate_document
from ..reading.yaml_source import SourceDocument, join_path, read_yaml_file
from ..rulebook.config import Config, unknown_rule_references
from ..rulebook.load import (
    FIXTURES_DIR,
    RuleBook,
    RuleFiles,
    apply_parameters,
    covers_problems,
    read_rules,
    rule_files,
    select_rules,
)
from ..rulebook.quotes import _pattern, normalise_report, quote_in_report
from .cases import FixtureFile

PLACEHOLDER_MARK = "TODO"


@dataclass(frozen=True)
class RuleCheckResult:
    problems: list[InputError]
    rule_files: int
    fixture_files: int
    profile_files: int
    texts: dict[str, Path]  # source id -> the text its quotes were checked against
    unchecked: list[str]    # ids of cited sources whose text was not given

    @property
    def report(self) -> Path | None:
        """The report's text the quotes were checked against; None: not checked."""
        return self.texts.get(REPORT_SOURCE)

    @property
    def ok(self) -> bool:
        return not self.problems

    def files_with_problems(self) -> int:
        return len({p.file for p in self.problems})


def check_rule_files(rule_dirs: Sequence[Path], profile_dirs: Sequence[Path], *,
                     report: Path | None = None, config: Config | None = None) -> RuleCheckResult:
    """Check everything; ``report`` is the report's text file (None skips its quotes)."""
    sources, problems = read_sources([*profile_dirs, *rule_dirs])
    profiles, profile_problems = read_profiles(profile_dirs, sources)
    problems.extend(profile_problems)
    found = read_rules(rule_dirs, profiles)
    problems.extend(found.errors)
    loaded = {r.id for r in found.rules}
    problems.extend(covers_problems(found.rules, failed=[i for i in found.ids if i not in loaded]))
    for doc in found.documents.values():
        problems.extend(placeholder_problems(doc))
    texts, text_problems = source_texts(sources, report)
    problems.extend(text_problems)
    contents = {source_id: read_report(path) for source_id, path in texts.items()}
    for doc in found.documents.values():
        problems.extend(quote_problems(doc, contents, texts))
    cited = {_source_of(item) for doc in found.documents.values() for item in _evidence(doc)}
    problems.extend(ignored_file_problems([*rule_dirs, *(d / FIXTURES_DIR for d in rule_dirs), *profile_dirs]))
    fixture_files = [p for d in rule_dirs for p in _fixture_files(d)]
    for path in fixture_files:
        problems.extend(fixture_problems(path, found))
    if config is not None and config.file is not None:
        problems.extend(config_problems(config, found, RuleBook(tuple(found.rules), profiles)))
    problems.extend(compile_problems(found, profiles, config))
    problems = InputErrors(_unique(problems)).errors  # sorted by file and line
    profile_count = sum(1 for d in profile_dirs if d.is_dir() for _ in d.glob("*.yaml"))
    rule_count = sum(len(rule_files(d)) for d in rule_dirs if d.is_dir())
    unchecked = sorted(s for s in cited if isinstance(s, str) and s not in texts and s in sources.declared)
    return RuleCheckResult(problems, rule_count, len(fixture_files), profile_count, texts, unchecked)


def source_texts(sources: SourceBook, report: Path | None) -> tuple[dict[str, Path], list[InputError]]:
    """The text of each source that has one: the report's from ``report``, the others'
    from their declaration (a declared text that is missing is a problem there)."""
    texts = {REPORT_SOURCE: report} if report is not None else {}
    problems = []
    for declared in sources.declared.values():
        path = declared.text_path()
        if path is None or declared.id in texts:
            continue
        if path.is_file():
            texts[declared.id] = path
        else:
            problems.append(InputError(file=declared.file, line=declared.line, path=f"sources.{declared.id}.text",
                                       message=f"the text file '{declared.source.text}' does not exist beside this "
                                               "file; give the path of the source's text relative to this file, "
                                               "or remove `text:`"))
    return texts, problems


class ReportError(Exception):
    """A source's text file cannot be read."""


def read_report(report: Path) -> str:
    try:
        return report.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise ReportError(f"the report file {report} is not UTF-8 text; save the report's text as UTF-8") from None
    except OSError as exc:
        raise ReportError(f"the report file {report} cannot be read: {exc.strerror or exc}") from None


def _unique(problems: list[InputError]) -> list[InputError]:
    seen, out = set(), []
    for p in problems:
        key = (p.file, p.line, p.column, p.path, p.message)
        if key not in seen:
            seen.add(key)
            out.append(p)
    return out


def ignored_file_problems(directories: Sequence[Path]) -> list[InputError]:
    """A ``.yml`` file is never read (rules, fixtures and profiles are ``*.yaml``), so a
    rule saved under that name would silently do nothing."""
    return [e for d in directories if d.is_dir() for e in yaml_files(d).skipped]


def _fixture_files(rules_dir: Path) -> list[Path]:
    directory = rules_dir / FIXTURES_DIR
    return sorted(p for p in directory.glob("*.yaml") if p.is_file()) if directory.is_dir() else []


# --- rule files ---------------------------------------------------------------

def _strings(node: Any, path: str = "") -> Iterator[tuple[str, str]]:
    if isinstance(node, str):
        yield path, node
    elif isinstance(node, dict):
        for key, value in node.items():
            yield from _strings(value, join_path(path, str(key)))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _strings(value, join_path(path, i))


def placeholder_problems(doc: SourceDocument) -> list[InputError]:
    """Text still holding the TODO placeholders that ``rules new`` writes."""
    return [doc.error(path, f"still holds the placeholder '{PLACEHOLDER_MARK}' written by `ca-advisor rules new`; "
                            "replace it with the real text")
            for path, text in _strings(doc.data) if PLACEHOLDER_MARK in text]


def _evidence(doc: SourceDocument) -> list[dict]:
    evidence = doc.data.get("evidence")
    return [item if isinstance(item, dict) else {} for item in evidence] if isinstance(evidence, list) else []


def _source_of(item: dict) -> object:
    return item.get("source", REPORT_SOURCE)


def quote_problems(doc: SourceDocument, contents: dict[str, str], texts: dict[str, Path]) -> list[InputError]:
    """Quotes not verbatim in their source, for the sources whose text is given."""
    problems = []
    for i, item in enumerate(_evidence(doc)):
        quote, source = item.get("quote"), _source_of(item)
        if not isinstance(quote, str) or PLACEHOLDER_MARK in quote or source not in contents:
            continue
        if not quote_in_report(quote, contents[source]):
            name = "the report" if source == REPORT_SOURCE else f"source '{source}'"
            problems.append(doc.error(f"evidence[{i}].quote",
                                      quote_mismatch(quote, contents[source], texts[source], name)))
    return problems


def quote_mismatch(quote: str, report_text: str, report: Path, name: str = "the report") -> str:
    """Where a quote stops matching the report, so the author sees the wrong word."""
    words = quote.split()
    low, high = 0, len(words)  # the longest matching prefix has `low` words
    while low < high:
        middle = (low + high + 1) // 2
        if quote_in_report(" ".join(words[:middle]), report_text):
            low = middle
        else:
            high = middle - 1
    head = f"the quote is not verbatim in {name} ({report.name})"
    if low == 0:
        return f"{head}: not even its first word '{words[0]}' occurs there; copy the passage from {name}"
    text = normalise_report(report_text)
    match = _pattern(" ".join(words[:low])).search(text)
    after = text[match.end():].replace("\u00ad", "").split()[:6]
    matched = " ".join(words[max(0, low - 6):low])
    return (f"{head}: it matches as far as '...{matched}', where {name} goes on "
            f"'{' '.join(after)}' but the quote has '{' '.join(words[low:low + 6])}'")


# --- fixture files --------------------------------------------------------------

def fixture_problems(path: Path, found: RuleFiles) -> list[InputError]:
    """Schema errors, a rule that does not exist, and case proposals that are not valid
    proposals; a file that fails the schema is still checked case by case."""
    try:
        doc = read_yaml_file(path, what="a rule fixture")
    except InputErrors as exc:
        return exc.errors
    problems = placeholder_problems(doc)
    try:
        validate_document(doc, FixtureFile)
    except InputErrors as exc:
        problems.extend(e.model_copy(update={"message": _tidy(e.message)}) for e in exc.errors)
    rule_id = doc.data.get("rule")
    if isinstance(rule_id, str) and rule_id not in found.ids:
        problems.append(doc.error("rule", f"no rule {rule_id} exists for this fixture file; "
                                          f"{_rule_list(found)}{did_you_mean(rule_id, found.ids)}"))
    elif isinstance(rule_id, str) and rule_id != path.stem:
        problems.append(doc.error("rule", f"fixture for rule {rule_id} is in '{path.name}'; "
                                          f"name the file {rule_id}.yaml"))
    cases = doc.data.get("cases")
    for i, case in enumerate(cases if isinstance(cases, list) else []):
        if isinstance(case, dict) and isinstance(case.get("proposal"), dict):
            problems.extend(_case_proposal_problems(doc, f"cases[{i}].proposal", case["proposal"]))
        if isinstance(case, dict) and isinstance(case.get("proposals"), list):  # a portfolio case
            for j, proposal in enumerate(case["proposals"]):
                if isinstance(proposal, dict):
                    problems.extend(_case_proposal_problems(doc, f"cases[{i}].proposals[{j}]", proposal))
    return problems


def _rule_list(found: RuleFiles) -> str:
    ids = sorted(found.ids)
    if len(ids) > 12:
        return f"{len(ids)} rules are defined (`ca-advisor rules list` shows them)"
    return f"the rules are {', '.join(ids)}" if ids else "no rules are defined"


def _tidy(message: str) -> str:
    """pydantic's wording for a fixture's own consistency checks, without its prefix."""
    if message.startswith("Value error, "):
        message = message[len("Value error, "):].removesuffix(" (found )")
    return message


def _case_proposal_problems(doc: SourceDocument, path: str, proposal: dict) -> list[InputError]:
    try:
        proposal_from_mapping(proposal, file=doc.file)
    except InputErrors as exc:
        return [doc.error(join_path(path, e.path) if e.path else path, f"the case's proposal is invalid: {e.message}")
                for e in exc.errors]
    return []


# --- the project config -----------------------------------------------------------

def config_problems(config: Config, found: RuleFiles, book: RuleBook) -> list[InputError]:
    tags = {t for doc in found.documents.values() for t in _tags(doc)}
    problems = unknown_rule_references(config, set(found.ids), tags)
    try:
        apply_parameters(book, config)
    except InputErrors as exc:
        problems.extend(exc.errors)
    return problems


def compile_problems(found: RuleFiles, profiles, config: Config | None) -> list[InputError]:
    """The rules that load, configured as ``check`` configures them, compiled: what the
    engine would refuse is seen here first."""
    book = RuleBook(tuple(sorted(found.rules, key=lambda r: r.id)), profiles)
    if config is not None and config.file is not None:
        try:
            book = select_rules(apply_parameters(book, config), config)
        except InputErrors:
            pass  # reported by config_problems; compile the rules as written
    try:
        build_engine(book.rules)
    except InputErrors as exc:
        return exc.errors
    return []


def _tags(doc: SourceDocument) -> list[str]:
    tags = doc.data.get("tags")
    return [t for t in tags if isinstance(t, str)] if isinstance(tags, list) else []
