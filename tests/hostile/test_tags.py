"""Tags: nothing but plain data is built from any file, so ``!!python/object`` and
every other tag outside the plain-data set is refused where it stands; the standard
tags of plain data (``!!str``, ``!!int``...) stay allowed."""

from __future__ import annotations

import pytest

from ._run import (
    GOOD,
    GOOD_ID,
    KINDS,
    assert_case_refused,
    assert_refused,
    check_as,
    data_files,
    run_cli,
)

REFUSED = ", which is not allowed; use plain YAML (mappings, lists, strings, numbers, booleans, dates) without tags"
CASES = {
    "python-object.yaml": ["{file}:2:8: title: uses the tag 'tag:yaml.org,2002:python/object:os.system'" + REFUSED],
    "python-apply.yaml": ["{file}:1:5: id: uses the tag 'tag:yaml.org,2002:python/object/apply:os.system'" + REFUSED],
    "python-name.yaml": ["{file}:1:5: id: uses the tag 'tag:yaml.org,2002:python/name:os.system'" + REFUSED],
    "root-tag.yaml": ["{file}:1:1: uses the tag 'tag:yaml.org,2002:python/object/new:dict'" + REFUSED],
    "local-tag.yaml": ["{file}:1:8: title: uses the tag '!secret'" + REFUSED],
    "tag-directive.yaml": ["{file}:3:8: title: uses the tag 'tag:example.com,2000:widget'" + REFUSED],
    "binary.yaml": ["{file}:1:8: title: uses the tag 'tag:yaml.org,2002:binary'" + REFUSED],
    "set.yaml": ["{file}:1:13: recipients: uses the tag 'tag:yaml.org,2002:set'" + REFUSED],
    "several.yaml": ["{file}:1:5: id: uses the tag '!a'" + REFUSED, "{file}:2:8: title: uses the tag '!b'" + REFUSED],
}


def test_every_data_file_has_a_case():
    assert data_files("tags") == sorted(CASES)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("case", sorted(CASES))
def test_tags_are_refused(case, kind, tmp_path):
    assert_case_refused("tags", CASES, case, kind, tmp_path)


def test_no_tag_is_ever_executed(tmp_path):
    """The python/object/apply case would create this file if anything ran it."""
    marker = tmp_path / "pwned"
    (tmp_path / "p.yaml").write_text(f"id: !!python/object/apply:os.system ['touch {marker}']\n")
    run_cli(["check", "p.yaml"], tmp_path)
    assert not marker.exists()


def test_standard_plain_data_tags_are_allowed(tmp_path):
    text = GOOD.read_text().replace("title: Night", "title: !!str Night").replace("quantity: 10", "quantity: !!int 10")
    (tmp_path / "p.yaml").write_text(text)
    run = run_cli(["check", "p.yaml", "--fail-on", "never"], tmp_path)
    assert (run.exit_code, run.errors, run.checked) == (0, [], [GOOD_ID])


def test_a_tag_on_a_key_is_refused(tmp_path):
    """Keys are names, not values, but a tag on one is refused all the same (here the
    tag is the whole key: the key itself is empty, which a field path shows as [""])."""
    run, name = check_as("proposal", b"id: x\n!!python/name:os.system : 1\n", tmp_path)
    assert_refused(run, "proposal", [f"{name}:2:1: [\"\"]: uses the tag 'tag:yaml.org,2002:python/name:os.system'"
                                     + REFUSED])
