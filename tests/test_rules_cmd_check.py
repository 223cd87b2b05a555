"""``ca-advisor rules check``: every problem in rule, fixture and profile files, with
file, line, field path, what was found and what is allowed (one broken file per class
of problem in tests/data/broken_rules)."""

from __future__ import annotations

from contextlib import chdir as cwd
from pathlib import Path

import pytest
from click.testing import CliRunner
from samples import ARMOUR_RULE

from ca_advisor.cli import main
from ca_advisor.cli.rules_cmd import NO_REPORT

BROKEN = Path(__file__).resolve().parent / "data" / "broken_rules"
CHECK_BROKEN = ["rules", "check", "--no-builtin", "--profiles", "profiles", "--report", "report.txt",
                "--config", "broken-config.yaml", "rules", "more_rules"]

# (class of problem, the exact line `rules check` prints for it), in the printed order.
PROBLEMS = [
    ('config names a rule that does not exist',
     "broken-config.yaml:2:10: disable: 'xx101' names no loaded rule (did you mean 'XX101'?)"),
    ('config sets a parameter of the wrong type',
     "broken-config.yaml:5:16: parameters.XX103.threshold: XX103's parameter 'threshold' takes a number like its default 3, found 'three'"),
    ('duplicate id across rule directories',
     'more_rules/XX104.yaml:2:5: id: rule id XX104 is also defined in rules/XX104.yaml; rule ids must be unique'),
    ('overlapping profile date range',
     'profiles/kyrgyzstan.yaml:8:14: facts.foreign_military_bases[0].until: entry runs until 2014-07-01, overlapping facts.foreign_military_bases[1] which starts 2014-06-03; end it on or before 2014-06-03'),
    ('undated profile entry',
     "profiles/tajikistan.yaml:6:7: facts.foreign_military_bases[0]: an entry needs 'since' (YYYY-MM-DD, when the stance began) or 'attested' (the date by which the source shows it held)"),
    ("profile value outside the key's vocabulary",
     "profiles/tajikistan.yaml:9:14: facts.succession_pending[0].value: 'maybe' is not a value of 'succession_pending'; expected one of: yes, no"),
    ('undeclared profile fact key',
     "profiles/tajikistan.yaml:12:3: facts.russian_base: unknown fact key 'russian_base'; declare it in fact-keys.yaml or use one of: foreign_military_bases, succession_pending"),
    ('misspelt field in a condition',
     "rules/XX101.yaml:8:5: when[0].purpses: unknown field 'purpses' for for_each: component (did you mean 'purposes'?); run `ca-advisor rules docs facts` for the fields of each fact type"),
    ('wrong vocabulary value in a condition',
     "rules/XX102.yaml:8:26: when[0].purposes.includes: 'counter-terorism' is not a value of 'purposes'; expected one of: counter-terrorism, counter-insurgency, border-security, counter-narcotics, threat-assessment, intelligence, mountain-warfare, small-unit-tactics, combined-arms, peacekeeping, logistics, disaster-response, modernisation, defence-institution-building (did you mean 'counter-terrorism'?)"),
    ('quote not verbatim in the report',
     "rules/XX103.yaml:14:12: evidence[1].quote: the quote is not verbatim in the report (report.txt): it matches as far as '...result in such a perception taking', where the report goes on 'root in the Central Asian capitals.' but the quote has 'hold in the Central Asian capitals'"),
    ('quote not in the report at all',
     "rules/XX103.yaml:18:12: evidence[2].quote: the quote is not verbatim in the report (report.txt): not even its first word 'Nothing' occurs there; copy the passage from the report"),
    ('unknown key in a rule file',
     "rules/XX105.yaml:4:1: sevrity: unknown field 'sevrity'; allowed fields here: id, name, kind, severity, title, tags, for_each, when, requires, locate, message, reasoning, how_it_decides, evidence, recommendation, parameters, mechanism, covers (did you mean 'severity'?)"),
    ('unknown operator',
     "rules/XX106.yaml:8:14: when[0].forces.contains: unknown operator 'contains'; allowed: at_least, at_most, includes, includes_any, includes_none, includes_other_than, is, is_not, less_than, more_than, not_one_of, one_of, only, present, total_of"),
    ('operator that does not fit the field',
     "rules/XX107.yaml:8:22: when[0].kind.includes: operator 'includes' does not apply to 'kind', which is a single value"),
    ('undeclared profile key in a condition',
     "rules/XX108.yaml:8:5: when[0].profile.succession: unknown field 'profile.succession' for for_each: recipient (did you mean 'profile.succession_pending'?); run `ca-advisor rules docs facts` for the fields of each fact type"),
    ('missing recommendation',
     "rules/XX109.yaml:2:1: recommendation: missing required field 'recommendation'"),
    ('evidence without its citation',
     "rules/XX109.yaml:12:5: evidence[0]: missing required field 'section': a quote from DIIS Report 2013:12 gives its section"),
    ('several problems in one file: bad name',
     "rules/XX111.yaml:3:7: name: 'Several Problems' is not a valid identifier; use lower-case letters, digits and hyphens, starting with a letter or digit (e.g. 'us-uz-2013-raven-uav')"),
    ('several problems in one file: bad severity',
     "rules/XX111.yaml:4:11: severity: 'critical' is not allowed; expected one of: error, warning, info"),
    ('several problems in one file: bad value',
     "rules/XX111.yaml:8:16: when[0].kind.is: 'trainng' is not a value of 'kind'; expected one of: equipment-transfer, training, intelligence-sharing, capacity-building, exercise, infrastructure, basing, facility-access, funding, advisory, transit (did you mean 'training'?)"),
    ('several problems in one file: bad value in a group',
     "rules/XX111.yaml:10:25: when[1].any[0].forces.only[0]: 'army' is not a value of 'forces'; expected one of: armed-forces, security-service, security-service-special-forces, interior-ministry, border-service, national-guard, emergencies-ministry, foreign-intelligence, customs, drug-control, civilian"),
    ('several problems in one file: undeclared parameter',
     "rules/XX111.yaml:11:34: when[1].any[1].purposes.includes_any: unknown parameter 'missing_parameter'; declare it under parameters"),
    ('several problems in one file: text for a boolean',
     "rules/XX111.yaml:12:25: when[2].end_use_monitoring.is: 'end_use_monitoring' is true or false, found 'no'"),
    ('several problems in one file: unknown message placeholder',
     "rules/XX111.yaml:13:10: message: placeholder {force} names no field of component facts and no parameter (param.NAME) (did you mean 'forces'?)"),
    ('several problems in one file: unknown parameter placeholder',
     'rules/XX111.yaml:13:10: message: placeholder {param.threshold} names no field of component facts and no parameter (param.NAME)'),
    ('id does not match the file name',
     "rules/XX112.yaml:2:5: id: rule id 'XX120' does not match the file name 'XX112.yaml'; name the file XX120.yaml"),
    ('duplicate key in a rule file',
     "rules/XX113.yaml:11:1: reasoning: duplicate key 'reasoning' (first given on line 10); each field may appear once"),
    ('fixture case with an invalid proposal',
     "rules/fixtures/XX104.yaml:11:16: cases[0].proposal.channel: the case's proposal is invalid: 'bilatteral' is not allowed; expected one of: bilateral, nato-pfp, nato, eu, osce, un, csto, sco, coalition (did you mean 'bilateral'?)"),
    ('fixture fire case without its message',
     "rules/fixtures/XX104.yaml:15:5: cases[1]: a 'fire' case needs the exact expected message"),
    ('fixture file whose rule does not exist',
     "rules/fixtures/XX199.yaml:2:7: rule: no rule XX199 exists for this fixture file; the rules are XX101, XX102, XX103, XX104, XX105, XX106, XX107, XX108, XX109, XX111, XX120 (did you mean 'XX109'?)"),
]
SUMMARY = ["30 problems in 17 files; checked 13 rule files, 2 fixture files, 3 profile files",
           "quotes checked against report.txt"]


