"""A portfolio rule's ``covers:`` (portfolio/covering.py): CA705 covers CA302, so in a
portfolio run a package's CA302 finding is reported under the CA705 finding that
speaks for every state the package serves, and nowhere else."""

from __future__ import annotations

import datetime
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from ca_advisor.api import check_paths, get_checker
from ca_advisor.cli import main
from ca_advisor.model.errors import InputErrors
from ca_advisor.portfolio_api import check_portfolio_paths
from ca_advisor.reading.builtin import builtin_profiles_dir, builtin_rules_dir
from ca_advisor.rulebook.config import Config

AS_OF = datetime.date(2013, 9, 1)
HEAD = "format: ca-advisor/proposal/v1\nchannel: bilateral\n"
PACKAGES = {
    "us-tj.yaml": HEAD + "id: us-tj-2013-ct\ntitle: CT course\ndate: 2013-02-01\nsponsors: [united-states]\n"
                         "recipients: [tajikistan]\njustification: {threats: [terrorism]}\ncomponents:\n"
                         "  - {id: ct-course, kind: training, forces: [security-service-special-forces], "
                         "purposes: [counter-terrorism]}\n",
    "de-tj.yaml": HEAD + "id: de-tj-2013-border\ntitle: Border posts\ndate: 2013-05-01\nsponsors: [germany]\n"
                         "recipients: [tajikistan]\njustification: {threats: [afghanistan-spillover]}\ncomponents:\n"
                         "  - {id: posts, kind: infrastructure, forces: [border-service], "
                         "purposes: [border-security]}\n",
    # Serves Kyrgyzstan too, for which no CA705 finding speaks: its CA302 stays.
    "uk-tjkg.yaml": HEAD + "id: uk-tjkg-2013-ct\ntitle: CT course for two\ndate: 2013-03-01\n"
                           "sponsors: [united-kingdom]\nrecipients: [tajikistan, kyrgyzstan]\n"
                           "justification: {threats: [terrorism]}\ncomponents:\n"
                           "  - {id: ct, kind: training, forces: [security-service-special-forces], "
                           "purposes: [counter-terrorism]}\n",
}


@pytest.fixture
def portfolio(tmp_path) -> Path:
    for name, text in PACKAGES.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


def rule_ids(report, proposal_id: str) -> list[str]:
    [result] = [r for r in report.results if r.proposal_id == proposal_id]
    return [f.rule_id for f in result.findings]


def test_a_covered_finding_is_reported_under_the_portfolio_finding(portfolio):
    report = check_portfolio_paths([portfolio], as_of=AS_OF, config=Config())
    [ca705] = [f for f in report.portfolio.findings if f.rule_id == "CA705"]
    assert ca705.subject == "tajikistan"
    assert [(c.proposal_id, c.file, c.line, c.rule_id) for c in ca705.covered] == [
        ("de-tj-2013-border", str(portfolio / "de-tj.yaml"), 9, "CA302"),
        ("us-tj-2013-ct", str(portfolio / "us-tj.yaml"), 9, "CA302")]
    assert ca705.covered[1].message == ("None of the package's 1 component(s) has purpose threat-assessment or "
                                        "intelligence (purposes given: counter-terrorism; threats cited: terrorism).")
    assert "CA302" not in rule_ids(report, "us-tj-2013-ct") + rule_ids(report, "de-tj-2013-border")
    assert "CA302" in rule_ids(report, "uk-tjkg-2013-ct")


def test_check_alone_keeps_every_finding(portfolio):
    report = check_paths([portfolio], config=Config())
    assert all("CA302" in rule_ids(report, p) for p in ("us-tj-2013-ct", "de-tj-2013-border", "uk-tjkg-2013-ct"))


def test_a_waived_finding_stays_with_its_waiver(portfolio, tmp_path):
    waivers = tmp_path / "waivers.yaml"
    waivers.write_text("waivers:\n  - {proposal: us-tj-2013-ct, rule: CA302, reason: Analysts come in 2014, "
                       "approved_by: Board}\n", encoding="utf-8")
    report = check_portfolio_paths([portfolio], as_of=AS_OF, config=Config(), waivers=waivers)
    [ca705] = [f for f in report.portfolio.findings if f.rule_id == "CA705"]
    assert [c.proposal_id for c in ca705.covered] == ["de-tj-2013-border"]
    [kept] = [f for r in report.results if r.proposal_id == "us-tj-2013-ct" for f in r.findings if f.rule_id == "CA302"]
    assert kept.waived is not None and report.waiver_notices == []


def test_the_text_format_lists_what_a_finding_covers(portfolio, monkeypatch):
    monkeypatch.chdir(portfolio)
    result = CliRunner().invoke(main, ["portfolio", ".", "--as-of", "2013-09-01"])
    assert result.exit_code == 1
    assert ("    covers: de-tj.yaml:9 de-tj-2013-border: CA302 (reported here, not under the package)\n"
            "    covers: us-tj.yaml:9 us-tj-2013-ct: CA302 (reported here, not under the package)\n") in result.output


