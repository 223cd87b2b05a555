"""Sources declared once and cited by id; attested-only facts; evidence that ages.

A finding knows how old the evidence under it is at the check date and is marked stale
in every format past ``stale_after_years``; a rule may cite a source other than the
report, whose quotes `rules check` verifies against that source's text.
"""

from __future__ import annotations

import datetime
import json
from contextlib import chdir as cwd
from pathlib import Path

import pytest
from click.testing import CliRunner

from ca_advisor.api import check_paths, get_checker
from ca_advisor.cli import main
from ca_advisor.facts.staleness import assess, oldest_evidence
from ca_advisor.reading.builtin import examples_dir
from ca_advisor.rulebook.config import Config

TERMEZ = str(examples_dir() / "us-uz-2013-termez-base.yaml")
STALE_2022 = ("rests on evidence from 2013 (uzbekistan foreign_military_bases: DIIS Report 2013:12, §4, n.189), "
              "9 years before the check date 2022-03-01: confirm it still holds")


def run(args: list[str], where: Path | None = None):
    if where is None:
        return CliRunner().invoke(main, args, catch_exceptions=False)
    with cwd(where):
        return CliRunner().invoke(main, args, catch_exceptions=False)


# --- stale evidence -------------------------------------------------------------------

def test_a_2022_check_on_2013_evidence_is_stale_in_the_report_model():
    [result] = check_paths([TERMEZ], as_of=_date("2022-03-01")).results
    ca401 = next(f for f in result.findings if f.rule_id == "CA401")
    assert ca401.evidence_year == 2013
    assert ca401.stale.model_dump() == {
        "evidence_year": 2013, "age_years": 9,
        "source": "uzbekistan foreign_military_bases: DIIS Report 2013:12, §4, n.189", "message": STALE_2022}


def test_evidence_within_the_limit_is_not_stale():
    [result] = check_paths([TERMEZ], as_of=_date("2018-12-31")).results
    assert [(f.rule_id, f.evidence_year, f.stale) for f in result.findings] == [
        ("CA401", 2013, None), ("CA402", 2013, None)]


@pytest.mark.parametrize("fmt,marker", [
    ("text", "    stale: rests on evidence from 2013 (uzbekistan foreign_military_bases: DIIS Report"),
    ("markdown", f"<br>*stale:* {STALE_2022.replace('_', chr(92) + '_')}"),
    ("github", f"%0Astale: {STALE_2022}"),
    ("junit", f"stale: {STALE_2022}"),
])
def test_every_format_marks_the_stale_finding(fmt, marker):
    result = run(["check", TERMEZ, "--as-of", "2022-03-01", "--format", fmt])
    assert marker in result.stdout
    assert result.exit_code == 1


def test_the_text_summary_counts_stale_findings():
    result = run(["check", TERMEZ, "--as-of", "2022-03-01"])
    assert result.stdout.splitlines()[-1] == ("1 proposal checked: 1 error, 0 warning, 1 info, 0 waived, 0 strength, "
                                              "2 stale; 0 input errors")


def test_json_carries_the_evidence_date_and_the_stale_note():
    doc = json.loads(run(["check", TERMEZ, "--as-of", "2022-03-01", "--format", "json"]).stdout)
    finding = doc["results"][0]["findings"][0]
    assert (finding["evidence_year"], finding["stale"]["message"]) == (2013, STALE_2022)
    assert finding["facts_used"][0]["evidence_year"] == 2013


def test_sarif_carries_the_evidence_date_and_the_stale_note():
    doc = json.loads(run(["check", TERMEZ, "--as-of", "2022-03-01", "--format", "sarif"]).stdout)
    run_ = doc["runs"][0]
    props = run_["results"][0]["properties"]
    assert (props["evidenceYear"], props["stale"]["message"]) == (2013, STALE_2022)
    assert run_["properties"]["counts"]["stale"] == 2


