"""The condition language, operator by operator, evaluated by each engine: durable-rules
itself (where it imports) and the registry's own evaluator.

Each case compiles a one-test rule over component facts and checks one component;
absent fields make positive operators false and negative ones true.
"""

from __future__ import annotations

import json

import pytest
import yaml

from ca_advisor.engines import DURABLE, ENGINES, durable_available
from ca_advisor.engines.checker import Checker
from ca_advisor.model.errors import InputErrors
from ca_advisor.reading.proposals import proposal_from_mapping
from ca_advisor.rulebook.load import load_rulebook

RULE = {"id": "XX100", "name": "probe", "severity": "warning", "title": "probe", "for_each": "component",
        "message": "fired on {id}", "reasoning": "r", "recommendation": "r",
        "evidence": [{"quote": "q", "section": "5"}]}


@pytest.fixture(params=ENGINES)
def engine(request):
    if request.param == DURABLE and durable_available():
        pytest.skip(durable_available())
    return request.param


def checker_for(tmp_path, when, engine=None, **extra):
    rules = tmp_path / "rules"
    rules.mkdir(exist_ok=True)
    (rules / "XX100.yaml").write_text(yaml.safe_dump({**RULE, "when": when, **extra}))
    return Checker(load_rulebook([rules], []), engine=engine)


def fires(checker, component) -> bool:
    proposal = {"format": "ca-advisor/proposal/v1", "id": "p", "title": "t", "sponsors": ["eu"],
                "channel": "bilateral", "recipients": ["kazakhstan", "kyrgyzstan"],
                "components": [{"id": "c", **component}]}
    result = checker.check(proposal_from_mapping(proposal), as_of=None)
    return [f.message for f in result.findings] == ["fired on c"]


BASE = {"kind": "training"}
CASES = [
    # operator, test, component, fires
    ("is", {"kind": {"is": "training"}}, BASE, True),
    ("is (shorthand)", {"kind": "training"}, BASE, True),
    ("is", {"kind": {"is": "basing"}}, BASE, False),
    ("is_not on absent", {"end_use_monitoring": {"is_not": True}}, BASE, True),
    ("is_not on false", {"end_use_monitoring": {"is_not": True}}, {**BASE, "end_use_monitoring": False}, True),
    ("is_not on true", {"end_use_monitoring": {"is_not": True}}, {**BASE, "end_use_monitoring": True}, False),
    ("one_of", {"kind": {"one_of": ["basing", "training"]}}, BASE, True),
    ("not_one_of on absent", {"needs_assessment": {"not_one_of": ["joint"]}}, BASE, True),
    ("not_one_of", {"needs_assessment": {"not_one_of": ["joint", "none"]}}, {**BASE, "needs_assessment": "none"}, False),
    ("includes", {"forces": {"includes": "customs"}}, {**BASE, "forces": ["customs", "civilian"]}, True),
    ("includes on absent", {"forces": {"includes": "customs"}}, BASE, False),
    ("includes_any", {"purposes": {"includes_any": ["logistics", "intelligence"]}},
     {**BASE, "purposes": ["intelligence"]}, True),
    ("includes_none on absent", {"forces": {"includes_none": ["armed-forces"]}}, BASE, True),
    ("includes_none on empty", {"forces": {"includes_none": ["armed-forces"]}}, {**BASE, "forces": []}, True),
    ("includes_none", {"forces": {"includes_none": ["armed-forces"]}}, {**BASE, "forces": ["armed-forces"]}, False),
    ("only", {"forces": {"only": ["armed-forces"]}}, {**BASE, "forces": ["armed-forces"]}, True),
    ("only with another", {"forces": {"only": ["armed-forces"]}}, {**BASE, "forces": ["armed-forces", "customs"]}, False),
    ("only on absent", {"forces": {"only": ["armed-forces"]}}, BASE, False),
    ("includes_other_than", {"forces": {"includes_other_than": ["customs"]}}, {**BASE, "forces": ["customs", "civilian"]}, True),
    ("includes_other_than", {"forces": {"includes_other_than": ["customs"]}}, {**BASE, "forces": ["customs"]}, False),
    ("at_least", {"country_count": {"at_least": 2}}, BASE, True),
    ("more_than", {"country_count": {"more_than": 2}}, BASE, False),
    ("at_most", {"country_count": {"at_most": 1}}, {**BASE, "countries": ["kazakhstan"]}, True),
    ("less_than", {"equipment_quantity": {"less_than": 1}}, BASE, True),
    ("present", {"deployment": {"present": True}}, {**BASE, "deployment": "afghanistan"}, True),
    ("present false", {"deployment": {"present": False}}, BASE, True),
    ("any", {"any": [{"kind": "basing"}, {"joint": True}]}, BASE, True),
    ("all", {"all": [{"kind": "training"}, {"joint": False}]}, BASE, False),
    ("proposal field", {"proposal.channel": {"is": "bilateral"}}, BASE, True),
]


