"""Packages' own findings that a portfolio finding already reports.

A portfolio rule may declare ``covers: [RULE, ...]``: per-proposal rules that say,
package by package, what it says of the portfolio.  CA705 (no package in play for a
state builds its threat-assessment capacity) covers CA302 (a counter-terrorism
package with no threat-assessment component): when both fire, a reviewer would read
the same point once for the state and again under every package.

So in a portfolio run a package's finding of a covered rule moves under the
portfolio findings that cover it, when every recipient of the package is the
subject of a covering finding that names the package among its contributors: then
nothing the package's finding says is left unsaid.  A package that also serves a
state no covering finding speaks for keeps its finding, and so does a waived
finding (its waiver stays beside it).  ``check`` of one proposal is unchanged.
"""

from __future__ import annotations

from ..model.findings import CheckResult, CoveredFinding, Finding, PortfolioFinding

_Key = tuple[str, str, str]  # a package (file, proposal id) and a covered rule id


def cover(results: list[CheckResult], findings: list[PortfolioFinding],
          covers: dict[str, tuple[str, ...]]) -> tuple[list[CheckResult], list[PortfolioFinding]]:
    """``results`` without the covered findings, and ``findings`` listing what each
    covers; ``covers``: each portfolio rule's covered rule ids."""
    covering: dict[_Key, list[int]] = {}  # the covering findings (indexes) that name the package
    for index, finding in enumerate(findings):
        for rule_id in covers.get(finding.rule_id, ()):
            for c in finding.contributors:
                covering.setdefault((c.file, c.proposal_id, rule_id), []).append(index)
    moved: list[list[CoveredFinding]] = [[] for _ in findings]
    kept_results = []
    for result in results:
        kept = []
        for finding in result.findings:
            key = (result.file, result.proposal_id, finding.rule_id)
            if (finding.waived is None and key in covering
                    and set(result.recipients) <= _subjects(findings, covering[key])):
                for index in dict.fromkeys(covering[key]):
                    moved[index].append(_covered(result, finding))
            else:
                kept.append(finding)
        kept_results.append(result if len(kept) == len(result.findings)
                            else result.model_copy(update={"findings": kept}))
    return kept_results, [f.model_copy(update={"covered": [*f.covered, *moved[i]]}) if moved[i] else f
                          for i, f in enumerate(findings)]


def _subjects(findings: list[PortfolioFinding], indexes: list[int]) -> set[str]:
    """The states the covering findings at ``indexes`` speak for."""
    return {findings[i].subject for i in indexes}


def _covered(result: CheckResult, finding: Finding) -> CoveredFinding:
    return CoveredFinding(proposal_id=result.proposal_id, file=result.file, line=finding.line,
                          rule_id=finding.rule_id, message=finding.message)
