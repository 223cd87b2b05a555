"""``--format markdown``: a pull-request comment, exactly, with escaping."""

from __future__ import annotations

import datetime

import pytest
from click.testing import CliRunner

from ca_advisor.api import check_paths
from ca_advisor.cli import main
from ca_advisor.model.findings import CheckResult, Finding, Report
from ca_advisor.output.markdown import code, escape, render_markdown


def test_the_whole_comment_with_a_waiver_notices_and_an_input_error(in_data):
    result = CliRunner().invoke(main, ["check", "proposals/armour.yaml", "proposals/clean.yaml", "broken/broken.yaml",
                                       "--waivers", "waivers.yaml", "--format", "markdown"])
    [error] = check_paths(["broken/broken.yaml"]).errors
    assert (result.exit_code, result.stderr) == (2, "")
    assert result.stdout == f"""\
## ca-advisor: 2 proposals checked

| error | warning | info | waived | strengths | stale | input errors |
| ---: | ---: | ---: | ---: | ---: | ---: | ---: |
| 1 | 0 | 1 | 1 | 0 | 0 | 1 |

Config: `ca-advisor.yaml`

### `proposals/armour.yaml`

Proposal `test-armour`, checked as of 2013-06-01 (proposal date).

| severity | rule | message | location |
| --- | --- | --- | --- |
| **error** | TS101 offensive-item | Component 'mrap-transfer' transfers 12 × M-ATV, turret (armour).<br>*do:* Remove the offensive items. \
| `proposals/armour.yaml:12` `components[0].equipment[0].capability` |
| waived warning | TS102 no-duration | Proposal 'test-armour' gives no duration, so \\| pipes, \\*stars\\* and \
\\<tags\\> stay literal.<br>*waived:* Duration is set by the annual budget, see memo 4: para 2, 3 \
(approved by Policy board, until 2999-12-31)<br>*do:* State duration\\_years. | `proposals/armour.yaml:6` `channel`<br>`proposals/armour.yaml:1` \
`duration_years` |
| info | TS602 not-evaluated | TS103 (ct-forces) could not be evaluated for components\\[1\\]: add \
components\\[1\\].forces.<br>*do:* Add the field. | `proposals/armour.yaml:14` `components[1].forces` |

### `proposals/clean.yaml`

Proposal `test-clean`, checked as of 2013-06-01 (proposal date).

No findings.

### Waiver notices

- `waivers.yaml:7:5`: waiver for rule TS101 in proposal 'test-armour' expired on 2020-01-01 and no longer \
applies; its findings count again
- `waivers.yaml:12:5`: waiver for rule TS103 in proposal 'test-armour' matched no finding; remove it if the \
finding is gone

### Input errors

- `broken/broken.yaml:11:49` `components[0].equipment[0].quantity`: {escape(error.message)}
"""


def test_escape_keeps_tables_and_html_literal():
    assert escape("a | b <script>*x*_y_ [l](u) `c` ~s~ &amp;\nnext") == (
        "a \\| b \\<script\\>\\*x\\*\\_y\\_ \\[l\\](u) \\`c\\` \\~s\\~ \\&amp;<br>next")


@pytest.mark.parametrize("text,span", [
    ("plain", "`plain`"),
    ("a`b", "``a`b``"),
    ("`edge", "`` `edge ``"),
    ("a|b", "`a\\|b`"),
])
def test_code_spans_hold_any_text(text, span):
    assert code(text) == span


def test_strengths_are_listed():
    strength = Finding(rule_id="CA901", name="good-thing", severity="info", title="t", message="m", locations=[],
                       reasoning="r", evidence=[], recommendation="d")
    report = Report(results=[CheckResult(file="f.yaml", proposal_id="p", as_of=datetime.date(2013, 1, 1),
                                         as_of_source="--as-of", findings=[], strengths=[strength])])
    assert "No findings.\n\nStrengths: CA901 good-thing.\n" in render_markdown(report)
