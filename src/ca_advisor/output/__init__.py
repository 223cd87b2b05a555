"""Output formats: each is a small function from a Report to text.

The format names are an enum fed to ``click.Choice``; every format carries the same
findings, waivers and errors, and none of them decides the exit status.  Renderers
take keyword options and ignore those they do not use: ``color``, ``verbose`` and
``width`` (text, compact), ``fail_on`` (JUnit) and ``rules``, the rule book's rule
models (SARIF tags, JUnit's passing cases).
"""

from __future__ import annotations

from collections.abc import Callable

from .github import render_github
from .html import render_html
from .json_format import render_json
from .junit import render_junit
from .markdown import render_markdown
from .sarif import render_sarif
from .text import render_compact, render_text

Renderer = Callable[..., str]


FORMATS: dict[str, Renderer] = {
    "text": render_text,
    "compact": render_compact,
    "json": render_json,
    "sarif": render_sarif,
    "junit": render_junit,
    "github": render_github,
    "markdown": render_markdown,
    "html": render_html,
}
