"""``ca-advisor packs ...``: list the packs there are, show one, start a new one."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..authoring.pack_scaffold import new_pack
from ..facts.profiles import read_profiles
from ..facts.sources import read_sources
from ..model.errors import InputErrors
from ..reading.paths import display_path
from ..reading.yaml_source import read_yaml_file
from ..rulebook.load import rule_files
from ..rulebook.packs import available_pack_dirs, load_pack, ref_from_option, resolve_ref
from . import main
from .common import INPUT_ERROR, config_option, echo, fail_with_input_errors, resolve_config


@main.group()
def packs() -> None:
    """List, show and start rule packs."""


@packs.command("list")
@config_option
def list_command(config_file) -> None:
    """Every pack found by name (installed, then shipped) and those the config uses."""
    config = resolve_config(config_file)
    used = {p.root.resolve() for p in config.packs}
    rows = []
    for name, directory, origin in available_pack_dirs():
        try:
            pack = load_pack(directory, origin)
        except InputErrors as exc:
            rows.append((name, "-", f"{origin}; unusable: {exc.errors[0].render()}", False))
            continue
        rows.append((pack.name, pack.version, origin, directory.resolve() in used))
    found = {Path(d).resolve() for _, d, _ in available_pack_dirs()}
    rows.extend((p.name, p.version, display_path(str(p.root)), True) for p in config.packs
                if p.root.resolve() not in found)
    if not rows:
        echo("no packs found")
    width = max((len(r[0]) for r in rows), default=0)
    for name, version, origin, in_use in rows:
        echo(f"{name:<{width}}  {version:<8} {origin}{'  (used by the config)' if in_use else ''}")


@packs.command("show")
@click.argument("pack")
@config_option
def show_command(pack, config_file) -> None:
    """What a pack (NAME or PATH) holds: its manifest, rules, facts, changes and sources."""
    config = resolve_config(config_file)
    chosen = next((p for p in config.packs if p.name == pack), None)
    try:
        chosen = chosen or resolve_ref(ref_from_option(pack), Path.cwd(), None, "")
    except InputErrors as exc:
        fail_with_input_errors(exc)
    m = chosen.manifest
    lines = [f"{chosen.label}", f"  {m.description}", f"requires: ca-advisor {m.requires}",
             f"found: {chosen.origin}", f"directory: {display_path(str(chosen.root))}", ""]
    rules_dir = chosen.part("rules")
    lines.append("rules:" if rules_dir else "rules: none")
    for path in rule_files(rules_dir) if rules_dir else []:
        data = read_yaml_file(path, what="a rule").data
        lines.append(f"  {data.get('id')} {data.get('severity', 'info')} {data.get('name')}: {data.get('title')}")
    lines.extend(_fact_lines(chosen.part("profiles")))
    changes = [f"  {rid}: severity {sev}" for rid, sev in sorted(m.severity.items())]
    changes += [f"  {rid}: {name} = {value!r}" for rid, values in sorted(m.parameters.items())
                for name, value in sorted(values.items())]
    lines.extend(["changes to other rules:", *changes] if changes else ["changes to other rules: none"])
    sources, _ = read_sources([chosen.root / "profiles", chosen.root / "rules"])
    own = [s for s in sources.declared.values() if Path(s.file).resolve().parent == chosen.root.resolve()]
    lines.append("sources:" if own else "sources: none")
    lines.extend(f"  {s.id} ({s.source.kind}, {s.source.date}): {s.source.citation}" for s in own)
    echo("\n".join(lines))


def _fact_lines(profiles_dir: Path | None) -> list[str]:
    if profiles_dir is None:
        return ["dated facts: none"]
    book, errors = read_profiles([profiles_dir])
    if errors:
        return [f"dated facts: unreadable ({errors[0].render()})"]
    lines = ["dated facts:"]
    for country, profile in sorted(book.profiles.items()):
        for key, entries in profile.facts.items():
            for e in entries:
                start = f"since {e.since}" if e.since else f"attested by {e.attested}"
                lines.append(f"  {country}.{key} = {e.value} {start} ({e.source.id})")
    return lines


@packs.command("new")
@click.argument("name")
@click.option("--dir", "directory", type=click.Path(file_okay=False),
              help="Where to create the pack directory [default: ./NAME].")
def new_command(name, directory) -> None:
    """Write a pack skeleton: manifest, sources, a rule with its fixtures, a profile."""
    target = Path(directory) if directory else Path(name)
    try:
        written = new_pack(name, target)
    except ValueError as exc:
        echo(f"error: {exc}", err=True)
        sys.exit(INPUT_ERROR)
    for path in written:
        echo(f"wrote {display_path(str(path))}")
    echo(f"next: replace every TODO, then run `ca-advisor rules check --pack {display_path(str(target))}` "
               f"and `ca-advisor rules test --pack {display_path(str(target))}`")

