"""The date type of every file ca-advisor reads.

pydantic reads a number as seconds since 1970, so ``date: 0`` became 1970-01-01 and
``since: 20130101`` a day in August 1970, silently. A date must be written as one.
"""

from __future__ import annotations

import datetime
from typing import Annotated, Any

from pydantic import BeforeValidator
from pydantic_core import PydanticCustomError


def _no_number_dates(value: Any) -> Any:
    if isinstance(value, (bool, int, float)):
        raise PydanticCustomError("date_type", "expected a date")
    return value


Date = Annotated[datetime.date, BeforeValidator(_no_number_dates)]