@pytest.mark.parametrize("args,config,stale", [
    (["--stale-after", "10"], None, 0),
    ([], "stale_after_years: 10\n", 0),
    (["--stale-after", "3"], "stale_after_years: 10\n", 2),  # the command line wins
    ([], None, 2),                                            # the default, 5 years
])
def test_the_limit_comes_from_the_command_line_then_the_config(tmp_path, args, config, stale):
    if config:
        (tmp_path / "ca-advisor.yaml").write_text(config)
    result = run(["check", TERMEZ, "--as-of", "2022-03-01", "--format", "json", *args], tmp_path)
    findings = json.loads(result.stdout)["results"][0]["findings"]
    assert sum(f["stale"] is not None for f in findings) == stale


def test_a_bad_limit_in_the_config_is_located(tmp_path):
    (tmp_path / "ca-advisor.yaml").write_text("stale_after_years: soon\n")
    result = run(["check", TERMEZ], tmp_path)
    assert result.stderr == (f"error: {tmp_path}/ca-advisor.yaml:1:20: stale_after_years: expected a whole number, "
                             "found the text 'soon'\n")
    assert result.exit_code == 2


# --- attested facts --------------------------------------------------------------------

ATTESTED_PROFILE = """\
country: uzbekistan
name: Uzbekistan
facts:
  nato_pfp_view:
    - value: exhausted
      attested: 2013-04-01
      source: {section: "5", endnote: 201}
"""


def test_an_attested_only_fact_holds_from_its_attested_date_and_not_before(tmp_path):
    (tmp_path / "profiles").mkdir()
    (tmp_path / "profiles" / "uzbekistan.yaml").write_text(ATTESTED_PROFILE)
    book = get_checker(profile_dirs=[tmp_path / "profiles"]).book.profiles
    assert "nato_pfp_view" not in book.as_of("uzbekistan", _date("2013-03-31"))
    fact = book.as_of("uzbekistan", _date("2013-04-01"))["nato_pfp_view"]
    assert (fact.value, fact.since, fact.attested, fact.evidence_year) == ("exhausted", None, _date("2013-04-01"), 2013)


def test_profiles_show_says_attested_by(tmp_path):
    (tmp_path / "profiles").mkdir()
    (tmp_path / "profiles" / "uzbekistan.yaml").write_text(ATTESTED_PROFILE)
    lines = run(["profiles", "show", "uzbekistan", "--as-of", "2013-05-01", "--profiles", "profiles"],
                tmp_path).stdout.splitlines()
    at = lines.index("  nato_pfp_view = exhausted")
    assert lines[at + 1] == "      attested by 2013-04-01; DIIS Report 2013:12, §5, n.201"


def test_attested_before_since_is_refused(tmp_path):
    (tmp_path / "profiles").mkdir()
    (tmp_path / "profiles" / "uzbekistan.yaml").write_text(
        ATTESTED_PROFILE.replace("      attested: 2013-04-01\n", "      since: 2013-04-01\n      attested: 2012-01-01\n"))
    result = run(["rules", "check", "--profiles", "profiles"], tmp_path)
    assert "profiles/uzbekistan.yaml:7:17: facts.nato_pfp_view[0].attested: attested 2012-01-01 is before since " \
           "2013-04-01; a stance cannot be attested before it began" in result.stdout.splitlines()
    assert result.exit_code == 2


# --- sources beyond the report ---------------------------------------------------------

TREATY_SOURCES = """\
sources:
  csto-charter:
    kind: treaty
    citation: CSTO Charter (2002)
    title: Charter of the Collective Security Treaty Organization
    date: 2002-10-07
    text: charter.txt
"""
TREATY_RULE = """\
id: MY201
name: csto-channel
severity: info
title: A package delivered through the CSTO
for_each: proposal
when:
  - channel: csto
message: The package goes through the CSTO.
reasoning: The CSTO's members act under its charter.
evidence:
  - quote: {quote}
    source: csto-charter
    at: Art. 3
recommendation: Check the charter.
"""
CSTO_PROPOSAL = """\
format: ca-advisor/proposal/v1
id: csto-kz
title: Exercise support through the CSTO
date: 2022-02-01
sponsors: [russia]
channel: csto
recipients: [kazakhstan]
components:
  - {id: ex, kind: exercise, forces: [armed-forces], participants: [russia, belarus]}
"""


