"""The command line: parse, call the core, render, write. Nothing else.

This is the only layer that reads the clock, the terminal and the files the
user names. Heavy modules (icalendar, sqlite3, the renderers) are imported
inside the commands that need them so that every command starts fast.
"""

from __future__ import annotations

import os
import sys
from datetime import date
from enum import Enum
from typing import Annotated, Any, Optional

import typer
from typer.core import TyperGroup

from . import __version__
from .errors import InputError, MsmonitorError

# typer vendors click and does not re-export its exception base; find it from
# the one exception typer does export.
_CLICK_ERROR = next(c for c in typer.BadParameter.__mro__ if c.__name__ == "ClickException")


def _error(message: str) -> None:
    sys.stderr.write(f"msmonitor: error: {message}\n")


def _warn(message: str) -> None:
    sys.stderr.write(f"msmonitor: warning: {message}\n")


class _OneLineErrors(TyperGroup):
    """Every user error, ours or the argument parser's, is one line on stderr
    and exit status 2; never a traceback, never a usage box."""

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra: Any) -> Any:
        try:
            rv = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except MsmonitorError as exc:
            _error(str(exc))
            sys.exit(exc.exit_code)
        except _CLICK_ERROR as exc:
            hint = f" (see 'msmonitor {exc.ctx.info_name} --help')" if getattr(exc, "ctx", None) and exc.ctx.parent else " (see 'msmonitor --help')"
            # pydantic-backed enum checks prefix their text with "Value error, ".
            _error(exc.format_message().replace("Value error, ", "").rstrip(".") + hint)
            sys.exit(2)
        except typer.Abort:
            _error("aborted")
            sys.exit(1)
        sys.exit(rv if isinstance(rv, int) else 0)


app = typer.Typer(
    cls=_OneLineErrors,
    no_args_is_help=True,
    add_completion=False,
    # Local variables in a traceback would hold health data.
    pretty_exceptions_show_locals=False,
    help="The alemtuzumab (Lemtrada) safety-monitoring schedule, from infusion course dates. Not medical advice.",
)


class Sex(str, Enum):
    female = "female"
    male = "male"


class PlanFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"
    markdown = "markdown"


def _version(value: bool) -> None:
    if value:
        typer.echo(f"msmonitor {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    """The alemtuzumab (Lemtrada) safety-monitoring schedule, from infusion course dates. Not medical advice."""


# ------------------------------------------------------------------ shared options

Course1 = Annotated[Optional[str], typer.Option("--course1", metavar="DATE", help="First day of course 1 (YYYY-MM-DD).")]
Course2 = Annotated[
    Optional[str],
    typer.Option("--course2", metavar="DATE", help="First day of course 2; projected at course 1 + 12 months if not given."),
]
LaterCourses = Annotated[
    Optional[list[str]], typer.Option("--course", metavar="DATE", help="First day of course 3, 4, ... (repeat).")
]
SingleCourse = Annotated[bool, typer.Option("--single-course", help="Course 2 is not planned: monitor 48 months after course 1.")]
SexOption = Annotated[
    Optional[Sex], typer.Option("--sex", help="Without it, items for women are shown and marked 'women only'.")
]
ProtocolOption = Annotated[
    Optional[str], typer.Option("--protocol", metavar="us|eu|PATH", help="Rules to follow: a shipped protocol or a TOML file.")
]
Unverified = Annotated[
    bool, typer.Option("--include-unverified", help="Also schedule rules the sources could not confirm (marked).")
]
TodayOption = Annotated[
    Optional[str], typer.Option("--today", metavar="DATE", help="Mark past, current and next items as of DATE (default: today).")
]
OutputOption = Annotated[
    Optional[str], typer.Option("--output", "-o", metavar="FILE", help="Write to FILE (atomically) instead of stdout.")
]


def _date(value: str, what: str) -> date:
    from .dates import parse_iso_date

    return parse_iso_date(value, what)


def _today(value: Optional[str]) -> date:
    if value is None or value == "today":
        return date.today()
    return _date(value, "--today")


def _request(course1, course2, later, single_course, sex, unverified, patient=None):
    from .model import PlanOptions
    from .schedule import PlanRequest

    if course1 is None:
        raise InputError("missing --course1 DATE (the first day of course 1)")
    return PlanRequest(
        course1=_date(course1, "--course1"),
        course2=_date(course2, "--course2") if course2 else None,
        later=tuple(_date(d, "--course") for d in later or ()),
        single_course=single_course,
        options=PlanOptions(sex=sex.value if sex else None, include_unverified=unverified, patient=patient),
    )


def _emit(text: str, output: Optional[str]) -> None:
    if output and output != "-":
        from .atomic import atomic_write

        atomic_write(output, text)
    else:
        sys.stdout.write(text)


def _terminal(output: Optional[str]) -> dict[str, Any]:
    """Width and colour for text meant for a screen: colour only on a terminal
    without NO_COLOR; 80 columns when not a terminal (files, pipes)."""
    if output and output != "-" or not sys.stdout.isatty():
        return {"width": 80, "color": False}
    import shutil

    columns = shutil.get_terminal_size((80, 24)).columns
    return {"width": min(columns, 120), "color": not os.environ.get("NO_COLOR")}


# ------------------------------------------------------------------ plan


@app.command()
def plan(
    course1: Course1 = None,
    course2: Course2 = None,
    course: LaterCourses = None,
    single_course: SingleCourse = False,
    sex: SexOption = None,
    protocol: ProtocolOption = None,
    include_unverified: Unverified = False,
    today: TodayOption = None,
    fmt: Annotated[PlanFormat, typer.Option("--format", "-f", help="Output format.")] = PlanFormat.table,
    output: OutputOption = None,
) -> None:
    """The whole monitoring programme: pre-treatment, courses, monthly tests, end."""
    from .protocol import load_protocol
    from .schedule import compute_plan

    request = _request(course1, course2, course, single_course, sex, include_unverified)
    now = _today(today)
    result = compute_plan(load_protocol(protocol), request, now)
    to_terminal = fmt is PlanFormat.table and not output and sys.stdout.isatty()
    if not to_terminal:
        for warning in result.warnings:
            _warn(warning)
    if fmt is PlanFormat.table:
        from .render.table import render_table

        _emit(render_table(result, now, **_terminal(output)), output)
        return
    if fmt is PlanFormat.json:
        from .render.records import render_json as render
    elif fmt is PlanFormat.csv:
        from .render.records import render_csv as render
    else:
        from .render.markdown import render_markdown as render
    _emit(render(result, now), output)


# ------------------------------------------------------------------ protocol


@app.command("protocol")
def protocol_cmd(
    name: Annotated[str, typer.Argument(metavar="us|eu|PATH", help="A shipped protocol or a TOML file.")] = "us",
) -> None:
    """Show a protocol's rules with their sources; checks a protocol file you wrote."""
    from .protocol import load_protocol
    from .render.protocol import render_protocol

    sys.stdout.write(render_protocol(load_protocol(name)))


def main() -> None:
    app(prog_name="msmonitor")
