"""``ca-advisor rules test``: run every rule's fixtures, as ``semgrep --test`` does.

Each case of ``<rules dir>/fixtures/<ID>.yaml`` runs through ``fixtures.run_case``
on a checker holding all the rules as written (default parameters, nothing
disabled), so that a fixture tests the rule file and not a project's settings.
A rule also needs at least one case that fires and one near-miss that stays
quiet: without the near-miss nobody knows whether the rule fires on everything.
The CA602 mechanism is exempt; the ``not-evaluated`` cases of other rules exercise it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..engines.checker import NOT_EVALUATED, Checker
from ..model.errors import InputError, InputErrors
from ..reading.paths import display_path
from ..reading.scan import yaml_files
from ..rulebook.load import FIXTURES_DIR, LoadedRule
from .cases import CaseOutcome, fixture_path, load_fixtures, run_case

NEEDED = {"fire": "case that fires (expect: fire)", "quiet": "near-miss that stays quiet (expect: quiet)"}


@dataclass(frozen=True)
class CaseRun:
    outcome: CaseOutcome
    where: str  # file:line of the case


@dataclass(frozen=True)
class MissingCases:
    rule_id: str
    needed: tuple[str, ...]  # "fire" and/or "quiet"
    fixture_file: str


@dataclass
class FixtureRun:
    cases: list[CaseRun] = field(default_factory=list)
    missing: list[MissingCases] = field(default_factory=list)
    errors: list[InputError] = field(default_factory=list)

    @property
    def failed(self) -> list[CaseRun]:
        return [c for c in self.cases if not c.outcome.passed]

    def exit_code(self) -> int:
        """2 a fixture file could not be read, 1 a case failed or is missing, else 0."""
        if self.errors:
            return 2
        return 1 if self.failed or self.missing else 0

    def summary(self) -> str:
        passed = len(self.cases) - len(self.failed)
        line = f"{len(self.cases)} case{'s' if len(self.cases) != 1 else ''}: {passed} passed, {len(self.failed)} failed"
        if self.missing:
            line += f"; {len(self.missing)} rule{'s' if len(self.missing) != 1 else ''} lacking a firing case or a near-miss"
        if self.errors:
            line += f"; {len(self.errors)} fixture file problem{'s' if len(self.errors) != 1 else ''}"
        return line


def run_fixtures(checker: Checker, rule_dirs: Sequence[Path]) -> FixtureRun:
    """Run the fixtures of every rule whose file is in one of ``rule_dirs``."""
    run = FixtureRun()
    wanted = {d.resolve() for d in rule_dirs}
    rules = [r for r in checker.book.rules if Path(r.file).resolve().parent in wanted]
    for loaded in rules:
        _run_rule(checker, loaded, run)
    known = {r.id for r in checker.book.rules}
    for directory in rule_dirs:
        fixtures = directory / FIXTURES_DIR
        listing = yaml_files(fixtures) if fixtures.is_dir() else None
        run.errors.extend(listing.skipped if listing else [])
        for path in listing.files if listing else []:
            if path.stem not in known:
                run.errors.append(InputError(file=str(path), message=f"no rule {path.stem} is loaded for this fixture "
                                             "file; `ca-advisor rules check` says why"))
    return run


def _run_rule(checker: Checker, loaded: LoadedRule, run: FixtureRun) -> None:
    path = fixture_path(Path(loaded.file).parent, loaded.id)
    expects: set[str] = set()
    if path.exists():
        try:
            doc, fixture = load_fixtures(path)
        except InputErrors as exc:
            run.errors.extend(exc.errors)
            return
        for i, case in enumerate(fixture.cases):
            mark = doc.mark_of(f"cases[{i}]")
            where = f"{display_path(str(path))}:{mark.line}" if mark else display_path(str(path))
            run.cases.append(CaseRun(run_case(checker, loaded.id, case, str(path)), where))
            expects.add(case.expect)
    needed = tuple(n for n in NEEDED if n not in expects)
    if needed and loaded.rule.mechanism != NOT_EVALUATED:
        run.missing.append(MissingCases(loaded.id, needed, display_path(str(path))))


def render_run(run: FixtureRun, *, verbose: bool = False) -> list[str]:
    """Each failing case in full (where, expected, reported), the missing cases, and the
    summary, which counts the passes; ``verbose`` lists the passing cases too."""
    lines = []
    for case in run.cases:
        o = case.outcome
        if o.passed and not verbose:
            continue
        status = "PASS" if o.passed else "FAIL"
        lines.append(f"{status} {o.rule_id} {o.case.expect} {o.case.name}" + ("" if o.passed else f" ({case.where})"))
        if not o.passed:
            lines.extend(f"     {line}" for line in o.detail.splitlines())
    for m in run.missing:
        lines.append(f"MISSING {m.rule_id}: no {' and no '.join(NEEDED[n] for n in m.needed)}; "
                     f"add {'them' if len(m.needed) > 1 else 'one'} to {m.fixture_file}")
    for error in run.errors:
        lines.append(f"ERROR {error.model_copy(update={'file': display_path(error.file)}).render()}")
    lines.append(run.summary())
    return lines
