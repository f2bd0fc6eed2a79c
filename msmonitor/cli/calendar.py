"""``plan --ics``: the calendar export's options, checked together, and the write."""

import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any, NamedTuple

import typer

from ..dates import parse_clock, parse_reminder
from ..errors import InputError
from ..files import atomic_write, read_bytes
from ..model import Plan
from .options import OptionGroup
from .output import note


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
    tz: Annotated[str | None, _panel("--tz", "ZONE", "IANA time zone for --at, e.g. Europe/London.")] = None,
) -> CalendarExport | None:
    """The calendar export's options, declared once and checked together."""
    given = [
        name
        for name, value in (
            ("--replaces", replaces),
            ("--discreet", discreet or discreet_strict),
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
        return None
    if remind and no_remind:
        raise InputError("--remind and --no-remind contradict each other")
    if tz and not at:
        raise InputError("--tz applies to timed events: add --at HH:MM")
    settings: dict[str, Any] = {"discreet": "strict" if discreet_strict else "on" if discreet else "off"}
    if no_remind:
        settings["remind"] = None
    elif remind:
        settings["remind"] = parse_reminder(remind)
    if at:
        settings["at"] = parse_clock(at)
        settings["tz"] = tz
    return CalendarExport(ics, replaces, settings)


def write_calendar(plan: Plan, export: CalendarExport) -> None:
    """Render the plan as iCalendar against the previous export (the file
    itself unless --replaces names another) and write it atomically."""
    from ..render.ics import IcsOptions, plan_identity, read_previous, render_ics

    target = export.target
    identity = plan_identity(plan.options.patient, plan.courses[0].first)
    name = f"MS monitoring: {plan.options.patient}" if plan.options.patient else "MS monitoring"
    options = IcsOptions(identity=identity, name=name, **export.settings)
    source = export.replaces or (target if target != "-" and Path(target).is_file() else None)
    previous = read_previous(read_bytes(source), source, identity) if source else None
    result = render_ics(plan, stamp=datetime.now(UTC), options=options, previous=previous)
    if target == "-":
        sys.stdout.buffer.write(result.data)
        sys.stdout.flush()
        return
    atomic_write(target, result.data)
    change = f", {result.changed} new or changed, {result.cancelled} cancelled" if previous else ""
    note(f"wrote {target}: {result.events} events{change}")


calendar_options = OptionGroup("calendar", _calendar_export)
