"""The command line: parse, call the core, render, write. Nothing else.

This is the only layer that reads the clock, the terminal and the files the
user names. Heavy modules (icalendar, sqlite3, the renderers) are imported
inside the commands that need them so that every command starts fast. (No
``from __future__ import annotations`` here: typer would have to evaluate
every string annotation at start-up, about 4 ms for ``plan`` alone.)
"""

import os
import sys
from datetime import UTC, date
from enum import Enum
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from . import __version__
from .errors import InputError, MsmonitorError
from .files import read_bytes

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
        args = _normalise(sys.argv[1:] if args is None else list(args))
        try:
            rv = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except MsmonitorError as exc:
            _error(str(exc))
            sys.exit(exc.exit_code)
        except _CLICK_ERROR as exc:
            message = exc.format_message().rstrip(".")
            if message:  # empty when no command was given: the help was shown
                context = getattr(exc, "ctx", None)
                command = f"msmonitor {context.info_name}" if context is not None and context.parent else "msmonitor"
                _error(f"{message} (see '{command} --help')")
            sys.exit(2)
        except typer.Abort:
            _error("aborted")
            sys.exit(1)
        except Exception as exc:
            # A bug, not bad input: no traceback (its local variables could hold
            # health data) unless MSMONITOR_DEBUG is set.
            if os.environ.get("MSMONITOR_DEBUG"):
                raise
            _error(f"internal error ({type(exc).__name__}); please report it with the command you ran")
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


class Sex(str, Enum):
    female = "female"
    male = "male"


class ChecklistFormat(str, Enum):
    terminal = "terminal"
    markdown = "markdown"
    html = "html"


class RecordsFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"


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

Course1 = Annotated[str | None, typer.Option("--course1", metavar="DATE", help="First day of course 1 (YYYY-MM-DD).")]
Course2 = Annotated[
    str | None,
    typer.Option(
        "--course2", metavar="DATE", help="First day of course 2; projected at course 1 + 12 months if not given."
    ),
]
LaterCourses = Annotated[
    list[str] | None, typer.Option("--course", metavar="DATE", help="First day of course 3, 4, ... (repeat).")
]
SingleCourse = Annotated[
    bool, typer.Option("--single-course", help="Course 2 is not planned: monitor 48 months after course 1.")
]
SexOption = Annotated[
    Sex | None, typer.Option("--sex", help="Without it, items for women are shown and marked 'women only'.")
]
ProtocolOption = Annotated[
    str | None,
    typer.Option("--protocol", metavar="us|eu|PATH", help="Rules to follow: a shipped protocol or a TOML file."),
]
Unverified = Annotated[
    bool, typer.Option("--include-unverified", help="Also schedule rules the sources could not confirm (marked).")
]
TodayOption = Annotated[
    str | None,
    typer.Option("--today", metavar="DATE", help="Mark past, current and next items as of DATE (default: today)."),
]
PatientOption = Annotated[
    str | None,
    typer.Option("--patient", metavar="LABEL", help="A label (not a real name) for the plan; keeps patients apart."),
]
DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        envvar="MSMONITOR_DB",
        metavar="PATH",
        help="The patient database [default: in your data folder].",
        show_envvar=True,
    ),
]
SavedPatient = Annotated[
    str | None, typer.Argument(metavar="[PATIENT]", help="A saved patient's label, instead of course options.")
]
OutputOption = Annotated[
    str | None, typer.Option("--output", "-o", metavar="FILE", help="Write to FILE (atomically) instead of stdout.")
]


def _date(value: str, what: str) -> date:
    from .dates import parse_iso_date

    return parse_iso_date(value, what)


def _today(value: str | None, what: str = "--today") -> date:
    if value is None or value == "today":
        return date.today()
    return _date(value, what)


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


