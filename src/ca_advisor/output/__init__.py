"""Output formats: each is a small function from a Report to text.

The format names are an enum fed to ``click.Choice``; every format carries the same
findings, waivers and errors, and none of them decides the exit status.  Renderers
take keyword options and ignore those they do not use: ``color``, ``verbose`` and
``width`` (text, compact), ``fail_on`` (JUnit) and ``rules``, the rule book's rule
models (SARIF tags, JUnit's passing cases).

Every renderer in ``FORMATS`` is given the report with all its text made inert
(``inert.py``: control characters escaped visibly, workflow-command prefixes
broken), so no format, present or added later, can carry a control sequence or a
CI command from a proposal into its output.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from .github import render_github
from .html import render_html
from .inert import inert_model
from .json_format import render_json
from .junit import render_junit
from .markdown import render_markdown
from .sarif import render_sarif
from .text import render_compact, render_text

Renderer = Callable[..., str]


def inert_renderer(render: Renderer) -> Renderer:
    """``render`` given the report with every string in it inert."""
    @functools.wraps(render)
    def rendered(report, **options) -> str:
        return render(inert_model(report), **options)
    return rendered


_RENDERERS: dict[str, Renderer] = {
    "text": render_text,
    "compact": render_compact,
    "json": render_json,
    "sarif": render_sarif,
    "junit": render_junit,
    "github": render_github,
    "markdown": render_markdown,
    "html": render_html,
}

FORMATS: dict[str, Renderer] = {name: inert_renderer(render) for name, render in _RENDERERS.items()}
