"""The commands on the clinic's list of patients: patients, import, rename,
edit, remove. The database and the use cases are imported inside each command."""

import sys
from enum import Enum
from typing import Annotated, TextIO

import typer

from ..errors import InputError
from .app import app
from .options import DbOption, Label, OutputOption, TrackingFromOption, opened_store, parse_day, timestamp
from .output import emit, json_indent, no_cycle_collector, note, screen, warn
from .progress import progress_bar


class PatientsFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"


@app.command()
def patients(
    fmt: Annotated[PatientsFormat, typer.Option("--format", "-f", help="Output format.")] = PatientsFormat.table,
    output: OutputOption = None,
    db: DbOption = None,
) -> None:
    """List the saved patients: courses, tracking start, options and notes."""
    from ..render import roster

    with opened_store(db) as store:
        saved = store.patients()
    if fmt is PatientsFormat.json:
        emit(roster.render_patients_json(saved, indent=json_indent(output)), output)
    elif fmt is PatientsFormat.csv:
        emit(roster.render_patients_csv(saved), output)
    else:
        emit(roster.render_patients_text(saved, **screen(output)), output)


@app.command("import")
def import_cmd(
    path: Annotated[
        str,
        typer.Argument(
            metavar="FILE|-",
            help="A CSV of patients (',' or ';'), or a JSON backup from 'msmonitor export'; - reads stdin.",
        ),
    ],
    skip_existing: Annotated[
        bool, typer.Option("--skip-existing", help="Leave patients whose label exists as they are.")
    ] = False,
    update: Annotated[
        bool,
        typer.Option(
            "--update", help="Replace existing patients' courses, sex, protocol and notes (their records are kept)."
        ),
    ] = False,
    allow_names: Annotated[
        bool,
        typer.Option("--allow-names", help="Accept labels that look like a name, an e-mail address or a date."),
    ] = False,
    db: DbOption = None,
) -> None:
    """Add patients from a clinic's CSV, or restore a backup; all or nothing."""

    from ..files import capped_text, count_in, open_text
    from ..patients import REFUSE, SKIP, UPDATE, Protocols, import_text

    if skip_existing and update:
        raise InputError("--skip-existing and --update contradict each other: give one")
    existing = UPDATE if update else SKIP if skip_existing else REFUSE
    total = 0
    handle: TextIO
    if path == "-":
        name = "stdin"
        handle = capped_text(sys.stdin.buffer, name)
    else:
        name, handle = path, open_text(path)
    with (
        handle,
        opened_store(db, create=True) as store,
        progress_bar("importing") as progress,
        no_cycle_collector(),
    ):
        if progress and path != "-":
            # how many patients, for the bar: a backup's labels or a CSV's lines (read fast, as bytes)
            total = count_in(path, b'"label"') or max(0, count_in(path, b"\n") - 1)
        result = import_text(
            store,
            handle,
            name,
            timestamp(),
            Protocols(),
            existing,
            today=parse_day(None),
            allow_names=allow_names,
            progress=progress,
            total=total,
        )
    parts = [f"{len(result.added)} added"]
    if result.updated:
        parts.append(f"{len(result.updated)} updated")
    if result.skipped:
        parts.append(f"{len(result.skipped)} skipped (exist already)")
    note(f"imported {', '.join(parts)} into {store.path}")


def _warn_label(label: str) -> None:
    from ..labels import label_concern

    concern = label_concern(label)
    if concern:
        warn(f"label {label!r} {concern}: use a clinic code or initials")


@app.command()
def rename(
    old: Annotated[str, typer.Argument(metavar="OLD", help="The patient's label now.")],
    new: Annotated[str, typer.Argument(metavar="NEW", help="The new label (not a real name).")],
    db: DbOption = None,
) -> None:
    """Give a patient a new label; courses and records stay with the patient."""
    from ..patients import rename_patient

    _warn_label(new)
    with opened_store(db) as store:
        before, after = rename_patient(store, old, new)
    note(f"renamed {before!r} to {after!r}")


class EditSex(str, Enum):
    female = "female"
    male = "male"
    unknown = "unknown"


@app.command()
def edit(
    label: Label,
    sex: Annotated[
        EditSex | None, typer.Option("--sex", help="'unknown': items for women are shown and marked.")
    ] = None,
    protocol: Annotated[
        str | None,
        typer.Option("--protocol", metavar="us|eu|PATH", help="Rules to follow: a shipped protocol or a TOML file."),
    ] = None,
    notes: Annotated[
        str | None, typer.Option("--notes", help="Free text kept with the patient (no identifying details).")
    ] = None,
    single_course: Annotated[
        bool | None,
        typer.Option(
            "--single-course/--no-single-course", help="Course 2 is not planned: monitor 48 months after course 1."
        ),
    ] = None,
    include_unverified: Annotated[
        bool | None,
        typer.Option(
            "--include-unverified/--no-include-unverified",
            help="Also schedule rules the sources could not confirm (marked).",
        ),
    ] = None,
    tracking_from: TrackingFromOption = None,
    db: DbOption = None,
) -> None:
    """Change a saved patient's sex, protocol, notes, options or tracking start (courses: 'msmonitor course')."""
    from ..patients import Protocols, edit_patient, parse_tracking_from
    from ..view import plan_warnings

    changes: dict = {}
    if sex is not None:
        changes["sex"] = None if sex is EditSex.unknown else sex.value
    if protocol is not None:
        changes["protocol"] = protocol
    if notes is not None:
        changes["notes"] = notes
    if single_course is not None:
        changes["single_course"] = single_course
    if include_unverified is not None:
        changes["include_unverified"] = include_unverified
    if tracking_from is not None:
        changes["tracking_from"] = parse_tracking_from(tracking_from)
    with opened_store(db) as store:
        patient, plan = edit_patient(store, label, Protocols(), **changes)
    for warning in plan_warnings(plan, parse_day(None)):
        warn(warning)
    note(f"changed {patient.label!r}: {', '.join(n.replace('_', ' ') for n in changes)}")


def _interactive() -> bool:
    return sys.stdin.isatty() and sys.stderr.isatty()


@app.command()
def remove(
    labels: Annotated[list[str], typer.Argument(metavar="PATIENT...", help="The labels of the patients to remove.")],
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
    db: DbOption = None,
) -> None:
    """Remove patients with their courses and records (asks first on a terminal)."""
    from ..patients import remove_patients

    with opened_store(db) as store:
        found = [store.patient(label) for label in labels]  # every label checked before anything is asked
        if not yes:
            if not _interactive():
                raise InputError("remove asks for confirmation on a terminal: add --yes to remove without asking")
            counts = [f"{p.label!r} ({len(store.records(p.id))} records)" for p in found]
            if not typer.confirm(f"Remove {', '.join(counts)} and everything recorded for them?", err=True):
                raise InputError("nothing was removed")
        removed = remove_patients(store, [p.label for p in found])
    for r in removed:
        note(
            f"removed {r.label!r}: {r.courses} course{'s' * (r.courses != 1)}, "
            f"{r.records} record{'s' * (r.records != 1)}"
        )
