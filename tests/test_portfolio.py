"""The portfolio view (issue 15): the packages in play at a date, checked as a whole.

Proposals are written to files from the CA701/CA702 fixtures so that the command,
the API, waivers, explain and every output format are tested on one portfolio.
"""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from ca_advisor.authoring.cases import FixtureCase, load_fixtures
from ca_advisor.cli import main
from ca_advisor.portfolio.package import package_of
from ca_advisor.portfolio_api import check_portfolio_mappings, check_portfolio_paths
from ca_advisor.reading.builtin import builtin_rules_dir
from ca_advisor.reading.proposals import proposal_from_mapping


def fixture_case(rule_id: str, index: int) -> FixtureCase:
    return load_fixtures(builtin_rules_dir() / "fixtures" / f"{rule_id}.yaml")[1].cases[index]


def write(directory: Path, proposals: list[dict]) -> Path:
    directory.mkdir(exist_ok=True)
    for p in proposals:
        (directory / f"{p['id']}.yaml").write_text(yaml.safe_dump({**p, "date": str(p["date"])}, sort_keys=False),
                                                    encoding="utf-8")
    return directory


@pytest.fixture
def balance(tmp_path) -> Path:
    """Three packages equip Kyrgyzstan (75 counted items), one Tajikistan (10)."""
    return write(tmp_path / "balance", fixture_case("CA701", 0).proposals)


def run(args):
    return CliRunner().invoke(main, args)


def test_the_portfolio_names_every_contributor_with_its_share(balance):
    result = run(["portfolio", str(balance), "--as-of", "2013-09-01"])
    assert result.exit_code == 1, result.output
    lines = result.output.splitlines()
    assert lines[0] == "portfolio as of 2013-09-01 (--as-of): 4 of 4 packages in play"
    assert lines[1].startswith("  warning CA701 cumulative-balance-shift [kyrgyzstan]: Together, the 3 packages")
    shares = [line for line in lines if line.startswith("    from: ")]
    assert shares[:4] == [
        f"    from: {balance}/de-kg-2013-night-vision.yaml:9 de-kg-2013-night-vision: 25 of 75 items counted to "
        "kyrgyzstan (night-vision 25): nv (equipment-transfer; border-security, border-service)",
        f"    from: {balance}/fr-kg-2013-rifles.yaml:9 fr-kg-2013-rifles: 20 of 75 items counted to kyrgyzstan "
        "(small-arms 20): rifles (equipment-transfer; modernisation, armed-forces)",
        f"    from: {balance}/us-kg-2013-vehicles.yaml:9 us-kg-2013-vehicles: 30 of 75 items counted to kyrgyzstan "
        "(protected-mobility 30): mrap (equipment-transfer; modernisation, armed-forces)",
        f"    from: {balance}/us-tj-2013-radios.yaml:9 us-tj-2013-radios: offsets: 10 of 10 items counted to "
        "tajikistan (night-vision 10): nv (equipment-transfer; border-security, border-service)",
    ]
    assert lines[-1] == ("4 proposals and their portfolio checked: 0 error, 11 warning, 4 info, 0 waived, "
                         "0 strength; 0 input errors")


def test_json_carries_the_portfolio_with_contributors(balance):
    result = run(["portfolio", str(balance), "--as-of", "2013-09-01", "--format", "json"])
    data = json.loads(result.output)
    findings = data["portfolio"]["findings"]
    assert [(f["rule_id"], f["subject"]) for f in findings] == [("CA701", "kyrgyzstan"), ("CA702", "kyrgyzstan")]
    assert findings[0]["contributors"][2] == {
        "proposal_id": "us-kg-2013-vehicles", "file": f"{balance}/us-kg-2013-vehicles.yaml", "line": 9,
        "share": "30 of 75 items counted to kyrgyzstan (protected-mobility 30): mrap (equipment-transfer; "
                 "modernisation, armed-forces)"}
    assert len(data["results"]) == 4


