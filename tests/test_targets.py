"""What a run checks (reading/targets.py): files listed without reading them, each
file read once, the proposal marker found in the bytes read, shared ids reported."""

from __future__ import annotations

import builtins
import io
import os
from collections import Counter

import pytest

from ca_advisor.api import check_paths_plain, expand_inputs
from ca_advisor.reading import proposals, targets
from ca_advisor.reading.builtin import examples_dir
from ca_advisor.reading.targets import IdPlace, ProposalIds, Target, expand_targets, looks_like_proposal
from ca_advisor.rulebook.config import Config

EXAMPLE = examples_dir() / "us-uz-2013-raven-uav.yaml"


@pytest.mark.parametrize("raw,expected", [
    (b"format: ca-advisor/proposal/v1\nid: a\n", True),
    (b"id: a\n'format': x\n", True),  # quoted, not first
    (b'"format"  : x\n', True),
    (b"id: a\n  format: nested\n", False),  # not at the top level
    (b"owner: someone\n", False),
    (b"", False),
    (b"format\0: x", True),  # not text: checked, so the reader says what it is
    (b"\xff\xfe format: x", True),  # not UTF-8: the same
])
def test_looks_like_proposal(raw, expected):
    assert looks_like_proposal(raw) is expected


def test_listing_reads_no_file(tmp_path, monkeypatch):
    (tmp_path / "a.yaml").write_text("owner: x\n", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.yml").write_text("owner: y\n", encoding="utf-8")
    monkeypatch.setattr(targets, "read_bytes", lambda *a, **k: pytest.fail("listing read a file"))
    # Any other way of opening one of them, too (builtins.open, io.open, os.open).
    real_open, real_os_open = builtins.open, os.open

    def guarded(opener):
        def opening(file, *args, **kwargs):
            if isinstance(file, (str, os.PathLike)) and str(tmp_path) in os.fspath(file):
                pytest.fail(f"listing opened {file}")
            return opener(file, *args, **kwargs)
        return opening

    monkeypatch.setattr(builtins, "open", guarded(real_open))
    monkeypatch.setattr(io, "open", guarded(real_open))
    monkeypatch.setattr(os, "open", guarded(real_os_open))
    errors: list = []
    found = expand_targets([tmp_path, tmp_path / "a.yaml", "-"], errors)
    assert found == [Target(str(tmp_path / "a.yaml"), True), Target(str(tmp_path / "sub" / "b.yml"), True),
                     Target(str(tmp_path / "a.yaml")), Target("-")]
    assert errors == []


def test_each_file_is_read_once_in_a_batch(tmp_path, monkeypatch):
    (tmp_path / "raven.yaml").write_bytes(EXAMPLE.read_bytes())
    (tmp_path / "notes.yaml").write_text("owner: someone\n", encoding="utf-8")
    reads: Counter = Counter()
    real = proposals.read_bytes

    def counting(path, **options):
        reads[path] += 1
        return real(path, **options)

    monkeypatch.setattr(proposals, "read_bytes", counting)
    monkeypatch.setattr(targets, "read_bytes", lambda *a, **k: pytest.fail("a file was read twice"))
    report = check_paths_plain([tmp_path], config=Config())
    assert reads == Counter({str(tmp_path / "notes.yaml"): 1, str(tmp_path / "raven.yaml"): 1})
    assert [r["proposal_id"] for r in report.results] == ["us-uz-2013-raven-uav"]
    assert report.skipped == [str(tmp_path / "notes.yaml")] and report.files == 1


def test_expand_inputs_still_leaves_out_what_is_no_proposal(tmp_path):
    (tmp_path / "raven.yaml").write_bytes(EXAMPLE.read_bytes())
    (tmp_path / "notes.yaml").write_text("owner: someone\n", encoding="utf-8")
    skipped: list[str] = []
    assert expand_inputs([tmp_path], [], skipped=skipped) == [str(tmp_path / "raven.yaml")]
    assert skipped == [str(tmp_path / "notes.yaml")]
    # Named on the command line, a file is checked whatever it holds.
    assert expand_inputs([tmp_path / "notes.yaml"], []) == [str(tmp_path / "notes.yaml")]


def test_a_shared_id_is_reported_at_the_second_file(tmp_path):
    ids = ProposalIds()
    assert ids.add(IdPlace(str(tmp_path / "a.yaml"), "p-1", 2, 5)) == []
    assert ids.add(IdPlace(str(tmp_path / "c.yaml"), "p-2", 2, 5)) == []
    [error] = ids.add(IdPlace(str(tmp_path / "b.yaml"), "p-1", 3, 5))
    assert error.render() == (f"{tmp_path / 'b.yaml'}:3:5: id: proposal id 'p-1' is also the id of "
                              f"{tmp_path / 'a.yaml'}; each proposal needs its own id (waivers and diffs find "
                              "proposals by id)")


def test_the_same_file_named_twice_is_no_clash(tmp_path, monkeypatch):
    (tmp_path / "a.yaml").write_text("x", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    ids = ProposalIds()
    assert ids.add(IdPlace(str(tmp_path / "a.yaml"), "p-1", 2, 5)) == []
    assert ids.add(IdPlace("a.yaml", "p-1", 2, 5)) == []
    assert ids.add(IdPlace("./sub/../a.yaml", "p-1", 2, 5)) == []


def test_the_cli_reads_each_file_once_with_or_without_output(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from ca_advisor.cli import main

    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "raven.yaml").write_bytes(EXAMPLE.read_bytes())
    (tmp_path / "in" / "notes.yaml").write_text("owner: someone\n", encoding="utf-8")
    reads: Counter = Counter()
    real = proposals.read_bytes
    monkeypatch.setattr(proposals, "read_bytes", lambda path, **o: (reads.update([path]), real(path, **o))[1])
    monkeypatch.setattr(targets, "read_bytes", lambda *a, **k: pytest.fail("a file was read twice"))
    monkeypatch.chdir(tmp_path)
    for extra in ([], ["--output", "report.json"]):
        reads.clear()
        result = CliRunner().invoke(main, ["check", "in", "--format", "json", "-j", "1", *extra])
        assert result.exit_code == 1, result.output
        assert reads == Counter({"in/notes.yaml": 1, "in/raven.yaml": 1})


@pytest.mark.parametrize("name", [".yaml", "..yaml", "a.yaml", "a.", "a", "a.b.yml", "x.YAML", "."])
def test_the_listing_reads_a_suffix_as_pathlib_does(name):
    from pathlib import Path

    from ca_advisor.reading.scan import _suffix

    assert _suffix(name) == Path(name).suffix


def test_a_directory_lists_its_proposal_files_and_names_the_ones_it_skips(tmp_path):
    for name in (".yaml", "a.yaml", "b.yml", "c.YAML", "notes.txt"):
        (tmp_path / name).write_text("format: x\n", encoding="utf-8")
    errors: list = []
    found = expand_targets([tmp_path], errors)
    assert found == [Target(str(tmp_path / "a.yaml"), True), Target(str(tmp_path / "b.yml"), True)]
    assert [(e.file, e.message) for e in errors] == [
        (str(tmp_path / "c.YAML"), "is not read: proposal files end in .yaml or .yml; rename it c.yaml")]
