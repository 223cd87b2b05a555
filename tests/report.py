"""Where the tests find the report's text: one setting, ``CA_ADVISOR_REPORT``.

The report (DIIS Report 2013:12) is third-party text and is not in the repository.
Tests that need it read the file named by the environment variable
``CA_ADVISOR_REPORT``; when the variable is unset they look beside the clone, at
``../shared/report/central-asia-post-2014.txt`` (where CI keeps it). When neither
holds the file, those tests skip and say which setting to give.
"""

from __future__ import annotations

import os
from pathlib import Path

SETTING = "CA_ADVISOR_REPORT"
BESIDE_THE_CLONE = Path(__file__).resolve().parent.parent.parent / "shared" / "report" / "central-asia-post-2014.txt"


def report_path() -> Path:
    given = os.environ.get(SETTING)
    return Path(given) if given else BESIDE_THE_CLONE


def missing_reason() -> str:
    return (f"the report's text is not at {report_path()}; set {SETTING} to the path of "
            "central-asia-post-2014.txt to run the quote checks")
