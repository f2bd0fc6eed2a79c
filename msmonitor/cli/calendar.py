"""``plan --ics``: the calendar export's options, checked together, and the write."""

import sys
from collections.abc import Callable
from datetime import UTC, datetime
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, NamedTuple

import typer

from ..dates import parse_clock, parse_reminder
from ..errors import InputError
from ..files import atomic_write, read_bytes
from ..model import Plan
from .options import OptionGroup
from .output import note, warn


class Windows(str, Enum):
    edges = "edges"
    span = "span"
    none = "none"


class CalendarExport(NamedTuple):
    target: str  # a file, or "-" for stdout
    replaces: str | None  # the previous export, when named
    settings: dict[str, Any]  # IcsOptions' fields the user chose


def _panel(flag: str, metavar: str | None, help: str) -> Any:
    return typer.Option(flag, metavar=metavar, rich_help_panel="Calendar export", help=help)


def _calendar_export(
    *,
    ics: Annotated[str | None, _panel("--ics", "FILE|-", "Write the plan as an iCalendar file (- for stdout).")] = None,
    replaces: Annotated[
        str | None,
        _panel(
            "--replaces",
            "OLD.ics",
            "The previous export (default: FILE if it exists): changed events are raised, removed ones cancelled.",
        ),
    ] = None,
    discreet: Annotated[
        bool,
        _panel(
            "--discreet",
            None,
            "Neutral titles and alarms ('Lab visit', 'Appointment'); --discreet=strict also drops the details.",
        ),
    ] = False,
    discreet_strict: Annotated[bool, typer.Option("--discreet-strict", hidden=True)] = False,
    remind: Annotated[
        str | None,
        _panel("--remind", "2d|2h|30m", "Reminder before each item: Nd = 09:00 N days before [default: 1d]."),
    ] = None,
    no_remind: Annotated[bool, _panel("--no-remind", None, "No reminders.")] = False,
    at: Annotated[
        str | None, _panel("--at", "HH:MM", "Timed visits at this time instead of all-day events (needs --tz).")
    ] = None,
    tz: Annotated[
        str | None, _panel("--tz", "ZONE", "IANA time zone for --at, e.g. Europe/London [default: this computer's].")
    ] = None,
    windows: Annotated[
        Windows,
        _panel(
            "--windows",
            None,
            "Multi-week windows (prophylaxis, diet, contraception) as their first and last day, "
            "one spanning event, or none.",
        ),
    ] = Windows.edges,
    weekdays: Annotated[
        bool,
        _panel("--weekdays", None, "Move visits on a Saturday or Sunday to the nearest weekday their tests allow."),
    ] = False,
    remind_deadline: Annotated[
        str | None,
        _panel("--remind-deadline", "1w|3d", "Reminder before a 'Due by' date, as for --remind [default: 1w]."),
    ] = None,
) -> CalendarExport | None:
    """The calendar export's options, declared once and checked together."""
    if ics == "":
        raise InputError("--ics: an empty path; give a file name, or - for stdout")
    given = [
        name
        for name, value in (
            ("--replaces", replaces),
            ("--discreet", discreet or discreet_strict),
            ("--remind", remind),
            ("--no-remind", no_remind),
            ("--at", at),
            ("--tz", tz),
            ("--windows", windows is not Windows.edges),
            ("--weekdays", weekdays),
            ("--remind-deadline", remind_deadline),
        )
        if value
    ]
    if not ics:
        if given:
            raise InputError(f"{given[0]} applies to the calendar export: add --ics FILE")
        return None
    if no_remind and (remind or remind_deadline):
        raise InputError(f"{'--remind' if remind else '--remind-deadline'} and --no-remind contradict each other")
    if tz and not at:
        raise InputError("--tz applies to timed events: add --at HH:MM")
    settings: dict[str, Any] = {
        "discreet": "strict" if discreet_strict else "on" if discreet else "off",
        "windows": windows.value,
        "weekdays": weekdays,
    }
    if no_remind:
        settings["remind"] = None
    elif remind:
        settings["remind"] = parse_reminder(remind)
    if remind_deadline:
        settings["remind_deadline"] = parse_reminder(remind_deadline, "--remind-deadline")
    if at:
        settings["at"] = parse_clock(at)
        settings["tz"] = tz or local_zone()
    return CalendarExport(ics, replaces, settings)


def local_zone() -> str:
    """This computer's IANA time zone, for --at without --tz: $TZ if it names
    one, else what /etc/localtime links to, else /etc/timezone."""
    import os

    name = os.environ.get("TZ", "").lstrip(":")
    if not name:
        try:
            target = os.path.realpath("/etc/localtime")
        except OSError:
            target = ""
        if "/zoneinfo/" in target:
            name = target.split("/zoneinfo/", 1)[1]
    if not name:
        try:
            name = Path("/etc/timezone").read_text(encoding="utf-8").strip()
        except (OSError, UnicodeDecodeError):
            name = ""
    if not name:
        raise InputError("--at: cannot tell this computer's time zone; give --tz ZONE (e.g. Europe/London)")
    return name


def write_calendar(
    plan: Plan, export: CalendarExport, *, salt: str | None = None, taken: Callable[[str], bool] | None = None
) -> str:
    """Render the plan as iCalendar against the previous export (the file
    itself unless --replaces names another) and write it atomically. ``salt``
    is a saved patient's (a previous file with another is refused); the salt
    used is returned, for the database to keep; ``taken`` says whether a
    previous file's salt is another saved patient's."""
    import secrets

    from ..render.ics import IcsOptions, read_previous, render_ics
    from ..view import has_women_only

    target = export.target
    patient, course1 = plan.options.patient, plan.courses[0].first
    legacy = f"patient:{patient}" if patient else f"course1:{course1.isoformat()}"  # files from before salts
    source = export.replaces or (target if target != "-" and Path(target).is_file() else None)
    previous = read_previous(read_bytes(source), source, course1, salt=salt, legacy_identity=legacy) if source else None
    # A random salt per plan makes its UIDs; it is kept in the file (and for a
    # saved patient in the database), so they stay the same on every
    # re-export and reveal nothing about the plan.
    if not salt and previous and previous.salt and taken and taken(previous.salt):
        raise InputError(f"{source}: exported for another saved patient; use another file name")
    salt = salt or (previous.salt if previous and previous.salt else secrets.token_hex(16))
    name = f"MS monitoring: {patient}" if patient else "MS monitoring"
    options = IcsOptions(salt=salt, name=name, **export.settings)
    result = render_ics(plan, stamp=datetime.now(UTC), options=options, previous=previous)
    if target == "-":
        sys.stdout.buffer.write(result.data)
        sys.stdout.flush()
    else:
        atomic_write(target, result.data, "--ics")
    if has_women_only(plan):
        warn("the calendar includes items for women only, marked as such: give --sex female or --sex male")
    if target != "-":
        change = f", {result.changed} new or changed, {result.cancelled} cancelled" if previous else ""
        note(f"wrote {target}: {result.events} events{change}")
    return salt


calendar_options = OptionGroup("calendar", _calendar_export)
