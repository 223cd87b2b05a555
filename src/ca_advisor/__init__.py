"""ca-advisor: check defence and security assistance proposals for Central Asia
against the advice of DIIS Report 2013:12, with declarative rules on durable-rules."""

from .api import check_mapping, check_paths, check_text, get_checker, render
from .findings import CheckResult, Finding, Report

__all__ = ["check_paths", "check_text", "check_mapping", "get_checker", "render", "Report", "CheckResult",
           "Finding"]
__version__ = "0.1.0"
