"""``--format junit``: JUnit XML, for CI systems that show test reports.

One test suite per checked proposal and one test case per proposal × rule: the case
*fails* when the rule has an unwaived finding there at or above ``--fail-on`` (so the
failures and the exit status agree), is *skipped* (with the waiver's reason) when all
its findings are waived, and passes otherwise (a finding below ``--fail-on`` is
described in the case's ``system-out``).  The rules are the
rule book's finding rules when the caller passes ``rules`` (the CLI does), else the
rules that fired anywhere in the run.  Input errors are *errored* cases in a suite of
their own; waiver notices go to the suite's ``system-out`` of their proposal.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence

from ..model.errors import InputError
from ..model.findings import SEVERITY_RANK, CheckResult, Finding, Report
from ..rulebook.rule import Rule
from .packs_note import packs_list
from .portfolio import results_for_output

# Characters XML 1.0 cannot carry at all, even escaped.
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def render_junit(report: Report, *, rules: Sequence[Rule] = (), fail_on: str = "warning", **_options) -> str:
    """``fail_on`` as for the exit status: a case fails only for an unwaived finding at
    or above it (none for ``never``), so the report and the exit status agree."""
    root = ET.Element("testsuites", name="ca-advisor")
    names = _rule_names(report, rules)
    for result in results_for_output(report):
        root.append(_suite(result, names, [f"waiver {n.kind}: {n.render()}" for n in report.waiver_notices
                                            if n.proposal == result.proposal_id],
                           fail_on, packs_list(report), report.config))
    if report.errors:
        root.append(_error_suite(report.errors))
    _count(root, root.findall("testsuite"))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _rule_names(report: Report, rules: Sequence[Rule]) -> dict[str, str]:
    """Rule id → name of every rule a proposal is tested against, in id order."""
    names = {r.id: r.name for r in rules if r.kind == "finding"}
    names.update({f.rule_id: f.name for f in report.all_findings()})
    return dict(sorted(names.items()))


def _suite(result: CheckResult, names: dict[str, str], notices: list[str], fail_on: str,
           packs: str | None = None, config: str | None = None) -> ET.Element:
    suite = ET.Element("testsuite", name=_clean(result.file))
    props = ET.SubElement(suite, "properties")
    for name, value in (("proposal", result.proposal_id), ("as_of", result.as_of.isoformat()),
                        ("as_of_source", result.as_of_source), *((("packs", packs),) if packs else ()),
                        *((("config", config),) if config else ())):
        ET.SubElement(props, "property", name=name, value=_clean(value))
    for rule_id, name in names.items():
        suite.append(_case(result, rule_id, name, [f for f in result.findings if f.rule_id == rule_id], fail_on))
    if notices:
        ET.SubElement(suite, "system-out").text = _clean("\n".join(notices))
    _count(suite, suite.findall("testcase"))
    return suite


def _case(result: CheckResult, rule_id: str, name: str, findings: list[Finding], fail_on: str) -> ET.Element:
    case = ET.Element("testcase", classname=_clean(result.proposal_id), name=f"{rule_id} {name}",
                      file=_clean(result.file))
    open_ = [f for f in findings if not f.waived]
    failing = [f for f in open_ if fails(f, fail_on)]
    if failing:
        worst = failing[0]
        failure = ET.SubElement(case, "failure", type=worst.severity, message=_clean(worst.message))
        failure.text = _clean("\n\n".join(_describe(f, result.file) for f in findings))
    elif open_:
        # Below --fail-on: the case passes, and says what it found.
        ET.SubElement(case, "system-out").text = _clean(
            f"below --fail-on {fail_on}:\n" + "\n\n".join(_describe(f, result.file) for f in findings))
    elif findings:
        w = findings[0].waived
        until = f", until {w.expires}" if w.expires else ""
        ET.SubElement(case, "skipped", message=_clean(f"waived: {w.reason} (approved by {w.approved_by}{until})"))
    return case


def fails(f: Finding, fail_on: str) -> bool:
    return fail_on != "never" and SEVERITY_RANK[f.severity] >= SEVERITY_RANK[fail_on]


def _describe(f: Finding, file: str) -> str:
    where = "; ".join(f"{file}:{loc.line} ({loc.path})" if loc.line else f"{file} ({loc.path})"
                      for loc in f.locations)
    lines = [f"{'waived ' if f.waived else ''}{f.severity} {f.rule_id} {f.name}: {f.message}", f"at {where}"]
    if f.stale:
        lines.append(f"stale: {f.stale.message}")
    if f.waived:
        lines.append(f"waived: {f.waived.reason} (approved by {f.waived.approved_by})")
    lines += [f"why: {f.reasoning}", *(f"evidence: \u201c{e.quote}\u201d ({e.citation})" for e in f.evidence),
              f"do: {f.recommendation}"]
    return "\n".join(lines)


def _error_suite(errors: list[InputError]) -> ET.Element:
    suite = ET.Element("testsuite", name="input errors")
    for e in errors:
        where = e.file + "".join(f":{n}" for n in (e.line, e.column) if n is not None)
        name = f"{where} {e.path}" if e.path else where
        case = ET.SubElement(suite, "testcase", classname="input", name=_clean(name), file=_clean(e.file))
        ET.SubElement(case, "error", type="input-error", message=_clean(e.message)).text = _clean(e.render())
    _count(suite, suite.findall("testcase"))
    return suite


def _count(element: ET.Element, children: list[ET.Element]) -> None:
    """tests/failures/errors/skipped attributes, summed from cases or suites."""
    for key, tag in (("tests", None), ("failures", "failure"), ("errors", "error"), ("skipped", "skipped")):
        if children and children[0].tag == "testsuite":
            total = sum(int(c.get(key, "0")) for c in children)
        else:
            total = sum(1 for c in children if tag is None or c.find(tag) is not None)
        element.set(key, str(total))


def _clean(text: str) -> str:
    return _INVALID_XML.sub("\ufffd", text)
