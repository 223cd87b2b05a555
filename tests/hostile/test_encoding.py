"""Bytes that are not UTF-8 YAML text: other encodings, binary files and characters
YAML forbids are named as such, at the line (and column) where they are, with the
fix (save as UTF-8, delete the character)."""

from __future__ import annotations

import pytest

from ca_advisor.api import check_text

from ._run import (
    DATA,
    GOOD,
    GOOD_ID,
    KINDS,
    assert_case_refused,
    data_files,
    run_cli,
)

BINARY = "is a binary file (it contains NUL bytes); expected UTF-8 YAML text"
FORBIDDEN = ("contains the character U+{code}, which YAML does not allow in a file; delete it, or write it as an "
             "escape (\\x.., \\u....) inside double quotes")
CASES = {
    "latin-1.yaml": ["{file}:2:11: is not valid UTF-8 (byte 0xe9 at offset 41); save the file as UTF-8"],
    "truncated-utf-8.yaml": ["{file}:1:21: is not valid UTF-8 (byte 0xe2 at offset 20); save the file as UTF-8"],
    "utf-16-bom.yaml": ["{file}:1: is UTF-16 encoded; save the file as UTF-8"],
    "utf-16-no-bom.yaml": ["{file}:1: is UTF-16 encoded; save the file as UTF-8"],
    "utf-32.yaml": ["{file}:1: is UTF-32 encoded; save the file as UTF-8"],
    "binary.yaml": ["{file}:3: " + BINARY],  # a PNG header: NUL after two line breaks
    "nul-on-line-3.yaml": ["{file}:3: " + BINARY],
    "control-character.yaml": ["{file}:2:13: " + FORBIDDEN.format(code="0007")],
    "noncharacter.yaml": ["{file}:3:8: " + FORBIDDEN.format(code="FFFE")],
}


def test_every_data_file_has_a_case():
    assert data_files("encoding") == sorted(CASES)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("case", sorted(CASES))
def test_bytes_that_are_not_utf8_yaml_are_refused(case, kind, tmp_path):
    assert_case_refused("encoding", CASES, case, kind, tmp_path)


def test_a_utf8_byte_order_mark_is_accepted(tmp_path):
    (tmp_path / "bom.yaml").write_bytes(b"\xef\xbb\xbf" + GOOD.read_bytes())
    run = run_cli(["check", "bom.yaml", "--fail-on", "never"], tmp_path)
    assert (run.exit_code, run.errors, run.checked) == (0, [], [GOOD_ID])


def test_binary_on_standard_input_is_refused(tmp_path):
    run = run_cli(["check", "-"], tmp_path, stdin=(DATA / "encoding" / "binary.yaml").read_bytes())
    assert (run.exit_code, run.errors) == (2, ["<stdin>:3: " + BINARY])


def test_a_forbidden_character_in_api_text_is_located():
    """Text given as str skips decoding; libyaml still refuses, and we locate it."""
    report = check_text("format: x\ntitle: a\x00b\n", file="t")
    assert [e.render() for e in report.errors] == ["t:2:9: " + FORBIDDEN.format(code="0000")]


def test_non_ascii_utf8_text_is_checked(tmp_path):
    text = GOOD.read_text().replace("Night-vision goggles for", "Очки ночного видения — für")
    (tmp_path / "ru.yaml").write_text(text, encoding="utf-8")
    run = run_cli(["check", "ru.yaml", "--fail-on", "never"], tmp_path)
    assert (run.exit_code, run.errors, run.checked) == (0, [], [GOOD_ID])
