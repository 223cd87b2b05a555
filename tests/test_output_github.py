"""``--format github``: workflow commands, exactly, with GitHub's escaping."""

from __future__ import annotations

from click.testing import CliRunner

from ca_advisor.api import check_paths
from ca_advisor.cli import main
from ca_advisor.output.github import command, escape_data, escape_property


def test_the_whole_output_with_a_waiver_notices_and_an_input_error(in_data):
    result = CliRunner().invoke(main, ["check", "proposals/armour.yaml", "proposals/clean.yaml", "broken/broken.yaml",
                                       "--waivers", "waivers.yaml", "--format", "github"])
    [error] = check_paths(["broken/broken.yaml"]).errors
    assert (result.exit_code, result.stderr) == (2, "")
    assert result.stdout == (
        "::error file=broken/broken.yaml,line=11,col=49,title=ca-advisor input error::"
        f"components[0].equipment[0].quantity: {escape_data(error.message)}\n"
        "::error file=proposals/armour.yaml,line=12,col=33,title=TS101 offensive-item::"
        "Component 'mrap-transfer' transfers 12 × M-ATV, turret (armour).%0A"
        "at components[0].equipment[0].capability%0Ado: Remove the offensive items.\n"
        "::notice file=proposals/armour.yaml,line=6,col=1,title=waived warning TS102 no-duration::"
        "Proposal 'test-armour' gives no duration, so | pipes, *stars* and <tags> stay literal.%0A"
        "at channel, duration_years%0Ado: State duration_years.%0A"
        "waived: Duration is set by the annual budget, see memo 4: para 2, 3 "
        "(approved by Policy board, until 2999-12-31)\n"
        "::notice file=proposals/armour.yaml,line=14,col=5,title=TS602 not-evaluated::"
        "TS103 (ct-forces) could not be evaluated for components[1]: add components[1].forces.%0A"
        "at components[1].forces%0Ado: Add the field.\n"
        "::warning file=waivers.yaml,line=7,col=5,title=ca-advisor waiver expired::"
        "waiver for rule TS101 in proposal 'test-armour' expired on 2020-01-01 and no longer applies; "
        "its findings count again\n"
        "::warning file=waivers.yaml,line=12,col=5,title=ca-advisor waiver unmatched::"
        "waiver for rule TS103 in proposal 'test-armour' matched no finding; remove it if the finding is gone\n"
        "::notice title=ca-advisor config::checked with the config ca-advisor.yaml\n"
        "2 proposals checked: 1 error, 0 warning, 1 info, 1 waived, 0 strength; 1 input error\n")


def test_data_escapes_percent_cr_and_lf_only():
    assert escape_data("100% sure,\r\nreally: yes") == "100%25 sure,%0D%0Areally: yes"


def test_properties_also_escape_colon_and_comma():
    assert escape_property("C:\\a,b%\n") == "C%3A\\a%2Cb%25%0A"


def test_a_hostile_file_name_cannot_end_the_command_or_add_a_property():
    line = command("error", "msg::x", file="a,line=1::b.yaml", line=3, col=None, title="T: 50%")
    assert line == "::error file=a%2Cline=1%3A%3Ab.yaml,line=3,title=T%3A 50%25::msg::x"


def test_a_file_level_error_has_no_line():
    result = CliRunner().invoke(main, ["check", "missing.yaml", "--format", "github"])
    assert (result.exit_code, result.stdout) == (
        2, "::error file=missing.yaml,title=ca-advisor input error::no such file\n"
           "0 proposals checked: 0 error, 0 warning, 0 info, 0 waived, 0 strength; 1 input error\n")
