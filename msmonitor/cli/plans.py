"""The commands that show one plan: ``plan`` and ``checklist``."""

import sys
from datetime import date
from enum import Enum
from typing import Annotated

import typer

from ..dates import looks_like_date
from ..errors import InputError
from ..model import Plan
from ..view import plan_warnings
from .app import app
from .calendar import CalendarExport, calendar_options, write_calendar
from .options import (
    DbOption,
    OutputOption,
    PlanInput,
    SavedPatient,
    TodayOption,
    opened_store,
    parse_day,
    plan_options,
)
from .output import emit, page, screen, target, warn


def plan_for(given: PlanInput, *, saved: str | None, db: str | None) -> Plan:
    """The plan of a saved patient, or of the course options given."""
    if saved is None:
        from ..protocol import load_protocol
        from ..schedule import compute_plan

        if given.patient is not None:
            _check_patient(given.patient)
        return compute_plan(load_protocol(given.protocol), given.request())
    if looks_like_date(saved):
        raise InputError(
            f"{saved!r} looks like a date: give it as --course1 {saved} (a bare word names a saved patient)"
        )
    if given.given():
        option = given.given()[0]
        how = {
            "--patient": "rename the patient with 'msmonitor rename'",
            "--sex": "change it with 'msmonitor edit PATIENT --sex'",
            "--protocol": "change it with 'msmonitor edit PATIENT --protocol'",
            "--single-course": "change it with 'msmonitor edit PATIENT --single-course'",
            "--include-unverified": "change it with 'msmonitor edit PATIENT --include-unverified'",
        }.get(option, "change the courses with 'msmonitor course'")
        raise InputError(f"{option} cannot be combined with a saved patient: {how}")
    from ..patients import Protocols, plan_of

    with opened_store(db) as store:
        return plan_of(store.patient(saved), Protocols())


def _check_patient(label: str) -> None:
    """--patient as a saved label is checked: it names the calendar and heads
    every view (a CR or LF in it once injected calendar events)."""
    from ..labels import check_label, label_concern

    check_label(label)
    concern = label_concern(label)
    if concern:
        warn(f"--patient {label!r} {concern}: use a clinic code or initials")


class PlanFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"
    markdown = "markdown"
    html = "html"


@app.command()
@calendar_options
@plan_options
def plan(
    saved: SavedPatient = None,
    *,
    given: PlanInput,
    today: TodayOption = None,
    fmt: Annotated[
        PlanFormat | None,
        typer.Option("--format", "-f", help="Output format [default: table, none with --ics FILE]."),
    ] = None,
    output: OutputOption = None,
    upcoming: Annotated[
        bool, typer.Option("--upcoming", help="Only what is in progress or still to come, from --today on.")
    ] = False,
    months: Annotated[
        int | None,
        typer.Option(
            "--months",
            metavar="N",
            min=1,
            max=1200,
            help="Only the next N months: from --today with --upcoming, else from the first item.",
        ),
    ] = None,
    no_pager: Annotated[
        bool, typer.Option("--no-pager", help="Print a long table straight to the terminal, without a pager.")
    ] = False,
    calendar: CalendarExport | None,
    db: DbOption = None,
) -> None:
    """The whole monitoring programme: pre-treatment, courses, monthly tests, end.

    --upcoming and --months limit what is printed; the calendar export always
    holds the whole plan."""
    if calendar and calendar.target == "-" and fmt and not output:
        raise InputError("--ics - and --format both write to stdout: give one of them -o FILE")
    now = parse_day(today)
    result = plan_for(given, saved=saved, db=db)
    # every output checked before any is written: one bad path writes nothing
    to_file = target(output)
    if calendar and calendar.target != "-":
        ics_file = target(calendar.target, "--ics")
        if ics_file is not None and ics_file == to_file:
            raise InputError(f"--ics and -o name the same file ({output}): give two files")
    if fmt is None and not calendar:
        fmt = PlanFormat.table
    if not (fmt is PlanFormat.table and not output and sys.stdout.isatty()):
        for warning in plan_warnings(result, now):  # the table shows them on a terminal
            warn(warning)
    if calendar:
        if saved is None:
            write_calendar(result, calendar)
        else:
            with opened_store(db) as store:
                pid = store.patient(saved).id
                kept = store.calendar_salt(pid)
                used = write_calendar(result, calendar, salt=kept, taken=store.has_calendar_salt)
                if kept is None:
                    store.set_calendar_salt(pid, used)
    if fmt is None:
        return
    shown = None
    if upcoming or months:
        from ..dates import add_months
        from ..view import limited

        start = now if upcoming else min(e.date for e in result.events)
        before = add_months(start, months) if months else None
        shown = (start if upcoming else None, before)
        result = limited(result, *shown)
    if fmt is PlanFormat.table:
        from ..render.table import render_table

        text = render_table(result, now, shown=shown, **screen(output))
        if output or no_pager:
            emit(text, output)
        else:
            page(text)
        return
    if fmt is PlanFormat.html:
        from ..render.html_plan import render_plan_html

        emit(render_plan_html(result, now), output)
        return
    if fmt is PlanFormat.json:
        from ..render.plan_data import render_json as render
    elif fmt is PlanFormat.csv:
        from ..render.plan_data import render_csv as render
    else:
        from ..render.markdown import render_markdown

        emit(render_markdown(result, now, shown), output)
        return
    emit(render(result, now), output)