def _plan_for(saved, db, now, course1, course2, course, single_course, sex, protocol, unverified, patient):
    """The plan of a saved patient, or of the course options given."""
    if saved is None:
        from .protocol import load_protocol
        from .schedule import compute_plan

        request = _request(course1, course2, course, single_course, sex, unverified, patient)
        return compute_plan(load_protocol(protocol), request, now)
    from .dates import looks_like_date

    if looks_like_date(saved):
        raise InputError(
            f"{saved!r} looks like a date: give it as --course1 {saved} (a bare word names a saved patient)"
        )
    given = [
        n
        for n, v in (
            ("--course1", course1),
            ("--course2", course2),
            ("--course", course),
            ("--single-course", single_course),
            ("--sex", sex),
            ("--protocol", protocol),
            ("--include-unverified", unverified),
            ("--patient", patient),
        )
        if v
    ]
    if given:
        raise InputError(
            f"{given[0]} cannot be combined with a saved patient: change the patient with 'msmonitor course'"
        )
    from .patients import Protocols, plan_of

    store = _store(db, create=False)
    try:
        return plan_of(store.patient(saved), Protocols(), now)
    finally:
        store.close()


def _store(db: str | None, create: bool = True):
    from .store import Store

    return Store.open(db, create=create)


def _emit(text: str, output: str | None) -> None:
    if output and output != "-":
        from .files import atomic_write

        atomic_write(output, text)
    else:
        sys.stdout.write(text)


def _terminal(output: str | None) -> dict[str, Any]:
    """Width and colour for text meant for a screen: colour only on a terminal
    without NO_COLOR; 80 columns when not a terminal (files, pipes)."""
    if (output and output != "-") or not sys.stdout.isatty():
        return {"width": 80, "color": False}
    import shutil

    columns = shutil.get_terminal_size((80, 24)).columns
    return {"width": min(columns, 120), "color": not os.environ.get("NO_COLOR")}


# ------------------------------------------------------------------ plan


@app.command()
def plan(
    saved: SavedPatient = None,
    course1: Course1 = None,
    course2: Course2 = None,
    course: LaterCourses = None,
    single_course: SingleCourse = False,
    sex: SexOption = None,
    protocol: ProtocolOption = None,
    include_unverified: Unverified = False,
    today: TodayOption = None,
    fmt: Annotated[
        PlanFormat | None,
        typer.Option("--format", "-f", help="Output format [default: table, none with --ics FILE]."),
    ] = None,
    output: OutputOption = None,
    patient: PatientOption = None,
    ics: Annotated[
        str | None,
        typer.Option(
            "--ics",
            metavar="FILE|-",
            rich_help_panel="Calendar export",
            help="Write the plan as an iCalendar file (- for stdout).",
        ),
    ] = None,
    replaces: Annotated[
        str | None,
        typer.Option(
            "--replaces",
            metavar="OLD.ics",
            rich_help_panel="Calendar export",
            help="The previous export (default: FILE if it exists): changed events are raised, removed ones cancelled.",
        ),
    ] = None,
    discreet: Annotated[
        bool,
        typer.Option(
            "--discreet",
            rich_help_panel="Calendar export",
            help="Neutral titles and alarms ('Lab visit', 'Appointment'); --discreet=strict also drops the details.",
        ),
    ] = False,
    discreet_strict: Annotated[bool, typer.Option("--discreet-strict", hidden=True)] = False,
    remind: Annotated[
        str | None,
        typer.Option(
            "--remind",
            metavar="2d|2h|30m",
            rich_help_panel="Calendar export",
            help="Reminder before each item: Nd = 09:00 N days before [default: 1d].",
        ),
    ] = None,
    no_remind: Annotated[
        bool, typer.Option("--no-remind", rich_help_panel="Calendar export", help="No reminders.")
    ] = False,
    at: Annotated[
        str | None,
        typer.Option(
            "--at",
            metavar="HH:MM",
            rich_help_panel="Calendar export",
            help="Timed visits at this time instead of all-day events (needs --tz).",
        ),
    ] = None,
    tz: Annotated[
        str | None,
        typer.Option(
            "--tz",
            metavar="ZONE",
            rich_help_panel="Calendar export",
            help="IANA time zone for --at, e.g. Europe/London.",
        ),
    ] = None,
    db: DbOption = None,
) -> None:
    """The whole monitoring programme: pre-treatment, courses, monthly tests, end."""
    ics_options = _ics_settings(ics, replaces, discreet, discreet_strict, remind, no_remind, at, tz)
    if ics == "-" and fmt and not output:
        raise InputError("--ics - and --format both write to stdout: give one of them -o FILE")
    now = _today(today)
    result = _plan_for(
        saved, db, now, course1, course2, course, single_course, sex, protocol, include_unverified, patient
    )
    if fmt is None:
        fmt = None if ics and ics != "-" else PlanFormat.table if not ics else None
    to_terminal = fmt is PlanFormat.table and not output and sys.stdout.isatty()
    if not to_terminal:
        for warning in result.warnings:
            _warn(warning)
    if ics:
        _export_ics(result, ics, replaces, ics_options)
    if fmt is None:
        return
    if fmt is PlanFormat.table:
        from .render.table import render_table

        _emit(render_table(result, now, **_terminal(output)), output)
        return
    if fmt is PlanFormat.json:
        from .render.plan_data import render_json as render
    elif fmt is PlanFormat.csv:
        from .render.plan_data import render_csv as render
    else:
        from .render.markdown import render_markdown as render
    _emit(render(result, now), output)


