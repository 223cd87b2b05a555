"""The fast reader (yaml_fast.py) gives what yaml_source's full reader gives: the same
data, the same position for every path (and for paths that are not there, the
enclosing field's), and on any file the full reader refuses, the same errors,
because the fast path gives way to it.

Compared on every bundled example, rule, fixture, profile and pack file, every
hostile and bad-proposal test file, the probe proposals and 300 generated proposals.
"""

from __future__ import annotations

import datetime
import sys
from pathlib import Path

import pytest

from ca_advisor.model.errors import InputErrors
from ca_advisor.reading.yaml_fast import (
    _CACHE_MAX_ENTRIES,
    _CONSTRUCTED,
    _RESOLVED,
    CachingLoader,
)
from ca_advisor.reading.yaml_source import DEFAULT_LIMITS, Limits, parse_yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
import generate  # noqa: E402

FILES = sorted(p for d in ("proposals", "rules", "profiles", "packs", "tests/data")
               for p in (ROOT / d).rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())
GENERATED = generate.proposal_texts(300, seed=77)


def both(raw: bytes | str, limits: Limits = DEFAULT_LIMITS):
    out = []
    for fast in (True, False):
        try:
            out.append(parse_yaml(raw, file="f.yaml", what="a file", limits=limits, fast=fast))
        except InputErrors as exc:
            out.append([e.render() for e in exc.errors])
    return out


def assert_same(raw: bytes | str, limits: Limits = DEFAULT_LIMITS) -> None:
    fast, full = both(raw, limits)
    if isinstance(full, list):
        assert fast == full  # the same errors, word for word
        return
    assert fast.data == full.data
    assert repr(fast.data) == repr(full.data)  # same types too (1 is not 1.0 nor True)
    paths = set(full.value_marks) | set(full.key_marks)
    for path in paths | {f"{p}.nothing-here" for p in paths} | {f"{p}[99]" for p in paths}:
        for key in (False, True):
            assert fast.mark_of(path, key=key) == full.mark_of(path, key=key), (path, key)


def test_the_fast_path_is_taken_on_an_ordinary_file():
    fast, full = both((ROOT / "proposals" / "us-uz-2013-raven-uav.yaml").read_bytes())
    assert fast.nodes is not None and not fast.value_marks
    assert full.nodes is None and full.value_marks


@pytest.mark.parametrize("path", FILES, ids=[str(p.relative_to(ROOT)) for p in FILES])
def test_same_data_marks_and_errors_on_every_file(path):
    assert_same(path.read_bytes())


@pytest.mark.parametrize("n", range(0, 300, 30))
def test_same_on_generated_proposals(n):
    for text in GENERATED[n:n + 30]:
        assert_same(text)


@pytest.mark.parametrize("text", [
    "a: 1\na: 2\n",                      # duplicate key
    "a: !!python/object:os.system x\n",   # tag
    "2013: x\n",                         # a key that is not text
    "a.b: 1\nc: {d.e: [x], \"f[0]\": 2}\n",  # keys holding path syntax
    "x: &a [1, 2]\ny: *a\n",             # an alias: fast, and the same marks
    "x: &a [*a]\n",                      # a recursive alias
    "a: 1e400\n",                        # a number the engine cannot take
    "a: 2013-02-30\n",                   # not a real date
    "a: [[[[[[1]]]]]]\n",                # depth
    "- 1\n- 2\n",                        # not a mapping
    "a: {b: [1, {c: d}]}\n",
    'a: "x\u2028y\x85z"\nb:\n  c: 1\n',         # line breaks YAML counts and editors do not
    "a: 1\rb: [2]\r\nc: 3\n",
])
def test_same_on_unusual_documents(text):
    assert_same(text)
    assert_same(text, Limits(max_depth=3, max_nodes=5))


def test_resolution_cache_stays_bounded():
    for n in range(_CACHE_MAX_ENTRIES + 100):
        loader = CachingLoader(f"k: v{n}\n")
        try:
            loader.get_single_node()
        finally:
            loader.dispose()
    assert len(_RESOLVED) <= _CACHE_MAX_ENTRIES


def test_constructed_values_are_remembered_alike_and_bounded():
    _CONSTRUCTED.clear()  # an earlier test may have filled it to the bound
    text = "d: 2013-05-01\nn: 40\nf: 2.5\nb: yes\nx: 0x10\n"
    first, again = parse_yaml(text, file="a", what="x").data, parse_yaml(text, file="b", what="x").data
    assert first == again == {"d": datetime.date(2013, 5, 1), "n": 40, "f": 2.5, "b": True, "x": 16}
    assert type(again["f"]) is float and type(again["n"]) is int
    assert _CONSTRUCTED[("tag:yaml.org,2002:timestamp", "2013-05-01")] == datetime.date(2013, 5, 1)
    assert again["d"] is first["d"]  # the second read took it from the cache
    for n in range(_CACHE_MAX_ENTRIES + 100):
        parse_yaml(f"k: {n}\n", file="a", what="x")
    assert len(_CONSTRUCTED) <= _CACHE_MAX_ENTRIES


def test_path_resolvers_registered_elsewhere_change_nothing(monkeypatch):
    """Other code in the process may register path resolvers with PyYAML; a file's
    tags still come from its own text (the loader skips them, and follows no path)."""
    import yaml

    from ca_advisor.reading.yaml_source import Loader

    text = "id: a\ncomponents:\n  - {id: c, kind: training}\nn: '40'\n"
    before = parse_yaml(text, file="a", what="x").data
    monkeypatch.setattr(Loader, "yaml_path_resolvers", {}, raising=False)
    monkeypatch.setattr(Loader, "yaml_implicit_resolvers", dict(Loader.yaml_implicit_resolvers))
    yaml.add_path_resolver("tag:yaml.org,2002:set", ["components"], list, Loader=Loader)
    yaml.add_path_resolver("tag:yaml.org,2002:int", ["n"], str, Loader=Loader)
    assert Loader.yaml_path_resolvers  # registered where the reader's loader would see them
    assert parse_yaml(text, file="a", what="x").data == before == {
        "id": "a", "components": [{"id": "c", "kind": "training"}], "n": "40"}


def test_each_path_is_parsed_once_and_the_parsed_paths_stay_bounded():
    from ca_advisor.reading.yaml_fast import _steps

    _steps.cache_clear()
    assert _steps('components[12].countries[0]') == ((None, "components"), (12, ""), (None, "countries"), (0, ""))
    assert _steps("components[12].countries[0]") is _steps("components[12].countries[0]")
    assert _steps.cache_info().hits == 2 and _steps.cache_info().maxsize == 4096
