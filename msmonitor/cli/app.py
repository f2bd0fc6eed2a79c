"""The typer app, its one-line errors and the console script.

No ``from __future__ import annotations`` in this package: typer would have
to evaluate every string annotation at start-up, about 4 ms for ``plan`` alone.
"""

import importlib
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
_CLICK_ERROR: Any = next(c for c in typer.BadParameter.__mro__ if c.__name__ == "ClickException")


class _OneLineErrors(TyperGroup):
    """Every user error, ours or the argument parser's, is one line on stderr
    and exit status 2; never a traceback, never a usage box."""

    def main(  # type: ignore[override]
        self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra: Any
    ) -> Any:
        args = _normalise(sys.argv[1:] if args is None else list(args))
        if not args or "-h" in args or "--help" in args:
            _tidy_help(self)
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
        except UnicodeEncodeError as exc:
            # Text no UTF-8 can hold: bytes of another encoding on the command
            # line (Python keeps them as lone surrogates) or a lone "\udXXX"
            # escape in JSON. Writes are transactions or whole-file renames.
            bad = exc.object[exc.start : exc.end] if isinstance(exc.object, str) else ""
            error(
                f"text that is not valid UTF-8 ({bad!a}): a label, name, note or test given in another encoding,"
                " or a lone \\u escape in JSON; nothing was saved"
            )
            sys.exit(2)
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


# -h as well as --help, on every command
CONTEXT = {"help_option_names": ["-h", "--help"]}

# Two or three examples on each command's help page.
EXAMPLES = {
    "plan": [
        "msmonitor plan --course1 2024-01-10 --sex female",
        "msmonitor plan --course1 2024-01-10 --upcoming --months 3",
        "msmonitor plan --course1 2024-01-10 --sex male --ics lemtrada.ics",
    ],
    "checklist": [
        "msmonitor checklist jd --pre-treatment -f html -o jd.html",
        "msmonitor checklist jd --visit today",
        "msmonitor checklist --course1 2024-01-10 --symptoms",
    ],
    "add": [
        "msmonitor add jd --course1 2024-01-10 --sex female",
        "msmonitor add p031 --course1 2023-05-02 --course2 2024-05-06 --protocol eu",
    ],
    "done": [
        "msmonitor done jd today",
        "msmonitor done jd 2024-02-14 --tests tsh",
        "msmonitor done jd 2024-02-14 --undo",
    ],
    "course": ["msmonitor course jd --add 2025-01-20", "msmonitor course jd --set 2 2025-02-03"],
    "status": ["msmonitor status jd", "msmonitor status jd --format json -o jd.json"],
    "export": ["msmonitor export -o backup.json"],
    "due": ["msmonitor due", "msmonitor due --within 2w"],
    "patients": ["msmonitor patients"],
    "import": ["msmonitor import patients.csv", "msmonitor import backup.json"],
    "rename": ["msmonitor rename jd p030"],
    "edit": ["msmonitor edit jd --sex female", "msmonitor edit jd --protocol eu"],
    "remove": ["msmonitor remove jd"],
    "protocol": ["msmonitor protocol us", "msmonitor protocol my-clinic.toml"],
}


def _tidy_help(group: Any) -> None:
    """Help pages that read well at 80 columns, whoever declared the options:
    typer renders help text as Rich markup, which swallows "[default: ...]"
    (leaving "Output format ."), and folds a long choice list such as
    <table|json|csv|markdown> mid-word; such an option gets a name for its
    value and its choices in the help text. Each command gets its examples."""
    for command in [group, *getattr(group, "commands", {}).values()]:
        name = command.name or ""
        if name in EXAMPLES and not command.epilog:
            command.epilog = "Examples:\n" + "\n".join(f"  {line}" for line in EXAMPLES[name])
        for param in command.params:
            help_text = getattr(param, "help", None)
            if help_text and "[" in help_text and "\\[" not in help_text:
                param.help = help_text.replace("[", "\\[")
            if getattr(param.type, "choices", None) and param.metavar is None:
                choices = [str(c) for c in param.type.choices]
                if len("|".join(choices)) > 14:
                    param.metavar = max(param.opts, key=len).lstrip("-").upper()
                    param.help = f"{param.help or ''} One of: {', '.join(choices)}.".strip()


