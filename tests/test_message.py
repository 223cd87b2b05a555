"""A rule's message template (rulebook/message.py): placeholders, filters, and the
loader's checks on them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ca_advisor.api import get_checker
from ca_advisor.model.errors import InputErrors
from ca_advisor.reading.builtin import builtin_profiles_dir, builtin_rules_dir
from ca_advisor.rulebook.message import placeholders, render

DATA = {"country": "kazakhstan", "caps": ["armour", "trucks", "air-defence"],
        "quantity": {"armour": 12, "trucks": 40, "air-defence": 2.0}}
PARAMS = {"sensitive": ["air-defence", "protected-mobility"], "combat": ["armour", "air-defence"], "none": ["x"]}


@pytest.mark.parametrize("template,expected", [
    ("{caps|among:param.sensitive}", "air-defence"),
    ("{caps|among:param.none}", "none"),  # nothing in common: said, not left blank
    ("'{caps|among:param.sensitive}'", "'air-defence'"),
    ("{quantity|total_of:param.combat}", "14"),
    ("{quantity|total_of:param.none}", "0"),
    ("{country|among:param.sensitive}", "not given"),  # not a list
    ("{caps|total_of:param.combat}", "not given"),  # not quantities
    ("{missing|among:param.sensitive}", "not given"),
    ("'{missing|among:param.sensitive}'", "not given"),
])
def test_filters_say_which_part_of_a_value_mattered(template, expected):
    assert render(template, DATA, PARAMS) == expected


def test_placeholders_name_their_filter_and_argument():
    [plain, filtered] = placeholders("{country} {caps|among:param.sensitive}")
    assert (plain.name, plain.filter, plain.argument, plain.text) == ("country", None, None, "{country}")
    assert (filtered.name, filtered.filter, filtered.argument, filtered.text) == (
        "caps", "among", "param.sensitive", "{caps|among:param.sensitive}")


def ca202_with_message(tmp_path: Path, message: str) -> Path:
    rules = tmp_path / "rules"
    shutil.copytree(builtin_rules_dir(), rules)
    path = rules / "CA202.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index("message: >-")
    end = text.index("reasoning:")
    path.write_text(text[:start] + f"message: \"{message}\"\n" + text[end:], encoding="utf-8")
    return path


@pytest.mark.parametrize("message,problem", [
    ("{transferred_capabilities|amongst:param.sensitive_capabilities}",
     "placeholder {transferred_capabilities|amongst:param.sensitive_capabilities} uses the filter 'amongst'; the "
     "filters are among and total_of (did you mean 'among'?)"),
    ("{transferred_capabilities|among:param.sensitive}",
     "placeholder {transferred_capabilities|among:param.sensitive} names no field of recipient facts and no "
     "parameter (param.NAME)"),
])
def test_the_loader_checks_filters_and_their_arguments(tmp_path, message, problem):
    path = ca202_with_message(tmp_path, message)
    with pytest.raises(InputErrors) as exc:
        get_checker([path.parent], [builtin_profiles_dir()], builtin=False)
    line = path.read_text(encoding="utf-8").splitlines().index(f"message: \"{message}\"") + 1
    assert [e.render() for e in exc.value.errors] == [f"{path}:{line}:10: message: {problem}"]