@pytest.mark.parametrize("fmt,needle", [
    ("sarif", "portfolio:kyrgyzstan"), ("github", "title=CA701 cumulative-balance-shift"),
    ("junit", 'name="portfolio:kyrgyzstan"'), ("markdown", "`portfolio:kyrgyzstan`"),
    ("compact", "warning CA701 cumulative-balance-shift: ")])
def test_every_format_carries_portfolio_findings(balance, fmt, needle):
    result = run(["portfolio", str(balance), "--as-of", "2013-09-01", "--format", fmt])
    assert result.exit_code == 1
    assert needle in result.output
    assert "Contributors: " in result.output


def test_packages_out_of_play_do_not_count(balance):
    result = run(["portfolio", str(balance), "--as-of", "2014-09-01"])
    lines = result.output.splitlines()
    assert lines[0] == "portfolio as of 2014-09-01 (--as-of): 1 of 4 packages in play"
    assert " ".join(line.strip() for line in lines[1:3]) == (
        "out of play: de-kg-2013-night-vision (2013-05-01 to 2014-05-01), fr-kg-2013-rifles (2013-06-01 to "
        "2014-06-01), us-tj-2013-radios (2013-04-01 to 2014-04-01)")
    assert "  no portfolio findings" in lines


def test_a_package_without_duration_is_in_play_for_one_year():
    data = {**fixture_case("CA702", 0).proposals[1]}  # de-tj-2013-border: no duration_years
    package = package_of(proposal_from_mapping(data))
    assert package.until() == datetime.date(2014, 6, 1)
    assert package.in_play(datetime.date(2014, 5, 31)) and not package.in_play(datetime.date(2014, 6, 1))
    assert package_of(proposal_from_mapping(data), 3).until() == datetime.date(2016, 6, 1)
    undated = {k: v for k, v in data.items() if k != "date"}
    assert package_of(proposal_from_mapping(undated)).in_play(datetime.date(1999, 1, 1))


def test_the_api_checks_mappings_as_a_portfolio():
    case = fixture_case("CA702", 0)
    report = check_portfolio_mappings(case.proposals, as_of=case.as_of)
    assert [f.rule_id for f in report.portfolio.findings] == ["CA702"]
    assert [(c.proposal_id, c.file) for c in report.portfolio.findings[0].contributors] == [
        ("de-tj-2013-border", "<mapping 1>"), ("us-tj-2013-border", "<mapping 0>")]
    assert report.exit_code("warning") == 1


def test_a_waiver_accepts_a_portfolio_finding_by_rule_and_recipient(balance, tmp_path):
    waivers = tmp_path / "waivers.yaml"
    waivers.write_text('waivers:\n'
                       '  - {proposal: "portfolio:kyrgyzstan", rule: CA701, reason: Briefed to Dushanbe,\n'
                       '     approved_by: Board, expires: 2014-01-01}\n'
                       '  - {proposal: "portfolio:tajikistan", rule: CA702, reason: n/a, approved_by: Board}\n'
                       '  - {proposal: "portfolio:kyrgyzstan", rule: CA702, reason: old, approved_by: Board,\n'
                       '     expires: 2013-01-01}\n', encoding="utf-8")
    report = check_portfolio_paths([balance], as_of=datetime.date(2013, 9, 1), waivers=waivers,
                                   today=datetime.date(2013, 9, 1))
    ca701, ca702 = report.portfolio.findings
    assert ca701.waived is not None and ca701.waived.reason == "Briefed to Dushanbe"
    assert ca702.waived is None
    assert [n.render() for n in report.waiver_notices] == [
        f"{waivers}:4:5: waiver for rule CA702 on 'portfolio:tajikistan' matched no portfolio finding; remove it if "
        "the finding is gone",
        f"{waivers}:5:5: waiver for rule CA702 on 'portfolio:kyrgyzstan' expired on 2013-01-01 and no longer "
        "applies; its finding counts again"]
    assert report.counts()["waived"] == 1


