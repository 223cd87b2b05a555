"""Output formats: each is a small function from a Report to text.

The format names are an enum fed to ``click.Choice``; every format carries the same
findings, waivers and errors, and none of them decides the exit status.  Renderers
take keyword options and ignore those they do not use: ``color`` (text) and
``rules``, the rule book's rule models (SARIF tags, JUnit's passing cases).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator, Mapping

Renderer = Callable[..., str]

# Each format's module and function; a module is imported when its format is first
# used, so a check pays only for the format it prints.
_RENDERERS = {
    "text": ("text", "render_text"),
    "json": ("json_format", "render_json"),
    "sarif": ("sarif", "render_sarif"),
    "junit": ("junit", "render_junit"),
    "github": ("github", "render_github"),
    "markdown": ("markdown", "render_markdown"),
}


class _Formats(Mapping[str, Renderer]):
    """The format names, in order; each renderer imported on first use."""

    def __getitem__(self, name: str) -> Renderer:
        module, function = _RENDERERS[name]
        return getattr(importlib.import_module(f"{__name__}.{module}"), function)

    def __iter__(self) -> Iterator[str]:
        return iter(_RENDERERS)

    def __len__(self) -> int:
        return len(_RENDERERS)


FORMATS: Mapping[str, Renderer] = _Formats()
