"""A report held as plain data, for runs that write it without the Report's pydantic
models (batch.py; cli/quick_check.py: a run that imports no pydantic).

``report_shell`` gives the fields of the ``Report`` model in its order without
results, its text made inert (inert.py); ``report_data`` adds the results.  ``ReportView`` lets the text and compact formats read
it through attributes (``render_plain``), ordered and counted by model/severity.py as
the models are.  tests/test_quick_check.py compares each format's output with the
model path's on every example, fixture case and a generated corpus, and
tests/test_fast_path.py the JSON (batch.py writes it from the same shell).
"""

from __future__ import annotations

from typing import Any

from ..model.severity import by_severity, count_findings, first_line
from .inert import inert_data


def report_shell(*, engine: str, tool_version: str, rules: int, files: int, skipped: list[str],
                 packs: list[dict[str, Any]], config: str | None) -> dict[str, Any]:
    """The fields of a ``Report`` without results, input errors or waivers, in the
    model's order, its text made inert (the summary is the caller's to add)."""
    return inert_data({"results": [], "errors": [], "waiver_notices": [], "config": config, "packs": list(packs),
                       "engine": engine,
                       "run": {"tool_version": tool_version, "rules": rules, "files": files, "skipped": list(skipped)},
                       "portfolio": None})


def report_data(shell: dict[str, Any], results: list[dict[str, Any]]) -> dict[str, Any]:
    """The whole report (without its summary, which the text formats count again):
    ``shell`` (``report_shell``) with ``results``, plain as ``Checker.check_data``
    gives them, their text made inert."""
    return {**shell, "results": results}


# The formats that read a report held as plain data (``render_plain``).
PLAIN_FORMATS = frozenset({"text", "compact"})


def render_plain(report: dict[str, Any], fmt: str, **options: Any) -> str:
    """``report`` (``report_data``) in one of ``PLAIN_FORMATS``, as ``FORMATS[fmt]``
    renders the Report model (its text is inert already)."""
    from .text import render_compact, render_text

    render = render_compact if fmt == "compact" else render_text
    return render(ReportView(report), **options)


class View:
    """A mapping read through attributes; what it holds is viewed as ``_CLASSES`` say
    (by field name), or as a plain ``View``."""

    __slots__ = ("_data",)
    _CLASSES: dict[str, type[View]] = {}

    def __init__(self, data: dict[str, Any]):
        self._data = data

    def __getattr__(self, name: str) -> Any:
        try:
            value = self._data[name]
        except KeyError:
            raise AttributeError(name) from None
        return _viewed(value, self._CLASSES.get(name, View))


def _viewed(value: Any, cls: type[View]) -> Any:
    if isinstance(value, dict):
        return cls(value)
    if isinstance(value, list):
        return [_viewed(item, cls) for item in value]
    return value


class FindingView(View):
    __slots__ = ()

    @property
    def line(self) -> int | None:
        return first_line(self)


class ResultView(View):
    __slots__ = ()
    _CLASSES = {"findings": FindingView, "strengths": FindingView}

    def by_severity(self) -> list[FindingView]:
        return by_severity(self.findings)


class ReportView(View):
    __slots__ = ()
    _CLASSES = {"results": ResultView}

    def all_findings(self) -> list[FindingView]:
        return [f for r in self.results for f in r.findings]

    def counts(self) -> dict[str, int]:
        return count_findings(self.results, self.all_findings())