@pytest.fixture
def treaty_project(tmp_path):
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "sources.yaml").write_text(TREATY_SOURCES)
    (tmp_path / "rules" / "charter.txt").write_text("The purposes of the Organization are to strengthen peace and "
                                                    "international and regional security and stability.\n")
    (tmp_path / "rules" / "MY201.yaml").write_text(TREATY_RULE.format(
        quote="to strengthen peace and international and regional security"))
    (tmp_path / "ca-advisor.yaml").write_text("rules: [rules]\n")
    (tmp_path / "csto-kz.yaml").write_text(CSTO_PROPOSAL)
    return tmp_path


def test_rules_check_verifies_a_quote_against_its_own_source(treaty_project):
    result = run(["rules", "check"], treaty_project)
    assert result.stdout.splitlines()[-2:] == [
        NO_REPORT_LINE, "quotes citing 'csto-charter' checked against rules/charter.txt"]
    assert result.exit_code == 0


def test_a_misquote_of_another_source_is_located(treaty_project):
    (treaty_project / "rules" / "MY201.yaml").write_text(TREATY_RULE.format(quote="to strengthen peace and love"))
    result = run(["rules", "check"], treaty_project)
    assert result.stdout.splitlines()[0] == (
        "rules/MY201.yaml:11:12: evidence[0].quote: the quote is not verbatim in source 'csto-charter' (charter.txt): "
        "it matches as far as '...to strengthen peace and', where source 'csto-charter' goes on 'international and "
        "regional security and stability.' but the quote has 'love'")
    assert result.exit_code == 2


def test_a_finding_prints_the_other_source_s_citation_and_kind(treaty_project):
    result = run(["check", "csto-kz.yaml"], treaty_project)
    assert ("    evidence (treaty): “to strengthen peace and international and regional security”\n"
            "      (CSTO Charter (2002), Art. 3)") in result.stdout


def test_json_names_the_source_of_each_quote(treaty_project):
    doc = json.loads(run(["check", "csto-kz.yaml", "--format", "json"], treaty_project).stdout)
    my201 = next(f for f in doc["results"][0]["findings"] if f["rule_id"] == "MY201")
    assert my201["evidence"] == [{"quote": "to strengthen peace and international and regional security",
                                  "source": "csto-charter", "section": None, "endnote": None,
                                  "citation": "CSTO Charter (2002), Art. 3", "source_kind": "treaty"}]
    assert my201["evidence_year"] == 2002


def test_evidence_citing_an_undeclared_source_is_located(treaty_project):
    (treaty_project / "rules" / "MY201.yaml").write_text(
        TREATY_RULE.format(quote="to strengthen peace").replace("source: csto-charter", "source: csto-charta"))
    result = run(["check", "csto-kz.yaml"], treaty_project)
    assert result.stderr.startswith(
        f"error: {treaty_project}/rules/MY201.yaml:12:13: evidence[0].source: source 'csto-charta' is not declared; declare it in a "
        "sources.yaml of a rules or profiles directory (declared: cst-1992, csto-charter, csto-charter-2002, diis-2013, ")
    assert result.stderr.endswith("(did you mean 'csto-charter'?)\n")
    assert result.exit_code == 2


def test_a_source_declared_twice_names_both_files(treaty_project):
    (treaty_project / "profiles").mkdir()
    (treaty_project / "profiles" / "sources.yaml").write_text(TREATY_SOURCES.replace("text: charter.txt\n", ""))
    (treaty_project / "ca-advisor.yaml").write_text("rules: [rules]\nprofiles: [profiles]\n")
    result = run(["check", "csto-kz.yaml"], treaty_project)
    assert result.stderr == (
        f"error: {treaty_project}/rules/sources.yaml:2:3: sources.csto-charter: source 'csto-charter' is also "
        f"declared in {treaty_project}/profiles/sources.yaml:2; source ids must be unique (give this one another id)\n")
    assert result.exit_code == 2


