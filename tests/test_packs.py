"""Rule packs: the shipped public-record-2014 pack changes post-2014 findings as its
fixtures say and every output names it; packs by path and by name; severity and
parameter changes shown as coming from the pack; refusals (clashing id, unsatisfied
version, another ca-advisor version, unknown name) with file and line; packs list,
show and new; rules check and rules test on a pack."""

from __future__ import annotations

import json
from contextlib import chdir as cwd
from pathlib import Path

import pytest
from click.testing import CliRunner
from report import missing_reason, report_path

from ca_advisor.cli import main
from ca_advisor.rulebook.packs import shipped_packs_dir

PUBLIC = shipped_packs_dir() / "public-record-2014"
KZ_2022 = PUBLIC / "proposals" / "us-kz-2022-national-guard-ct.yaml"
KG_2015 = PUBLIC / "proposals" / "us-kg-2015-airfield-access.yaml"
PR101_MESSAGE = ("The proposal does not assess how the CSTO or Russia would react (actors considered: china), though "
                 "kazakhstan asked the CSTO for help in a domestic crisis and its forces deployed there in January "
                 "2022 (now withdrawn).")


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def rule_ids(output: str) -> list[str]:
    return sorted({f["rule_id"] for r in json.loads(output)["results"] for f in r["findings"]})


def write_pack(root: Path, name: str, *, version: str = "1.0.0", requires: str = ">=0.1", extra: str = "",
               rule_id: str | None = None) -> Path:
    root.mkdir(parents=True)
    (root / "ca-advisor-pack.yaml").write_text(f"name: {name}\nversion: {version}\ndescription: Test pack {name}\n"
                                               f"requires: \"{requires}\"\n{extra}", encoding="utf-8")
    if rule_id:
        (root / "rules").mkdir()
        (root / "rules" / f"{rule_id}.yaml").write_text(
            f"id: {rule_id}\nname: probe-{rule_id.lower()}\nseverity: warning\ntitle: Probe {rule_id}\n"
            "for_each: component\nwhen:\n  - kind: training\nmessage: \"{id}\"\nreasoning: r\n"
            "evidence:\n  - {quote: q, section: \"5\"}\nrecommendation: r\n", encoding="utf-8")
    return root


# --- the public-record pack ---------------------------------------------------------

def test_config_naming_the_pack_changes_a_2022_proposal_as_its_fixture_says(tmp_path):
    (tmp_path / "ca-advisor.yaml").write_text("packs:\n  - {name: public-record-2014, version: \">=1,<2\"}\n")
    without = run("check", str(KZ_2022), "--format", "json", "--config", str(tmp_path / "ca-advisor.yaml"))
    plain = run("check", str(KZ_2022), "--format", "json")
    # stderr is shown when it is not empty (a JSON decode error once hid it).
    assert (without.stderr, plain.stderr) == ("", "")
    assert "PR101" not in rule_ids(plain.stdout)
    assert "PR101" in rule_ids(without.stdout)
    finding = next(f for f in json.loads(without.stdout)["results"][0]["findings"] if f["rule_id"] == "PR101")
    assert finding["message"] == PR101_MESSAGE
    assert finding["severity"] == "warning"
    assert json.loads(without.stdout)["packs"] == [
        {"name": "public-record-2014", "version": "1.0.0", "origin": "shipped with ca-advisor"}]
    # Its sources are public record, not the report, in the evidence and the facts it rests on.
    assert [(e["source"], e["source_kind"]) for e in finding["evidence"]] == [
        ("diis-2013", "report"), ("csto-kazakhstan-2022", "public-record")]
    assert [(f["key"], f["value"], f["source_kind"]) for f in finding["facts_used"]] == [
        ("csto_crisis_assistance", "withdrawn", "public-record")]
    assert finding["facts_used"][0]["source"].startswith("Public record: CSTO Collective Peacekeeping Forces")
    assert finding["stale"] is None and finding["evidence_year"] == 2022


def test_the_same_proposal_before_the_event_is_unchanged():
    early = KZ_2022.read_text().replace("date: 2022-03-01", "date: 2021-12-01")
    result = CliRunner().invoke(main, ["check", "-", "--format", "json", "--pack", "public-record-2014"], input=early)
    assert "PR101" not in rule_ids(result.output)


