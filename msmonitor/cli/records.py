"""The commands on a saved patient and their records: add, done, course,
status, export. The database (sqlite3) and the use
cases (``patients``) are imported inside each command: ``plan`` never needs them."""

from enum import Enum
from typing import Annotated

import typer

from ..dates import parse_iso_date
from ..errors import InputError
from .app import app
from .options import (
    DbOption,
    Label,
    NotesOption,
    OutputOption,
    PlanInput,
    TodayOption,
    TrackingFromOption,
    opened_store,
    parse_day,
    plan_options,
    timestamp,
)
from .output import emit, json_indent, note, screen, warn


class RecordsFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"


RecordsFormatOption = Annotated[RecordsFormat, typer.Option("--format", "-f", help="Output format.")]


class StatusFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"
    html = "html"


@app.command()
@plan_options.without("patient")
def add(
    label: Label,
    *,
    given: PlanInput,
    notes: NotesOption = "",
    tracking_from: TrackingFromOption = None,
    db: DbOption = None,
) -> None:
    """Save a patient: a label and course dates, as for 'plan'."""
    from ..labels import label_concern
    from ..patients import Protocols, add_patients, default_tracking_from, new_patient, parse_tracking_from
    from ..view import plan_warnings

    request = given.request(patient=label)
    today = timestamp().date()
    start = parse_tracking_from(tracking_from) if tracking_from else default_tracking_from(request.course1, today)
    patient = new_patient(label, request, given.protocol or "us", notes, start)
    concern = label_concern(label)
    if concern:
        warn(f"label {label!r} {concern}: use a clinic code or initials ('msmonitor rename' changes it)")
    with opened_store(db, create=True) as store:
        (result,) = add_patients(store, [patient], timestamp(), Protocols())
    for warning in plan_warnings(result, parse_day(None)):
        warn(warning)
    tracked = f", tracked from {start.isoformat()}" if start else ""
    note(f"saved {label!r}: monitoring until {result.monitoring_ends.isoformat()}{tracked} ({store.path})")


def _tests(value: str | None) -> list[str] | None:
    if value is None:
        return None
    tests = [t.strip() for t in value.split(",") if t.strip()]
    if not tests:
        raise InputError("--tests: give test ids separated by commas, e.g. cbc-diff,creatinine")
    return tests


@app.command()
def done(
    label: Label,
    day: Annotated[str, typer.Argument(metavar="DATE", help="The day the tests were done (YYYY-MM-DD or today).")],
    tests: Annotated[
        str | None,
        typer.Option("--tests", metavar="ID,ID", help="Only these tests [default: the whole panel due nearest DATE]."),
    ] = None,
    undo: Annotated[bool, typer.Option("--undo", help="Remove the records of DATE (or of --tests on DATE).")] = False,
    record_note: Annotated[str, typer.Option("--note", help="A short note kept with the record.")] = "",
    db: DbOption = None,
) -> None:
    """Record tests as done on a date (or take a record back with --undo)."""
    from ..patients import Protocols, record_done, undo_done

    when = parse_day(day, "DATE")
    chosen = _tests(tests)
    with opened_store(db) as store:
        if undo:
            removed = undo_done(store, label, when, chosen, Protocols())
            note(f"removed {removed} record{'s' * (removed != 1)} of {when.isoformat()} for {label!r}")
            return
        result = record_done(store, label, when, chosen, timestamp(), Protocols(), record_note, today=parse_day(None))
    matched = f" ({result.matched})" if result.matched else ""
    if result.already:
        note(f"already recorded on {when.isoformat()} for {result.label!r}: {', '.join(result.already)} (not again)")
    if result.tests:
        note(f"recorded {', '.join(result.tests)} on {when.isoformat()} for {result.label!r}{matched}")


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
    from ..patients import Protocols, change_course
    from ..view import plan_warnings

    chosen = [n for n, v in (("--add", add_start), ("--set", set_course), ("--remove", remove)) if v is not None]
    if len(chosen) != 1:
        raise InputError("give one of --add DATE, --set N DATE or --remove N")
    if days and remove is not None:
        raise InputError("--days goes with --add or --set")
    with opened_store(db) as store:
        result = change_course(
            store,
            label,
            Protocols(),
            add=parse_iso_date(add_start, "--add") if add_start else None,
            set_course=(set_course[0], parse_iso_date(set_course[1], "--set")) if set_course else None,
            remove=remove,
            days=tuple(parse_iso_date(d, "--days") for d in days.split(",")) if days else None,
        )
    for warning in plan_warnings(result, parse_day(today)):
        warn(warning)
    courses = ", ".join(
        f"{c.number}: {c.first.isoformat()}" + (" (projected)" if c.projected else "") for c in result.courses
    )
    note(f"{label!r} courses {courses}; monitoring until {result.monitoring_ends.isoformat()}")


@app.command()
def status(
    label: Label,
    today: TodayOption = None,
    fmt: Annotated[
        StatusFormat, typer.Option("--format", "-f", help="Output format (html: a printable calendar of the record).")
    ] = StatusFormat.table,
    output: OutputOption = None,
    db: DbOption = None,
) -> None:
    """One patient: each item done, late, missed, due or upcoming, with progress."""
    from ..patients import Protocols
    from ..patients import status as patient_status
    from ..render import status as views

    now = parse_day(today)
    with opened_store(db) as store:
        result, tracking = patient_status(store, label, now, Protocols())
    if fmt is StatusFormat.json:
        emit(views.render_status_json(result, tracking, now, indent=json_indent(output)), output)
    elif fmt is StatusFormat.csv:
        emit(views.render_status_csv(result, tracking), output)
    elif fmt is StatusFormat.html:
        from ..render.html_plan import render_status_html

        emit(render_status_html(result, tracking, now), output)
    else:
        emit(views.render_status_text(result, tracking, now, **screen(output)), output)


@app.command()
def export(
    fmt: Annotated[str, typer.Option("--format", "-f", help="Backup format (json).")] = "json",
    output: OutputOption = None,
    db: DbOption = None,
) -> None:
    """Back up every patient, course and record as JSON ('msmonitor import' restores it)."""
    import json

    from ..patients import export_backup

    if fmt != "json":
        raise InputError(f"--format: {fmt!r} is not a backup format (json)")
    with opened_store(db) as store:
        backup = export_backup(store, timestamp())
    from ..render.text import json_safe

    emit(json_safe(json.dumps(backup, indent=json_indent(output), ensure_ascii=False)) + "\n", output)