def _ics_settings(ics, replaces, discreet, strict, remind, no_remind, at, tz) -> dict[str, Any]:
    given = [
        name
        for name, value in (
            ("--replaces", replaces),
            ("--discreet", discreet or strict),
            ("--remind", remind),
            ("--no-remind", no_remind),
            ("--at", at),
            ("--tz", tz),
        )
        if value
    ]
    if not ics:
        if given:
            raise InputError(f"{given[0]} applies to the calendar export: add --ics FILE")
        return {}
    from .dates import parse_clock, parse_reminder

    if remind and no_remind:
        raise InputError("--remind and --no-remind contradict each other")
    if tz and not at:
        raise InputError("--tz applies to timed events: add --at HH:MM")
    settings: dict[str, Any] = {"discreet": "strict" if strict else "on" if discreet else "off"}
    if no_remind:
        settings["remind"] = None
    elif remind:
        settings["remind"] = parse_reminder(remind)
    if at:
        settings["at"] = parse_clock(at)
        settings["tz"] = tz
    return settings


def _export_ics(result, target: str, replaces: str | None, settings: dict[str, Any]) -> None:
    from datetime import datetime
    from pathlib import Path

    from .render.ics import IcsOptions, plan_identity, read_previous, render_ics

    identity = plan_identity(result.options.patient, result.courses[0].first)
    name = f"MS monitoring: {result.options.patient}" if result.options.patient else "MS monitoring"
    options = IcsOptions(identity=identity, name=name, **settings)
    source = replaces or (target if target != "-" and Path(target).is_file() else None)
    previous = read_previous(read_bytes(source), source, identity) if source else None
    export = render_ics(result, stamp=datetime.now(UTC), options=options, previous=previous)
    if target == "-":
        sys.stdout.buffer.write(export.data)
        sys.stdout.flush()
        return
    from .files import atomic_write

    atomic_write(target, export.data)
    change = f", {export.changed} new or changed, {export.cancelled} cancelled" if previous else ""
    sys.stderr.write(f"msmonitor: wrote {target}: {export.events} events{change}\n")


# ------------------------------------------------------------------ checklist


