"""``ca-advisor explain``: the verdict comes from the engine; the per-test reading comes
from explain.py's interpretation of the parsed conditions, and the two must agree."""

from __future__ import annotations

import datetime
from contextlib import chdir as cwd
from pathlib import Path

import pytest
from click.testing import CliRunner

from ca_advisor.authoring.cases import load_fixtures
from ca_advisor.cli import main
from ca_advisor.engines.explain import explain
from ca_advisor.reading.builtin import builtin_rules_dir, examples_dir
from ca_advisor.reading.proposals import proposal_from_mapping, read_proposal_file
from ca_advisor.rulebook.load import FIXTURES_DIR

CASES = [(fixture.rule, case) for path in sorted((builtin_rules_dir() / FIXTURES_DIR).glob("*.yaml"))
         for fixture in [load_fixtures(path)[1]] for case in fixture.cases
         if case.proposal is not None]  # portfolio cases: tests/test_portfolio.py
EXAMPLES = sorted(examples_dir().glob("*.yaml"))


@pytest.mark.parametrize("rule_id,case", CASES, ids=[f"{r}-{c.expect}-{c.name}" for r, c in CASES])
def test_the_reading_agrees_with_the_engine_on_every_fixture_case(checker, rule_id, case):
    loaded = proposal_from_mapping(case.proposal, file=case.name)
    for rule in checker.book.rules:
        if rule.condition is None:
            continue
        explanation = explain(checker, loaded, rule.id, as_of=case.as_of)
        disagreements = [f.label for f in explanation.facts if not f.agrees]
        assert disagreements == [], f"{rule.id}: {disagreements}"
        if rule.id == rule_id and case.expect == "fire":
            assert explanation.fired


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_the_reading_agrees_with_the_engine_on_every_example(checker, path):
    loaded = read_proposal_file(path)
    for rule in checker.book.rules:
        if rule.condition is not None:
            assert all(f.agrees for f in explain(checker, loaded, rule.id).facts), rule.id


PROPOSAL = """\
format: ca-advisor/proposal/v1
id: us-uz-basing
title: Basing and a course
date: 2013-09-01
sponsors: [united-states]
channel: bilateral
recipients: [uzbekistan]
components:
  - id: termez
    kind: basing
    location: {country: uzbekistan, area: termez}
  - id: course
    kind: training
    purposes: [counter-terrorism]
"""


def run(directory: Path, *args: str, stdin: str | None = None):
    with cwd(directory):
        return CliRunner().invoke(main, ["explain", *args], input=stdin, catch_exceptions=False)


@pytest.fixture
def project(tmp_path):
    (tmp_path / "plan.yaml").write_text(PROPOSAL)
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "MY101.yaml").write_text("""\
id: MY101
name: basing-where-banned
severity: error
title: Basing in a country that bans foreign bases
for_each: component_country
when:
  - role: location
  - component.kind: {one_of: [basing, facility-access]}
  - any:
      - profile.foreign_military_bases: banned
      - profile.succession_pending: "yes"
message: Component '{component.id}' would be a base in {country}.
reasoning: r
evidence: [{quote: q, section: "4"}]
recommendation: r
""")
    (tmp_path / "rules" / "MY102.yaml").write_text("""\
id: MY102
name: ct-without-forces
severity: warning
title: Counter-terrorism help that does not say for whom
for_each: component
when:
  - purposes: {includes: counter-terrorism}
  - forces: {includes: armed-forces}
requires: [forces]
message: Component '{id}' is for counter-terrorism.
reasoning: r
evidence: [{quote: q, section: "5"}]
recommendation: r
""")
    return tmp_path


def origin(checker, key: str, since: str) -> str:
    """Where the built-in Uzbek profile states a fact (absolute: it is outside the project)."""
    found = checker.book.profiles.origin("uzbekistan", key, datetime.date.fromisoformat(since))
    return f"{found.file}:{found.line}"


def test_explains_a_rule_fact_by_fact_with_dated_profile_facts(project, checker):
    result = run(project, "plan.yaml", "--rule", "MY101", "--rules", "rules")
    lines = result.stdout.splitlines()
    assert lines[:3] == [
        "MY101 basing-where-banned (error): Basing in a country that bans foreign bases",
        "proposal us-uz-basing in plan.yaml, checked as of 2013-09-01 (proposal date)",
        "MY101 fired on 1 of 3 component country facts.",
    ]
    start = lines.index("uzbekistan, location country of component 'termez' (components[0].location.country): FIRED")
    assert lines[start + 1:start + 8] == [
        "  - [held] all of:",
        "    - [held] role is location; found: location",
        "    - [held] component.kind is one of basing, facility-access; found: basing",
        "    - [held] at least one of:",
        "      - [held] profile.foreign_military_bases is banned; found: banned (uzbekistan foreign_military_bases "
        f"since 2012-08-01, DIIS Report 2013:12, §4, n.189, {origin(checker, 'foreign_military_bases', '2012-08-01')})",
        "      - [held] profile.succession_pending is yes; found: yes (uzbekistan succession_pending attested by "
        f"2013-04-01, DIIS Report 2013:12, §5, {origin(checker, 'succession_pending', '2013-04-01')})",
        "  message: Component 'termez' would be a base in uzbekistan.",
    ]
    assert result.exit_code == 0


