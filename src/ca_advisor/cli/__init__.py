"""The ``ca-advisor`` command line: one module per command group.

Exit status, whatever the output format: 0 when no finding reaches ``--fail-on``,
1 when one does, 2 for unreadable or invalid input, usage errors and internal
failures (CI must never read a crash as "findings").
"""

from __future__ import annotations

import errno
import importlib
import os
import sys

import click

INPUT_ERROR = 2
DEBUG_ENV = "CA_ADVISOR_DEBUG"
# Which module defines each top-level command; a module is imported when its command
# runs (or help lists it), so ``ca-advisor check`` does not import the rule tools.
COMMAND_MODULES = {"check": "check_cmd", "rules": "rules_cmd", "explain": "explain_cmd", "profiles": "profiles_cmd",
                   "diff": "review_cmd", "schema": "review_cmd", "packs": "packs_cmd", "portfolio": "portfolio_cmd"}


class _Guarded(click.Group):
    """The one top-level handler: an unexpected exception becomes one line on standard
    error and exit 2; the traceback only with ``--debug`` or ``CA_ADVISOR_DEBUG=1``.
    A closed or full standard output is reported the same way, never as a traceback."""

    def invoke(self, ctx: click.Context):
        try:
            result = super().invoke(ctx)
        except click.ClickException as exc:  # usage errors quote what was typed: make it inert too
            exc.message = _inert(exc.message)
            _flush()
            raise
        except (click.exceptions.Exit, click.Abort, SystemExit):
            _flush()
            raise
        except KeyboardInterrupt:
            _fail("interrupted")
        except OSError as exc:
            if exc.errno in (errno.EPIPE, errno.ENOSPC, errno.EIO, errno.EBADF):
                _fail(f"cannot write the output: {exc.strerror or exc}", stdout_broken=True)
            _internal(ctx, exc)
        except Exception as exc:  # noqa: BLE001 - this is the last line of defence
            _internal(ctx, exc)
        _flush()
        return result

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(super().list_commands(ctx)) | set(COMMAND_MODULES))

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in self.commands and name in COMMAND_MODULES:
            importlib.import_module(f"{__name__}.{COMMAND_MODULES[name]}")  # registers it on ``main``
        return super().get_command(ctx, name)


def _flush() -> None:
    """Write what is buffered now, so that a closed or full standard output is
    reported here rather than as "Exception ignored" at interpreter exit."""
    try:
        sys.stdout.flush()
    except OSError as exc:
        _fail(f"cannot write the output: {exc.strerror or exc}", stdout_broken=True)
    except ValueError:  # already closed
        pass


def _debugging(ctx: click.Context) -> bool:
    return bool(ctx.meta.get("ca_advisor.debug")) or os.environ.get(DEBUG_ENV, "") not in ("", "0")


def _internal(ctx: click.Context, exc: BaseException):
    if _debugging(ctx):
        raise exc
    what = str(exc).splitlines()[0][:200] if str(exc) else ""
    _fail(f"internal error ({type(exc).__name__}{': ' + what if what else ''}); this is a bug in ca-advisor: "
          f"please report it with the command and the input files (run with {DEBUG_ENV}=1 for the traceback)")


def _fail(message: str, *, stdout_broken: bool = False):
    if stdout_broken:  # nothing more may reach the broken stream, not even at exit
        try:
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        except (OSError, ValueError, AttributeError):
            pass
    try:
        click.echo(f"error: {_inert(message)}", err=True)
    except OSError:
        pass
    sys.exit(INPUT_ERROR)


def _inert(text: str) -> str:
    from ..output.inert import inert
    return inert(text)


def _set_debug(ctx: click.Context, _param, value: bool) -> None:
    if value:
        ctx.meta["ca_advisor.debug"] = True


@click.group(cls=_Guarded, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="ca-advisor")
@click.option("--debug", is_flag=True, expose_value=False, is_eager=True, callback=_set_debug,
              help=f"Show the traceback of an internal error (also {DEBUG_ENV}=1).")
def main() -> None:
    """Check Central Asia defence and security assistance proposals against the
    advice of DIIS Report 2013:12."""