def run(args: list[str], directory: Path = BROKEN):
    with cwd(directory):
        return CliRunner().invoke(main, args, catch_exceptions=False)


@pytest.fixture(scope="module")
def broken():
    return run(CHECK_BROKEN)


def test_every_problem_is_reported_in_file_and_line_order(broken):
    assert broken.stdout.splitlines() == [line for _, line in PROBLEMS] + SUMMARY
    assert broken.stderr == ""
    assert broken.exit_code == 2


@pytest.mark.parametrize("line", [line for _, line in PROBLEMS], ids=[name for name, _ in PROBLEMS])
def test_each_class_of_problem_has_its_exact_message(broken, line):
    assert line in broken.stdout.splitlines()


def test_every_broken_file_is_reported():
    broken_files = {str(p.relative_to(BROKEN)) for p in BROKEN.rglob("*.yaml")} - {"profiles/fact-keys.yaml"}
    reported = {line.split(":", 1)[0] for _, line in PROBLEMS}
    assert broken_files - reported == {"rules/XX104.yaml"}  # the first of the two XX104s is fine


def test_without_a_report_the_quote_check_is_skipped_and_says_so():
    result = run(["rules", "check", "--no-builtin", "--profiles", "profiles", "rules/../rules"])
    lines = result.stdout.splitlines()
    assert not any("evidence[" in line and ".quote" in line for line in lines)
    assert lines[-1] == NO_REPORT
    assert NO_REPORT == ("quotes not checked: no report text given (use --report FILE, or `report: FILE` in "
                         "ca-advisor.yaml; the report is not shipped with ca-advisor)")
    assert result.exit_code == 2


