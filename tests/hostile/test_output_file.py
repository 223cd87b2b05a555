"""``--output`` never loses data: an output that is one of the inputs is refused
before anything is written, a failed write leaves the old file whole (the report is
written beside it and renamed), and every write failure is one line and exit 2."""

from __future__ import annotations

import errno
import os

import pytest

from ._run import run_cli


def refused(name: str, given: str) -> str:
    return (f"error: --output {given} is one of the inputs ({name}); writing the report there would replace it: "
            "choose another file\n")


@pytest.mark.parametrize("given", ["good.yaml", "./good.yaml", "link.yaml", "sub/../good.yaml"])
def test_an_input_proposal_is_never_overwritten(root, given):
    (root / "link.yaml").symlink_to(root / "good.yaml")
    (root / "sub").mkdir()
    before = (root / "good.yaml").read_bytes()
    run = run_cli(["check", "good.yaml", "--output", given], root)
    assert (run.exit_code, run.stdout, run.stderr) == (2, "", refused("good.yaml", given))
    assert (root / "good.yaml").read_bytes() == before


def test_a_proposal_found_in_a_directory_is_an_input(root):
    run = run_cli(["check", ".", "--output", "good.yaml"], root)
    assert (run.exit_code, run.stderr) == (2, refused("good.yaml", "good.yaml"))


@pytest.mark.parametrize("which", ["waivers", "config", "diff"])
def test_waivers_config_and_diff_inputs_are_never_overwritten(root, which):
    (root / "w.yaml").write_text("waivers: []\n")
    (root / "ca-advisor.yaml").write_text("fail_on: error\n")
    target = {"waivers": "w.yaml", "config": "ca-advisor.yaml", "diff": "good.yaml"}[which]
    before = (root / target).read_bytes()
    args = ["diff", "good.yaml", "good.yaml"] if which == "diff" else ["check", "good.yaml", "--waivers", "w.yaml"]
    run = run_cli([*args, "--config", "ca-advisor.yaml", "--output", target], root)
    assert (run.exit_code, run.stderr) == (2, refused(target, target))
    assert (root / target).read_bytes() == before


def test_an_unwritable_path_is_one_line(root):
    run = run_cli(["check", "good.yaml", "--output", "missing/dir/report.txt"], root)
    assert (run.exit_code, run.stderr) == (
        2, "error: cannot write --output missing/dir/report.txt: No such file or directory\n")


def test_a_failed_write_leaves_the_old_report_whole(root, monkeypatch):
    (root / "report.txt").write_text("the previous report\n")
    os.chmod(root / "report.txt", 0o640)

    def fail(_fd):
        raise OSError(errno.EIO, os.strerror(errno.EIO))
    monkeypatch.setattr(os, "fsync", fail)
    run = run_cli(["check", "good.yaml", "--output", "report.txt"], root)
    assert (run.exit_code, run.stderr) == (2, "error: cannot write --output report.txt: Input/output error\n")
    assert (root / "report.txt").read_text() == "the previous report\n"
    assert sorted(p.name for p in root.iterdir()) == ["good.yaml", "report.txt"]  # no temporary file left


def test_a_written_report_replaces_the_old_one_and_keeps_its_mode(root):
    (root / "report.txt").write_text("old\n")
    os.chmod(root / "report.txt", 0o640)
    run = run_cli(["check", "good.yaml", "--output", "report.txt"], root)
    assert (run.exit_code, run.stdout, run.stderr) == (1, "", "")
    assert (root / "report.txt").read_text() == run_cli(["check", "good.yaml"], root).stdout
    assert oct((root / "report.txt").stat().st_mode & 0o777) == oct(0o640)


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_a_device_is_written_directly_and_its_failure_reported(root):
    run = run_cli(["check", "good.yaml", "--output", "/dev/full"], root)
    assert (run.exit_code, run.stderr) == (2, "error: cannot write --output /dev/full: No space left on device\n")
    assert os.path.exists("/dev/full") and not os.path.isfile("/dev/full")
