"""Shared test fixtures: the built-in rule book, compiled once per session."""

from __future__ import annotations

from pathlib import Path

import pytest
from report import missing_reason, report_path

from ca_advisor.api import get_checker
from ca_advisor.reading.builtin import builtin_profiles_dir, builtin_rules_dir

DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="session")
def checker():
    return get_checker()


@pytest.fixture(scope="session")
def rules_dir() -> Path:
    return builtin_rules_dir()


@pytest.fixture(scope="session")
def profiles_dir() -> Path:
    return builtin_profiles_dir()


@pytest.fixture(scope="session")
def report_text() -> str:
    path = report_path()
    if not path.is_file():
        pytest.skip(missing_reason())
    return path.read_text(encoding="utf-8")


@pytest.fixture
def in_data(monkeypatch):
    """Run in tests/data/waivers: the small rule set, proposals and waivers the
    output-format, waiver and diff tests share (independent of the built-in rules)."""
    monkeypatch.chdir(DATA / "waivers")
