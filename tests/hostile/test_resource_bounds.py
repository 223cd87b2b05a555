"""Resource bounds: what one check may cost is bounded with a clear refusal: the
facts a proposal makes, standard input for `explain -`, and --max-bytes itself.
(FIFOs in rule, profile and fixture directories are in test_skipped_paths.py.)"""

from __future__ import annotations

import datetime
import glob

import pytest
from hypothesis import given, settings

from ca_advisor.facts.build import MAX_FACTS, build_facts, fact_count
from ca_advisor.reading.proposals import proposal_from_mapping, read_proposal_file
from ca_advisor.reading.yaml_source import MAX_BYTES_CEILING, Limits

from ._run import GOOD, run_cli


def many_components(count: int) -> str:
    head = ("format: ca-advisor/proposal/v1\nid: big\ntitle: t\nsponsors: [united-states]\nchannel: bilateral\n"
            "recipients: [kazakhstan, uzbekistan, tajikistan, kyrgyzstan, turkmenistan]\ncomponents:\n")
    return head + "".join(f"  - {{id: c{i}, kind: training}}\n" for i in range(count))


def test_a_proposal_making_too_many_facts_is_refused(tmp_path):
    (tmp_path / "big.yaml").write_text(many_components(2000))  # 1 + 5 + 2000 x (1 component + 5 served)
    run = run_cli(["check", "big.yaml"], tmp_path)
    assert run.errors == [f"big.yaml:1:1: would make 12,006 facts for the rules (one for the proposal and for each "
                          "recipient, component, served, located or transit country and equipment item), more than "
                          f"the {MAX_FACTS:,} one check may hold; split it into smaller packages"]
    assert run.exit_code == 2


def test_the_count_is_the_number_of_facts_made(checker):
    for path in sorted(glob.glob(str(GOOD.parent.parent.parent.parent / "proposals" / "*.yaml"))):
        p = read_proposal_file(path).proposal
        assert fact_count(p) == len(build_facts(p, checker.book.profiles, datetime.date(2013, 1, 1)))


def _fuzz_proposals():
    from test_fuzz import proposals  # the fuzz run's generator of valid proposals
    return proposals()


@settings(max_examples=60, deadline=None)
@given(_fuzz_proposals())
def test_the_count_is_the_number_of_facts_made_for_any_proposal(data):
    from ca_advisor.api import get_checker
    p = proposal_from_mapping(data).proposal
    assert fact_count(p) == len(build_facts(p, get_checker().book.profiles, datetime.date(2013, 1, 1)))


def test_explain_reads_standard_input_within_the_limit(tmp_path):
    run = run_cli(["explain", "-", "--rule", "CA203"], tmp_path, stdin=b"a" * (1024 * 1024 + 10))
    assert (run.exit_code, run.errors) == (2, ["<stdin>: is over the 1,048,576-byte limit for one input file; split "
                                               "it or raise the limit (--max-bytes)"])
    small = run_cli(["explain", "-", "--rule", "CA203", "--max-bytes", "100"], tmp_path, stdin=GOOD.read_bytes())
    assert small.errors == ["<stdin>: is over the 100-byte limit for one input file; split it or raise the limit "
                            "(--max-bytes)"]


@pytest.mark.parametrize("command", [["check", "x.yaml"], ["explain", "x.yaml", "--rule", "CA203"]])
def test_a_huge_max_bytes_is_a_usage_error(tmp_path, command):
    run = run_cli([*command, "--max-bytes", str(10 ** 30)], tmp_path)
    assert run.exit_code == 2
    assert (f"Error: Invalid value for '--max-bytes': {10 ** 30} is not in the range 1<=x<={MAX_BYTES_CEILING}."
            in run.stderr)
    with pytest.raises(ValueError, match="max_bytes must be at most 67,108,864"):
        Limits(max_bytes=10 ** 30)