def test_a_portfolio_waiver_for_no_such_rule_is_reported_once(balance, tmp_path):
    waivers = tmp_path / "waivers.yaml"
    waivers.write_text('waivers:\n  - {proposal: "portfolio:kyrgyzstan", rule: CA799, reason: r, approved_by: B}\n',
                       encoding="utf-8")
    report = check_portfolio_paths([balance], as_of=datetime.date(2013, 9, 1), waivers=waivers)
    assert [n.render() for n in report.waiver_notices] == [
        f"{waivers}:2:5: waiver for rule CA799 in proposal 'portfolio:kyrgyzstan' can match nothing: CA799 is not "
        "among the rules this run checks (no such rule, or one left out by disable/select); fix the rule id or "
        "remove the waiver"]


def test_explain_a_portfolio_finding(balance):
    result = run(["portfolio", str(balance), "--as-of", "2013-09-01", "--explain", "CA701"])
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[1:3] == ["portfolio of 4 of 4 packages in play, as of 2013-09-01",
                          "CA701 fired on 1 of 2 portfolio pair facts."]
    assert "portfolio of kyrgyzstan against its neighbour tajikistan: FIRED" in lines
    assert ("    - [held] transfer_package_count is at least 2; found: 3") in lines


def test_explain_refuses_a_rule_that_is_not_a_portfolio_rule(balance):
    result = run(["portfolio", str(balance), "--explain", "CA201"])
    assert result.exit_code == 2
    assert result.stderr == ("error: CA201 is not a portfolio rule; `ca-advisor explain FILE --rule` explains it "
                             "on one proposal\n")


def test_a_portfolio_case_needs_its_date():
    with pytest.raises(ValueError, match="a portfolio case \\(proposals\\) needs as_of"):
        FixtureCase(name="x", expect="quiet", proposals=[{}])
    with pytest.raises(ValueError, match="give proposal \\(one proposal\\) or proposals"):
        FixtureCase(name="x", expect="quiet", proposal={}, proposals=[{}], as_of=datetime.date(2013, 1, 1))


def test_a_portfolio_case_cannot_expect_not_evaluated():
    """A portfolio check reports no CA602, so such a case would pass whatever the rule did."""
    with pytest.raises(ValueError, match="a portfolio case cannot expect not-evaluated"):
        FixtureCase(name="x", expect="not-evaluated", message="m", proposals=[{}], as_of=datetime.date(2013, 1, 1))


def test_rules_check_locates_an_invalid_proposal_in_a_portfolio_case(tmp_path):
    rules = tmp_path / "rules"
    (rules / "fixtures").mkdir(parents=True)
    rule = (builtin_rules_dir() / "CA705.yaml").read_text(encoding="utf-8").replace("id: CA705", "id: MY705")
    (rules / "MY705.yaml").write_text(rule, encoding="utf-8")
    fixture = (builtin_rules_dir() / "fixtures" / "CA705.yaml").read_text(encoding="utf-8")
    fixture = fixture.replace("rule: CA705", "rule: MY705").replace("channel: bilateral", "channel: telepathy", 1)
    (rules / "fixtures" / "MY705.yaml").write_text(fixture, encoding="utf-8")
    result = run(["rules", "check", str(rules)])
    assert result.exit_code == 2
    assert result.output.splitlines()[0] == (
        f"{rules}/fixtures/MY705.yaml:12:46: cases[0].proposals[0].channel: the case's proposal is invalid: "
        "'telepathy' is not allowed; expected one of: bilateral, nato-pfp, nato, eu, osce, un, csto, sco, coalition")


def test_html_shows_the_portfolio_above_the_proposals_with_its_contributors(balance):
    result = run(["portfolio", str(balance), "--as-of", "2013-09-01", "--format", "html"])
    assert result.exit_code == 1
    page = result.output
    assert page.index('<section id="portfolio">') < page.index('<section id="findings">')
    portfolio = page[page.index('<section id="portfolio">'):page.index('<section id="findings">')]
    assert portfolio.count("<h5>Contributing packages</h5>") == 2
    assert (f"<li><code>{balance}/us-kg-2013-vehicles.yaml:9</code> us-kg-2013-vehicles: 30 of 75 items counted "
            "to kyrgyzstan (protected-mobility 30): mrap (equipment-transfer; modernisation, armed-forces)</li>"
            in portfolio)


