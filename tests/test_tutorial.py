"""docs/writing-rules.md, run step by step so that it never goes stale.

The tutorial's blocks are its steps, in order:

* ``<!-- write: PATH -->`` right before a fenced block: save the block as PATH;
* ``<!-- replace: PATH :: OLD => NEW -->``: the edit the prose asks for;
* a ```` ```console ```` block: each ``$ command`` runs (``mkdir -p``, ``cd``, ``cp``
  and ``ca-advisor``, the last through click's test runner) and its output must match
  the lines below it, where ``...`` stands for any text (doctest's ELLIPSIS), and a
  trailing ``# exit status N`` comment gives the exit status (0 when absent).

The report's text is not shipped: ``cp .../central-asia-post-2014.txt`` copies the
real report when the tests find it (``CA_ADVISOR_REPORT``, see tests/report.py), else
writes a stand-in holding just the passages that the built-in rules and the tutorial's
rule quote (so the mechanics are tested everywhere, on a clone with nothing beside it,
and the quotes are checked against the real report where it is available).
"""

from __future__ import annotations

import doctest
import os
import re
import shlex
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from report import report_path

from ca_advisor import api
from ca_advisor.cli import main
from ca_advisor.reading.builtin import builtin_rules_dir

TUTORIAL = Path(__file__).resolve().parent.parent / "docs" / "writing-rules.md"
WRITE = re.compile(r"^<!-- write: (\S+) -->$")
REPLACE = re.compile(r"^<!-- replace: (\S+) :: (.+) => (.+) -->$")
EXIT = re.compile(r"\s+# exit status (\d+)$")


@dataclass
class Step:
    kind: str  # "write", "replace" or "run"
    line: int  # in the tutorial, for failure messages
    path: str = ""
    text: str = ""
    old: str = ""
    new: str = ""
    command: str = ""
    expected: str = ""
    status: int = 0


def parse(markdown: str) -> list[Step]:
    lines = markdown.splitlines()
    steps: list[Step] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if m := WRITE.match(line):
            body, i = _fenced(lines, i + 1)
            steps.append(Step("write", i, path=m.group(1), text=body))
        elif m := REPLACE.match(line):
            steps.append(Step("replace", i + 1, path=m.group(1), old=m.group(2), new=m.group(3)))
        elif line.startswith("```console"):
            body, end = _fenced(lines, i)
            steps.extend(_commands(body, i + 1))
            i = end
        i += 1
    return steps


def _fenced(lines: list[str], start: int) -> tuple[str, int]:
    assert lines[start].startswith("```"), f"line {start + 1}: a fenced block must follow the directive"
    end = next(j for j in range(start + 1, len(lines)) if lines[j] == "```")
    return "\n".join(lines[start + 1:end]) + "\n", end


def _commands(body: str, line: int) -> list[Step]:
    steps: list[Step] = []
    for offset, text in enumerate(body.splitlines()):
        if text.startswith("$ "):
            command = text[2:]
            status = 0
            if m := EXIT.search(command):
                command, status = command[:m.start()], int(m.group(1))
            steps.append(Step("run", line + offset + 1, command=command, status=status))
        else:
            steps[-1].expected += text + "\n"
    return steps


def run_step(step: Step, here: Path, stand_in: str) -> Path:
    """Carry out one step in the scratch directory ``here``; return the new current directory."""
    if step.kind == "write":
        (here / step.path).write_text(step.text, encoding="utf-8")
    elif step.kind == "replace":
        target = here / step.path
        text = target.read_text(encoding="utf-8")
        assert step.old in text, f"tutorial line {step.line}: '{step.old}' is not in {step.path}"
        target.write_text(text.replace(step.old, step.new, 1), encoding="utf-8")
    else:
        return _run(step, here, stand_in)
    return here


def _run(step: Step, here: Path, stand_in: str) -> Path:
    argv = shlex.split(step.command)
    if argv[0] == "mkdir":
        for name in argv[2:]:
            (here / name).mkdir(parents=True, exist_ok=True)
    elif argv[0] == "cd":
        here = here / argv[1]
    elif argv[0] == "cp":
        assert argv[1].endswith("central-asia-post-2014.txt"), f"tutorial line {step.line}: only the report is copied"
        target = here / argv[2] / "central-asia-post-2014.txt"
        if report_path().is_file():
            shutil.copy(report_path(), target)
        else:
            target.write_text(stand_in, encoding="utf-8")
    else:
        assert argv[0] == "ca-advisor", f"tutorial line {step.line}: unknown command {argv[0]}"
        before = Path.cwd()
        os.chdir(here)
        api._cache.clear()  # each command of the tutorial is a new process, which reads the files afresh
        try:
            result = CliRunner().invoke(main, argv[1:], catch_exceptions=False)
        finally:
            os.chdir(before)
        checker = doctest.OutputChecker()
        assert checker.check_output(step.expected, result.output, doctest.ELLIPSIS), (
            f"tutorial line {step.line}: `{step.command}` printed\n{result.output}\nbut the tutorial shows\n"
            f"{step.expected}")
        assert result.exit_code == step.status, f"tutorial line {step.line}: exit status {result.exit_code}"
    return here


def stand_in_report(steps: list[Step]) -> str:
    """The passages the built-in rules and the tutorial's finished rules quote, for a run
    without the real report (`rules check` checks the built-in quotes too)."""
    quotes = [e["quote"] for path in sorted(builtin_rules_dir().glob("*.yaml"))
              for e in yaml.safe_load(path.read_text(encoding="utf-8")).get("evidence", [])]
    for step in steps:
        if step.kind == "write" and step.path.startswith("rules/") and "evidence:" in step.text:
            quotes += [e["quote"] for e in yaml.safe_load(step.text)["evidence"]]
    return "A stand-in for the report's text.\n" + "\n".join(quotes) + "\n"


def test_the_tutorial_runs_as_written(tmp_path):
    steps = parse(TUTORIAL.read_text(encoding="utf-8"))
    assert [s for s in steps if s.kind == "run" and s.command.startswith("ca-advisor")], "no commands"
    here, stand_in = tmp_path, stand_in_report(steps)
    for step in steps:
        here = run_step(step, here, stand_in)


def test_the_tutorial_touches_no_python():
    text = TUTORIAL.read_text(encoding="utf-8")
    assert "```python" not in text
    assert {Path(s.path).suffix for s in parse(text) if s.kind in {"write", "replace"}} == {".yaml"}


def test_the_readme_links_the_tutorial():
    readme = (TUTORIAL.parent.parent / "README.md").read_text(encoding="utf-8")
    section = readme.split("<!-- section: writing rules", 1)[1].split("<!-- section:", 1)[0]
    assert "(docs/writing-rules.md)" in section


@pytest.mark.parametrize("markdown,kinds", [
    ("<!-- write: a.yaml -->\n```yaml\nx: 1\n```\n", ["write"]),
    ("```console\n$ ca-advisor rules list   # exit status 2\nout\n```\n", ["run"]),
    ("<!-- replace: a.yaml :: x: 1 => x: 2 -->\n", ["replace"]),
])
def test_the_step_parser(markdown, kinds):
    assert [s.kind for s in parse(markdown)] == kinds
