"""Output injection: text from a proposal, a waiver, a config or a file name never
carries a control sequence (CSI, OSC 8 links, OSC 0 titles, a lone CR, bidi
overrides) or a CI workflow command (GitHub's ``::``, Azure's ``##vso[``) into any
output, in any format, on standard output or standard error; it stays visible,
escaped.  The inputs (tests/data/hostile/output_injection/) put every attack in a
waiver's reason and approver (free text every format prints) and in a field name
(quoted by the input error every format prints)."""

from __future__ import annotations

import re
import shutil

import pytest

from ca_advisor.cli.review_cmd import DIFF_FORMATS
from ca_advisor.output import FORMATS
from ca_advisor.output.inert import inert

from ._run import DATA, run_cli

CASES = DATA / "output_injection"
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029]")
OUR_COMMAND = re.compile(r"::(error|warning|notice)( [^:]*)?::")


def assert_inert(text: str, fmt: str = "text") -> None:
    assert not CONTROL.search(text), repr(CONTROL.search(text).group())
    for line in text.splitlines():
        stripped = line.lstrip()
        if stripped.startswith("::"):
            assert fmt == "github" and OUR_COMMAND.match(stripped), line
            assert "::" not in stripped[OUR_COMMAND.match(stripped).end():], line
    assert "##vso[" not in text and "##[" not in text
    assert "::add-mask::" not in text and "::warning::spoof" not in text


@pytest.fixture
def root(tmp_path):
    for name in ("proposal.yaml", "bad-key.yaml", "waivers.yaml"):
        shutil.copy(CASES / name, tmp_path / name)
    # A file name is user text too.
    shutil.copy(CASES / "proposal.yaml", tmp_path / "named\x1b]0;title\x07::error::x.yaml")
    return tmp_path


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_every_format_of_check_is_inert(root, fmt):
    names = sorted(p.name for p in root.iterdir() if p.name != "waivers.yaml")
    run = run_cli(["check", *names, "--waivers", "waivers.yaml", "--format", fmt], root)
    assert run.exit_code == 2  # the bad key
    assert_inert(run.stdout, fmt)
    assert_inert(run.stderr)


def test_the_attacks_stay_visible_in_text(root):
    run = run_cli(["check", "proposal.yaml", "bad-key.yaml", "--waivers", "waivers.yaml"], root)
    assert "waived: ok\\x1b[31m red\\x1b]8;;http:/" in run.stdout
    assert "\\r# heading\n::\\add-mask::\\secret" not in run.stdout  # never un-escaped
    assert ":\\:add-mask:\\:secret" in run.stdout and "#\\#vso[task.setvariable]x" in run.stdout
    attack = "\"x\\u001b[2J\\u001b]0;pwned\\u0007\\r:\\:add-mask:\\:y\\u202e\\n:\\:error:\\:boom\""
    assert f"input error: bad-key.yaml:7:1: [{attack}]: unknown field {attack}; allowed fields here: format," \
           in run.stdout


def test_markdown_keeps_a_carriage_return_inside_the_cell(root):
    run = run_cli(["check", "proposal.yaml", "--waivers", "waivers.yaml", "--format", "markdown"], root)
    assert_inert(run.stdout, "markdown")
    assert not [line for line in run.stdout.splitlines() if line.startswith("# ") or "<script>" in line]
    assert "\\<script\\>" in run.stdout


@pytest.mark.parametrize("fmt", sorted(DIFF_FORMATS))
def test_every_format_of_diff_is_inert(root, fmt):
    run = run_cli(["diff", "proposal.yaml", "named\x1b]0;title\x07::error::x.yaml", "--waivers", "waivers.yaml",
                   "--format", fmt], root)
    assert run.exit_code == 0
    assert_inert(run.stdout, fmt)


def test_errors_on_standard_error_are_inert(root):
    (root / "ca-advisor.yaml").write_text('disable: ["CA2\\e[31m03::error::x"]\n')
    run = run_cli(["check", "proposal.yaml", "--config", "ca-advisor.yaml"], root)
    assert run.exit_code == 2
    assert run.stderr == "error: ca-advisor.yaml:1:10: disable: 'CA2\\x1b[31m03:\\:error:\\:x' names no loaded rule\n"


def test_explain_prints_inert_text(root):
    run = run_cli(["explain", "named\x1b]0;title\x07::error::x.yaml", "--rule", "CA203"], root)
    assert run.exit_code == 0
    assert_inert(run.stdout)


def test_inert_is_idempotent_and_keeps_layout():
    text = "a\x1b[1mb\r\n::set-output name=x::y\t##[group]\u202e\x85"
    once = inert(text)
    assert once == "a\\x1b[1mb\\r\n:\\:set-output name=x:\\:y\t#\\#[group]\\u202e\\x85"
    assert inert(once) == once


def test_usage_errors_quote_what_was_typed_inertly(root):
    run = run_cli(["check", "--config", "x\x1b[31m::error::y", "proposal.yaml"], root)
    assert run.exit_code == 2
    assert run.stderr.splitlines()[-1] == "Error: Invalid value for '--config': File 'x\\x1b[31m:\\:error:\\:y' " \
                                          "does not exist."
    run = run_cli(["x\x1b]0;t\x07::warning::z"], root)
    assert run.stderr.splitlines()[-1] == "Error: No such command 'x\\x1b]0;t\\x07:\\:warning:\\:z'."


def test_a_report_with_nothing_to_escape_is_not_copied():
    from ca_advisor.model.errors import InputError
    from ca_advisor.model.findings import Report
    from ca_advisor.output.inert import inert_model
    clean = Report(errors=[InputError(file="a.yaml", line=1, message="plain words: fine")])
    assert inert_model(clean) is clean
    dirty = Report(errors=[InputError(file="a.yaml", line=1, message="x\x1b[2J::error::y")])
    made = inert_model(dirty)
    assert made.errors[0].message == "x\\x1b[2J:\\:error:\\:y" and made.errors[0].file == "a.yaml"
    assert dirty.errors[0].message == "x\x1b[2J::error::y"  # the original is left alone
