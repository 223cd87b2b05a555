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
import importlib
from collections.abc import Callable, Iterator, Mapping

from .inert import inert_model

Renderer = Callable[..., str]


def inert_renderer(render: Renderer) -> Renderer:
    """``render`` given the report with every string in it inert."""
    @functools.wraps(render)
    def rendered(report, **options) -> str:
        return render(inert_model(report), **options)
    return rendered


# Each format's module and function; a module is imported when its format is first
# used, so a check pays only for the format it prints.
_RENDERERS: dict[str, tuple[str, str]] = {
    "text": ("text", "render_text"),
    "compact": ("text", "render_compact"),
    "json": ("json_format", "render_json"),
    "sarif": ("sarif", "render_sarif"),
    "junit": ("junit", "render_junit"),
    "github": ("github", "render_github"),
    "markdown": ("markdown", "render_markdown"),
    "html": ("html", "render_html"),
}


class _Formats(Mapping[str, Renderer]):
    """The format names, in order; each renderer (made inert) imported on first use."""

    def __init__(self) -> None:
        self._loaded: dict[str, Renderer] = {}

    def __getitem__(self, name: str) -> Renderer:
        if name not in self._loaded:
            module, function = _RENDERERS[name]
            self._loaded[name] = inert_renderer(getattr(importlib.import_module(f"{__name__}.{module}"), function))
        return self._loaded[name]

    def __iter__(self) -> Iterator[str]:
        return iter(_RENDERERS)

    def __len__(self) -> int:
        return len(_RENDERERS)


FORMATS: Mapping[str, Renderer] = _Formats()
# The formats that read ``rules`` (the others are not given it: the rule models are
# loaded only when a format needs them, see engines/checker.py).
TAKE_RULES = frozenset({"sarif", "junit", "html"})
