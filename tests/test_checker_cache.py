"""``get_checker`` in a long-running process: one checker per configuration and state
of its files, at most ``CACHE_SIZE`` of them, and an edited, added or deleted rule
file is noticed on the next call."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest

from ca_advisor import api
from ca_advisor.api import check_text, get_checker
from ca_advisor.rulebook.config import Config

RULE = """id: XX100
name: probe
severity: warning
title: A probe
for_each: proposal
when:
  - channel: {is: bilateral}
message: "{message}"
reasoning: r
evidence: [{quote: q, section: "5"}]
recommendation: r
"""
PROPOSAL = """format: ca-advisor/proposal/v1
id: p
title: t
sponsors: [eu]
channel: bilateral
recipients: [kazakhstan]
components: [{id: c, kind: training}]
"""


def messages(rules) -> list[str]:
    checker = get_checker([rules])
    report = check_text(PROPOSAL, checker=checker)
    return [f.message for r in report.results for f in r.findings if f.rule_id == "XX100"]


@pytest.fixture
def rules(tmp_path):
    directory = tmp_path / "rules"
    directory.mkdir()
    (directory / "XX100.yaml").write_text(RULE.replace("{message}", "first wording"))
    return directory


def test_the_same_configuration_gives_the_same_checker(rules):
    assert get_checker([rules]) is get_checker([rules])


def test_an_edited_rule_file_is_noticed(rules):
    assert messages(rules) == ["first wording"]
    (rules / "XX100.yaml").write_text(RULE.replace("{message}", "second, longer wording"))
    assert messages(rules) == ["second, longer wording"]


def test_an_edit_that_keeps_the_size_is_noticed_by_its_time(rules):
    assert messages(rules) == ["first wording"]
    path = rules / "XX100.yaml"
    path.write_text(RULE.replace("{message}", "other wording"))  # the same length
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    assert messages(rules) == ["other wording"]


def test_an_added_and_a_deleted_rule_file_are_noticed(rules):
    assert messages(rules) == ["first wording"]
    (rules / "XX101.yaml").write_text(RULE.replace("XX100", "XX101").replace("{message}", "added"))
    assert "XX101" in {r.id for r in get_checker([rules]).book.rules}
    (rules / "XX101.yaml").unlink()
    assert "XX101" not in {r.id for r in get_checker([rules]).book.rules}


def test_the_cache_keeps_at_most_cache_size_checkers():
    for n in range(api.CACHE_SIZE + 4):
        get_checker(config=Config(parameters=(("CA202", (("combat_item_threshold", 30 + n),)),)), engine="native")
    assert len(api._cache) == api.CACHE_SIZE


_MANY_CONFIGURATIONS = """
    import os
    from ca_advisor.api import check_text, get_checker
    from ca_advisor.rulebook.config import Config
    from ca_advisor.reading.builtin import examples_dir
    text = sorted(examples_dir().glob("*.yaml"))[0].read_text()
    def rss():
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2 ** 20
    expected = None
    for n in range(120):
        junk = [b"\\x0c" * (k * 64) for k in range(1, 100)]  # the heap garbage that once gave error 102
        del junk
        checker = get_checker(config=Config(parameters=(("CA202", (("combat_item_threshold", 30 + n),)),)))
        found = [f.rule_id for r in check_text(text, checker=checker).results for f in r.findings]
        expected = expected or found
        assert found == expected, (n, found)
        if n == 20:
            before = rss()
    print(round(rss() - before, 1))
"""


@pytest.mark.skipif(not os.path.exists("/proc/self/statm"), reason="reads resident memory from /proc")
def test_many_configurations_in_one_process_never_fail_and_stay_bounded():
    """120 configurations through the API (the issue saw 1,300 reach 2.7 GB and error
    102 after about 100): every one builds and checks, and memory stays flat."""
    proc = subprocess.run([sys.executable, "-c", textwrap.dedent(_MANY_CONFIGURATIONS)], capture_output=True,
                          text=True, timeout=300, check=False)
    assert proc.returncode == 0, proc.stderr
    assert float(proc.stdout) < 30


def test_an_edited_pack_rule_is_noticed(tmp_path):
    """A long-running process notices an edit to a pack's rule as to any rule file."""
    import shutil
    from pathlib import Path

    from ca_advisor.rulebook.packs import ref_from_option, resolve_refs

    pack = tmp_path / "pack"
    shutil.copytree(Path(__file__).resolve().parents[1] / "packs" / "public-record-2014", pack)
    config = Config(packs=resolve_refs([ref_from_option(str(pack))], tmp_path, None))
    rule = pack / "rules" / "PR101.yaml"
    first = get_checker(config=config)
    assert get_checker(config=config) is first
    rule.write_text(rule.read_text(encoding="utf-8").replace("severity: warning", "severity: error", 1),
                    encoding="utf-8")
    assert get_checker(config=config) is not first
    assert get_checker(config=config).plan.rules["PR101"].static.head["severity"] == "error"