def test_a_fact_that_did_not_fire_shows_the_test_that_failed(project):
    lines = run(project, "plan.yaml", "--rule", "MY101", "--rules", "rules").stdout.splitlines()
    served = lines.index("uzbekistan, served country of component 'course' (components[1]): did not fire")
    assert lines[served + 1:served + 3] == ["  - [not held] all of:",
                                           "    - [not held] role is location; found: served"]


def test_as_of_changes_the_dated_facts(project):
    lines = run(project, "plan.yaml", "--rule", "MY101", "--rules", "rules", "--as-of", "2005-01-01").stdout.splitlines()
    assert lines[1] == "proposal us-uz-basing in plan.yaml, checked as of 2005-01-01 (--as-of)"
    assert lines[2] == "MY101 did not fire on any of the 3 component country facts."
    assert ("      - [not held] profile.foreign_military_bases is banned; found: permitted (uzbekistan "
            "foreign_military_bases since 2001-10-07, DIIS Report 2013:12, §1, ") in "\n".join(lines)


def test_a_required_field_that_is_missing(project):
    lines = run(project, "plan.yaml", "--rule", "MY102", "--rules", "rules").stdout.splitlines()
    assert lines[2:] == [
        "MY102 did not fire on any of the 2 component facts.",
        "",
        "component 'termez' (components[0]): did not fire",
        "  - [not held] all of:",
        "    - [not held] purposes includes counter-terrorism; found: not given",
        "    - [not held] forces includes armed-forces; found: not given",
        "",
        "component 'course' (components[1]): did not fire",
        "  - [not held] all of:",
        "    - [held] purposes includes counter-terrorism; found: counter-terrorism",
        "    - [not held] forces includes armed-forces; found: not given",
        "  not evaluated: the proposal does not give 'forces', which MY102 requires (reported as CA602 not-evaluated)",
    ]


def test_reads_standard_input(project):
    result = run(project, "-", "--rule", "MY102", "--rules", "rules", stdin=PROPOSAL)
    assert result.stdout.splitlines()[1] == "proposal us-uz-basing in <stdin>, checked as of 2013-09-01 (proposal date)"


def test_no_facts_of_the_rule_s_type(project):
    lines = run(project, "plan.yaml", "--rule", "CA201").stdout.splitlines()
    assert lines[2] == "CA201 did not fire: the proposal has no equipment facts for it to look at."


def test_an_unknown_rule(project):
    result = run(project, "plan.yaml", "--rule", "my102", "--rules", "rules")
    assert result.stderr == ("error: my102 is not among the rules `check` runs (did you mean 'MY102'?); "
                             "`ca-advisor rules list` shows the rules\n")
    assert result.exit_code == 2


def test_the_mechanism_has_nothing_to_explain(project):
    result = run(project, "plan.yaml", "--rule", "CA602")
    assert result.stderr == ("error: CA602 is a mechanism with no conditions of its own; "
                             "`ca-advisor rules list` shows the rules\n")
    assert result.exit_code == 2


def test_an_invalid_proposal(project):
    (project / "bad.yaml").write_text(PROPOSAL.replace("channel: bilateral", "channel: bilatteral"))
    result = run(project, "bad.yaml", "--rule", "CA101")
    assert result.stdout == ""
    assert result.stderr == ("error: bad.yaml:6:10: channel: 'bilatteral' is not allowed; expected one of: bilateral, "
                             "nato-pfp, nato, eu, osce, un, csto, sco, coalition (did you mean 'bilateral'?)\n")
    assert result.exit_code == 2


def test_without_rule_every_rule_that_fired_or_was_not_evaluated_is_explained():
    result = CliRunner().invoke(main, ["explain", str(examples_dir() / "us-kg-2013-intelligence-sharing.yaml")])
    heads = [line for line in result.stdout.splitlines() if line[:2] == "CA" and " (" in line.split(":")[0]]
    # CA206, CA303, CA304 and the strength CA902 fired; CA301 could not be evaluated (its CA602)
    assert [h.split()[0] for h in heads] == ["CA206", "CA301", "CA303", "CA304", "CA902"]
    assert "CA303 fired on 1 of 2 component facts." in result.stdout.splitlines()
    assert result.stdout.count("\n\nCA") == 4  # blank line between the explanations
    assert result.exit_code == 0


def test_without_rule_a_quiet_proposal_says_so():
    path = str(examples_dir() / "us-uz-2002-k2-basing.yaml")
    result = CliRunner().invoke(main, ["explain", path])
    assert result.stdout == (f"no rule fired on {path} and none was left unevaluated; "
                             "`--rule ID` explains why a rule stayed quiet\n")
    assert result.exit_code == 0
