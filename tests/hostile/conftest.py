"""Fixtures the hostile-input test classes share."""

from __future__ import annotations

import shutil

import pytest

from ._run import GOOD


@pytest.fixture
def root(tmp_path):
    """A scratch directory holding one valid proposal, good.yaml, which every run checks
    beside the hostile input (so a refusal is seen not to stop the rest)."""
    shutil.copy(GOOD, tmp_path / "good.yaml")
    return tmp_path
