"""ca-advisor: check defence and security assistance proposals for Central Asia
against the advice of DIIS Report 2013:12, with declarative rules on durable-rules.

The names below are imported when first used, so that ``ca-advisor rules list`` or
``import ca_advisor.vocabulary`` does not pay for the whole checking machinery."""

from __future__ import annotations

import importlib
from typing import Any

_LAZY = {"check_paths": "api", "check_text": "api", "check_mapping": "api", "get_checker": "api", "render": "api",
         "Report": "model.findings", "CheckResult": "model.findings", "Finding": "model.findings"}
__all__ = ["check_paths", "check_text", "check_mapping", "get_checker", "render", "Report", "CheckResult",
           "Finding"]
__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
