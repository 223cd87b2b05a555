"""docs/rules.md and docs/facts.md are generated; regenerate them from whatever rules,
fact tables and fact keys there are now, and compare."""

from __future__ import annotations

from pathlib import Path

import pytest

from ca_advisor.authoring.docs import facts_markdown, rules_markdown
from ca_advisor.conditions import OPERATOR_NAMES
from ca_advisor.facts.build import FACT_TYPES
from ca_advisor.reading.builtin import builtin_profiles_dir, builtin_rules_dir
from ca_advisor.rulebook.load import load_rulebook

DOCS = Path(__file__).resolve().parent.parent / "docs"
REGENERATE = "regenerate it: ca-advisor rules docs > docs/rules.md; ca-advisor rules docs facts > docs/facts.md"


@pytest.fixture(scope="module")
def book():
    return load_rulebook([builtin_rules_dir()], [builtin_profiles_dir()])


def test_rules_md_matches_the_rule_files(book):
    assert (DOCS / "rules.md").read_text(encoding="utf-8") == rules_markdown(book), REGENERATE


def test_facts_md_matches_the_fact_tables_and_keys(book):
    assert (DOCS / "facts.md").read_text(encoding="utf-8") == facts_markdown(book.profiles.keys), REGENERATE


def test_rules_md_has_a_section_for_every_rule(book):
    text = rules_markdown(book)
    for loaded in book.rules:
        assert f"\n## {loaded.id} {loaded.rule.name}\n" in text
        assert f"(#{loaded.id.lower()}-{loaded.rule.name})" in text


def test_facts_md_lists_every_field_and_profile_key(book):
    text = facts_markdown(book.profiles.keys)
    for fact_type, prefixes in FACT_TYPES.items():
        assert f"\n## {fact_type}\n" in text
        for name in prefixes[""]:
            assert f"| `{name}` |" in text
    for key in book.profiles.keys:
        assert f"| `{key}` |" in text


def test_every_operator_in_the_registry_is_documented(book):
    table = facts_markdown(book.profiles.keys).split("## Operators", 1)[1]
    assert [line.split("`")[1] for line in table.splitlines() if line.startswith("| `")] == list(OPERATOR_NAMES)


def test_the_cli_prints_the_same(book):
    from click.testing import CliRunner

    from ca_advisor.cli import main
    assert CliRunner().invoke(main, ["rules", "docs"]).stdout == rules_markdown(book)
    assert CliRunner().invoke(main, ["rules", "docs", "facts"]).stdout == facts_markdown(book.profiles.keys)