def test_a_missing_text_file_is_located_at_the_declaration(treaty_project):
    (treaty_project / "rules" / "charter.txt").unlink()
    result = run(["rules", "check"], treaty_project)
    assert result.stdout.splitlines()[0].startswith(
        "rules/sources.yaml:2: sources.csto-charter.text: the text file 'charter.txt' does not exist beside this file")
    assert result.exit_code == 2


def test_the_report_is_declared_even_without_the_built_in_profiles():
    checker = get_checker(config=Config(), builtin=True)
    assert checker.book.sources.get("diis-2013").citation == "DIIS Report 2013:12"


NO_REPORT_LINE = ("quotes not checked: no report text given (use --report FILE, or `report: FILE` in ca-advisor.yaml; "
                  "the report is not shipped with ca-advisor)")


def _date(text: str):
    import datetime
    return datetime.date.fromisoformat(text)


def test_explain_says_an_attested_fact_is_not_yet_in_force(tmp_path):
    (tmp_path / "profiles").mkdir()
    (tmp_path / "profiles" / "uzbekistan.yaml").write_text(ATTESTED_PROFILE)
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "MY301.yaml").write_text(PFP_RULE)
    (tmp_path / "plan.yaml").write_text(CSTO_PROPOSAL.replace("kazakhstan", "uzbekistan")
                                        .replace("date: 2022-02-01", "date: 2012-02-01"))
    result = run(["explain", "plan.yaml", "--rule", "MY301", "--rules", "rules", "--profiles", "profiles"], tmp_path)
    assert ("  - [not held] profile.nato_pfp_view is exhausted; found: not given: no uzbekistan fact for "
            "nato_pfp_view is in force on 2012-02-01 (the first entry is attested by 2013-04-01)") in result.stdout


PFP_RULE = """\
id: MY301
name: pfp-exhausted
severity: info
title: A package for a state whose experts think PfP has run its course
for_each: recipient
when:
  - profile.nato_pfp_view: exhausted
message: "{country}: PfP seen as exhausted."
reasoning: Experts see PfP as exhausted.
evidence:
  - quote: the NATO PfP has exhausted itself
    section: "5"
recommendation: Offer something other than PfP.
"""


def _used(country: str, key: str, year: int | None, source: str = "src") -> dict:
    return {"country": country, "key": key, "source": source, "evidence_year": year}


@pytest.mark.parametrize("rule_year, facts, oldest", [
    (None, [], None),
    (2013, [], (2013, "the report")),
    (None, [_used("uzbekistan", "bases", None)], None),
    (2013, [_used("uzbekistan", "bases", 2012)], (2012, "uzbekistan bases: src")),
    (2013, [_used("uzbekistan", "bases", 2016)], (2013, "the report")),
    # a tie in year: the dated fact is named before the rule's quotes
    (2013, [_used("uzbekistan", "bases", 2013)], (2013, "uzbekistan bases: src")),
    # tied facts: in the order of their names, whatever the order they were read in
    (2020, [_used("uzbekistan", "csto", 2012), _used("kazakhstan", "bases", 2012), _used("a", "b", 2014)],
     (2012, "kazakhstan bases: src")),
    (None, [_used("tajikistan", "bases", 2015), _used("tajikistan", "afghanistan", 2015, "a")],
     (2015, "tajikistan afghanistan: a")),
])
def test_the_oldest_evidence_a_finding_rests_on(rule_year, facts, oldest):
    assert oldest_evidence(rule_year, "the report", facts) == oldest


def test_a_stale_note_names_the_oldest_part_and_its_age():
    facts = [_used("uzbekistan", "bases", 2012), _used("kazakhstan", "bases", 2016)]
    assert assess(datetime.date(2022, 3, 1), 2013, "the report", facts, 5) == (2012, {
        "evidence_year": 2012, "age_years": 10, "source": "uzbekistan bases: src",
        "message": "rests on evidence from 2012 (uzbekistan bases: src), 10 years before the check date "
                   "2022-03-01: confirm it still holds"})
    assert assess(datetime.date(2017, 3, 1), 2013, "the report", facts, 5) == (2012, None)
    assert assess(datetime.date(2030, 1, 1), None, "the report", [], 5) == (None, None)
