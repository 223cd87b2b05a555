"""Output formats: each is a small function from a Report to text.

The format names are an enum fed to ``click.Choice``; every format carries the same
findings, waivers and errors, and none of them decides the exit status.
"""

from __future__ import annotations

from collections.abc import Callable

from ..findings import Report
from .json_format import render_json
from .text import render_text

Renderer = Callable[..., str]

FORMATS: dict[str, Renderer] = {
    "text": render_text,
    "json": render_json,
}