def test_every_output_format_names_the_pack_and_labels_its_sources():
    args = ["check", str(KG_2015), "--pack", "public-record-2014"]
    text = run(*args).output
    assert "packs: public-record-2014 1.0.0 (shipped with ca-advisor)\n" in text
    assert "evidence (public-record): “Transit Center at Manas” (Public record: the United" in text
    assert "rests on (public-record): kyrgyzstan us_transit_center = closed since 2014-06-03" in text
    sarif = json.loads(run(*args, "--format", "sarif").output)
    assert sarif["runs"][0]["properties"]["packs"] == [
        {"name": "public-record-2014", "version": "1.0.0", "origin": "shipped with ca-advisor"}]
    pr102 = next(r for r in sarif["runs"][0]["tool"]["driver"]["rules"] if r["id"] == "PR102")
    assert pr102["properties"]["citations"][1].startswith("Public record: the United States hands over")
    markdown = run(*args, "--format", "markdown").output
    assert "\npacks: public-record-2014 1.0.0 (shipped with ca-advisor)\n" in markdown
    assert '<property name="packs" value="public-record-2014 1.0.0 (shipped with ca-advisor)" />' in \
        run(*args, "--format", "junit").output
    assert "::notice title=ca-advisor packs::packs: public-record-2014 1.0.0 (shipped with ca-advisor)" in \
        run(*args, "--format", "github").output


def test_without_packs_no_output_mentions_them():
    assert "packs: " not in run("check", str(KG_2015)).output
    assert json.loads(run("check", str(KG_2015), "--format", "json").output)["packs"] == []
    assert "packs" not in json.loads(run("check", str(KG_2015), "--format", "sarif").output)["runs"][0]["properties"]


@pytest.mark.skipif(not report_path().is_file(), reason=missing_reason())
def test_the_pack_passes_rules_check_and_its_fixtures_pass():
    checked = run("rules", "check", "--pack", str(PUBLIC), "--report", str(report_path()))
    assert checked.exit_code == 0, checked.output
    assert "quotes citing 'csto-kazakhstan-2022' not checked: its declaration gives no `text:` file" in checked.output
    tested = run("rules", "test", str(PUBLIC / "rules"), "--pack", str(PUBLIC))
    assert tested.exit_code == 0, tested.output
    assert tested.output.splitlines()[-1] == "11 cases: 11 passed, 0 failed"


def test_rules_list_and_show_say_the_rule_comes_from_the_pack():
    listed = run("rules", "list", "--pack", "public-record-2014").output
    assert any(line.startswith("PR104 ") and line.endswith("[pack public-record-2014 1.0.0]")
               for line in listed.splitlines())
    shown = run("rules", "show", "PR101", "--pack", "public-record-2014").output.splitlines()
    assert shown[4] == "from pack: public-record-2014 1.0.0"


def test_packs_list_and_show():
    assert "public-record-2014  1.0.0    shipped with ca-advisor" in run("packs", "list").output
    shown = run("packs", "show", "public-record-2014").output
    assert "  PR101 warning csto-has-acted-in-kazakhstan: " in shown
    assert "  kyrgyzstan.us_transit_center = closed since 2014-06-03 (us-manas-handover-2014)" in shown
    assert "  csto-kazakhstan-2022 (public-record, 2022-01-19): Public record: CSTO Collective" in shown


# --- changes to built-in rules ---------------------------------------------------------

def test_a_pack_changes_a_severity_and_a_parameter_and_says_so(tmp_path):
    pack = write_pack(tmp_path / "p", "tuning", extra="severity: {CA502: warning}\n"
                                                      "parameters: {CA202: {combat_item_threshold: 30}}\n")
    listed = run("rules", "list", "--pack", str(pack), "--format", "json")
    rows = {r["id"]: r for r in json.loads(listed.output)}
    assert rows["CA502"]["severity"] == "warning"
    assert rows["CA502"]["changes"] == ["severity warning (was info) from pack tuning 1.0.0"]
    assert rows["CA202"]["changes"][0].startswith("parameter combat_item_threshold = 30 (was ")
    shown = run("rules", "show", "CA502", "--pack", str(pack)).output.splitlines()
    assert shown[4] == "changed: severity warning (was info) from pack tuning 1.0.0"