@app.command()
def checklist(
    saved: SavedPatient = None,
    course1: Course1 = None,
    course2: Course2 = None,
    course: LaterCourses = None,
    single_course: SingleCourse = False,
    sex: SexOption = None,
    protocol: ProtocolOption = None,
    include_unverified: Unverified = False,
    today: TodayOption = None,
    patient: PatientOption = None,
    pre_treatment: Annotated[bool, typer.Option("--pre-treatment", help="The checklist before course 1.")] = False,
    course_number: Annotated[
        int | None, typer.Option("--course-number", metavar="N", help="The checklist around infusion course N.")
    ] = None,
    visit: Annotated[
        str | None,
        typer.Option("--visit", metavar="DATE|today", help="What is due at a visit on DATE [default: today]."),
    ] = None,
    symptoms: Annotated[
        bool, typer.Option("--symptoms", help="The symptom self-check card, with who-to-call blanks.")
    ] = False,
    fmt: Annotated[ChecklistFormat, typer.Option("--format", "-f", help="Output format.")] = ChecklistFormat.terminal,
    output: OutputOption = None,
    db: DbOption = None,
) -> None:
    """A printable checklist: a visit, before treatment, a course, or the symptom card."""
    from . import checklists as build

    chosen = [
        name
        for name, on in (
            ("--pre-treatment", pre_treatment),
            ("--course-number", course_number is not None),
            ("--visit", visit is not None),
            ("--symptoms", symptoms),
        )
        if on
    ]
    if len(chosen) > 1:
        raise InputError(f"{chosen[0]} and {chosen[1]} ask for different checklists: give one")
    now = _today(today)
    result = _plan_for(
        saved, db, now, course1, course2, course, single_course, sex, protocol, include_unverified, patient
    )
    if pre_treatment:
        doc = build.pre_treatment_checklist(result)
    elif course_number is not None:
        doc = build.course_checklist(result, course_number)
    elif symptoms:
        doc = build.symptom_card(result)
    else:
        doc = build.visit_checklist(result, _today(visit, "--visit") if visit else now, now)
    if fmt is ChecklistFormat.html:
        from .render.checklist import render_checklist_html

        _emit(render_checklist_html(doc), output)
    elif fmt is ChecklistFormat.markdown:
        from .render.checklist import render_checklist_markdown

        _emit(render_checklist_markdown(doc), output)
    else:
        from rich.console import Console

        from .render.checklist import render_checklist_rich

        screen = _terminal(output)
        console = Console(
            width=screen["width"], no_color=not screen["color"], highlight=False, force_terminal=screen["color"]
        )
        with console.capture() as captured:
            console.print(render_checklist_rich(doc))
        _emit(captured.get(), output)


# ------------------------------------------------------------------ saved patients and records

Label = Annotated[str, typer.Argument(metavar="PATIENT", help="The patient's label (not a real name).")]


def _now():
    from datetime import datetime

    return datetime.now(UTC).replace(microsecond=0)


def _tests(value: str | None) -> list[str] | None:
    if value is None:
        return None
    tests = [t.strip() for t in value.split(",") if t.strip()]
    if not tests:
        raise InputError("--tests: give test ids separated by commas, e.g. cbc-diff,creatinine")
    return tests


@app.command()
def add(
    label: Label,
    course1: Course1 = None,
    course2: Course2 = None,
    course: LaterCourses = None,
    single_course: SingleCourse = False,
    sex: SexOption = None,
    protocol: ProtocolOption = None,
    include_unverified: Unverified = False,
    notes: Annotated[
        str, typer.Option("--notes", help="Free text kept with the patient (no identifying details).")
    ] = "",
    db: DbOption = None,
) -> None:
    """Save a patient: a label and course dates, as for 'plan'."""
    from .patients import Protocols, add_patients, new_patient

    request = _request(course1, course2, course, single_course, sex, include_unverified, label)
    patient = new_patient(label, request, protocol or "us", notes)
    store = _store(db)
    try:
        (result,) = add_patients(store, [patient], _now(), Protocols())
    finally:
        store.close()
    for warning in result.warnings:
        _warn(warning)
    sys.stderr.write(
        f"msmonitor: saved {label!r}: monitoring until {result.monitoring_ends.isoformat()} ({store.path})\n"
    )


