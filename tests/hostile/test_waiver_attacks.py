"""Waivers that waive more, or less, than they say: a reason or approver that shows
nothing is refused, two proposals sharing an id are reported (they would be waived
together), and a waiver naming a rule the run does not check is reported as one that
can match nothing."""

from __future__ import annotations

import shutil

import pytest

from ._run import GOOD, GOOD_ID, run_cli

INVISIBLE = {
    "zero-width": "\\u200b\\u200c\\u200d\\u2060",
    "bidi marks": "\\u200e\\u202e\\u2066",
    "hangul filler": "\\u3164",
    "braille blank": "\\u2800 \\u2800",
    "combining marks": "\\u0301\\u0308",
}


@pytest.mark.parametrize("field,what", [("reason", "why the finding is accepted"), ("approved_by", "who accepted it")])
@pytest.mark.parametrize("kind", sorted(INVISIBLE))
def test_an_invisible_reason_or_approver_is_refused(root, field, what, kind):
    values = {"reason": "Agreed at the board", "approved_by": "J. Smith", field: INVISIBLE[kind]}
    (root / "w.yaml").write_text(f"waivers:\n  - proposal: {GOOD_ID}\n    rule: CA203\n"
                                 f"    reason: \"{values['reason']}\"\n    approved_by: \"{values['approved_by']}\"\n")
    run = run_cli(["check", "good.yaml", "--waivers", "w.yaml"], root)
    line = 4 if field == "reason" else 5
    column = 13 if field == "reason" else 18
    assert run.errors == [f"w.yaml:{line}:{column}: waivers[0].{field}: has no visible character (only spaces, "
                          f"zero-width or control characters): say {what}"]
    assert run.exit_code == 2
    assert "waived" not in run.stdout.split("\n\n")[0]  # nothing was waived


def test_two_proposals_sharing_an_id_are_reported(root):
    shutil.copy(GOOD, root / "copy.yaml")
    run = run_cli(["check", "good.yaml", "copy.yaml", "good.yaml"], root)
    assert run.errors == [f"copy.yaml:3:5: id: proposal id '{GOOD_ID}' is also the id of good.yaml; each proposal "
                          "needs its own id (waivers and diffs find proposals by id)"]
    assert run.exit_code == 2


@pytest.mark.parametrize("rule", ["CA299", "CA411"])  # unknown; disabled
def test_a_waiver_that_can_match_nothing_is_reported(root, rule):
    (root / "ca-advisor.yaml").write_text("disable: [CA411]\n")
    (root / "w.yaml").write_text(f"waivers:\n  - {{proposal: another-proposal, rule: {rule}, reason: r, "
                                 "approved_by: a}\n")
    run = run_cli(["check", "good.yaml", "--waivers", "w.yaml", "--config", "ca-advisor.yaml"], root)
    notices = [line for line in run.stdout.splitlines() if line.startswith("waiver ")]
    assert notices == [f"waiver unmatched: w.yaml:2:5: waiver for rule {rule} in proposal 'another-proposal' can "
                       f"match nothing: {rule} is not among the rules this run checks (no such rule, or one left "
                       "out by disable/select); fix the rule id or remove the waiver"]