def test_a_missing_report_file_is_an_error():
    result = run(["rules", "check", "--no-builtin", "--report", "no-such-report.txt"])
    assert result.stdout == ""
    assert result.stderr == "error: the report file no-such-report.txt (--report) does not exist\n"
    assert result.exit_code == 2


def _clean_project(tmp_path: Path, config: str = "rules: [rules]\nprofiles: [profiles]\n") -> Path:
    (tmp_path / "rules" / "fixtures").mkdir(parents=True)
    (tmp_path / "profiles").mkdir()
    (tmp_path / "ca-advisor.yaml").write_text(config)
    (tmp_path / "report.txt").write_text((BROKEN / "report.txt").read_text())
    (tmp_path / "rules" / "MY101.yaml").write_text(ARMOUR_RULE)
    (tmp_path / "rules" / "fixtures" / "MY101.yaml").write_text(CLEAN_FIXTURE)
    (tmp_path / "profiles" / "fact-keys.yaml").write_text((BROKEN / "profiles" / "fact-keys.yaml").read_text())
    (tmp_path / "profiles" / "uzbekistan.yaml").write_text(
        "country: uzbekistan\nname: Uzbekistan\nfacts:\n  succession_pending:\n"
        "    - {value: \"no\", since: 2016-12-14, source: {reference: public record}}\n")
    return tmp_path



CLEAN_FIXTURE = """\
rule: MY101
cases:
  - name: armour
    expect: fire
    message: Component 'kit' transfers 4 armoured vehicles.
    proposal:
      {format: ca-advisor/proposal/v1, id: p, title: P, sponsors: [eu], channel: eu, recipients: [kazakhstan],
       components: [{id: kit, kind: equipment-transfer, equipment: [{item: APC, capability: armour, quantity: 4}]}]}
  - name: trucks
    expect: quiet
    proposal:
      {format: ca-advisor/proposal/v1, id: p, title: P, sponsors: [eu], channel: eu, recipients: [kazakhstan],
       components: [{id: kit, kind: equipment-transfer, equipment: [{item: truck, capability: transport, quantity: 4}]}]}
"""


def test_a_clean_project_passes_with_the_report_from_its_config(tmp_path):
    project = _clean_project(tmp_path, "rules: [rules]\nprofiles: [profiles]\nreport: report.txt\n")
    result = run(["rules", "check", "--no-builtin"], project)
    assert result.stdout.splitlines() == ["no problems; checked 1 rule file, 1 fixture file, 2 profile files",
                                          "quotes checked against report.txt"]
    assert result.exit_code == 0


def test_a_report_named_in_the_config_must_exist(tmp_path):
    project = _clean_project(tmp_path, "rules: [rules]\nreport: gone.txt\n")
    result = run(["rules", "check"], project)
    assert result.stderr == (f"error: the report file {project / 'gone.txt'} (report: in "
                             f"{project / 'ca-advisor.yaml'}) does not exist\n")
    assert result.exit_code == 2


def test_the_built_in_rules_and_profiles_have_no_problems():
    result = run(["rules", "check"], Path(__file__).resolve().parent)
    assert result.stdout.splitlines()[0].startswith("no problems; checked "), result.stdout
    assert result.exit_code == 0


def test_a_directory_named_twice_is_read_once(rules_dir):
    result = run(["rules", "check", str(rules_dir), str(rules_dir / ".." / rules_dir.name)],
                 Path(__file__).resolve().parent)
    assert "also defined" not in result.stdout
    assert result.exit_code == 0


def test_a_missing_rules_directory_is_a_problem():
    result = run(["rules", "check", "--no-builtin", "--profiles", "profiles", "no-such-dir"])
    assert result.stdout.splitlines()[0] == "no-such-dir: rules directory does not exist"
    assert result.exit_code == 2


def test_a_report_that_is_not_utf8_is_an_error(tmp_path):
    (tmp_path / "report.txt").write_bytes(b"caf\xe9\n")
    result = run(["rules", "check", "--no-builtin", "--report", "report.txt", "--profiles", str(BROKEN / "profiles")],
                 tmp_path)
    assert result.stderr == "error: the report file report.txt is not UTF-8 text; save the report's text as UTF-8\n"
    assert result.exit_code == 2


def test_a_yml_file_is_reported_because_it_is_never_read(tmp_path):
    project = _clean_project(tmp_path)
    (project / "rules" / "MY102.yml").write_text(ARMOUR_RULE.replace("MY101", "MY102"))
    result = run(["rules", "check", "--no-builtin"], project)
    assert result.stdout.splitlines()[0] == ("rules/MY102.yml: is not read: rule, fixture and profile files end in "
                                             ".yaml; rename it MY102.yaml")
    assert result.exit_code == 2
