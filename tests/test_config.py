"""Own rules and profiles beside the built-in ones, end to end through ``ca-advisor check``:
--rules (repeatable), --profiles, ca-advisor.yaml found upwards or given with --config,
disable / select (by id or tag) / severity / parameters, id clashes, and a later
profile directory extending an earlier one fact key by fact key."""

from __future__ import annotations

import datetime
import json
from contextlib import chdir as cwd
from pathlib import Path

import pytest
from click.testing import CliRunner

from ca_advisor.cli import main
from ca_advisor.facts.profiles import load_profiles
from ca_advisor.model.errors import InputErrors
from ca_advisor.reading.builtin import builtin_profiles_dir

PROPOSAL = """\
format: ca-advisor/proposal/v1
id: kz-plan
title: A plan for Kazakhstan
date: 2013-09-01
sponsors: [united-kingdom]
channel: bilateral
recipients: [kazakhstan]
duration_years: 4
components:
  - id: course
    kind: training
    purposes: [peacekeeping]
    forces: [armed-forces]
"""


def rule(rule_id: str, *, when: str, tags: str = "[]", severity: str = "warning", for_each: str = "component",
         message: str = "{id}", parameters: str = "") -> str:
    return (f"id: {rule_id}\nname: probe-{rule_id.lower()}\nseverity: {severity}\ntitle: Probe {rule_id}\n"
            f"tags: {tags}\nfor_each: {for_each}\nwhen:\n{when}\nmessage: \"{rule_id} on {message}\"\n"
            "reasoning: r\nevidence: [{quote: q, section: '5'}]\nrecommendation: r\n" + parameters)


TRAINING = "  - kind: training"
LONG = ("  - proposal.duration_years: {at_least: {param: years}}\n"
        "  - profile.succession_pending: \"yes\"")
YEARS = "parameters:\n  years: {default: 3, description: Shortest programme flagged.}\n"


def check(directory: Path, *args: str):
    with cwd(directory):
        return CliRunner().invoke(main, ["check", "plan.yaml", "--format", "json", "--fail-on", "never", *args],
                                  catch_exceptions=False)


def fired(result) -> dict[str, str]:
    """rule id -> severity of each finding on our probe rules (MY*)."""
    assert result.exit_code == 0, result.output
    findings = json.loads(result.stdout)["results"][0]["findings"]
    return {f["rule_id"]: f["severity"] for f in findings if f["rule_id"].startswith("MY")}


@pytest.fixture
def project(tmp_path):
    (tmp_path / "plan.yaml").write_text(PROPOSAL)
    for name, files in {"rules-a": {"MY101": rule("MY101", when=TRAINING, tags="[probe, training]")},
                        "rules-b": {"MY201": rule("MY201", when=LONG, for_each="recipient", message="{country}",
                                                  parameters=YEARS)}}.items():
        (tmp_path / name).mkdir()
        for rule_id, text in files.items():
            (tmp_path / name / f"{rule_id}.yaml").write_text(text)
    (tmp_path / "profiles").mkdir()
    (tmp_path / ".git").mkdir()  # a repository: the config search stops at its root
    return tmp_path


def write_config(project: Path, text: str, name: str = "ca-advisor.yaml") -> Path:
    (project / name).write_text(text)
    return project / name


# --- directories on the command line ---------------------------------------------------

def test_rules_is_repeatable(project):
    assert fired(check(project, "--rules", "rules-a", "--rules", "rules-b")) == {"MY101": "warning",
                                                                              "MY201": "warning"}


def test_the_built_in_rules_run_beside_them(project):
    findings = json.loads(check(project, "--rules", "rules-a").stdout)["results"][0]["findings"]
    assert any(f["rule_id"].startswith("CA") for f in findings)


def test_profiles_change_what_a_rule_sees(project):
    # Kazakhstan's built-in succession_pending is "yes" from 2013 to 2019; a project
    # profile says otherwise from 2013-06-01 on.
    (project / "profiles" / "kazakhstan.yaml").write_text(
        "country: kazakhstan\nname: Kazakhstan\nfacts:\n  succession_pending:\n"
        "    - {value: \"no\", since: 2013-06-01, source: {reference: a newer assessment}}\n")
    assert fired(check(project, "--rules", "rules-b")) == {"MY201": "warning"}
    assert fired(check(project, "--rules", "rules-b", "--profiles", "profiles")) == {}


