"""``ca-advisor schema``: the JSON Schema of proposal format v1, and with ``--rules`` of
rule files, from the pydantic models, that editors (yaml-language-server) and
validators use."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import jsonschema
import pytest
import yaml
from click.testing import CliRunner

from ca_advisor.cli import main
from ca_advisor.conditions import OPERATOR_NAMES
from ca_advisor.model.proposal import Proposal
from ca_advisor.reading.builtin import builtin_rules_dir, examples_dir
from ca_advisor.rulebook.rule import Rule

EXAMPLES = sorted(examples_dir().glob("*.yaml"))


@pytest.fixture(scope="module")
def schema() -> dict:
    result = CliRunner().invoke(main, ["schema"])
    assert (result.exit_code, result.stderr) == (0, "")
    return json.loads(result.stdout)


def as_editor_sees(path: Path):
    """YAML as a language server reads it: dates stay text."""
    def text_dates(value):
        if isinstance(value, dict):
            return {k: text_dates(v) for k, v in value.items()}
        if isinstance(value, list):
            return [text_dates(v) for v in value]
        return value.isoformat() if isinstance(value, datetime.date) else value
    return text_dates(yaml.safe_load(path.read_text(encoding="utf-8")))


def test_the_schema_is_the_models_with_its_dialect_and_title(schema):
    body = Proposal.model_json_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["title"] == "ca-advisor proposal (format ca-advisor/proposal/v1)"
    assert without_descriptions({k: v for k, v in schema.items() if k not in ("$schema", "title")}) == \
        {k: v for k, v in body.items() if k != "title"}
    jsonschema.Draft202012Validator.check_schema(schema)


def without_descriptions(node):
    if isinstance(node, dict):
        return {k: without_descriptions(v) for k, v in node.items() if k != "description"}
    if isinstance(node, list):
        return [without_descriptions(v) for v in node]
    return node


def test_every_field_has_a_description_for_hover_help(schema):
    models = {"Proposal": schema, **schema["$defs"]}
    missing = [f"{name}.{field}" for name, model in models.items() if "properties" in model
               for field, spec in model["properties"].items() if not spec.get("description")]
    assert missing == []
    assert schema["$defs"]["EquipmentItem"]["properties"]["quantity"]["description"] == \
        "How many (a whole number, at least 1, without quotes)."


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
def test_every_example_proposal_is_valid_against_it(schema, example):
    jsonschema.Draft202012Validator(schema).validate(as_editor_sees(example))


@pytest.mark.parametrize("change,where", [
    ({"channel": "carrier-pigeon"}, ["channel"]),
    ({"surprise": 1}, []),
    ({"components": []}, ["components"]),
])
def test_it_refuses_what_the_checker_refuses(schema, change, where):
    doc = {**as_editor_sees(EXAMPLES[0]), **change}
    errors = list(jsonschema.Draft202012Validator(schema).iter_errors(doc))
    assert [list(e.path) for e in errors] == [where]


def test_output_writes_a_file(tmp_path):
    target = tmp_path / "proposal.schema.json"
    result = CliRunner().invoke(main, ["schema", "--output", str(target)])
    assert (result.exit_code, result.stdout) == (0, "")
    assert json.loads(target.read_text(encoding="utf-8"))["title"].startswith("ca-advisor proposal")


# --- rule files: ca-advisor schema --rules -------------------------------------------------

RULE_FILES = sorted(builtin_rules_dir().glob("*.yaml"))


@pytest.fixture(scope="module")
def rule_schema() -> dict:
    result = CliRunner().invoke(main, ["schema", "--rules"])
    assert (result.exit_code, result.stderr) == (0, "")
    schema = json.loads(result.stdout)
    jsonschema.Draft202012Validator.check_schema(schema)
    return schema


def test_the_rule_schema_is_the_rule_models_with_its_dialect_and_title(rule_schema):
    assert rule_schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert rule_schema["title"] == "ca-advisor rule file"
    assert {k: v for k, v in rule_schema.items() if k not in ("$schema", "title")} == \
        {k: v for k, v in Rule.model_json_schema().items() if k != "title"}


def test_the_rule_schema_names_every_operator_of_the_registry_and_no_other(rule_schema):
    operators = rule_schema["$defs"]["Operators"]
    assert list(operators["properties"]) == list(OPERATOR_NAMES)
    assert operators["additionalProperties"] is False


@pytest.mark.parametrize("path", RULE_FILES, ids=lambda p: p.name)
def test_every_built_in_rule_file_is_valid_against_it(rule_schema, path):
    jsonschema.Draft202012Validator(rule_schema).validate(as_editor_sees(path))


@pytest.mark.parametrize("when", [
    [{"component.kind": {"equals": "equipment-transfer"}}],  # a misspelt operator
    [{"component.kind": {"is": "equipment-transfer", "inclueds": "x"}}],
    [{"any": [{"kind": {"one_off": ["a", "b"]}}]}],  # inside a group
    {"all": []},  # an empty group
    [{"kind": {}}],  # no operator
])
def test_a_misspelt_operator_or_a_malformed_when_is_refused_by_the_schema(rule_schema, when):
    rule = {**as_editor_sees(builtin_rules_dir() / "CA201.yaml"), "when": when}
    errors = list(jsonschema.Draft202012Validator(rule_schema).iter_errors(rule))
    assert [list(e.path)[:1] for e in errors] == [["when"]]


def test_the_rule_schema_is_written_to_a_file(tmp_path):
    out = tmp_path / "rule.schema.json"
    result = CliRunner().invoke(main, ["schema", "--rules", "--output", str(out)])
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")
    assert json.loads(out.read_text(encoding="utf-8"))["title"] == "ca-advisor rule file"
