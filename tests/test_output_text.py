"""What a person reads: the long text form, the compact form, selection on the command
line, colour, and which proposals a directory search picks."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from ca_advisor.cli import main
from ca_advisor.engines import default_engine

REPO = Path(__file__).resolve().parent.parent
RAVEN = "proposals/us-uz-2013-raven-uav.yaml"
ARMOUR = "proposals/de-tj-2013-drawdown-armour.yaml"
ENGINE = f"engine: {default_engine()}"
RULES_RUN = "40 rules ran; no config file (built-in defaults)"


@pytest.fixture(autouse=True)
def in_repo(monkeypatch):
    monkeypatch.chdir(REPO)
    monkeypatch.delenv("COLUMNS", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)


def run(*args, env=None):
    # color=True: let the escapes through, so that the tests see what --color decided
    return CliRunner().invoke(main, ["check", *args], env=env, color=True)


def closing(lines: list[str]) -> list[str]:
    """The lines after the findings: from the rules-ran line to the summary."""
    return lines[next(i for i, line in enumerate(lines) if " rules ran" in line or " rule ran" in line):]


def findings_lines(lines: list[str]) -> list[str]:
    return lines[:len(lines) - len(closing(lines))]


def headlines(stdout: str) -> list[str]:
    """The first line of each finding in the long form: two spaces and a severity."""
    return [line.split(":")[0] for line in stdout.splitlines()
            if line.startswith(("  error ", "  warning ", "  info "))]


def test_findings_come_worst_first_then_in_file_order():
    result = run(ARMOUR, "--format", "text")
    assert headlines(result.stdout) == [
        "  error CA201 shifts-military-balance",           # line 24
        "  warning CA501 no-agreed-targets",                # line 5
        "  warning CA205 threat-case-unverified",           # line 14
        "  warning CA202 military-balance-perception",      # line 16
        "  warning CA301 bypasses-first-in-forces",         # line 20
        "  warning CA203 needs-not-analysed",               # line 25
        "  info CA502 other-actors-not-assessed",           # line 5
        "  info CA302 no-threat-assessment-capacity",       # line 16
    ]


def test_a_rule_is_explained_once_per_run_and_later_findings_refer_to_it():
    out = run(RAVEN, ARMOUR, "--format", "text").stdout
    assert out.count("    why: The one equipment transfer the report examines") == 1
    assert out.count("    why, evidence, do: as for CA203 above (--verbose repeats them)\n") == 1
    assert out.count("    why, evidence, do: as for") == 3  # CA205, CA203 and CA302 fire in both
    # the reference sits right under the second CA203 finding's location
    lines = out.splitlines()
    second = [i for i, line in enumerate(lines) if line.startswith("  warning CA203 ")][1]
    at = lines.index("    at proposals/de-tj-2013-drawdown-armour.yaml:25 (components[0].needs_assessment)", second)
    assert lines[at + 1] == "    why, evidence, do: as for CA203 above (--verbose repeats them)"


def test_verbose_repeats_every_rule_s_reasoning():
    out = run(RAVEN, ARMOUR, "--format", "text", "--verbose").stdout
    assert out.count("    why: The one equipment transfer the report examines") == 2
    assert "as for CA203 above" not in out


def test_headlines_wrap_to_the_terminal_width():
    out = run(RAVEN, "--select", "CA203", env={"COLUMNS": "60"}).stdout
    assert out.splitlines()[2:7] == [
        "  warning CA203 needs-not-analysed: Component 'uav-transfer'",
        "      transfers 20 item(s) (reconnaissance) to uzbekistan",
        "      with needs_assessment 'recipient-request': the need",
        "      has not been analysed jointly or independently.",
        "    at proposals/us-uz-2013-raven-uav.yaml:34",
    ]
    assert max(len(line) for line in out.splitlines()[2:-2]) <= 60  # findings; not file, proposal, summary


def test_several_files_default_to_one_line_per_finding():
    result = run(RAVEN, "proposals/us-uz-2013-termez-base.yaml")
    assert result.stdout.splitlines() == [
        "proposals/us-uz-2013-raven-uav.yaml:18:3: warning CA205 threat-case-unverified: The package transfers "
        "equipment on a threat case of afghanistan-spillover, narcotics whose assessment is 'recipient', not one "
        "the sponsors have verified jointly or independently. (justification.threat_assessment)",
        "proposals/us-uz-2013-raven-uav.yaml:34:5: warning CA203 needs-not-analysed: Component 'uav-transfer' "
        "transfers 20 item(s) (reconnaissance) to uzbekistan with needs_assessment 'recipient-request': the need "
        "has not been analysed jointly or independently. (components[0].needs_assessment)",
        "proposals/us-uz-2013-raven-uav.yaml:24:1: info CA302 no-threat-assessment-capacity: None of the package's "
        "1 component(s) has purpose threat-assessment or intelligence (purposes given: border-security, "
        "counter-narcotics; threats cited: afghanistan-spillover, narcotics). (components)",
        "proposals/us-uz-2013-termez-base.yaml:21:16: error CA401 foreign-base-prohibited: Component 'termez-base' "
        "would base forces of united-states in uzbekistan (area: termez), where foreign military bases are banned "
        "on the check date. (components[0].location.country)",
        "proposals/us-uz-2013-termez-base.yaml:25:16: info CA402 facility-access-not-basing: Component "
        "'airfield-access' seeks access to facilities in uzbekistan (area: termez), where foreign military bases "
        "are banned on the check date; access is not basing, but its terms must not amount to a base. "
        "(components[1].location.country)",
        RULES_RUN,
        ENGINE,
        "2 proposals checked: 1 error, 2 warning, 2 info, 0 waived, 2 strength; 0 input errors",
    ]
    assert result.exit_code == 1


def test_a_directory_of_proposals_prints_a_line_per_finding_and_the_summary():
    out = run("proposals").stdout.splitlines()
    assert len(out) == 73 + 3  # 5 errors, 35 warnings, 33 info; the rules, engine and summary lines
    assert out[-1] == "18 proposals checked: 5 error, 35 warning, 33 info, 0 waived, 8 strength; 0 input errors"


@pytest.mark.parametrize("args,rules_run,summary", [
    (["--select", "CA203"], 2, "0 error, 1 warning, 0 info"),               # CA203 and the CA602 mechanism
    (["--select", "equipment"], 8, "0 error, 2 warning, 0 info"),   # a tag: CA201-CA205, CA417, CA904, and CA602
    (["--ignore", "CA205", "--ignore", "threat"], 35, "0 error, 1 warning, 0 info"),
    (["--min-severity", "warning"], 25, "0 error, 2 warning, 0 info"),
    (["--min-severity", "error"], 8, "0 error, 0 warning, 0 info"),         # the error rules and the strengths
])
def test_selection_on_the_command_line(args, rules_run, summary):
    out = run(RAVEN, "--format", "compact", *args).stdout.splitlines()
    assert closing(out)[:2] == [f"{rules_run} rules ran; no config file (built-in defaults)", ENGINE]
    assert out[-1].startswith(f"1 proposal checked: {summary}")


def test_command_line_select_replaces_the_config_s_and_ignore_adds(tmp_path, monkeypatch):
    (tmp_path / "ca-advisor.yaml").write_text("select: [CA302]\nignore: [CA203]\n")
    (tmp_path / "p.yaml").write_text((REPO / RAVEN).read_text())
    monkeypatch.chdir(tmp_path)
    assert closing(run("p.yaml", "--format", "compact").stdout.splitlines())[:2] == [
        "2 rules ran", "config: ca-advisor.yaml"]
    out = run("p.yaml", "--format", "compact", "--select", "equipment", "--ignore", "CA204").stdout.splitlines()
    assert [line.split(": ")[1] for line in findings_lines(out)] == ["warning CA205 threat-case-unverified"]
    assert closing(out)[0] == "6 rules ran"  # CA201, CA202, CA205, CA417, CA904, CA602


@pytest.mark.parametrize("option,name,message", [
    ("--select", "CA2O3", "error: command line: --select: 'CA2O3' names no loaded rule or tag (did you mean "
                          "'CA203'?)\n"),
    ("--ignore", "equipmnt", "error: command line: --ignore: 'equipmnt' names no loaded rule or tag (did you "
                             "mean 'equipment'?)\n"),
])
def test_an_unknown_rule_or_tag_on_the_command_line_is_refused(option, name, message):
    result = run(RAVEN, option, name)
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", message)


def test_min_severity_is_a_config_key_too(tmp_path, monkeypatch):
    (tmp_path / "ca-advisor.yaml").write_text("min_severity: error\n")
    (tmp_path / "p.yaml").write_text((REPO / RAVEN).read_text())
    monkeypatch.chdir(tmp_path)
    assert closing(run("p.yaml", "--format", "compact").stdout.splitlines())[0] == "8 rules ran"


@pytest.mark.parametrize("args,env,coloured", [
    ([], {}, False),                                  # not a terminal
    (["--color", "always"], {}, True),
    (["--color", "always"], {"NO_COLOR": "1"}, True),  # the option wins
    ([], {"FORCE_COLOR": "1"}, True),
    ([], {"FORCE_COLOR": "1", "NO_COLOR": "1"}, False),
    (["--color", "never"], {"FORCE_COLOR": "1"}, False),
])
def test_colour(args, env, coloured):
    out = run(RAVEN, *args, env=env).stdout
    assert ("\x1b[33mwarning CA205 threat-case-unverified:\x1b[0m" in out) is coloured
    assert ("\x1b[" in out) is coloured


def project(root: Path) -> None:
    """A project directory: two proposals beside the files that are not proposals."""
    (root / "plans" / "drafts").mkdir(parents=True)
    (root / "plans" / "raven.yaml").write_text((REPO / RAVEN).read_text())
    (root / "plans" / "drafts" / "armour.yaml").write_text((REPO / ARMOUR).read_text())
    (root / "ca-advisor.yaml").write_text("fail_on: error\n")
    (root / "waivers.yaml").write_text("waivers: []\n")
    (root / ".pre-commit-config.yaml").write_text("repos: []\n")
    (root / "plans" / "notes.yml").write_text("formats: [a4]\n# format: not at the start of a line\n")


def test_a_directory_search_skips_yaml_files_that_are_not_proposals(tmp_path, monkeypatch):
    project(tmp_path)
    monkeypatch.chdir(tmp_path)
    result = run(".", "--format", "compact")
    out = result.stdout.splitlines()
    assert {line.split(":")[0] for line in findings_lines(out)} == {"plans/raven.yaml", "plans/drafts/armour.yaml"}
    assert closing(out)[:3] == ["40 rules ran; 4 YAML files without a format: marker skipped",
                                "config: ca-advisor.yaml", ENGINE]
    assert out[-1].endswith("; 0 input errors")
    assert result.exit_code == 1  # fail_on: error, and the armour proposal has one


def test_skipped_files_are_listed_in_json(tmp_path, monkeypatch):
    import json
    project(tmp_path)
    monkeypatch.chdir(tmp_path)
    run_info = json.loads(run(".", "--format", "json").stdout)["run"]
    assert run_info["skipped"] == [".pre-commit-config.yaml", "ca-advisor.yaml", "plans/notes.yml", "waivers.yaml"]
    assert run_info["files"] == 2


def test_a_file_named_on_the_command_line_is_checked_even_without_a_marker(tmp_path, monkeypatch):
    project(tmp_path)
    monkeypatch.chdir(tmp_path)
    result = run("waivers.yaml", "--format", "compact")
    assert ("input error: waivers.yaml:1:1: format: missing required field 'format'; one of: "
            "ca-advisor/proposal/v1") in result.stdout.splitlines()
    assert result.exit_code == 2


def test_exclude_leaves_out_matching_files(tmp_path, monkeypatch):
    project(tmp_path)
    monkeypatch.chdir(tmp_path)
    for pattern in ("drafts/*", "plans/drafts/*", "armour.yaml", "*/drafts/*"):
        out = run(".", "--format", "compact", "--exclude", pattern).stdout.splitlines()
        assert {line.split(":")[0] for line in findings_lines(out)} == {"plans/raven.yaml"}, pattern
        assert out[-1].startswith("1 proposal checked")
