"""Every quote in every built-in rule occurs verbatim in the report (layout normalised)."""

from __future__ import annotations

import pytest

from ca_advisor.rulebook.quotes import quote_in_report


def _quotes(checker):
    return [(r.id, i, e.quote) for r in checker.book.rules for i, e in enumerate(r.rule.evidence)]


def test_every_rule_quotes_the_report(checker, report_text):
    missing = [(rule_id, i, quote) for rule_id, i, quote in _quotes(checker)
               if not quote_in_report(quote, report_text)]
    assert missing == []


@pytest.mark.parametrize("quote,found", [
    ("or result in such a perception taking root", True),          # joined across "percep-/tion"
    ("Afghanistan-linked contingency force", True),                # real hyphen kept across a line end
    ("there is really no such entity as the 'region' of Central Asia", True),  # straight for curly quotes
    ("there is really no such entity as the region of Central Asia", False),   # a word's quotes dropped
    ("or result in such a perception taking roots", False),
])
def test_quote_matching_normalises_layout_only(report_text, quote, found):
    assert quote_in_report(quote, report_text) is found
