"""``ca-advisor diff`` and ``ca-advisor schema``: helpers for reviewing proposals.

``diff OLD NEW`` checks two versions of a proposal with the same rules, date and
waivers and lists the findings introduced, resolved and kept (matched as described
in ``diff.py``); its exit status follows the introduced findings only.
``schema`` prints the JSON Schema of proposal format v1 (``--rules``: of rule files)
for editors and validators.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from ..api import check_paths, diff_directory_paths
from ..model.findings import FAIL_ON, Finding
from ..model.proposal import Proposal
from ..output import github, inert_renderer, markdown
from ..output.sarif import render_sarif
from ..reading.schema_help import add_descriptions
from ..review.diff import DirectoryDiff, FindingDiff, diff_reports
from ..rulebook.rule import Rule
from . import main
from .common import build_checker, config_option, emit, parse_date, resolve_config, rules_options, run_inputs
from .writing import refuse_input_as_output

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


@main.command()
@click.argument("old", type=click.Path())
@click.argument("new", type=click.Path())
@click.option("--format", "fmt", type=click.Choice(["text", "json", "markdown", "github", "sarif"]),
              default="text", show_default=True,
              help="Output format (sarif and github carry the introduced findings only).")
@click.option("--fail-on", type=click.Choice(FAIL_ON), default=None,
              help="Exit 1 when an introduced finding of this severity or worse is not waived "
                   "[default: warning].")
@click.option("--as-of", callback=parse_date, help="Check both as of this date (YYYY-MM-DD).")
@rules_options
@config_option
@click.option("--waivers", "waivers_file", metavar="FILE", help="Waivers file [default: the config's waivers].")
@click.option("--output", "output_file", type=click.Path(dir_okay=False),
              help="Write the result to this file instead of standard output.")
def diff(old, new, fmt, fail_on, as_of, rule_dirs, profile_dirs, config_file, waivers_file, output_file) -> None:
    """List the findings that NEW introduces, resolves and keeps compared with OLD:
    two proposal files, or two directories of proposals paired by their path below
    each (a proposal only in NEW has all its findings introduced)."""
    if Path(old).is_dir() != Path(new).is_dir():
        raise click.UsageError("give two proposal files or two directories")
    config = resolve_config(config_file)
    checker = build_checker(config, rule_dirs, profile_dirs)
    if output_file:
        refuse_input_as_output(output_file, run_inputs([old, new], config, checker, waivers_file, profile_dirs))
    options = dict(config=config, checker=checker, as_of=as_of, waivers=waivers_file)
    rules = [r.rule for r in checker.book.rules]
    if Path(old).is_dir():
        result = diff_directory_paths(old, new, **options)
        for warning in result.warnings:
            click.echo(f"warning: {warning}", err=True)
        emit(DIRECTORY_FORMATS[fmt](result, rules=rules), output_file)
    else:
        result = diff_reports(check_paths([old], **options), check_paths([new], **options))
        if result.old and result.new and result.old.proposal_id != result.new.proposal_id:
            click.echo(f"warning: {old} is proposal '{result.old.proposal_id}' but {new} is "
                       f"'{result.new.proposal_id}'; waivers match by proposal id", err=True)
        emit(DIFF_FORMATS[fmt](result, rules=rules), output_file)
    sys.exit(result.exit_code(fail_on or config.fail_on or "warning"))


def render_diff_text(d: FindingDiff, **_options) -> str:
    return "\n".join([*_diff_lines(d), _summary(d)]) + "\n"


def _diff_lines(d: FindingDiff) -> list[str]:
    lines = [f"input error: {e.render()}" for e in d.errors]
    if d.old and d.new:
        lines.append(f"{d.old.file} -> {d.new.file} (proposal {d.new.proposal_id}, as of {d.new.as_of})")
        for label, findings in (("introduced", d.introduced), ("resolved", d.resolved), ("kept", d.kept)):
            lines.append(f"  {label} ({len(findings)})")
            lines.extend(f"    {_line(f, d.old.file if label == 'resolved' else d.new.file)}" for f in findings)
    lines.extend(f"waiver {n.kind}: {n.render()}" for n in d.waiver_notices)
    return lines


def _line(f: Finding, file: str) -> str:
    loc = f.locations[0] if f.locations else None
    where = f"{file}:{loc.line}" if loc and loc.line else file
    waived = f" [waived: {f.waived.reason}]" if f.waived else ""
    return f"{f.severity} {f.rule_id} {f.name}: {f.message} ({where}){waived}"


def _summary(d: FindingDiff | DirectoryDiff) -> str:
    c = d.counts()
    return (f"diff: {c['introduced']} introduced, {c['resolved']} resolved, {c['kept']} kept; "
            f"{c['input errors']} input error{'' if c['input errors'] == 1 else 's'}")


def render_diff_json(d: FindingDiff, **_options) -> str:
    return d.model_dump_json(indent=2) + "\n"


def render_diff_markdown(d: FindingDiff, **_options) -> str:
    c = d.counts()
    lines = ["## ca-advisor diff", "", "| " + " | ".join(c) + " |", "|" + " ---: |" * len(c),
             "| " + " | ".join(str(v) for v in c.values()) + " |"]
    if d.old and d.new:
        lines += ["", f"{markdown.code(d.old.file)} → {markdown.code(d.new.file)}, proposal "
                      f"{markdown.code(d.new.proposal_id)}, as of {d.new.as_of}."]
        for label, findings in (("Introduced", d.introduced), ("Resolved", d.resolved), ("Kept", d.kept)):
            if findings:
                file = d.old.file if label == "Resolved" else d.new.file
                lines += ["", f"### {label}", "", "| severity | rule | message | location |",
                          "| --- | --- | --- | --- |", *(markdown.finding_row(f, file) for f in findings)]
    if d.waiver_notices:
        lines += ["", "### Waiver notices", ""]
        lines += [f"- {markdown.code(markdown.where(n.file, n.line, n.column))}: {markdown.escape(n.message)}"
                  for n in d.waiver_notices]
    if d.errors:
        lines += ["", "### Input errors", "", *(f"- {markdown.error_line(e)}" for e in d.errors)]
    return "\n".join(lines) + "\n"


def render_diff_github(d: FindingDiff, **_options) -> str:
    report = d.introduced_report()
    lines = github.render_github(report).rstrip("\n").split("\n")[:-1]  # without check's summary line
    return "\n".join([*lines, _summary(d)]) + "\n"


def render_diff_sarif(d: FindingDiff, **options) -> str:
    return render_sarif(d.introduced_report(), **options)


DIFF_FORMATS = {name: inert_renderer(render) for name, render in {
    "text": render_diff_text,
    "json": render_diff_json,
    "markdown": render_diff_markdown,
    "github": render_diff_github,
    "sarif": render_diff_sarif,
}.items()}


# --- two directories: each pair as above, one summary; github and sarif carry the
# introduced findings of every pair, json the list of pairs.

def render_directory_text(d: DirectoryDiff, **_options) -> str:
    lines = [f"input error: {e.render()}" for e in d.errors]
    notices: dict[str, None] = {}
    for pair in d.diffs:
        lines.extend(line for line in _diff_lines(pair) if not line.startswith("waiver "))
        notices.update((f"waiver {n.kind}: {n.render()}", None) for n in pair.waiver_notices)
    lines.extend(notices)
    files = len(d.diffs)
    return "\n".join([*lines, f"{files} proposal file{'' if files == 1 else 's'} compared; {_summary(d)}"]) + "\n"


def render_directory_json(d: DirectoryDiff, **_options) -> str:
    return json.dumps({"summary": d.counts(), **d.model_dump(mode="json")}, indent=2, ensure_ascii=False) + "\n"


def render_directory_markdown(d: DirectoryDiff, **_options) -> str:
    # each pair's sections, without the header and counts table (its first five lines)
    sections = [render_diff_markdown(pair).split("\n", 5)[5] for pair in d.diffs]
    c = d.counts()
    head = ["## ca-advisor diff", "", "| " + " | ".join(c) + " |", "|" + " ---: |" * len(c),
            "| " + " | ".join(str(v) for v in c.values()) + " |"]
    warnings = ["", "### Warnings", "", *(f"- {markdown.escape(w)}" for w in d.warnings)] if d.warnings else []
    return "\n".join([*head, *warnings, *(s.rstrip("\n") for s in sections)]) + "\n"


def render_directory_github(d: DirectoryDiff, **_options) -> str:
    lines = github.render_github(d.introduced_report()).rstrip("\n").split("\n")[:-1]
    lines += [github.command("warning", w, title="ca-advisor diff") for w in d.warnings]
    return "\n".join([*lines, _summary(d)]) + "\n"


def render_directory_sarif(d: DirectoryDiff, **options) -> str:
    return render_sarif(d.introduced_report(), **options)


DIRECTORY_FORMATS = {
    "text": render_directory_text,
    "json": render_directory_json,
    "markdown": render_directory_markdown,
    "github": render_directory_github,
    "sarif": render_directory_sarif,
}


@main.command()
@click.option("--rules", "rules", is_flag=True,
              help="The schema of rule files (rules/*.yaml) instead of proposals.")
@click.option("--output", "output_file", type=click.Path(dir_okay=False),
              help="Write the schema to this file instead of standard output.")
def schema(rules, output_file) -> None:
    """Print the JSON Schema of proposal format v1, or with --rules of rule files
    (for editors and validators)."""
    emit(json.dumps(rule_schema() if rules else proposal_schema(), indent=2, ensure_ascii=False) + "\n",
         output_file)


def rule_schema() -> dict:
    """The rule model's schema: the shape of a rule file and, through the typed
    grammar of ``when`` (conditions/grammar.py), every operator by name."""
    body = Rule.model_json_schema()
    body["title"] = "ca-advisor rule file"
    return {"$schema": SCHEMA_DIALECT, **body}


def proposal_schema() -> dict:
    """The pydantic model's schema with its dialect, a title and field descriptions editors show."""
    body = add_descriptions(Proposal.model_json_schema())
    body["title"] = "ca-advisor proposal (format ca-advisor/proposal/v1)"
    return {"$schema": SCHEMA_DIALECT, **body}