class ChecklistFormat(str, Enum):
    terminal = "terminal"
    markdown = "markdown"
    html = "html"


@app.command()
@plan_options
def checklist(
    saved: SavedPatient = None,
    *,
    given: PlanInput,
    today: TodayOption = None,
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
    from .. import checklists as build
    from ..render import checklist as render

    kinds = {"--pre-treatment": pre_treatment, "--course-number": course_number is not None}
    kinds |= {"--visit": visit is not None, "--symptoms": symptoms}
    chosen = [name for name, on in kinds.items() if on]
    if len(chosen) > 1:
        raise InputError(f"{chosen[0]} and {chosen[1]} ask for different checklists: give one")
    now = parse_day(today)
    result = plan_for(given, saved=saved, db=db)
    if pre_treatment:
        doc = build.pre_treatment_checklist(result, _recorded(saved, db, now) if saved else None)
    elif course_number is not None:
        doc = build.course_checklist(result, course_number, _recorded(saved, db, now) if saved else None)
    elif symptoms:
        doc = build.symptom_card(result)
    else:
        recorded = _recorded(saved, db, now) if saved else None
        doc = build.visit_checklist(result, parse_day(visit, "--visit") if visit else now, now, recorded)
    if doc.kind != "symptoms":  # the plan's warnings, with the one that depends on today
        doc = doc._replace(warnings=tuple(plan_warnings(result, now)))
    if fmt is ChecklistFormat.html:
        emit(render.render_checklist_html(doc), output)
    elif fmt is ChecklistFormat.markdown:
        emit(render.render_checklist_markdown(doc), output)
    else:
        emit(_rich_text(render.render_checklist_rich(doc), output), output)


def _recorded(saved: str, db: str | None, today: date) -> dict:
    """A saved patient's tests recorded as done: (event id, test) -> day."""
    from ..patients import Protocols, status

    with opened_store(db) as store:
        _, tracking = status(store, saved, today, Protocols())
    return {(t.scheduled.event_id, t.scheduled.test): t.record.done_on for t in tracking.tests if t.record}


def _rich_text(renderable: object, output: str | None) -> str:
    from rich.console import Console

    shown = screen(output)
    console = Console(width=shown["width"], no_color=not shown["color"], highlight=False, force_terminal=shown["color"])
    with console.capture() as captured:
        console.print(renderable)
    return captured.get()
