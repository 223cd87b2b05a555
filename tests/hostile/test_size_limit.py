"""Files over the size limit (default 1 MiB, ``--max-bytes`` for proposals) are
refused before they are parsed, and a stream that reports no size (a device, a
pipe, standard input) is never read past the limit."""

from __future__ import annotations

from pathlib import Path

import pytest

from ca_advisor.model.errors import InputErrors
from ca_advisor.reading.proposals import read_proposal_text
from ca_advisor.reading.yaml_source import Limits, read_yaml_file

from ._run import GOOD, GOOD_ID, KINDS, assert_refused, check_as, run_cli

MIB = 1024 * 1024
OVER = "over the {limit:,}-byte limit for one input file; split it or raise the limit (--max-bytes)"


def big_yaml(size: int) -> bytes:
    """A well-formed mapping of ``size`` bytes: only its size is wrong."""
    head, line = b"padding: |\n", b"  some text to make the file large\n"
    body = head + line * ((size - len(head) - 1) // len(line))
    return body + b"#" * (size - len(body) - 1) + b"\n"


@pytest.mark.parametrize("kind", KINDS)
def test_a_file_over_one_mebibyte_is_refused(kind, tmp_path):
    run, name = check_as(kind, big_yaml(MIB + 1), tmp_path)
    assert_refused(run, kind, [f"{name}: is 1,048,577 bytes, " + OVER.format(limit=MIB)])


def test_a_file_of_exactly_the_limit_is_read(tmp_path):
    doc = read_yaml_file(_write(tmp_path / "p.yaml", big_yaml(MIB)), what="a proposal")
    assert list(doc.data) == ["padding"]


def test_max_bytes_lowers_the_limit_for_proposals(tmp_path):
    (tmp_path / "good.yaml").write_bytes(GOOD.read_bytes())
    run = run_cli(["check", "good.yaml", "--max-bytes", "100"], tmp_path)
    size = len(GOOD.read_bytes())
    assert run.errors == [f"good.yaml: is {size:,} bytes, " + OVER.format(limit=100)]
    assert run.exit_code == 2


def test_max_bytes_raises_the_limit_for_proposals(tmp_path):
    big = GOOD.read_bytes() + b"#" * (MIB + 10) + b"\n"
    (tmp_path / "big.yaml").write_bytes(big)
    run = run_cli(["check", "big.yaml", "--max-bytes", str(2 * MIB), "--fail-on", "never"], tmp_path)
    assert (run.exit_code, run.errors, run.checked) == (0, [], [GOOD_ID])


def test_standard_input_over_the_limit_is_refused(tmp_path):
    """Standard input is read only one byte past the limit, so its size is not known."""
    run = run_cli(["check", "-", "--max-bytes", "1000"], tmp_path, stdin=big_yaml(5000))
    assert run.errors == ["<stdin>: is " + OVER.format(limit=1000)]
    assert run.exit_code == 2


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_an_endless_device_is_read_only_up_to_the_limit(tmp_path):
    """/dev/zero reports size 0 and never ends: reading it whole would exhaust memory."""
    run = run_cli(["check", "/dev/zero", str(GOOD)], tmp_path)
    assert run.errors == ["/dev/zero: is " + OVER.format(limit=MIB)]
    assert (run.exit_code, run.checked) == (2, [GOOD_ID])


def test_a_string_over_the_limit_is_refused_by_the_api():
    """Text is measured in UTF-8 bytes, as a file would be: 'й' counts twice."""
    with pytest.raises(InputErrors) as exc:
        read_proposal_text("x: " + "й" * 100, limits=Limits(max_bytes=200))
    assert exc.value.errors[0].render() == "<string>: is 203 bytes, " + OVER.format(limit=200)


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


# A file is read as big as it says it is, plus one byte: a file that grows while it is
# read must still be read to its end, and never past the limit.
@pytest.mark.parametrize(("content", "size", "limit", "expected"), [
    (b"abcdef", 6, 10, b"abcdef"),  # as reported
    (b"abcdef", 3, 10, b"abcdef"),  # grew after its size was taken
    (b"abcdef", 3, 4, b"abcde"),  # grew past the limit: one byte over tells the caller
    (b"abcdef", 0, 10, b"abcdef"),  # a device or pipe reports size 0
    (b"abcdef", 0, 4, b"abcde"),
    (b"abcd", 4, 4, b"abcd"),  # exactly the limit
    (b"abc", 6, 10, b"abc"),  # shrank
])
def test_a_file_is_read_to_its_end_and_never_past_the_limit(content, size, limit, expected, tmp_path):
    import os

    from ca_advisor.reading.yaml_source import _read_limited

    fd = os.open(_write(tmp_path / "f.yaml", content), os.O_RDONLY)
    try:
        assert _read_limited(fd, size, limit) == expected
    finally:
        os.close(fd)


def test_a_directory_is_named_as_one_whatever_the_limit(tmp_path):
    """os.open takes a directory: it is said to be one, never measured against the limit."""
    from ca_advisor.reading.yaml_source import read_bytes

    for limit in (1, 1024 * 1024):
        with pytest.raises(InputErrors) as exc:
            read_bytes(tmp_path, what="a proposal", limits=Limits(max_bytes=limit))
        assert exc.value.errors[0].render() == f"{tmp_path}: is a directory, expected a proposal file"


def test_a_read_that_gives_less_than_asked_is_not_the_end(tmp_path, monkeypatch):
    """A network or FUSE file system may give less than asked: the file is read on to
    its end (or one byte past the limit), never cut short."""
    import os

    from ca_advisor.reading import yaml_source

    path = _write(tmp_path / "f.yaml", b"format: x\nid: abcdefgh\n")
    real_read = os.read
    monkeypatch.setattr(yaml_source.os, "read", lambda fd, n: real_read(fd, min(n, 3)))
    assert yaml_source.read_bytes(path, what="a proposal") == b"format: x\nid: abcdefgh\n"
    with pytest.raises(InputErrors) as exc:
        yaml_source.read_bytes(path, what="a proposal", limits=Limits(max_bytes=10))
    assert "over the 10-byte limit" in exc.value.errors[0].render()
