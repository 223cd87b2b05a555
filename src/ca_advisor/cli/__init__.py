"""The ``ca-advisor`` command line: one module per command group.

Exit status, whatever the output format: 0 when no finding reaches ``--fail-on``,
1 when one does, 2 for unreadable or invalid input and usage errors.
"""

from __future__ import annotations

import importlib

import click

# Which module defines each top-level command; a module is imported when its command
# runs (or help lists it), so ``ca-advisor check`` does not import the rule tools.
COMMAND_MODULES = {"check": "check_cmd", "rules": "rules_cmd", "explain": "explain_cmd", "profiles": "profiles_cmd",
                   "diff": "review_cmd", "schema": "review_cmd", "packs": "packs_cmd"}


class _LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(super().list_commands(ctx)) | set(COMMAND_MODULES))

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in self.commands and name in COMMAND_MODULES:
            importlib.import_module(f"{__name__}.{COMMAND_MODULES[name]}")  # registers it on ``main``
        return super().get_command(ctx, name)


@click.group(cls=_LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="ca-advisor")
def main() -> None:
    """Check Central Asia defence and security assistance proposals against the
    advice of DIIS Report 2013:12."""