@app.command()
def done(
    label: Label,
    day: Annotated[str, typer.Argument(metavar="DATE", help="The day the tests were done (YYYY-MM-DD or today).")],
    tests: Annotated[
        str | None,
        typer.Option("--tests", metavar="ID,ID", help="Only these tests [default: the whole panel due nearest DATE]."),
    ] = None,
    undo: Annotated[bool, typer.Option("--undo", help="Remove the records of DATE (or of --tests on DATE).")] = False,
    note: Annotated[str, typer.Option("--note", help="A short note kept with the record.")] = "",
    db: DbOption = None,
) -> None:
    """Record tests as done on a date (or take a record back with --undo)."""
    from .patients import Protocols, record_done, undo_done

    when = _today(day, "DATE")
    chosen = _tests(tests)
    store = _store(db, create=False)
    try:
        if undo:
            removed = undo_done(store, label, when, chosen, Protocols())
            sys.stderr.write(
                f"msmonitor: removed {removed} record{'s' * (removed != 1)} of {when.isoformat()} for {label!r}\n"
            )
            return
        result = record_done(store, label, when, chosen, _now(), Protocols(), note)
    finally:
        store.close()
    matched = f" ({result.matched})" if result.matched else ""
    sys.stderr.write(f"msmonitor: recorded {', '.join(result.tests)} on {when.isoformat()} for {label!r}{matched}\n")


@app.command("course")
def course_cmd(
    label: Label,
    add_start: Annotated[
        str | None, typer.Option("--add", metavar="DATE", help="Record the next course, starting on DATE.")
    ] = None,
    set_course: Annotated[
        tuple[int, str] | None, typer.Option("--set", metavar="N DATE", help="Move course N to start on DATE.")
    ] = None,
    remove: Annotated[int | None, typer.Option("--remove", metavar="N", help="Remove the last course, N.")] = None,
    days: Annotated[
        str | None,
        typer.Option("--days", metavar="DATE,DATE,...", help="The course's real infusion days, when not consecutive."),
    ] = None,
    today: TodayOption = None,
    db: DbOption = None,
) -> None:
    """Add, move or remove a saved patient's course; the plan follows, records stay."""
    from .dates import parse_iso_date
    from .patients import Protocols, change_course

    chosen = [n for n, v in (("--add", add_start), ("--set", set_course), ("--remove", remove)) if v is not None]
    if len(chosen) != 1:
        raise InputError("give one of --add DATE, --set N DATE or --remove N")
    if days and remove is not None:
        raise InputError("--days goes with --add or --set")
    infusion_days = tuple(parse_iso_date(d, "--days") for d in days.split(",")) if days else None
    store = _store(db, create=False)
    try:
        result = change_course(
            store,
            label,
            Protocols(),
            _today(today),
            add=parse_iso_date(add_start, "--add") if add_start else None,
            set_course=(set_course[0], parse_iso_date(set_course[1], "--set")) if set_course else None,
            remove=remove,
            days=infusion_days,
        )
    finally:
        store.close()
    for warning in result.warnings:
        _warn(warning)
    courses = ", ".join(
        f"{c.number}: {c.first.isoformat()}" + (" (projected)" if c.projected else "") for c in result.courses
    )
    sys.stderr.write(f"msmonitor: {label!r} courses {courses}; monitoring until {result.monitoring_ends.isoformat()}\n")


