"""``ca-advisor schema``: the JSON Schema of proposal format v1, from the pydantic
model, that editors (yaml-language-server) and validators use."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import jsonschema
import pytest
import yaml
from click.testing import CliRunner

from ca_advisor.builtin import examples_dir
from ca_advisor.cli import main
from ca_advisor.proposal import Proposal

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