app = typer.Typer(
    cls=_OneLineErrors,
    no_args_is_help=True,
    context_settings=CONTEXT,
    # --install-completion / --show-completion SHELL are the root callback's
    # own options: typer's take a shell name only when its shell detection is
    # off at build time (an environment variable) and otherwise guess the shell
    # from the parent process, so the same command line printed bash's script
    # under bash and failed with exit 1 under sh.
    add_completion=False,
    # Local variables in a traceback would hold health data.
    pretty_exceptions_show_locals=False,
    help="The alemtuzumab (Lemtrada) safety-monitoring schedule, from infusion course dates. Not medical advice.",
)


SHELLS = ("bash", "zsh", "fish")


def _completion(ctx: typer.Context, param: Any, value: str | None) -> None:
    """``--show-completion SHELL`` and ``--install-completion SHELL``: the shell
    is named, never guessed from the parent process."""
    if value is None or ctx.resilient_parsing:
        return
    if value not in SHELLS:
        raise typer.BadParameter(f"{value!r} is not one of {', '.join(SHELLS)}", param=param)
    from typer.completion import install_callback, show_callback

    (show_callback if param.name == "show_completion" else install_callback)(ctx, param, value)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"msmonitor {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", "-V", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
    show_completion: Annotated[
        str | None,
        typer.Option(
            "--show-completion",
            metavar="SHELL",
            callback=_completion,
            is_eager=True,
            expose_value=False,
            help="Print the completion script for SHELL (bash, zsh or fish).",
        ),
    ] = None,
    install_completion: Annotated[
        str | None,
        typer.Option(
            "--install-completion",
            metavar="SHELL",
            callback=_completion,
            is_eager=True,
            expose_value=False,
            help="Add completion to SHELL's start-up file (bash, zsh or fish).",
        ),
    ] = None,
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
    options.DATABASES.clear()  # this run's databases only (tests run many in one process)


def main() -> None:
    """The console script. Typer builds every command's parser up front (about
    4 ms each); a run needs only one, so the app it runs holds just that one
    when the first argument names it. Help and errors stay those of ``app``."""
    if "_MSMONITOR_COMPLETE" in os.environ:
        # a shell asks for completions: typer's completion classes (which
        # add_completion=True would have registered) answer it
        from typer.completion import completion_init

        completion_init()
    args = sys.argv[1:]
    if args and args[0] in COMMAND_MODULES:
        importlib.import_module(f"{__package__}.{COMMAND_MODULES[args[0]]}")
        chosen = [c for c in app.registered_commands if _command_name(c) == args[0]]
        if chosen:
            single = typer.Typer(
                cls=_OneLineErrors, add_completion=False, context_settings=CONTEXT, pretty_exceptions_show_locals=False
            )
            single.registered_callback = app.registered_callback
            single.info = app.info
            single.registered_commands = chosen
            single(prog_name="msmonitor")
            return
    all_commands()(prog_name="msmonitor")


# The module that registers each command; --help lists them in this order.
COMMAND_MODULES = {
    "plan": "plans",
    "checklist": "plans",
    "add": "records",
    "done": "records",
    "course": "records",
    "status": "records",
    "export": "records",
    "due": "due",
    "patients": "roster",
    "import": "roster",
    "rename": "roster",
    "edit": "roster",
    "remove": "roster",
    "protocol": "protocol",
}
_MODULE_ORDER = list(dict.fromkeys(COMMAND_MODULES.values()))


def all_commands() -> typer.Typer:
    """``app`` with every command registered, in the order of COMMAND_MODULES
    whichever module was imported first."""
    for module in _MODULE_ORDER:
        importlib.import_module(f"{__package__}.{module}")
    app.registered_commands.sort(key=lambda c: _MODULE_ORDER.index(c.callback.__module__.rsplit(".", 1)[-1]))
    return app


def _command_name(info: CommandInfo) -> str:
    if info.name:
        return info.name
    assert info.callback is not None
    return info.callback.__name__.lower().replace("_", "-")
