"""``ca-advisor rules ...``: check, test, list, show, document and start rules.

Which files: the built-in rules and profiles, then the project config's ``rules:``
and ``profiles:`` directories, then those named on the command line (each directory
once, whichever way it was named).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import NoReturn

import click

from ..authoring.check import ReportError, check_rule_files
from ..authoring.docs import facts_markdown, rule_text, rules_markdown
from ..authoring.runner import render_run, run_fixtures
from ..authoring.scaffold import ScaffoldError, check_names, new_rule
from ..engines.checker import Checker
from ..facts.sources import REPORT_SOURCE
from ..model.errors import InputError, InputErrors, did_you_mean
from ..output.inert import inert_data
from ..reading.builtin import builtin_profiles_dir, builtin_rules_dir
from ..reading.paths import display_path
from ..reading.scan import unique_dirs
from ..rulebook.config import Config
from ..rulebook.load import RuleBook, apply_packs, apply_parameters, load_rulebook, select_rules
from ..rulebook.packs import pack_dirs
from . import main
from .common import INPUT_ERROR, config_option, echo, pack_option, resolve_config

NO_REPORT = ("quotes not checked: no report text given (use --report FILE, or `report: FILE` in ca-advisor.yaml; "
             "the report is not shipped with ca-advisor)")


@main.group()
def rules() -> None:
    """Check, test, list, show and write rules."""


def profiles_option(f):
    return click.option("--profiles", "profile_dirs", multiple=True, type=click.Path(file_okay=False),
                        help="Extra country-profile directory (repeatable).")(f)


def rules_option(f):
    return click.option("--rules", "rule_dirs", multiple=True, type=click.Path(file_okay=False),
                        help="Extra rule directory (repeatable), beside the built-in rules.")(f)


def all_rule_dirs(config: Config, extra: Iterable[str], *, builtin: bool = True) -> list[Path]:
    return unique_dirs(([builtin_rules_dir()] if builtin else []) + pack_dirs(config.packs, "rules")
                       + list(config.rule_dirs) + [Path(d) for d in extra])


def all_profile_dirs(config: Config, extra: Iterable[str], *, builtin: bool = True) -> list[Path]:
    return unique_dirs(([builtin_profiles_dir()] if builtin else []) + pack_dirs(config.packs, "profiles")
                       + list(config.profile_dirs) + [Path(d) for d in extra])


def shown(error: InputError) -> str:
    return error.model_copy(update={"file": display_path(error.file)}).render()


def fail_located(exc: InputErrors) -> NoReturn:
    """Every problem, with files shown as the reader would type them; exit 2."""
    for error in exc.errors:
        echo(f"error: {shown(error)}", err=True)
    sys.exit(INPUT_ERROR)


def _fail(message: str) -> NoReturn:
    echo(f"error: {message}", err=True)
    sys.exit(INPUT_ERROR)


# --- rules check --------------------------------------------------------------------

@rules.command("check")
@click.argument("dirs", nargs=-1, type=click.Path(file_okay=False))
@profiles_option
@click.option("--report", type=click.Path(dir_okay=False),
              help="The report's text file, to check that every quote is verbatim [default: `report:` of the config].")
@click.option("--no-builtin", is_flag=True, help="Leave out the built-in rules and profiles.")
@pack_option
@config_option
def check_command(dirs, profile_dirs, report, no_builtin, packs, config_file) -> None:
    """Report every problem in the rule, fixture and profile files (built-in, the
    config's and DIRS); exit 0 when there is none, 2 when there are problems."""
    config = resolve_config(config_file, packs)
    report_path = Path(report) if report else config.report
    if report_path is not None and not report_path.is_file():
        origin = "--report" if report else f"report: in {config.file}"
        what = "is not a regular file (a directory, device or pipe); give the report's text file" \
            if report_path.exists() else "does not exist"
        _fail(f"the report file {report_path} ({origin}) {what}")
    try:
        result = check_rule_files(all_rule_dirs(config, dirs, builtin=not no_builtin),
                                  all_profile_dirs(config, profile_dirs, builtin=not no_builtin),
                                  report=report_path, config=config)
    except ReportError as exc:
        _fail(str(exc))
    for problem in result.problems:
        echo(shown(problem))
    counted = (f"{result.rule_files} rule file{'s' if result.rule_files != 1 else ''}, {result.fixture_files} "
               f"fixture file{'s' if result.fixture_files != 1 else ''}, {result.profile_files} profile "
               f"file{'s' if result.profile_files != 1 else ''}")
    n, files = len(result.problems), result.files_with_problems()
    echo(f"{n} problem{'s' if n != 1 else ''} in {files} file{'s' if files != 1 else ''}; checked {counted}"
               if n else f"no problems; checked {counted}")
    echo(f"quotes checked against {display_path(str(report_path))}" if report_path else NO_REPORT)
    for source_id, path in sorted(result.texts.items()):
        if path != report_path:
            echo(f"quotes citing '{source_id}' checked against {display_path(str(path))}")
    for source_id in result.unchecked:
        if source_id != REPORT_SOURCE:
            echo(f"quotes citing '{source_id}' not checked: its declaration gives no `text:` file")
    sys.exit(INPUT_ERROR if n else 0)


# --- rules test ---------------------------------------------------------------------

@rules.command("test")
@click.argument("dirs", nargs=-1, type=click.Path(file_okay=False))
@profiles_option
@pack_option
@config_option
@click.option("--verbose", "-v", is_flag=True, help="List the passing cases too (PASS lines).")
def test_command(dirs, profile_dirs, packs, config_file, verbose) -> None:
    """Run the fixtures of every rule (or of the rules in DIRS): each failing case in
    full, then a count of the cases that passed and failed.

    Exit 0 when every case passes and every rule has a case that fires and a
    near-miss, 1 when not, 2 when a rule or fixture file cannot be read."""
    config = resolve_config(config_file, packs)
    rule_dirs = all_rule_dirs(config, dirs)
    try:
        book = load_rulebook(rule_dirs, all_profile_dirs(config, profile_dirs))
    except InputErrors as exc:
        for error in exc.errors:
            echo(f"error: {shown(error)}", err=True)
        _fail("the rules cannot be loaded; `ca-advisor rules check` lists every problem")
    run = run_fixtures(Checker(book), unique_dirs(Path(d) for d in dirs) if dirs else rule_dirs)
    for line in render_run(run, verbose=verbose):
        echo(line)
    sys.exit(run.exit_code())


# --- rules list / show / docs ---------------------------------------------------------

def configured_book(config: Config, rule_dirs, profile_dirs) -> tuple[RuleBook, RuleBook]:
    """Every loaded rule (with the config's parameters) and the ones ``check`` runs."""
    try:
        book = load_rulebook(all_rule_dirs(config, rule_dirs), all_profile_dirs(config, profile_dirs))
        book = apply_parameters(apply_packs(book, config.packs), config)
    except InputErrors as exc:
        fail_located(exc)
    return book, select_rules(book, config)


@rules.command("list")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@rules_option
@profiles_option
@pack_option
@config_option
def list_command(fmt, rule_dirs, profile_dirs, packs, config_file) -> None:
    """List the rules `check` runs: id, severity, name and title, and which pack
    defines or changes a rule."""
    _, selected = configured_book(resolve_config(config_file, packs), rule_dirs, profile_dirs)
    rows = [{"id": r.id, "severity": r.rule.severity, "name": r.rule.name, "title": r.rule.title,
             "kind": r.rule.kind, "tags": list(r.rule.tags), "file": display_path(r.file),
             **({"pack": r.pack} if r.pack else {}), **({"changes": list(r.changes)} if r.changes else {})}
            for r in selected.rules]
    if fmt == "json":
        click.echo(json.dumps(inert_data(rows), indent=2, ensure_ascii=False))
        return
    width = max((len(r["name"]) for r in rows), default=0)
    for r in rows:
        origin = "".join(f"  [{note}]" for note in ([f"pack {r['pack']}"] if "pack" in r else []) + r.get("changes", []))
        echo(f"{r['id']:<7} {r['severity']:<8} {r['name']:<{width}}  {r['title']}{origin}")


@rules.command("show")
@click.argument("rule_id")
@rules_option
@profiles_option
@pack_option
@config_option
def show_command(rule_id, rule_dirs, profile_dirs, packs, config_file) -> None:
    """Show everything in one rule, readably: conditions in plain words, parameters,
    message, reasoning, evidence and recommendation."""
    config = resolve_config(config_file, packs)
    book, selected = configured_book(config, rule_dirs, profile_dirs)
    loaded = selected.get(rule_id) or book.get(rule_id)
    if loaded is None:
        _fail(f"no rule {rule_id}{did_you_mean(rule_id, [r.id for r in book.rules])}; "
              "`ca-advisor rules list` shows them all")
    lines = rule_text(loaded, book.sources, file_label=display_path(loaded.file))
    lines[4:4] = ([f"from pack: {loaded.pack}"] if loaded.pack else []) + [f"changed: {c}" for c in loaded.changes]
    if selected.get(rule_id) is None:
        lines.insert(0, f"note: {display_path(config.file)} leaves this rule out (disable or select), "
                        "so `check` does not run it")
    echo("\n".join(lines))


@rules.command("docs")
@click.argument("what", type=click.Choice(["rules", "facts"]), default="rules")
@rules_option
@profiles_option
@pack_option
@config_option
def docs_command(what, rule_dirs, profile_dirs, packs, config_file) -> None:
    """Print the rule reference (docs/rules.md) or the fact reference (docs/facts.md)
    as Markdown: `ca-advisor rules docs > docs/rules.md`."""
    book, _ = configured_book(resolve_config(config_file, packs), rule_dirs, profile_dirs)
    echo(rules_markdown(book) if what == "rules" else facts_markdown(book.profiles.keys), nl=False)


# --- rules new ----------------------------------------------------------------------

@rules.command("new")
@click.argument("rule_id")
@click.option("--name", required=True, help="The rule's name: lower-case words joined by hyphens.")
@click.option("--dir", "directory", type=click.Path(file_okay=False),
              help="Where to write it [default: the first `rules:` directory of ca-advisor.yaml, else ./rules].")
@config_option
def new_command(rule_id, name, directory, config_file) -> None:
    """Write a commented rule file ID.yaml and a fixture skeleton fixtures/ID.yaml."""
    config = resolve_config(config_file)
    target = Path(directory) if directory else (config.rule_dirs[0] if config.rule_dirs else Path("rules"))
    try:
        check_names(rule_id, name)
    except ScaffoldError as exc:
        _fail(str(exc))
    loaded_dirs = all_rule_dirs(config, [])
    taken = next((d / f"{rule_id}.yaml" for d in loaded_dirs if (d / f"{rule_id}.yaml").exists()), None)
    if taken is not None:
        _fail(f"rule {rule_id} already exists in {display_path(str(taken))}; choose another id")
    try:
        written = new_rule(rule_id, name, target)
    except ScaffoldError as exc:
        _fail(str(exc))
    echo(f"wrote {display_path(str(written.rule_file))}")
    echo(f"wrote {display_path(str(written.fixture_file))}")
    if target.resolve() not in {d.resolve() for d in loaded_dirs}:
        echo(f"note: {target} is not among the rule directories; add it to `rules:` in ca-advisor.yaml "
                   "or pass --rules to each command")
    echo(f"next: replace every TODO, then run `ca-advisor rules check` and "
               f"`ca-advisor rules test {display_path(str(target))}`")