# --- the config file ------------------------------------------------------------------------

def test_the_config_is_found_from_a_subdirectory(project):
    write_config(project, "rules: [rules-a, rules-b]\n")
    (project / "sub").mkdir()
    (project / "sub" / "plan.yaml").write_text(PROPOSAL)
    assert fired(check(project / "sub")) == {"MY101": "warning", "MY201": "warning"}


def test_a_config_named_with_config(project):
    write_config(project, "rules: [rules-a]\n", "other.yaml")
    assert fired(check(project, "--config", "other.yaml")) == {"MY101": "warning"}


@pytest.mark.parametrize("config,expected", [
    ("disable: [MY101]", {"MY201": "warning"}),
    ("select: [MY201]", {"MY201": "warning"}),
    ("select: [probe]", {"MY101": "warning"}),
    ("severity: {MY101: error}", {"MY101": "error", "MY201": "warning"}),
    ("parameters: {MY201: {years: 5}}", {"MY101": "warning"}),
    ("parameters: {MY201: {years: 4}}", {"MY101": "warning", "MY201": "warning"}),
])
def test_disable_select_severity_parameters(project, config, expected):
    write_config(project, f"rules: [rules-a, rules-b]\n{config}\n")
    assert fired(check(project)) == expected


def test_select_keeps_the_not_evaluated_mechanism(project):
    write_config(project, "rules: [rules-a]\nselect: [MY101]\n")
    with cwd(project):
        listed = CliRunner().invoke(main, ["rules", "list"]).stdout.split()
    assert "CA602" in listed and "MY101" in listed and "CA101" not in listed


@pytest.mark.parametrize("config,error", [
    ("disable: [MY110]", "ca-advisor.yaml:2:10: disable: 'MY110' names no loaded rule (did you mean 'MY101'?)"),
    ("select: [prob]", "ca-advisor.yaml:2:9: select: 'prob' names no loaded rule or tag (did you mean 'probe'?)"),
    ("parameters: {MY201: {yeras: 5}}",
     "ca-advisor.yaml:2:22: parameters.MY201.yeras: MY201 has no parameter 'yeras'; its parameters: years "
     "(did you mean 'years'?)"),
    ("parameters: {MY201: {years: many}}",
     "ca-advisor.yaml:2:29: parameters.MY201.years: MY201's parameter 'years' takes a number like its default 3, "
     "found 'many'"),
    ("parameters: {MY101: {years: 5}}",
     "ca-advisor.yaml:2:22: parameters.MY101.years: MY101 has no parameter 'years'; its parameters: none"),
    ("rules: [missing]", "ca-advisor.yaml:2:9: rules[0]: directory 'missing' does not exist (relative to {root})"),
])
def test_config_mistakes_are_located_in_the_config(project, config, error):
    write_config(project, f"rules: [rules-a, rules-b]\n{config}\n" if not config.startswith("rules")
                 else f"# my project\n{config}\n")
    result = check(project)
    assert result.stdout == ""
    assert result.stderr == f"error: {project / error.format(root=project)}\n"
    assert result.exit_code == 2


def test_a_clash_of_rule_ids_between_directories_names_both_files(project):
    (project / "rules-b" / "MY101.yaml").write_text(rule("MY101", when=TRAINING))
    result = check(project, "--rules", "rules-a", "--rules", "rules-b")
    assert result.stderr == ("error: rules-b/MY101.yaml:1:5: id: rule id MY101 is also defined in "
                             "rules-a/MY101.yaml; rule ids must be unique\n")
    assert result.exit_code == 2


def test_a_clash_with_a_built_in_rule(project):
    (project / "rules-a" / "CA101.yaml").write_text(rule("CA101", when=TRAINING))
    result = check(project, "--rules", "rules-a")
    assert result.stderr.startswith("error: rules-a/CA101.yaml:1:5: id: rule id CA101 is also defined in ")
    assert result.stderr.endswith("CA101.yaml; rule ids must be unique\n")


# --- later profile directories extend earlier ones, fact key by fact key ------------------

