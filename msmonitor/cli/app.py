"""The typer app, its one-line errors and the console script.

No ``from __future__ import annotations`` in this package: typer would have
to evaluate every string annotation at start-up, about 4 ms for ``plan`` alone.
"""

import os
import sys
from typing import Annotated, Any

import typer
from typer.core import TyperGroup
from typer.models import CommandInfo

from .. import __version__
from ..errors import MsmonitorError
from . import options
from .output import error

# typer vendors click and does not re-export its exception base; find it from
# the one exception typer does export.
_CLICK_ERROR = next(c for c in typer.BadParameter.__mro__ if c.__name__ == "ClickException")


class _OneLineErrors(TyperGroup):
    """Every user error, ours or the argument parser's, is one line on stderr
    and exit status 2; never a traceback, never a usage box."""

    def main(  # type: ignore[override]
        self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra: Any
    ) -> Any:
        args = _normalise(sys.argv[1:] if args is None else list(args))
        try:
            rv = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except MsmonitorError as exc:
            error(str(exc))
            sys.exit(exc.exit_code)
        except _CLICK_ERROR as exc:
            message = exc.format_message().rstrip(".")
            if message:  # empty when no command was given: the help was shown
                context = getattr(exc, "ctx", None)
                command = f"msmonitor {context.info_name}" if context is not None and context.parent else "msmonitor"
                error(f"{message} (see '{command} --help')")
            sys.exit(2)
        except typer.Abort:
            error("aborted")
            sys.exit(1)
        except Exception as exc:
            # A bug, not bad input: no traceback (its local variables could hold
            # health data) unless MSMONITOR_DEBUG is set.
            if os.environ.get("MSMONITOR_DEBUG"):
                raise
            error(f"internal error ({type(exc).__name__}); please report it with the command you ran")
            sys.exit(1)
        sys.exit(rv if isinstance(rv, int) else 0)


def _normalise(args: list[str]) -> list[str]:
    """``--discreet`` is a flag that also takes ``=strict``; a click option is
    either a flag or takes a value, so the strict form becomes a hidden flag.
    Any other value is left for the parser to refuse."""
    aliases = {"--discreet=strict": "--discreet-strict", "--discreet=on": "--discreet"}
    return [aliases.get(arg, arg) for arg in args]


app = typer.Typer(
    cls=_OneLineErrors,
    no_args_is_help=True,
    add_completion=False,
    # Local variables in a traceback would hold health data.
    pretty_exceptions_show_locals=False,
    help="The alemtuzumab (Lemtrada) safety-monitoring schedule, from infusion course dates. Not medical advice.",
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"msmonitor {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            metavar="PATH",
            help="The patient database, for every command (as the commands' own --db or MSMONITOR_DB).",
        ),
    ] = None,
) -> None:
    """The alemtuzumab (Lemtrada) safety-monitoring schedule, from infusion course dates. Not medical advice."""
    # global options come before the command: 'msmonitor --db clinic.db due'
    options.GLOBAL.update(db=db)


def main() -> None:
    """The console script. Typer builds every command's parser up front (about
    4 ms each); a run needs only one, so the app it runs holds just that one
    when the first argument names it. Help and errors stay those of ``app``."""
    args = sys.argv[1:]
    if args and not args[0].startswith("-"):
        chosen = [c for c in app.registered_commands if _command_name(c) == args[0]]
        if chosen:
            single = typer.Typer(cls=_OneLineErrors, add_completion=False, pretty_exceptions_show_locals=False)
            single.registered_callback = app.registered_callback
            single.info = app.info
            single.registered_commands = chosen
            single(prog_name="msmonitor")
            return
    app(prog_name="msmonitor")


def _command_name(info: CommandInfo) -> str:
    if info.name:
        return info.name
    assert info.callback is not None
    return info.callback.__name__.lower().replace("_", "-")
