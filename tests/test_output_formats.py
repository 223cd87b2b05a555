"""What every output format must share: the same findings, waivers, waiver notices
and input errors, and an exit status that never depends on the format."""

from __future__ import annotations

import html
from pathlib import Path

import pytest
from click.testing import CliRunner

from ca_advisor.api import check_paths, get_checker, render
from ca_advisor.cli import main
from ca_advisor.engines import default_engine
from ca_advisor.model.findings import Report
from ca_advisor.output import FORMATS
from ca_advisor.reading.builtin import builtin_profiles_dir

DATA = Path(__file__).resolve().parent / "data" / "waivers"
FORMAT_NAMES = ["text", "compact", "json", "sarif", "junit", "github", "markdown", "html"]



def run(*args):
    return CliRunner().invoke(main, ["check", *args])


def test_the_formats_are_registered():
    assert list(FORMATS) == FORMAT_NAMES


@pytest.mark.parametrize("fmt", FORMAT_NAMES)
@pytest.mark.parametrize("files,extra,status", [
    (["proposals/clean.yaml"], [], 0),
    (["proposals/armour.yaml"], [], 1),                                  # TS101 error, TS102 warning
    (["proposals/armour.yaml"], ["--fail-on", "never"], 0),
    (["proposals/armour.yaml"], ["--waivers", "waivers.yaml", "--fail-on", "warning"], 1),  # TS101's expired
    (["proposals/armour.yaml", "broken/broken.yaml"], ["--fail-on", "never"], 2),
    (["proposals/clean.yaml"], ["--waivers", "missing.yaml"], 2),
])
def test_the_exit_status_is_the_same_in_every_format(in_data, fmt, files, extra, status):
    result = run(*files, *extra, "--format", fmt)
    assert (result.exit_code, result.stderr) == (status, "")


@pytest.mark.parametrize("fmt", FORMAT_NAMES)
def test_waived_findings_do_not_fail_the_run_in_any_format(in_data, tmp_path, fmt):
    waivers = tmp_path / "all.yaml"
    waivers.write_text("waivers:\n" + "".join(
        f"  - {{proposal: test-armour, rule: {rule}, reason: accepted, approved_by: board}}\n"
        for rule in ("TS101", "TS102", "TS602")))
    result = run("proposals/armour.yaml", "--waivers", str(waivers), "--fail-on", "info", "--format", fmt)
    assert (result.exit_code, result.stderr) == (0, "")
    assert "accepted" in result.stdout and "board" in result.stdout


@pytest.mark.parametrize("fmt", FORMAT_NAMES)
def test_every_format_carries_findings_waivers_notices_and_errors(in_data, fmt):
    result = run("proposals/armour.yaml", "broken/broken.yaml", "--waivers", "waivers.yaml", "--format", fmt)
    assert result.exit_code == 2
    out = html.unescape(result.stdout) if fmt == "html" else result.stdout  # the page escapes quotes
    for needle in ("TS101", "TS102", "TS602",                                   # findings
                   "Duration is set by the annual budget", "Policy board",      # the waiver on TS102
                   "expired on 2020-01-01", "matched no finding",               # the notices
                   "broken/broken.yaml", "components[0].equipment[0].quantity", "'many'"):  # the input error
        assert needle in out, (fmt, needle)


@pytest.mark.parametrize("fmt", FORMAT_NAMES)
def test_output_file_holds_what_stdout_would(in_data, tmp_path, fmt):
    target = tmp_path / f"report.{fmt}"
    to_file = run("proposals/armour.yaml", "--waivers", "waivers.yaml", "--format", fmt, "--output", str(target))
    to_stdout = run("proposals/armour.yaml", "--waivers", "waivers.yaml", "--format", fmt)
    assert (to_file.exit_code, to_file.stdout) == (to_stdout.exit_code, "")
    assert target.read_text(encoding="utf-8") == to_stdout.stdout


@pytest.mark.parametrize("fmt", FORMAT_NAMES)
def test_an_empty_report_renders_in_every_format(fmt):
    assert render(Report(), fmt).endswith("\n")


def test_the_api_renders_what_the_cli_prints(in_data):
    checker = get_checker([DATA / "rules"], [builtin_profiles_dir()], builtin=False)
    # The CLI finds ca-advisor.yaml here; the API is given it.
    report = check_paths(["proposals/armour.yaml"], checker=checker, waivers="waivers.yaml", config="ca-advisor.yaml")
    cli = run("proposals/armour.yaml", "--waivers", "waivers.yaml", "--format", "markdown")
    assert render(report, "markdown") == cli.stdout


def test_text_lists_waiver_notices_above_the_summary(in_data):
    result = run("proposals/armour.yaml", "proposals/clean.yaml", "--waivers", "waivers.yaml", "--format", "text")
    assert result.stdout.endswith(
        "  proposal test-clean, checked as of 2013-06-01 (proposal date)\n"
        "  no findings\n"
        "\n"
        "waiver expired: waivers.yaml:7:5: waiver for rule TS101 in proposal 'test-armour' expired on 2020-01-01 "
        "and no longer applies; its findings count again\n"
        "waiver unmatched: waivers.yaml:12:5: waiver for rule TS103 in proposal 'test-armour' matched no finding; "
        "remove it if the finding is gone\n"
        "\n"
        "4 rules ran\n"
        "config: ca-advisor.yaml\n"
        f"engine: {default_engine()}\n"
        "2 proposals checked: 1 error, 0 warning, 1 info, 1 waived, 0 strength; 0 input errors\n")


def test_json_carries_waivers_and_notices(in_data):
    import json

    result = run("proposals/armour.yaml", "--waivers", "waivers.yaml", "--format", "json")
    doc = json.loads(result.stdout)
    ts102 = next(f for f in doc["results"][0]["findings"] if f["rule_id"] == "TS102")
    assert ts102["waived"] == {"reason": "Duration is set by the annual budget, see memo 4: para 2, 3",
                               "approved_by": "Policy board", "expires": "2999-12-31"}
    assert [(n["kind"], n["file"], n["line"], n["rule"]) for n in doc["waiver_notices"]] == [
        ("expired", "waivers.yaml", 7, "TS101"), ("unmatched", "waivers.yaml", 12, "TS103")]