@app.command()
def status(
    label: Label,
    today: TodayOption = None,
    fmt: Annotated[RecordsFormat, typer.Option("--format", "-f", help="Output format.")] = RecordsFormat.table,
    output: OutputOption = None,
    db: DbOption = None,
) -> None:
    """One patient: each item done, late, missed, due or upcoming, with progress."""
    from .patients import Protocols
    from .patients import status as patient_status
    from .render import status as views

    now = _today(today)
    store = _store(db, create=False)
    try:
        result, tracking = patient_status(store, label, now, Protocols())
    finally:
        store.close()
    if fmt is RecordsFormat.json:
        _emit(views.render_status_json(result, tracking, now), output)
    elif fmt is RecordsFormat.csv:
        _emit(views.render_status_csv(result, tracking), output)
    else:
        _emit(views.render_status_text(result, tracking, now, **_terminal(output)), output)


@app.command()
def due(
    within: Annotated[
        str, typer.Option("--within", metavar="7d|2w|1m", help="Also list what falls due within this period.")
    ] = "7d",
    today: TodayOption = None,
    fmt: Annotated[RecordsFormat, typer.Option("--format", "-f", help="Output format.")] = RecordsFormat.table,
    output: OutputOption = None,
    db: DbOption = None,
) -> None:
    """Every saved patient who is overdue or due soon, most urgent first."""
    from .dates import parse_period, shift
    from .patients import Protocols
    from .patients import due as due_rows
    from .render import status as views

    now = _today(today)
    months, days = parse_period(within, "--within")
    within_days = (shift(now, months=months, days=days) - now).days
    store = _store(db, create=False)
    try:
        rows = due_rows(store, now, within_days, Protocols(), warn=_warn)
    finally:
        store.close()
    if fmt is RecordsFormat.json:
        _emit(views.render_due_json(rows, now, within_days), output)
    elif fmt is RecordsFormat.csv:
        _emit(views.render_due_csv(rows, now, within_days), output)
    else:
        _emit(views.render_due_text(rows, now, within_days, **_terminal(output)), output)


@app.command()
def patients(db: DbOption = None) -> None:
    """List the saved patients and their courses."""
    store = _store(db, create=False)
    try:
        saved = store.patients()
    finally:
        store.close()
    for p in saved:
        courses = ", ".join(c.start.isoformat() for c in p.courses)
        sys.stdout.write(f"{p.label}\t{p.protocol}\t{p.sex or '-'}\tcourses {courses}\n")


@app.command("import")
def import_cmd(
    path: Annotated[
        str, typer.Argument(metavar="FILE", help="A CSV of patients, or a JSON backup from 'msmonitor export'.")
    ],
    db: DbOption = None,
) -> None:
    """Add patients from a clinic's CSV, or restore a backup; all or nothing."""
    import json

    from .patients import Protocols, add_patients, import_backup, parse_patients_csv

    data = read_bytes(path)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(f"{path}: not UTF-8 text") from None
    protocols = Protocols()
    if text.lstrip().startswith("{"):
        try:
            backup = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InputError(f"{path}: not valid JSON (line {exc.lineno}: {exc.msg})") from None
        store = _store(db)
        try:
            count = import_backup(store, backup, path, _now(), protocols)
        finally:
            store.close()
    else:
        saved = parse_patients_csv(text, path, protocols)
        store = _store(db)
        try:
            add_patients(store, saved, _now(), protocols)
        finally:
            store.close()
        count = len(saved)
    sys.stderr.write(f"msmonitor: imported {count} patient{'s' * (count != 1)} into {store.path}\n")


@app.command()
def export(
    fmt: Annotated[str, typer.Option("--format", "-f", help="Backup format (json).")] = "json",
    output: OutputOption = None,
    db: DbOption = None,
) -> None:
    """Back up every patient, course and record as JSON ('msmonitor import' restores it)."""
    import json

    from .patients import export_backup

    if fmt != "json":
        raise InputError(f"--format: {fmt!r} is not a backup format (json)")
    store = _store(db, create=False)
    try:
        backup = export_backup(store, _now())
    finally:
        store.close()
    _emit(json.dumps(backup, indent=2, ensure_ascii=False) + "\n", output)


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


def _command_name(info) -> str:
    return info.name or info.callback.__name__.lower().replace("_", "-")
