"""``--format sarif``: one SARIF 2.1.0 log, for code-scanning dashboards and viewers.

What goes where (checked against the OASIS SARIF 2.1.0 schema in the tests):

* ``tool.driver.rules``: one descriptor per rule that produced a result, with its
  name, title (shortDescription), reasoning (fullDescription), help (recommendation
  and the report's quoted evidence with citations) and properties (severity, tags).
* ``results``: one per finding; level error→error, warning→warning, info→note; the
  file and ``region.startLine``/``startColumn``, and the proposal's field path as a
  logical location and in ``properties.fieldPaths``; a ``partialFingerprints``
  entry from proposal id, rule, field paths and message (what ``ca-advisor diff``
  matches on), so re-runs do not open duplicate alerts.
* A waived finding is *kept*, with ``suppressions: [{kind: external, status:
  accepted, justification: reason}]``, so a dashboard shows it as suppressed
  instead of losing it.
* ``invocations[0]``: input errors as ``toolExecutionNotifications`` (and
  ``executionSuccessful: false``), expired and unmatched waivers as
  ``toolConfigurationNotifications``, each located in its file.
* ``properties`` of the run: counts, each checked proposal's id and check date, and
  the rule packs used (name, version, where found).
"""

from __future__ import annotations

import hashlib
import json
import urllib.parse
from collections.abc import Sequence
from pathlib import PurePosixPath, PureWindowsPath
from typing import Any

from .. import __version__
from ..model.errors import InputError
from ..model.findings import CheckResult, Finding, Report, WaiverNotice
from ..rulebook.rule import Rule
from .packs_note import packs_data
from .paths import with_relative_paths
from .portfolio import results_for_output

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
FINGERPRINT = "caAdvisorFinding/v1"
_LEVEL = {"error": "error", "warning": "warning", "info": "note"}


def render_sarif(report: Report, *, rules: Sequence[Rule] = (), **_options) -> str:
    """``rules`` (the rule book's rule models) adds each rule's tags to its descriptor;
    paths are made relative to the repository root, which code scanning resolves them against."""
    return json.dumps(sarif_log(with_relative_paths(report), rules), indent=2, ensure_ascii=False) + "\n"


def sarif_log(report: Report, rules: Sequence[Rule] = ()) -> dict[str, Any]:
    tags = {r.id: list(r.tags) for r in rules}
    findings = [(result, f) for result in results_for_output(report) for f in result.findings]
    descriptors = _descriptors([f for _, f in findings], tags)
    index = {d["id"]: i for i, d in enumerate(descriptors)}
    return {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "ca-advisor", "version": __version__, "rules": descriptors,
                                "properties": {"engine": report.engine}}},
            "invocations": [_invocation(report)],
            "columnKind": "unicodeCodePoints",
            "results": [_result(f, result, index[f.rule_id]) for result, f in findings],
            "properties": _run_properties(report),
        }],
    }


def _descriptors(findings: list[Finding], tags: dict[str, list[str]]) -> list[dict[str, Any]]:
    first = {}
    for f in findings:
        first.setdefault(f.rule_id, f)
    return [_descriptor(f, tags.get(rule_id, [])) for rule_id, f in sorted(first.items())]


def _descriptor(f: Finding, tags: list[str]) -> dict[str, Any]:
    evidence = [f"\u201c{e.quote}\u201d ({e.citation})" for e in f.evidence]
    return {
        "id": f.rule_id,
        "name": f.name,
        "shortDescription": {"text": f.title},
        "fullDescription": {"text": f.reasoning},
        "help": {
            "text": "\n\n".join([f"Recommendation: {f.recommendation}", *(f"Evidence: {e}" for e in evidence)]),
            "markdown": "\n\n".join([f"**Recommendation:** {f.recommendation}", *(f"> {e}" for e in evidence)]),
        },
        "defaultConfiguration": {"level": _LEVEL[f.severity]},
        "properties": {"severity": f.severity, "tags": tags, "citations": [e.citation for e in f.evidence]},
    }


