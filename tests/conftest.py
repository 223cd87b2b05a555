"""Shared test fixtures: the built-in rule book, compiled once per session."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest
from report import missing_reason, report_path

from ca_advisor.api import get_checker
from ca_advisor.reading.builtin import builtin_profiles_dir, builtin_rules_dir

DATA = Path(__file__).resolve().parent / "data"
PLANS_ENV = "CA_ADVISOR_CACHE_DIR"  # engines/plan_cache.py


def pytest_configure(config):
    """Check plans kept between runs go to a directory of this session, never the
    user's cache (the CLI runs in subprocesses inherit it); a value already set (such
    as ``off``, to run the suite without kept plans) is kept."""
    if PLANS_ENV not in os.environ:
        config.ca_advisor_plans = os.environ[PLANS_ENV] = tempfile.mkdtemp(prefix="ca-advisor-plans-")


def pytest_unconfigure(config):
    plans = getattr(config, "ca_advisor_plans", None)
    if plans:
        shutil.rmtree(plans, ignore_errors=True)


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
