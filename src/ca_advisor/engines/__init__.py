"""The engines that run a compiled rule book, behind one interface.

``durable-rules`` (durable.py) is the project's engine and runs wherever it imports;
``native`` (native.py) is the condition language's own evaluator, for Python 3.13
and later, where durable-rules 2.0.28 cannot load.  Both take the rules of a rule
book and give, per check, the ``Match``es of its facts; tests/test_engines.py proves
they give identical findings.  Either way, a rule book is first held against
durable-rules' capacity (capacity.py), so a book is valid or not whatever the Python.

``CA_ADVISOR_ENGINE`` (``durable-rules`` or ``native``) chooses; the default is
durable-rules where it imports.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable
from typing import Protocol

from .base import EngineError, Match

DURABLE, NATIVE = "durable-rules", "native"
ENGINES = (DURABLE, NATIVE)
ENV = "CA_ADVISOR_ENGINE"


class Engine(Protocol):
    name: str

    def run(self, payloads: list[dict]) -> list[Match]: ...


def durable_available() -> str | None:
    """None when durable-rules imports here, else why not.  Answered once per process,
    under a lock: where the import fails, a second thread importing at the same moment
    could see the half-imported module and take durable-rules for present (8 threads
    on Python 3.13 did, about one run in eight)."""
    with _DURABLE_LOCK:
        if not _durable_answer:
            _durable_answer.append(_try_durable())
        return _durable_answer[0]


def _try_durable() -> str | None:
    try:
        from . import durable  # noqa: F401
    except ImportError as exc:  # not installed (Python >= 3.13), or its C extension does not load
        return f"durable-rules cannot be imported here ({exc})"
    return None


_DURABLE_LOCK = threading.Lock()
_durable_answer: list[str | None] = []  # the one answer, once asked


def runs_on_durable(engine: str) -> bool:
    """Whether checks on ``engine`` run on durable-rules here (it is chosen, and imports)."""
    return engine == DURABLE and durable_available() is None


def default_engine() -> str:
    chosen = os.environ.get(ENV, "").strip()
    if chosen:
        return chosen
    return DURABLE if durable_available() is None else NATIVE


def build_engine(rules: Iterable, engine: str | None = None) -> Engine:
    """An engine holding ``rules``; raises InputErrors for a book durable-rules could
    not hold (whichever engine runs) or an engine that is not there.  (The checks'
    parts are imported here: a checker made from a cached plan needs none of them.)"""
    from ..model.errors import InputError, InputErrors
    from .capacity import capacity_problem
    from .native import NativeEngine

    rules = [r for r in rules if r.condition is not None]
    problem = capacity_problem(rules)
    if problem is not None:
        raise InputErrors([problem])
    name = engine or default_engine()
    if name == NATIVE:
        return NativeEngine(rules)
    if name != DURABLE:
        raise InputErrors([InputError(file=ENV, message=f"unknown engine '{name}'; choose {DURABLE} or {NATIVE}")])
    why_not = durable_available()
    if why_not:
        raise InputErrors([InputError(file=ENV, message=f"{why_not}; use the {NATIVE} engine "
                                                        f"({ENV}={NATIVE}), which gives the same findings")])
    from .durable import DurableEngine
    return DurableEngine(rules)


__all__ = ["DURABLE", "ENGINES", "NATIVE", "Engine", "EngineError", "Match", "build_engine", "default_engine",
           "durable_available"]
