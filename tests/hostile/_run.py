"""Run ``ca-advisor check`` with one hostile file placed where a proposal, a rule, a
country profile, the config file or a waivers file is read from, beside a valid
proposal.

Why one helper for all four: every file the tool reads goes through the same safe
reader (yaml_source.py), so each hostile class must be refused the same way whatever
the file is for; only the noun in the message ("{what}") and the channel differ
(proposal problems are part of the report on stdout, the others stop the run and go
to stderr).
"""

from __future__ import annotations

import contextlib
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from click.testing import CliRunner

from ca_advisor.cli import main

DATA = Path(__file__).resolve().parent.parent / "data" / "hostile"
GOOD = DATA / "good.yaml"
GOOD_ID = "hostile-run-companion"
KINDS = ("proposal", "rule", "profile", "config", "waivers")
WHAT = {
    "proposal": "a proposal (format ca-advisor/proposal/v1)",
    "rule": "a rule",
    "profile": "a country profile",
    "config": "a ca-advisor config",
    "waivers": "a waivers file",
}
# Where each kind of file is placed, and the CLI arguments that make ca-advisor read it.
PLACES = {
    "proposal": ("case.yaml", ["case.yaml"]),
    "rule": ("rules/XX900.yaml", ["--rules", "rules"]),
    "profile": ("profiles/atlantis.yaml", ["--profiles", "profiles"]),
    "config": ("ca-advisor.yaml", ["--config", "ca-advisor.yaml"]),
    "waivers": ("waivers.yaml", ["--waivers", "waivers.yaml"]),
}
# Problems with these are part of the report and the proposals are still checked; a
# broken rule, profile or config file stops the run (the rule book must be whole).
REPORTED = ("proposal", "waivers")


@dataclass
class Run:
    exit_code: int
    stdout: str
    stderr: str
    errors: list[str]  # rendered input errors, without their "input error: " / "error: " prefix
    checked: list[str]  # ids of the proposals the report covers


def run_cli(args: list[str], cwd: Path, stdin: bytes | str | None = None) -> Run:
    if args[0] == "check" and "--format" not in args:
        args = [*args, "--format", "text"]  # the long form names each proposal checked, even for several files
    with contextlib.chdir(cwd):
        result = CliRunner().invoke(main, args, input=stdin)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    out, err = result.stdout, result.stderr
    assert "Traceback" not in out + err
    errors = [line[len("input error: "):] for line in out.splitlines() if line.startswith("input error: ")]
    errors += [line[len("error: "):] for line in err.splitlines() if line.startswith("error: ")]
    checked = re.findall(r"^  proposal (\S+), checked as of", out, flags=re.M)
    return Run(result.exit_code, out, err, errors, checked)


def place(kind: str, content: bytes, root: Path) -> tuple[list[str], str]:
    """Write ``content`` where ``kind`` is read from; the CLI arguments and the name
    messages will use for it."""
    name, args = PLACES[kind]
    target = root / name
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(content)
    return args, name


def check_as(kind: str, content: bytes, root: Path, extra: list[str] = ()) -> tuple[Run, str]:
    """Check the valid proposal with ``content`` read as ``kind``; the run and the file name."""
    shutil.copy(GOOD, root / "good.yaml")
    args, name = place(kind, content, root)
    files = args if kind == "proposal" else []
    options = [] if kind == "proposal" else args
    return run_cli(["check", *files, "good.yaml", *options, *extra], root), name


def expected(messages: list[str], kind: str, name: str) -> list[str]:
    return [m.format(file=name, what=WHAT[kind]) for m in messages]


def assert_refused(run: Run, kind: str, messages: list[str]) -> None:
    """Exit 2 with exactly these messages; a hostile proposal or waivers file does not
    stop the valid proposal from being checked, while a hostile rule, profile or config
    file stops the run before any proposal is read (the rule book must be whole)."""
    assert run.errors == messages
    assert run.exit_code == 2
    if kind in REPORTED:
        assert run.checked == [GOOD_ID]
        assert run.stdout.splitlines()[-1].startswith("1 proposal checked:")
        assert run.stdout.splitlines()[-1].endswith(f"; {len(messages)} input error{'s' if len(messages) > 1 else ''}")
    else:
        assert run.stdout == ""
        assert run.checked == []


def data_files(folder: str) -> list[str]:
    """The hostile inputs of one class (each must have an expected message)."""
    return sorted(f.name for f in (DATA / folder).iterdir() if f.is_file())


def assert_case_refused(folder: str, cases: dict[str, list[str]], case: str, kind: str, root: Path) -> None:
    """Read DATA/folder/case as ``kind``; exit 2 with exactly the case's messages."""
    run, name = check_as(kind, (DATA / folder / case).read_bytes(), root)
    assert_refused(run, kind, expected(cases[case], kind, name))