@pytest.mark.parametrize("label,test,component,expected", CASES, ids=[c[0] for c in CASES])
def test_operator(tmp_path, engine, label, test, component, expected):
    assert fires(checker_for(tmp_path, [test], engine), component) is expected


@pytest.mark.parametrize("items,expected", [
    ([{"item": "a", "capability": "small-arms", "quantity": 30},
      {"item": "b", "capability": "night-vision", "quantity": 20}], True),
    ([{"item": "a", "capability": "small-arms", "quantity": 30},
      {"item": "b", "capability": "night-vision", "quantity": 19},
      {"item": "c", "capability": "transport", "quantity": 500}], False),
])
def test_total_of_sums_only_the_named_entries(tmp_path, engine, items, expected):
    rules = tmp_path / "rules"
    rules.mkdir()
    rule = {**RULE, "for_each": "recipient", "message": "fired on {country}",
            "when": [{"transferred_quantity": {"total_of": ["small-arms", "night-vision"], "at_least": 50}}]}
    (rules / "XX100.yaml").write_text(yaml.safe_dump(rule))
    checker = Checker(load_rulebook([rules], []), engine=engine)
    proposal = {"format": "ca-advisor/proposal/v1", "id": "p", "title": "t", "sponsors": ["eu"],
                "channel": "bilateral", "recipients": ["kazakhstan"],
                "components": [{"id": "c", "kind": "equipment-transfer", "equipment": items}]}
    result = checker.check(proposal_from_mapping(proposal))
    assert [f.message for f in result.findings] == (["fired on kazakhstan"] if expected else [])


def test_parameters_feed_operands(tmp_path):
    checker = checker_for(tmp_path, [{"country_count": {"at_least": {"param": "n"}}}],
                          parameters={"n": {"default": 3, "description": "d"}})
    assert fires(checker, BASE) is False


def test_compiled_conditions_always_match_one_typed_fact(tmp_path):
    """No bare $nex and no top-level $or: both re-fire forever in durable-rules 2.0.28."""
    if durable_available():
        pytest.skip(durable_available())
    checker = checker_for(tmp_path, [{"deployment": {"present": False}}, {"any": [{"kind": "basing"}, {"joint": True}]}],
                          DURABLE, requires=["forces"])
    for name, body in checker.compiled.definition.items():
        (condition,) = body["all"]
        top = condition["m"]
        assert list(top) == ["$and"], name
        assert top["$and"][0] == {"type": "component"}, name
    assert "XX100$needs$forces" in checker.compiled.definition
    json.dumps(checker.compiled.definition)  # plain JSON for the C engine


@pytest.mark.parametrize("when,message", [
    ([{"kind": {"equals": "training"}}], "when[0].kind.equals: unknown operator 'equals'"),
    ([{"forces": {"is": "customs"}}], "when[0].forces.is: operator 'is' does not apply to 'forces', which is a list"),
    ([{"kind": {"includes": "training"}}], "operator 'includes' does not apply to 'kind', which is a single value"),
    ([{"country_count": {"at_least": "two"}}], "when[0].country_count.at_least: at_least takes a number, found 'two'"),
    ([{"kind": {"is": {"param": "nope"}}}], "when[0].kind.is: unknown parameter 'nope'"),
    ([], "when: an empty list of tests never decides anything; add a test"),
])
def test_bad_conditions_are_refused_with_the_reason(tmp_path, when, message):
    with pytest.raises(InputErrors) as exc:
        checker_for(tmp_path, when)
    assert message in str(exc.value)


NEW_OPERATOR = '''
    Operator("between", frozenset({NUMBER}), VALUES,
             holds=lambda v, xs: is_number(v) and min(xs) <= v <= max(xs),
             compile=lambda f, xs: {"$and": [{"$gte": {f: min(xs)}}, {"$lte": {f: max(xs)}}]},
             phrase="{f} is between {x} (inclusive)", doc_kind="number", example=[2, 4]),
]
'''

