"""``ca-advisor profiles show COUNTRY``: the facts in force on a date, with since/until,
source and the file that states them."""

from __future__ import annotations

import datetime
from contextlib import chdir as cwd
from pathlib import Path

import pytest
from click.testing import CliRunner

from ca_advisor.cli import main
from ca_advisor.facts.profiles import load_profiles
from ca_advisor.reading.builtin import builtin_profiles_dir

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
      source: {id: ndn-record, reference: "Northern Distribution Network", note: "supplies crossed Central Asia"}
    - value: "no"
      attested: 2021-08-31
      source: {id: ndn-record, reference: "Kabul fell"}
  foreign_military_bases:
    - value: permitted
      since: 2001-10-07
      source: {section: "1", endnote: 2}
"""
SOURCES = """\
sources:
  ndn-record:
    kind: public-record
    citation: Public record
    title: The Northern Distribution Network and after
    date: 2021-09-01
"""


@pytest.fixture
def project(tmp_path):
    (tmp_path / "profiles").mkdir()
    (tmp_path / "profiles" / "fact-keys.yaml").write_text(KEYS)
    (tmp_path / "profiles" / "afghanistan.yaml").write_text(AFGHANISTAN)
    (tmp_path / "profiles" / "sources.yaml").write_text(SOURCES)
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
        "      since 2001-10-07; DIIS Report 2013:12, §1, n.2 [profiles/afghanistan.yaml:13]",
        "  transit_hub = yes",
        "      since 2009-02-01 until 2014-12-31; Public record, Northern Distribution Network;",
        "      supplies crossed Central Asia [profiles/afghanistan.yaml:5]",
        unstated({"transit_hub", "foreign_military_bases"}, project / "profiles"),
    ]
    assert result.exit_code == 0


def test_a_fact_with_no_entry_in_force_says_why(project):
    lines = show(project, "afghanistan", "--as-of", "2016-01-01").stdout.splitlines()
    assert lines[3:5] == ["no entry in force on 2016-01-01:", "  transit_hub: the last entry ended 2014-12-31; the next entry is attested by 2021-08-31"]
    lines = show(project, "afghanistan", "--as-of", "2005-01-01").stdout.splitlines()
    assert lines[3:5] == ["no entry in force on 2005-01-01:", "  transit_hub: the first entry starts 2009-02-01"]


def test_history_lists_every_entry_and_marks_the_one_in_force(project):
    lines = show(project, "afghanistan", "--as-of", "2022-01-01", "--history").stdout.splitlines()
    assert lines[4:10] == [
        "  transit_hub = no",
        "      - yes: since 2009-02-01 until 2014-12-31; Public record, Northern Distribution",
        "        Network; supplies crossed Central Asia [profiles/afghanistan.yaml:5]",
        "      * no: attested by 2021-08-31; Public record, Kabul fell",
        "        [profiles/afghanistan.yaml:9]",
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
    assert lines[at + 1] == ("      since 2016-12-14; Public record: Uzbekistan's presidential succession, 2016,")
    assert show(project, "uzbekistan", "--as-of", "2016-10-01").stdout.splitlines()[at + 1:at + 3] == [
        "      since 2016-09-08; DIIS Report 2013:12, an earlier date", "      [profiles/uzbekistan.yaml:5]"]


def test_an_unknown_country(project):
    result = show(project, "afganistan")
    assert result.stdout == ""
    assert result.stderr == ("error: no profile for 'afganistan' (did you mean 'afghanistan'?); profiles: afghanistan, "
                             "kazakhstan, kyrgyzstan, tajikistan, turkmenistan, uzbekistan\n")
    assert result.exit_code == 2


def test_a_broken_profile_is_reported_not_shown(project):
    (project / "profiles" / "afghanistan.yaml").write_text(AFGHANISTAN.replace("      since: 2009-02-01\n", ""))
    result = show(project, "afghanistan")
    assert result.stderr == ("error: profiles/afghanistan.yaml:5:7: facts.transit_hub[0]: an entry needs 'since' "
                             "(YYYY-MM-DD, when the stance began) or 'attested' (the date by which the source "
                             "shows it held)\n")
    assert result.exit_code == 2
