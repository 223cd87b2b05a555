"""The folders of src/ca_advisor are the architecture: imports point down the list the
README gives (a module imports from its own folder and the folders above it)."""

from __future__ import annotations

import ast
from pathlib import Path

import ca_advisor

ROOT = Path(ca_advisor.__file__).resolve().parent
ORDER = ["model", "reading", "facts", "conditions", "rulebook", "engines", "review", "output", "portfolio",
         "authoring", "(top level)"]
# The one import that points up, and why (README, "How it works"): a proposal that would
# make too many facts is refused while it is read, before any fact is built.
ALLOWED = {("reading/proposals.py", "facts")}


def folder_of(parts: tuple[str, ...]) -> str:
    return parts[0] if len(parts) > 1 and parts[0] in ORDER else "(top level)"


def upward_imports() -> set[tuple[str, str]]:
    found = set()
    for path in ROOT.rglob("*.py"):
        rel = path.relative_to(ROOT)
        here = folder_of(rel.parts)
        package = rel.parts[:-1]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level > 0:
                base = package[:len(package) - (node.level - 1)]
                target = (*base, *(node.module.split(".") if node.module else []))
                if not target:
                    continue  # the package itself: its version (ca_advisor/__init__ imports nothing)
                there = target[0] if target and target[0] in ORDER else "(top level)"
                if ORDER.index(there) > ORDER.index(here):
                    found.add((rel.as_posix(), there))
    return found


def test_imports_point_down_the_folder_list():
    assert upward_imports() == ALLOWED


def test_the_model_imports_nothing_of_ours_above_it():
    assert not {p for p, _ in upward_imports() if p.startswith("model/")}
