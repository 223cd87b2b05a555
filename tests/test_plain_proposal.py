"""The plain proposal reader (reading/plain_proposal.py) only ever says yes where the
model does, with the same values; and it does say yes to the proposals people write.

Differential: every example, every fixture case, a generated corpus, hypothesis'
proposals, and each of them mutated field by field (removed, emptied, retyped,
misspelt, an unknown field beside it).  Wherever the plain reader takes a mapping,
``Proposal.model_validate`` takes it too and ``model_dump()`` equals ``as_data()``.
"""

from __future__ import annotations

import copy
import datetime
import sys
from pathlib import Path

import orjson
import pytest
from hypothesis import given, settings
from test_fast_path import CASES, EXAMPLES
from test_fuzz import SETTINGS, proposals

from ca_advisor.facts.build import EQUIPMENT_FIELDS
from ca_advisor.model.proposal import EquipmentItem, Proposal
from ca_advisor.reading.plain_proposal import plain_proposal
from ca_advisor.reading.proposals import read_proposal_file

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
import generate  # noqa: E402

WRONG_VALUES = [None, 0, 1, -1, 2.5, True, False, "", "text", "Not A Slug", "2013-05-01", [], ["x"], [1], {},
                {"x": 1}, datetime.date(2013, 5, 1), datetime.datetime(2013, 5, 1, 12, 0)]


def model_says(data) -> dict | None:
    try:
        return Proposal.model_validate(data).model_dump()
    except Exception:  # noqa: BLE001 - any refusal
        return None


def assert_never_more_lenient(data) -> bool:
    """The plain reader takes ``data`` only if the model does, with the same values;
    returns whether it took it."""
    plain = plain_proposal(data)
    if plain is None:
        return False
    # As JSON, so that types count too: 3 and 3.0 are equal in Python, not in a report.
    assert orjson.dumps(plain.as_data()) == orjson.dumps(model_says(data)), data
    return True


def mutations(data: dict):
    """``data`` changed in one place at a time, at every field of every level."""
    def paths(value, path=()):
        if isinstance(value, dict):
            for key, item in value.items():
                yield path + (key,)
                yield from paths(item, path + (key,))
        elif isinstance(value, list):
            for i, item in enumerate(value):
                yield path + (i,)
                yield from paths(item, path + (i,))

    for path in list(paths(data)):
        for wrong in [*WRONG_VALUES, "__remove__"]:
            changed = copy.deepcopy(data)
            parent = changed
            for part in path[:-1]:
                parent = parent[part]
            if wrong == "__remove__":
                del parent[path[-1]]
            else:
                parent[path[-1]] = wrong
            yield changed
    for path in [()] + [p for p in paths(data) if isinstance(_at(data, p), dict)]:
        changed = copy.deepcopy(data)
        target = _at(changed, path)
        target["unknown_field"] = "x"
        yield changed


def _at(data, path):
    for part in path:
        data = data[part]
    return data


def loaded_data(path: Path) -> dict:
    return read_proposal_file(path).source.data


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_every_example_taken_alike_and_its_mutations_never_more_leniently(path):
    data = loaded_data(path)
    assert assert_never_more_lenient(data)
    taken = sum(assert_never_more_lenient(changed) for changed in mutations(data))
    assert taken > 0  # some mutations stay valid (an optional field removed, another valid value)


def test_every_fixture_case_taken_alike():
    """Fixture cases are proposals as rule authors write them: every one is taken, and
    alike (none needs the model's leniency)."""
    missed = [(rule_id, case.name) for rule_id, case in CASES if not assert_never_more_lenient(case.proposal)]
    assert missed == []


def test_a_generated_corpus_is_taken_alike(tmp_path):
    for path in generate.write_proposals(tmp_path, 150, seed=77):
        assert assert_never_more_lenient(loaded_data(path)), path


@given(proposals())
@SETTINGS
def test_hypothesis_proposals_taken_alike(data):
    assert assert_never_more_lenient(data)


@given(proposals())
@settings(SETTINGS, max_examples=25)  # each drawn proposal is mutated a few hundred ways
def test_hypothesis_proposals_mutated_never_more_leniently(data):
    for changed in mutations(data):
        assert_never_more_lenient(changed)


@pytest.mark.parametrize("data", [None, [], "text", 1, {"format": "ca-advisor/proposal/v1"}])
def test_what_is_no_proposal_is_left_to_the_model(data):
    assert plain_proposal(data) is None


def test_forms_the_model_converts_are_left_to_it():
    data = loaded_data(EXAMPLES[0])
    for field, value in (("date", "2013-05-01"), ("date", datetime.datetime(2013, 5, 1)),
                         ("duration_years", True)):
        changed = {**data, field: value}
        assert plain_proposal(changed) is None
    assert plain_proposal({**data, "duration_years": 3}).duration_years == 3.0  # as the model gives it


def test_an_equipment_item_has_the_fields_of_the_model_in_its_order():
    assert tuple(EQUIPMENT_FIELDS) == tuple(EquipmentItem.model_fields)


def test_names_that_passed_are_remembered_bounded_and_a_bad_one_never():
    from ca_advisor.reading.plain_proposal import _SLUGS_SEEN, _SLUGS_SEEN_MAX, _No, _slug

    _SLUGS_SEEN.clear()
    assert _slug("uzbekistan") == "uzbekistan" and "uzbekistan" in _SLUGS_SEEN
    for bad in ("Uzbekistan", "two words", "", "-x"):
        with pytest.raises(_No):
            _slug(bad)
        assert bad not in _SLUGS_SEEN
    for n in range(_SLUGS_SEEN_MAX + 100):
        _slug(f"name-{n}")
    assert len(_SLUGS_SEEN) == _SLUGS_SEEN_MAX
