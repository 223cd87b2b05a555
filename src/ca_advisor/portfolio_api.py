"""The portfolio through the Python API: check proposals one by one, as
``api.check_paths`` does, then the packages in play at ``as_of`` as a whole.

    from ca_advisor.portfolio_api import check_portfolio_paths
    report = check_portfolio_paths(["proposals/"], as_of=datetime.date(2013, 9, 1))
    for f in report.portfolio.findings:
        print(f.rule_id, f.subject, f.message, [(c.file, c.line, c.share) for c in f.contributors])

Each proposal is checked as of its own date (as ``check`` does without ``--as-of``);
``as_of`` (default: ``today``, default the real today) is the portfolio's date.  Only a
small summary of each proposal (``package.Package``) is kept once it is checked, so
memory grows with the packages' size, not with their YAML.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from .api import ConfigLike, WaiversLike, run_setup
from .engines.checker import Checker
from .model.errors import InputError, InputErrors
from .model.findings import Report
from .portfolio.check import check_portfolio
from .portfolio.covering import cover
from .portfolio.package import DEFAULT_DURATION_YEARS, Package, package_of
from .portfolio.waivers import apply_portfolio_waivers
from .reading.proposals import LoadedProposal, proposal_from_mapping, read_target
from .reading.targets import ProposalIds, expand_targets
from .reading.yaml_source import DEFAULT_LIMITS, Limits


def check_portfolio_paths(paths: Iterable[str | Path], *, config: ConfigLike = None, checker: Checker | None = None,
                          as_of: datetime.date | None = None, waivers: WaiversLike = None,
                          today: datetime.date | None = None, limits: Limits = DEFAULT_LIMITS,
                          stale_after_years: int | None = None,
                          default_duration: float = DEFAULT_DURATION_YEARS) -> Report:
    """Files, directories (every *.yaml / *.yml below) and "-" (stdin) as one portfolio."""
    errors: list[InputError] = []
    targets = expand_targets(paths, errors)
    readers = ((t.path, lambda t=t: read_target(t, limits=limits)) for t in targets)
    return _check(readers, errors, config=config, checker=checker, as_of=as_of, waivers=waivers, today=today,
                  stale_after_years=stale_after_years, default_duration=default_duration)


def read_packages(paths: Iterable[str | Path], *, limits: Limits = DEFAULT_LIMITS,
                  default_duration: float = DEFAULT_DURATION_YEARS) -> tuple[list[Package], list[InputError]]:
    """The packages of the proposals ``paths`` name, read as ``check_portfolio_paths``
    reads them (each file once, "-" for stdin, YAML that is no proposal skipped, a
    shared id reported), and every problem met."""
    errors: list[InputError] = []
    readers = ((t.path, lambda t=t: read_target(t, limits=limits)) for t in expand_targets(paths, errors))
    return [package_of(loaded, default_duration) for loaded in _each_read(readers, errors, [])], errors


def check_portfolio_mappings(proposals: Iterable[dict[str, Any]], *, config: ConfigLike = None,
                             checker: Checker | None = None, as_of: datetime.date | None = None,
                             waivers: WaiversLike = None, today: datetime.date | None = None,
                             stale_after_years: int | None = None,
                             default_duration: float = DEFAULT_DURATION_YEARS) -> Report:
    """Proposals already parsed into mappings (named ``<mapping N>`` in messages)."""
    readers = ((f"<mapping {i}>", lambda data=data, i=i: proposal_from_mapping(data, file=f"<mapping {i}>"))
               for i, data in enumerate(proposals))
    return _check(readers, [], config=config, checker=checker, as_of=as_of, waivers=waivers, today=today,
                  stale_after_years=stale_after_years, default_duration=default_duration)


def _check(readers: Iterable[tuple[str, Callable[[], LoadedProposal | None]]], errors: list[InputError], *, config,
           checker, as_of, waivers, today, stale_after_years, default_duration) -> Report:
    """``readers``: each input's name and how to read it (None: a YAML file found in a
    directory that is no proposal, skipped and counted as ``check`` does)."""
    setup = run_setup(config, checker, waivers, stale_after_years)
    if setup.checker is None:
        return Report(errors=setup.errors + errors)
    readers = list(readers)
    results, packages, skipped = [], [], []
    for loaded in _each_read(readers, errors, skipped):
        results.append(setup.check(loaded, None))
        packages.append(package_of(loaded, default_duration))
    read_count = len(readers) - len(skipped)
    portfolio = check_portfolio(setup.checker, packages, as_of=as_of, today=today,
                                stale_after_years=setup.stale_after_years)
    report = setup.finish(Report(results=results, errors=errors), today, skipped, read_count)
    # Here the portfolio rules ran too (setup.finish counts those a proposal check runs).
    run = report.run.model_copy(update={"rules": len(setup.checker.book.rules)}) if report.run else None
    # After the proposals' waivers: a waived finding stays with its waiver, uncovered.
    results, findings = cover(report.results, portfolio.findings,
                              {r.id: tuple(r.rule.covers) for r in setup.checker.book.rules if r.rule.covers})
    portfolio = portfolio.model_copy(update={"findings": findings})
    report = report.model_copy(update={"results": results, "portfolio": portfolio, "run": run})
    if setup.waivers is None:
        return report
    return apply_portfolio_waivers(report, setup.waivers, today=today, rule_ids=set(setup.checker.plan.rules))


def _each_read(readers: Iterable[tuple[str, Callable[[], LoadedProposal | None]]], errors: list[InputError],
               skipped: list[str]) -> Iterator[LoadedProposal]:
    """Each input's proposal, read once; its problems, and an id another input gives
    too, added to ``errors``; the name of a YAML file found in a directory that is no
    proposal added to ``skipped``."""
    ids = ProposalIds()
    for name, read in readers:
        try:
            loaded = read()
        except InputErrors as exc:
            errors.extend(exc.errors)
            continue
        if loaded is None:
            skipped.append(name)
            continue
        errors.extend(ids.add(loaded.id_place()))
        yield loaded
