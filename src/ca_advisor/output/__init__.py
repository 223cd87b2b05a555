"""Output formats: each is a small function from a Report to text.

The format names are an enum fed to ``click.Choice``; every format carries the same
findings, waivers and errors, and none of them decides the exit status.  Renderers
take keyword options and ignore those they do not use: ``color`` (text) and
``rules``, the rule book's rule models (SARIF tags, JUnit's passing cases).
"""

from __future__ import annotations

from collections.abc import Callable

from ..findings import Report
from .github import render_github
from .json_format import render_json
from .junit import render_junit
from .markdown import render_markdown
from .sarif import render_sarif
from .text import render_text

Renderer = Callable[..., str]


def render_text_with_notices(report: Report, **options) -> str:
    """The text format plus one line per waiver notice, just above the summary line."""
    text = render_text(report, **options)
    if not report.waiver_notices:
        return text
    lines = text.rstrip("\n").split("\n")
    summary = lines.pop()
    notices = [f"waiver {n.kind}: {n.render()}" for n in report.waiver_notices]
    return "\n".join([*lines, *notices, "", summary]) + "\n"


FORMATS: dict[str, Renderer] = {
    "text": render_text_with_notices,
    "json": render_json,
    "sarif": render_sarif,
    "junit": render_junit,
    "github": render_github,
    "markdown": render_markdown,
}