# --- refusals, with file and line --------------------------------------------------------

def test_two_packs_defining_one_rule_id_are_refused(tmp_path):
    a = write_pack(tmp_path / "a", "pack-a", rule_id="PX101")
    b = write_pack(tmp_path / "b", "pack-b", rule_id="PX101")
    result = run("check", str(KG_2015), "--pack", str(a), "--pack", str(b))
    assert result.exit_code == 2
    assert result.stderr == (f"error: {b}/rules/PX101.yaml:1:5: id: rule id PX101 is also defined in "
                             f"{a}/rules/PX101.yaml; rule ids must be unique\n")


def test_a_version_that_does_not_satisfy_the_constraint_is_refused(tmp_path):
    (tmp_path / "ca-advisor.yaml").write_text("packs:\n  - name: public-record-2014\n    version: \">=2\"\n")
    result = run("check", str(KG_2015), "--config", str(tmp_path / "ca-advisor.yaml"))
    assert result.exit_code == 2
    assert result.stderr == (f"error: {tmp_path}/ca-advisor.yaml:3:14: packs[0].version: pack public-record-2014 >=2 "
                             "is wanted, but found only 1.0.0 (shipped with ca-advisor)\n")


def test_a_pack_for_another_ca_advisor_version_is_refused(tmp_path):
    pack = write_pack(tmp_path / "old", "old-pack", requires="<0.1")
    result = run("check", str(KG_2015), "--pack", str(pack))
    assert result.exit_code == 2
    assert result.stderr == (f"error: {pack}/ca-advisor-pack.yaml:4:11: requires: pack old-pack 1.0.0 requires "
                             "ca-advisor <0.1, but this is ca-advisor 0.1.0; use a release of the pack made for "
                             "this version\n")


def test_an_unknown_pack_name_and_a_bad_manifest_are_refused(tmp_path):
    (tmp_path / "ca-advisor.yaml").write_text("packs:\n  - name: public-record-2015\n")
    result = run("check", str(KG_2015), "--config", str(tmp_path / "ca-advisor.yaml"))
    assert result.stderr == (f"error: {tmp_path}/ca-advisor.yaml:2:11: packs[0].name: no pack named "
                             "'public-record-2015' is installed or shipped with ca-advisor (available: "
                             "public-record-2014) (did you mean 'public-record-2014'?); give its directory with "
                             "'path'\n")
    bad = write_pack(tmp_path / "bad", "bad-pack", version="one", extra="severity: {CA999: warning}\n")
    result = run("check", str(KG_2015), "--pack", str(bad))
    assert result.exit_code == 2
    assert "ca-advisor-pack.yaml:2:10: version: 'one' is not a PEP 440 version (e.g. 1.0.0)" in result.stderr


def test_a_change_to_a_rule_that_does_not_exist_is_located_in_the_manifest(tmp_path):
    pack = write_pack(tmp_path / "p", "typo", extra="severity: {CA999: warning}\n")
    result = run("check", str(KG_2015), "--pack", str(pack))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: {pack}/ca-advisor-pack.yaml:5:11: severity: 'CA999' names no loaded rule")


# --- authoring -----------------------------------------------------------------------------

def test_packs_new_writes_a_skeleton_that_rules_check_lists_the_todos_of(tmp_path):
    with cwd(tmp_path):
        made = run("packs", "new", "our-review")
        assert made.exit_code == 0
        assert made.output.splitlines()[:4] == ["wrote our-review/ca-advisor-pack.yaml", "wrote our-review/sources.yaml",
                                                "wrote our-review/rules/PK101.yaml",
                                                "wrote our-review/rules/fixtures/PK101.yaml"]
        checked = run("rules", "check", "--pack", "our-review")
        assert checked.exit_code == 2
        assert "our-review/rules/PK101.yaml:9:8: title: still holds the placeholder 'TODO'" in checked.output
        again = run("packs", "new", "our-review")
        assert again.exit_code == 2
        assert again.stderr == "error: our-review/ca-advisor-pack.yaml already exists; not overwritten\n"
