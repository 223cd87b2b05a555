"""Where the bundled rules, profiles and example proposals are.

An installed wheel carries them in ``ca_advisor/data/``; a source checkout (editable
install, tests) has them at the top of the repository.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent.parent  # src/ca_advisor: this module is in reading/
_REPO = _PACKAGE.parent.parent


def data_dir(name: str) -> Path:
    """``name`` is one of "rules", "profiles", "proposals"."""
    installed = _PACKAGE / "data" / name
    if installed.is_dir():
        return installed
    return _REPO / name


def builtin_rules_dir() -> Path:
    return data_dir("rules")


def builtin_profiles_dir() -> Path:
    return data_dir("profiles")


def examples_dir() -> Path:
    return data_dir("proposals")
