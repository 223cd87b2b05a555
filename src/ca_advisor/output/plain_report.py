"""A report of one check as plain data, for the quick one-file check
(cli/quick_check.py), which imports no pydantic.

``report_data`` gives the fields of the ``Report`` model in its order, its text made
inert (inert.py) and its summary counted; ``report_json`` writes it as
``render(report, "json")`` does, byte for byte (orjson writes what pydantic's
``model_dump_json(indent=2)`` writes: batch.py relies on the same); ``ReportView``
lets the text and compact formats read it through attributes, ordered and counted by
model/severity.py as the models are.  tests/test_quick_check.py compares each with
the model path's on every example, fixture case and a generated corpus.
"""

from __future__ import annotations

from typing import Any

import orjson

from ..model.severity import by_severity, count_findings, first_line
from .inert import inert_data


def report_data(result: dict[str, Any], *, rules: int, engine: str, tool_version: str) -> dict[str, Any]:
    """The report of one checked file, with no input errors, waivers, config or packs."""
    report = {"results": [result], "errors": [], "waiver_notices": [], "config": None, "packs": [],
              "engine": engine, "run": {"tool_version": tool_version, "rules": rules, "files": 1, "skipped": []},
              "portfolio": None}
    report = inert_data(report)
    report["summary"] = {**ReportView(report).counts(), "input_errors": 0}
    return report


def report_json(report: dict[str, Any]) -> bytes:
    return orjson.dumps(report, option=orjson.OPT_INDENT_2) + b"\n"


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
