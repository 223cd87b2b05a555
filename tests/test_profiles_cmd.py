"""``ca-advisor profiles show COUNTRY``: the facts in force on a date, with since/until,
source and the file that states them."""

from __future__ import annotations

import datetime
from contextlib import chdir as cwd
from pathlib import Path

import pytest
from click.testing import CliRunner

from ca_advisor.builtin import builtin_profiles_dir
from ca_advisor.cli import main
from ca_advisor.profiles import load_profiles

KEYS = """\
facts:
  transit_hub:
    description: Whether the country serves as a transit hub for coalition supplies.
    values: ["yes", "no"]
"""
AFGHANISTAN = """\
country: afghanistan
name: Afghanistan
facts:
  transit_hub:
    - value: "yes"
      since: 2009-02-01
      until: 2014-12-31
      source: {reference: "Northern Distribution Network", note: "supplies crossed Central Asia"}
    - value: "no"
      since: 2021-08-31
      source: {reference: public record}
  foreign_military_bases:
    - value: permitted
      since: 2001-10-07
      source: {section: "1", endnote: 2}
"""


@pytest.fixture
def project(tmp_path):
    (tmp_path / "profiles").mkdir()
    (tmp_path / "profiles" / "fact-keys.yaml").write_text(KEYS)
    (tmp_path / "profiles" / "afghanistan.yaml").write_text(AFGHANISTAN)
    (tmp_path / "ca-advisor.yaml").write_text("profiles: [profiles]\n")
    return tmp_path


def show(directory: Path, *args: str):
    with cwd(directory):
        return CliRunner().invoke(main, ["profiles", "show", *args], catch_exceptions=False)


def unstated(stated: set[str], extra: Path) -> str:
    keys = load_profiles([builtin_profiles_dir(), extra]).keys
    return ("not stated for afghanistan (rules reading them find no fact): "
            + ", ".join(sorted(set(keys) - stated)))


def test_the_facts_in_force_with_their_dates_sources_and_files(project):
    result = show(project, "afghanistan", "--as-of", "2013-09-01")
    assert result.stdout.splitlines() == [
        "afghanistan (Afghanistan): facts in force on 2013-09-01 (--as-of)",
        "  foreign_military_bases = permitted",
        "      since 2001-10-07; §1, n.2 [profiles/afghanistan.yaml:13]",
        "  transit_hub = yes",
        "      since 2009-02-01 until 2014-12-31; Northern Distribution Network; supplies crossed",
        "      Central Asia [profiles/afghanistan.yaml:5]",
        unstated({"transit_hub", "foreign_military_bases"}, project / "profiles"),
    ]
    assert result.exit_code == 0


def test_a_fact_with_no_entry_in_force_says_why(project):
    lines = show(project, "afghanistan", "--as-of", "2016-01-01").stdout.splitlines()
    assert lines[3:5] == ["no entry in force on 2016-01-01:", "  transit_hub: the last entry ended 2014-12-31; the next entry starts 2021-08-31"]
    lines = show(project, "afghanistan", "--as-of", "2005-01-01").stdout.splitlines()
    assert lines[3:5] == ["no entry in force on 2005-01-01:", "  transit_hub: the first entry starts 2009-02-01"]


def test_history_lists_every_entry_and_marks_the_one_in_force(project):
    lines = show(project, "afghanistan", "--as-of", "2022-01-01", "--history").stdout.splitlines()
    assert lines[3:8] == [
        "  transit_hub = no",
        "      - yes: since 2009-02-01 until 2014-12-31; Northern Distribution Network; supplies",
        "        crossed Central Asia [profiles/afghanistan.yaml:5]",
        "      * no: since 2021-08-31; public record [profiles/afghanistan.yaml:9]",
        unstated({"transit_hub", "foreign_military_bases"}, project / "profiles"),
    ]


def test_the_date_defaults_to_today(project):
    first = show(project, "afghanistan").stdout.splitlines()[0]
    assert first == f"afghanistan (Afghanistan): facts in force on {datetime.date.today()} (today)"


def test_a_project_entry_shows_its_own_file_beside_the_built_in_ones(project):
    (project / "profiles" / "uzbekistan.yaml").write_text(
        "country: uzbekistan\nname: Uzbekistan\nfacts:\n  succession_pending:\n"
        "    - {value: \"no\", since: 2016-09-08, source: {reference: an earlier date}}\n")
    lines = show(project, "uzbekistan", "--as-of", "2017-01-01").stdout.splitlines()
    at = lines.index("  succession_pending = no")
    assert lines[at + 1] == "      since 2016-12-14; public record: President Karimov died on 2 September 2016;"
    assert show(project, "uzbekistan", "--as-of", "2016-10-01").stdout.splitlines()[at + 1] == (
        "      since 2016-09-08; an earlier date [profiles/uzbekistan.yaml:5]")


def test_an_unknown_country(project):
    result = show(project, "afganistan")
    assert result.stdout == ""
    assert result.stderr == ("error: no profile for 'afganistan' (did you mean 'afghanistan'?); profiles: afghanistan, "
                             "kazakhstan, kyrgyzstan, tajikistan, turkmenistan, uzbekistan\n")
    assert result.exit_code == 2


def test_a_broken_profile_is_reported_not_shown(project):
    (project / "profiles" / "afghanistan.yaml").write_text(AFGHANISTAN.replace("      since: 2009-02-01\n", ""))
    result = show(project, "afghanistan")
    assert result.stderr == ("error: profiles/afghanistan.yaml:5:7: facts.transit_hub[0].since: missing required "
                             "field 'since': an entry needs the date (YYYY-MM-DD) from which it holds\n")
    assert result.exit_code == 2
