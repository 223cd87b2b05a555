"""Paths as CI systems want them: relative to the working directory.

GitHub attaches an annotation, and code scanning a SARIF result, only to a path
relative to the repository's root, which is the working directory a CI job runs
in; a file found through the config (a waivers file is ``base / waivers``) or named
absolutely would otherwise be absolute and attach to nothing.  A path outside the
working directory, and ``<stdin>`` and such, stay as they are.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..model.findings import Report


def relative_to(file: str, base: str) -> str:
    if not file or file.startswith("<"):
        return file
    relative = os.path.relpath(os.path.normpath(os.path.abspath(file)), base)
    return file if relative == ".." or relative.startswith(".." + os.sep) else Path(relative).as_posix()


def with_relative_paths(report: Report, base: str | None = None) -> Report:
    """The report with every file (results, input errors, waiver notices) relative to
    ``base`` (default: the working directory)."""
    base = os.path.abspath(base or os.getcwd())

    def rel(items):
        return [item.model_copy(update={"file": relative_to(item.file, base)}) for item in items]

    portfolio = report.portfolio
    if portfolio is not None:  # each contributor, covered finding and package names its file
        findings = [f.model_copy(update={"contributors": rel(f.contributors), "covered": rel(f.covered)})
                    for f in portfolio.findings]
        portfolio = portfolio.model_copy(update={"packages": rel(portfolio.packages), "findings": findings})
    return report.model_copy(update={"results": rel(report.results), "errors": rel(report.errors),
                                     "waiver_notices": rel(report.waiver_notices), "portfolio": portfolio})