def test_ci_formats_carry_what_a_finding_covers(portfolio, monkeypatch):
    monkeypatch.chdir(portfolio)
    result = CliRunner().invoke(main, ["portfolio", ".", "--as-of", "2013-09-01", "--format", "compact"])
    assert ("Reported here for the packages too: CA302 on de-tj-2013-border (de-tj.yaml:9); CA302 on us-tj-2013-ct "
            "(us-tj.yaml:9). (recipients)") in result.output


def copy_rules(tmp_path: Path) -> Path:
    rules = tmp_path / "rules"
    shutil.copytree(builtin_rules_dir(), rules)
    return rules


@pytest.mark.parametrize("rule,covers,message", [
    ("CA705", "[CS302]", "covers[0]: CS302 is no rule of the book (did you mean 'CA302'?); a portfolio rule covers "
                         "per-proposal rules"),
    ("CA705", "[CA701]", "covers[0]: CA701 is a portfolio rule; a portfolio rule covers per-proposal rules"),
    ("CA302", "[CA301]", "covers: only a portfolio rule covers other rules; CA302 is checked on proposal facts of "
                         "one proposal"),
])
def test_covers_names_per_proposal_rules_from_a_portfolio_rule(tmp_path, rule, covers, message):
    rules = copy_rules(tmp_path)
    path = rules / f"{rule}.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("covers: [CA302]\n", "") + f"covers: {covers}\n"
    path.write_text(text, encoding="utf-8")
    line = text.count("\n")
    with pytest.raises(InputErrors) as exc:
        get_checker([rules], [builtin_profiles_dir()], builtin=False)
    column = 1 if rule == "CA302" else 10
    assert [e.render() for e in exc.value.errors] == [f"{path}:{line}:{column}: {message}"]
    result = CliRunner().invoke(main, ["rules", "check", "--no-builtin", str(rules), "--profiles",
                                       str(builtin_profiles_dir())])
    assert result.exit_code == 2 and f"{path}:{line}:{column}: {message}" in result.output


def test_the_html_page_lists_what_a_finding_covers(portfolio):
    from ca_advisor.api import render

    page = render(check_portfolio_paths([portfolio], as_of=AS_OF, config=Config()), "html")
    assert "<h5>Reported here for the packages too</h5>" in page
    assert (f"<li><code>{portfolio / 'us-tj.yaml'}:9</code> us-tj-2013-ct: CA302, None of the package&#39;s 1 "
            "component(s) has purpose threat-assessment or intelligence") in page


def test_a_covered_rule_that_does_not_load_is_blamed_alone(tmp_path):
    rules = copy_rules(tmp_path)
    path = rules / "CA302.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("severity: info", "severity: loud"), encoding="utf-8")
    result = CliRunner().invoke(main, ["rules", "check", "--no-builtin", str(rules), "--profiles",
                                       str(builtin_profiles_dir())])
    assert result.exit_code == 2
    assert f"{path}:4:11: severity: 'loud' is not allowed" in result.output
    assert "covers[0]" not in result.output


def test_ca704_covers_ca301_for_a_state_whose_every_package_misses_the_first_in_forces(tmp_path):
    for name, sponsor, component in (("us", "united-states", "{id: ct-course, kind: training}"),
                                     ("de", "germany", "{id: ct-drill, kind: exercise}")):
        (tmp_path / f"{name}.yaml").write_text(
            f"{HEAD}id: {name}-kz-2013-ct\ntitle: CT\ndate: 2013-02-01\nsponsors: [{sponsor}]\n"
            "recipients: [kazakhstan]\ncomponents:\n"
            f"  - {component[:-1]}, forces: [armed-forces], purposes: [counter-terrorism]}}\n", encoding="utf-8")
    report = check_portfolio_paths([tmp_path], as_of=AS_OF, config=Config())
    [ca704] = [f for f in report.portfolio.findings if f.rule_id == "CA704"]
    assert [(c.proposal_id, c.rule_id, c.message) for c in ca704.covered] == [
        ("de-kz-2013-ct", "CA301", "Component 'ct-drill' is for counter-terrorism but goes only to armed-forces; the "
                                   "forces that would be first in are not reached."),
        ("us-kz-2013-ct", "CA301", "Component 'ct-course' is for counter-terrorism but goes only to armed-forces; "
                                   "the forces that would be first in are not reached.")]
    assert len(report.results) == 2
    assert all("CA301" not in [f.rule_id for f in r.findings] for r in report.results)
    alone = check_paths([tmp_path], config=Config()).results
    assert len(alone) == 2 and all("CA301" in [f.rule_id for f in r.findings] for r in alone)