_WITH_NEW_OPERATOR = """
    import json, sys
    from click.testing import CliRunner
    from ca_advisor.cli import main
    from ca_advisor.engines import ENGINES, durable_available
    rules, proposal = sys.argv[1], sys.argv[2]
    for engine in ENGINES:
        if engine == "durable-rules" and durable_available():
            continue
        result = CliRunner().invoke(main, ["check", proposal, "--rules", rules, "--format", "json"],
                                    env={"CA_ADVISOR_ENGINE": engine})
        out = result.stdout or sys.exit(result.stderr + repr(result.exception))
        print(engine, [f["message"] for r in json.loads(out)["results"] for f in r["findings"]
                       if f["rule_id"] == "XX100"])
    print(CliRunner().invoke(main, ["rules", "show", "XX100", "--rules", rules]).stdout.splitlines()[7])
    print([line for line in CliRunner().invoke(main, ["rules", "docs", "facts"]).stdout.splitlines()
           if "between" in line])
    print(list(json.loads(CliRunner().invoke(main, ["schema", "--rules"]).stdout)["$defs"]["Operators"]["properties"])[-2:])
"""


def test_a_new_operator_is_one_definition(tmp_path):
    """The README's example: one entry appended to the registry, and the parser, both
    engines, the plain words, docs/facts.md and the rule schema all have it."""
    import shutil
    import subprocess
    import sys
    import textwrap
    from pathlib import Path

    import ca_advisor
    from ca_advisor.reading.builtin import builtin_profiles_dir, builtin_rules_dir
    src = tmp_path / "src"
    package = src / "ca_advisor"
    shutil.copytree(Path(ca_advisor.__file__).parent, package, ignore=shutil.ignore_patterns("__pycache__"))
    # As an installed wheel has them (a copy of an installed package has them already).
    shutil.copytree(builtin_rules_dir(), package / "data" / "rules", dirs_exist_ok=True)
    shutil.copytree(builtin_profiles_dir(), package / "data" / "profiles", dirs_exist_ok=True)
    operators = src / "ca_advisor" / "conditions" / "operators.py"
    text = operators.read_text(encoding="utf-8")
    operators.write_text(text.replace("]\n\nOPERATORS: dict", NEW_OPERATOR.lstrip("\n") + "\nOPERATORS: dict"),
                         encoding="utf-8")
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "XX100.yaml").write_text(yaml.safe_dump({**RULE, "for_each": "proposal", "message": "fired on {title}",
                                                      "when": [{"recipient_count": {"between": [2, 3]}}]}))
    proposal = tmp_path / "p.yaml"
    proposal.write_text(yaml.safe_dump({"format": "ca-advisor/proposal/v1", "id": "p", "title": "Counter-IED course",
                                        "sponsors": ["eu"], "channel": "bilateral",
                                        "recipients": ["kazakhstan", "kyrgyzstan"],
                                        "components": [{"id": "c", "kind": "training"}]}))
    proc = subprocess.run([sys.executable, "-c", textwrap.dedent(_WITH_NEW_OPERATOR), str(rules), str(proposal)],
                          capture_output=True, text=True, env={"PYTHONPATH": str(src), "PATH": "/usr/bin"},
                          cwd=tmp_path, timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert [line for line in lines if line.startswith(("durable-rules ", "native "))] == \
        [f"{e} ['fired on Counter-IED course']" for e in ENGINES if not (e == DURABLE and durable_available())]
    assert lines[-3:] == [
        "  - recipient_count is between 2, 3 (inclusive)",
        "['| `between` | number | `{between: [2, 4]}` | FIELD is between 2, 4 (inclusive) |']",
        "['between', 'total_of']"]


def test_every_operator_of_the_registry_has_cases_here():
    from ca_advisor.conditions import OPERATORS
    used = {op for _, test, _, _ in CASES for spec in test.values() if isinstance(spec, dict) for op in spec}
    assert set(OPERATORS) - used == set()


def test_every_problem_of_a_when_block_is_reported_at_once(tmp_path):
    """The parser goes on past a problem: three wrong tests, three located messages."""
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "XX100.yaml").write_text(
        "id: XX100\nname: probe\nseverity: warning\ntitle: probe\nfor_each: component\n"
        "when:\n"
        "  - kind: {equals: training}\n"
        "  - any:\n"
        "      - forces: {is: customs}\n"
        "      - country_count: {at_least: two}\n"
        "message: m\nreasoning: r\nevidence: [{quote: q, section: '5'}]\nrecommendation: r\n")
    with pytest.raises(InputErrors) as exc:
        load_rulebook([rules], [])
    assert [e.render().removeprefix(str(rules / "XX100.yaml")) for e in exc.value.errors] == [
        ":7:12: when[0].kind.equals: unknown operator 'equals'; allowed: at_least, at_most, includes, includes_any, "
        "includes_none, includes_other_than, is, is_not, less_than, more_than, not_one_of, one_of, only, present, "
        "total_of",
        ":9:22: when[1].any[0].forces.is: operator 'is' does not apply to 'forces', which is a list",
        ":10:35: when[1].any[1].country_count.at_least: at_least takes a number, found 'two'",
    ]