def _result(f: Finding, result: CheckResult, rule_index: int) -> dict[str, Any]:
    out: dict[str, Any] = {
        "ruleId": f.rule_id,
        "ruleIndex": rule_index,
        "level": _LEVEL[f.severity],
        "message": {"text": f.message},
        "locations": [_location(result.file, loc.line, loc.column, loc.path) for loc in f.locations],
        "partialFingerprints": {FINGERPRINT: fingerprint(result.proposal_id, f)},
        "properties": {
            "proposalId": result.proposal_id,
            "severity": f.severity,
            "fieldPaths": [loc.path for loc in f.locations],
            "recommendation": f.recommendation,
            "factsUsed": [fact.model_dump(mode="json") for fact in f.facts_used],
            "evidenceYear": f.evidence_year,
            **({"stale": f.stale.model_dump(mode="json")} if f.stale else {}),
            **({"evaluatedRule": f.evaluated_rule} if f.evaluated_rule else {}),
        },
    }
    if f.waived:
        out["suppressions"] = [{
            "kind": "external",
            "status": "accepted",
            "justification": f.waived.reason,
            "properties": {"approvedBy": f.waived.approved_by,
                           **({"expires": f.waived.expires.isoformat()} if f.waived.expires else {})},
        }]
    return out


def fingerprint(proposal_id: str, f: Finding) -> str:
    key = "\0".join([proposal_id, f.rule_id, *(loc.path for loc in f.locations), f.message])
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


def _location(file: str, line: int | None, column: int | None, path: str = "") -> dict[str, Any]:
    location: dict[str, Any] = {}
    uri = artifact_uri(file)
    if uri is not None:
        physical: dict[str, Any] = {"artifactLocation": {"uri": uri}}
        if line is not None:
            physical["region"] = {"startLine": line, **({"startColumn": column} if column else {})}
        location["physicalLocation"] = physical
    if path:
        location["logicalLocations"] = [{"fullyQualifiedName": path, "kind": "member"}]
    return location


def artifact_uri(file: str) -> str | None:
    """A relative URI for a relative path (what code scanning resolves against the
    repository), a file: URI for an absolute one, none for ``<stdin>`` and such."""
    if file.startswith("<"):
        return None
    windows = PureWindowsPath(file)
    if windows.drive:
        return "file:///" + urllib.parse.quote(windows.as_posix())
    path = PurePosixPath(file.replace("\\", "/"))
    if path.is_absolute():
        return "file://" + urllib.parse.quote(str(path))
    return urllib.parse.quote(str(path))


def _invocation(report: Report) -> dict[str, Any]:
    return {
        "executionSuccessful": not report.errors,
        "toolExecutionNotifications": [_error_notification(e) for e in report.errors],
        "toolConfigurationNotifications": [_waiver_notification(n) for n in report.waiver_notices],
    }


def _error_notification(e: InputError) -> dict[str, Any]:
    return {"descriptor": {"id": "input-error"}, "level": "error", "message": {"text": e.message},
            "locations": [_location(e.file, e.line, e.column, e.path)], "properties": {"file": e.file}}


def _waiver_notification(n: WaiverNotice) -> dict[str, Any]:
    return {"descriptor": {"id": f"waiver-{n.kind}"}, "level": "warning", "message": {"text": n.message},
            "locations": [_location(n.file, n.line, n.column)],
            "properties": {"proposalId": n.proposal, "ruleId": n.rule,
                           **({"expires": n.expires.isoformat()} if n.expires else {})}}


def _run_properties(report: Report) -> dict[str, Any]:
    return {
        **({"config": report.config} if report.config else {}),
        "counts": {**report.counts(), "inputErrors": len(report.errors)},
        "proposals": [{"file": r.file, "proposalId": r.proposal_id, "asOf": r.as_of.isoformat(),
                       "asOfSource": r.as_of_source, "strengths": [s.rule_id for s in r.strengths]}
                      for r in report.results],
        **({"packs": packs_data(report)} if report.packs else {}),
    }