def test_ci_formats_name_contributors_relative_to_the_working_directory(balance, monkeypatch):
    monkeypatch.chdir(balance.parent)
    result = run(["portfolio", "balance", "--as-of", "2013-09-01", "--format", "github"])
    first = next(line for line in result.output.splitlines() if "CA701" in line)
    assert first.startswith("::warning file=balance/de-kg-2013-night-vision.yaml,line=9,")
    assert "Contributors: balance/de-kg-2013-night-vision.yaml:9 de-kg-2013-night-vision" in first


def test_explain_shows_each_fact_its_own_contributors(tmp_path):
    """Two facts may read alike (one sponsor's rifles and its night-vision goggles,
    the same purposes, to the same three states): each verdict is followed by the
    packages of its own fact, never the other's."""
    def package(country: str) -> dict:
        kit = [("rifles", "small-arms"), ("goggles", "night-vision")]
        return {"format": "ca-advisor/proposal/v1", "id": f"us-{country[:2]}-2013-kit", "title": "Kit",
                "date": datetime.date(2013, 3, 1), "sponsors": ["united-states"], "channel": "bilateral",
                "recipients": [country],
                "components": [{"id": item, "kind": "equipment-transfer", "purposes": ["border-security"],
                                "equipment": [{"item": item, "capability": capability, "quantity": 10}]}
                               for item, capability in kit]}

    directory = write(tmp_path / "kit", [package(c) for c in ("kazakhstan", "kyrgyzstan", "tajikistan")])
    result = run(["portfolio", str(directory), "--as-of", "2013-09-01", "--explain", "CA703"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    verdicts = [i for i, line in enumerate(lines) if line.endswith(": FIRED")]
    assert len(verdicts) == 2 and lines[verdicts[0]] == lines[verdicts[1]]  # the two facts read alike
    shown = [{line.rsplit(": ", 1)[1].split(" to ")[0] for line in lines[i + 1:i + 4]} for i in verdicts]
    assert sorted(map(sorted, shown)) == [["goggles"], ["rifles"]]
    assert all(line.startswith("  from ") for i in verdicts for line in lines[i + 1:i + 4])


def test_a_report_never_replaces_one_of_its_inputs(balance):
    target = next(balance.glob("*.yaml"))
    before = target.read_bytes()
    result = run(["portfolio", str(balance), "--as-of", "2013-09-01", "--output", str(target)])
    assert result.exit_code == 2 and "is one of the inputs" in result.stderr
    assert target.read_bytes() == before


def test_junit_fails_the_cases_the_exit_status_fails(balance):
    """--fail-on reaches the format as it reaches the exit status: JUnit's failures agree."""
    strict = run(["portfolio", str(balance), "--as-of", "2013-09-01", "--format", "junit"])
    lenient = run(["portfolio", str(balance), "--as-of", "2013-09-01", "--format", "junit", "--fail-on", "error"])
    assert (strict.exit_code, lenient.exit_code) == (1, 0)
    assert strict.output.count("<failure") > 0 and lenient.output.count("<failure") == 0


def test_the_portfolio_section_wraps_at_the_page_width(balance):
    """As the proposals' sections do: a terminal's width (COLUMNS), else 88."""
    def section(env):
        lines = CliRunner().invoke(main, ["portfolio", str(balance), "--as-of", "2013-09-01"], env=env
                                   ).output.splitlines()
        return lines[:lines.index("")]  # the portfolio comes first, then a blank line

    narrow, default = section({"COLUMNS": "60"}), section({})
    wrapped = [line for line in narrow if line.startswith(("    why: ", "    do: ", "      "))]
    assert wrapped and max(len(line) for line in wrapped) <= 60
    assert max(len(line) for line in default if line.startswith(("    why: ", "    do: "))) > 60