def layer(tmp_path: Path, text: str, name: str = "uzbekistan.yaml", keys: str | None = None) -> Path:
    directory = tmp_path / "extra"
    directory.mkdir(exist_ok=True)
    (directory / name).write_text(text)
    if keys:
        (directory / "fact-keys.yaml").write_text(keys)
    return directory


UZ = "country: uzbekistan\nname: Uzbekistan (project)\nfacts:\n"
D = datetime.date.fromisoformat


def test_a_later_profile_adds_a_key_and_keeps_the_others(tmp_path):
    extra = layer(tmp_path, UZ + "  nato_pfp_view:\n    - {value: exhausted, since: 2013-01-01, source: {note: n}}\n")
    book = load_profiles([builtin_profiles_dir(), extra])
    facts = book.as_of("uzbekistan", D("2013-09-01"))
    assert facts["nato_pfp_view"].value == "exhausted"
    assert facts["foreign_military_bases"].value == "banned"  # from the built-in profile
    assert book.profiles["uzbekistan"].name == "Uzbekistan (project)"


def test_a_later_entry_joins_the_history_of_its_key(tmp_path):
    extra = layer(tmp_path, UZ + "  foreign_military_bases:\n"
                                 "    - {value: permitted, since: 2020-01-01, source: {reference: hypothetical}}\n")
    book = load_profiles([builtin_profiles_dir(), extra])
    assert book.as_of("uzbekistan", D("2013-09-01"))["foreign_military_bases"].value == "banned"
    assert book.as_of("uzbekistan", D("2003-01-01"))["foreign_military_bases"].value == "permitted"  # built-in
    assert book.as_of("uzbekistan", D("2021-01-01"))["foreign_military_bases"].value == "permitted"
    assert book.origin("uzbekistan", "foreign_military_bases", D("2020-01-01")).file == str(extra / "uzbekistan.yaml")


def test_a_later_entry_with_the_same_since_replaces_the_earlier_one(tmp_path):
    extra = layer(tmp_path, UZ + "  foreign_military_bases:\n"
                                 "    - {value: permitted, since: 2012-08-01, source: {reference: a correction}}\n")
    book = load_profiles([builtin_profiles_dir(), extra])
    fact = book.as_of("uzbekistan", D("2013-09-01"))["foreign_military_bases"]
    assert (fact.value, fact.citation) == ("permitted", "DIIS Report 2013:12, a correction")
    assert len(book.profiles["uzbekistan"].facts["foreign_military_bases"]) == 3


def test_a_project_may_declare_new_fact_keys_and_countries(tmp_path):
    extra = layer(tmp_path, "country: afghanistan\nname: Afghanistan\nfacts:\n  transit_hub:\n"
                            "    - {value: \"yes\", since: 2001-10-07, source: {note: n}}\n", "afghanistan.yaml",
                  keys="facts:\n  transit_hub:\n    description: d\n    values: [\"yes\", \"no\"]\n")
    book = load_profiles([builtin_profiles_dir(), extra])
    assert book.as_of("afghanistan", D("2013-01-01"))["transit_hub"].value == "yes"
    assert "afghanistan_threat" in book.keys  # the built-in keys stay


def test_an_overlap_across_files_names_both(tmp_path):
    extra = layer(tmp_path, UZ + "  foreign_military_bases:\n"
                                 "    - {value: permitted, since: 2011-01-01, until: 2013-01-01, source: {note: n}}\n")
    with pytest.raises(InputErrors) as raised:
        load_profiles([builtin_profiles_dir(), extra])
    builtin = builtin_profiles_dir() / "uzbekistan.yaml"
    [error] = raised.value.errors
    assert error.render() == (f"{extra / 'uzbekistan.yaml'}:5:52: facts.foreign_military_bases[0].until: entry runs "
                              "until 2013-01-01, overlapping facts.foreign_military_bases[2] in "
                              f"{builtin} which starts 2012-08-01; end it on or before 2012-08-01")


def test_a_profiles_directory_that_does_not_exist(project):
    result = check(project, "--profiles", "profiels")
    assert result.stderr == "error: profiels: profiles directory does not exist\n"
    assert result.exit_code == 2
