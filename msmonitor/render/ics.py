"""The plan as an iCalendar file (RFC 5545) that phone calendars import cleanly.

The only module that imports icalendar. Rules it follows, from
shared/reference/calendar-clients.md:

- one VEVENT per visit or item, all-day (``VALUE=DATE``, exclusive DTEND) unless
  a time and zone are given; an infusion course and each window is one
  spanning event; no RRULE, no VTODO, no attendees; ``METHOD:PUBLISH``;
- UIDs are a hash of the plan's identity and what the event *is* (its event
  id: rule, course, month), never its date or position, so a re-export
  updates events in place;
- SEQUENCE and LAST-MODIFIED rise only for events whose content changed since
  the previous export, and events that vanished become ``STATUS:CANCELLED``;
- a DISPLAY alarm with a negative trigger (09:00 the day before by default);
- discreet mode: titles, alarms and categories say nothing medical.

Pure: the timestamp and the previous export's bytes are passed in.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime, time, timedelta
from typing import NamedTuple

from icalendar import Alarm, Calendar, Event, Timezone, TimezoneDaylight, TimezoneStandard

from .. import __version__
from ..errors import InputError
from ..kinds import KIND
from ..model import Event as PlanEvent
from ..model import Plan
from ..view import NOTICE, also, markers

PRODID = f"-//msmonitor//msmonitor {__version__}//EN"
UID_DOMAIN = "msmonitor"
DEFAULT_REMINDER = timedelta(days=1)
ALARM_CLOCK = time(9, 0)  # all-day reminders ring at 09:00, never at midnight
VISIT_LENGTH = timedelta(hours=1)  # timed events (--at)
# Every description ends with this; the full notice is the calendar's description.
SHORT_NOTICE = "Not medical advice: confirm every date with your care team."


class IcsOptions(NamedTuple):
    identity: str  # the plan's identity: "patient:LABEL" or "course1:DATE"
    discreet: str = "off"  # "off", "on" (neutral titles) or "strict" (no details either)
    remind: timedelta | None = DEFAULT_REMINDER  # None: no alarms
    at: time | None = None  # timed visits at this local time...
    tz: str | None = None  # ...in this IANA zone
    name: str = "MS monitoring"


class IcsExport(NamedTuple):
    data: bytes
    events: int  # events of the plan in the file
    changed: int  # of those, new or changed since the previous export
    cancelled: int  # tombstones for events the plan no longer has


class Previous(NamedTuple):
    """What a previous export said about each UID."""

    events: dict[str, Event]


def plan_identity(patient: str | None, course1: date) -> str:
    """Who the plan is for: a patient label if given, else course 1's first day.
    Course 1 never moves, so later courses can be added or moved in place."""
    return f"patient:{patient}" if patient else f"course1:{course1.isoformat()}"


def _digest(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


def plan_tag(identity: str) -> str:
    return _digest("msmonitor.plan", identity)[:24]


def event_uid(identity: str, key: str) -> str:
    # Hashed: the UID holds neither the patient label nor what the event is.
    return f"{_digest('msmonitor.event/1', identity, key)[:32]}@{UID_DOMAIN}"


class _Entry(NamedTuple):
    """One calendar event before it becomes a VEVENT."""

    key: str
    kind: str
    summary: str
    description: str
    start: date
    end: date  # inclusive last day
    window: bool
    projected: bool
    timed: bool


def read_previous(data: bytes, name: str, identity: str) -> Previous:
    """Parse an earlier msmonitor export of the same plan."""
    try:
        calendar = Calendar.from_ical(data)
    except ValueError:
        raise InputError(f"{name}: not an iCalendar file") from None
    if UID_DOMAIN not in str(calendar.get("PRODID", "")):
        raise InputError(f"{name}: not written by msmonitor; give a msmonitor export or another file name")
    if str(calendar.get("X-MSMONITOR-PLAN", "")) != plan_tag(identity):
        raise InputError(
            f"{name}: exported for another plan (a different --patient or course 1); use another file name"
        )
    return Previous({str(e["UID"]): e for e in calendar.walk("VEVENT")})


def render_ics(plan: Plan, *, stamp: datetime, options: IcsOptions, previous: Previous | None = None) -> IcsExport:
    stamp = stamp.astimezone(UTC).replace(microsecond=0)
    tz = _zone(options.tz) if options.at else None
    calendar = Calendar()
    name = "Appointments" if options.discreet != "off" else options.name
    for key, value in (
        ("PRODID", PRODID),
        ("VERSION", "2.0"),
        ("CALSCALE", "GREGORIAN"),
        ("METHOD", "PUBLISH"),
        ("NAME", name),
        ("X-WR-CALNAME", name),
        ("X-WR-CALDESC", NOTICE if options.discreet == "off" else "Appointments."),
        ("X-MSMONITOR-PLAN", plan_tag(options.identity)),
    ):
        calendar.add(key, value)
    calendar.add("REFRESH-INTERVAL", timedelta(days=1), parameters={"VALUE": "DURATION"})
    calendar.add("X-PUBLISHED-TTL", "P1D")

    seen: set[str] = set()
    changed = cancelled = 0
    for entry in _entries(plan):
        uid = event_uid(options.identity, entry.key)
        seen.add(uid)
        vevent, is_changed = _vevent(entry, uid, stamp, options, tz, previous)
        changed += is_changed
        calendar.add_component(vevent)
    if previous:
        for uid, old in previous.events.items():
            if uid not in seen:
                cancelled += str(old.get("STATUS", "")) != "CANCELLED"
                calendar.add_component(_tombstone(old, stamp))
    missing = calendar.get_missing_tzids()  # timed events, or tombstones of earlier ones
    if missing:
        first = min(e.date for e in plan.events) - timedelta(days=366)
        last = max(e.last_date for e in plan.events) + timedelta(days=366)
        for tzid in sorted(missing):
            calendar.subcomponents.insert(0, vtimezone(tzid, first, last))
    return IcsExport(calendar.to_ical(), len(seen), changed, cancelled)


def _zone(name: str | None):
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    if not name:
        raise InputError("--at needs --tz ZONE (an IANA time zone such as Europe/London)")
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise InputError(f"--tz: {name!r} is not a known time zone (use an IANA name such as Europe/London)") from None


def _entries(plan: Plan) -> list[_Entry]:
    """Calendar entries: each infusion course becomes one spanning event."""
    entries: list[_Entry] = []
    courses_done: set[int] = set()
    for event in plan.events:
        if KIND[event.kind].infusion_day and event.course is not None:
            if event.course not in courses_done:
                courses_done.add(event.course)
                entries.append(_course_entry(plan, event.course))
            continue
        entries.append(_event_entry(plan, event))
    return entries


def _course_entry(plan: Plan, number: int) -> _Entry:
    course = plan.courses[number - 1]
    days = [e for e in plan.events if KIND[e.kind].infusion_day and e.course == number]
    summary = f"Lemtrada course {number}: {len(course.infusion_days)} infusion days"
    if course.projected:
        summary += " (projected)"
    lines = [f"Infusion days: {', '.join(d.isoformat() for d in course.infusion_days)}."]
    for e in days:
        extra = "; ".join(also(e, plan.options.sex))
        lines.append(f"Day {e.day} ({e.date.isoformat()}): {e.title}" + (f"; {extra}" if extra else "") + ".")
    notes = _unique(n for e in days for n in e.notes)
    lines += notes
    if course.projected:
        lines.append(_projected_note(plan))
    sources = _unique(s for e in days for s in e.sources)
    description = _description(plan, lines, sources)
    return _Entry(
        key=f"course/c{number}",
        kind="infusion",
        summary=summary,
        description=description,
        start=course.first,
        end=course.last,
        window=False,
        projected=course.projected,
        timed=False,
    )


def _event_entry(plan: Plan, event: PlanEvent) -> _Entry:
    summary = event.title
    if event.course is not None:
        summary += f" (course {event.course})"
    if event.month:
        summary += f" (month {event.month})"
    marks = markers(event, plan.options.sex)
    summary += "".join(f" ({mark})" for mark in marks)
    lines: list[str] = []
    if event.tests:
        lines.append("Tests: " + "; ".join(f"{plan.protocol.tests[t].name} ({t})" for t in event.tests) + ".")
    if event.merged:
        lines.append("Also: " + "; ".join(also(event, plan.options.sex)) + ".")
    if event.window_end:
        lines.append(f"From {event.date.isoformat()} to {event.window_end.isoformat()}.")
    if "women only" in marks:
        lines.append("For women.")
    lines += list(_unique(event.notes))
    if event.projected:
        lines.append(_projected_note(plan))
    return _Entry(
        key=event.id,
        kind=event.kind,
        summary=summary,
        description=_description(plan, lines, event.sources),
        start=event.date,
        end=event.last_date,
        window=event.window_end is not None,
        projected=event.projected,
        timed=event.window_end is None,
    )


def _projected_note(plan: Plan) -> str:
    months = plan.protocol.courses.course2_after_months
    return (
        f"Projected: course 2 is assumed at course 1 + {months} months. "
        "Re-export when the date is set; this event then moves in place."
    )


def _description(plan: Plan, lines: list[str], sources) -> str:
    p = plan.protocol
    cited = "; ".join(f"{p.sources[s].document}" for s in sources)
    lines = list(lines)
    lines.append(f"Protocol: {p.id} {p.version}. Sources: {cited}.")
    lines.append(SHORT_NOTICE)
    return "\n".join(lines)


def _unique(values):
    seen: dict = {}
    for v in values:
        seen.setdefault(v, None)
    return list(seen)


def _vevent(
    entry: _Entry, uid: str, stamp: datetime, options: IcsOptions, tz, previous: Previous | None
) -> tuple[Event, bool]:
    """The VEVENT, and whether it is new or changed since the previous export."""
    discreet = options.discreet != "off"
    kind = KIND[entry.kind]
    summary = kind.discreet_title if discreet else entry.summary
    description = None if options.discreet == "strict" else entry.description
    timed = tz is not None and entry.timed
    if timed:
        start = datetime.combine(entry.start, options.at, tzinfo=tz)
        end = start + VISIT_LENGTH
    else:
        start, end = entry.start, entry.end + timedelta(days=1)  # all-day DTEND is exclusive
    categories = ["Appointment"] if discreet else ["MS monitoring", kind.category]
    transparent = entry.window or not (timed or kind.infusion_day)
    status = "TENTATIVE" if entry.projected else "CONFIRMED"
    wants_alarm = options.remind is not None and kind.alarm and not entry.window
    trigger = _trigger(options.remind, timed) if wants_alarm else None
    alarm_text = summary
    fingerprint = _digest(
        summary,
        description or "",
        start.isoformat(),
        end.isoformat(),
        str(transparent),
        status,
        ",".join(categories),
        str(trigger),
        alarm_text,
        options.tz or "",
    )[:32]

    sequence, modified, changed = 0, stamp, True
    old = previous.events.get(uid) if previous else None
    if old is not None:
        old_sequence = int(old.get("SEQUENCE", 0))
        unchanged = str(old.get("X-MSMONITOR-HASH", "")) == fingerprint and str(old.get("STATUS", "")) != "CANCELLED"
        if unchanged:
            sequence, changed = old_sequence, False
            modified = old.decoded("LAST-MODIFIED") if "LAST-MODIFIED" in old else stamp
        else:
            sequence = old_sequence + 1

    vevent = Event()
    vevent.add("UID", uid)
    vevent.add("DTSTAMP", stamp)
    vevent.add("SEQUENCE", sequence)
    vevent.add("LAST-MODIFIED", modified)
    vevent.add("DTSTART", start)
    vevent.add("DTEND", end)
    vevent.add("SUMMARY", summary)
    if description:
        vevent.add("DESCRIPTION", description)
    vevent.add("CATEGORIES", categories)
    vevent.add("CLASS", "PRIVATE")
    vevent.add("STATUS", status)
    vevent.add("TRANSP", "TRANSPARENT" if transparent else "OPAQUE")
    vevent.add("X-MSMONITOR-HASH", fingerprint)
    if trigger is not None:
        alarm = Alarm()
        alarm.add("ACTION", "DISPLAY")
        alarm.add("DESCRIPTION", alarm_text)
        alarm.add("TRIGGER", trigger)
        vevent.add_component(alarm)
    return vevent, changed


def _trigger(before: timedelta, timed: bool) -> timedelta:
    """How long before DTSTART the alarm rings. All-day events start at 00:00, so
    whole days before mean 09:00 that many days earlier (-PT15H for one day)."""
    if timed or before % timedelta(days=1):
        return -before
    clock = timedelta(hours=ALARM_CLOCK.hour, minutes=ALARM_CLOCK.minute)
    return -(before - clock)


def _tombstone(old: Event, stamp: datetime) -> Event:
    """An event the plan no longer has: same UID, cancelled, so re-importing
    removes or strikes it instead of leaving a stale date."""
    if str(old.get("STATUS", "")) == "CANCELLED":
        return old
    event = Event()
    event.add("UID", str(old["UID"]))
    event.add("DTSTAMP", stamp)
    event.add("SEQUENCE", int(old.get("SEQUENCE", 0)) + 1)
    event.add("LAST-MODIFIED", stamp)
    event.add("DTSTART", old.decoded("DTSTART"))
    if "DTEND" in old:
        event.add("DTEND", old.decoded("DTEND"))
    event.add("SUMMARY", f"Cancelled: {old.get('SUMMARY', '')}")
    event.add("CLASS", "PRIVATE")
    event.add("STATUS", "CANCELLED")
    event.add("TRANSP", "TRANSPARENT")
    return event


_WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def vtimezone(tzid: str, first: date, last: date) -> Timezone:
    """A VTIMEZONE covering ``first`` to ``last``, in the form every checker reads
    alike: one STANDARD and one DAYLIGHT observance with a yearly RRULE
    (``BYMONTH=3;BYDAY=-1SU``), each starting at its first change in the range.

    icalendar's own generator writes RDATE lists, which Mozilla's ical.js reads
    one hour off in summer; one observance per change makes the Ruby icalendar
    gem fail on events before a later observance (both found with ics-check).
    A zone whose rules change within the range gets one observance per change.
    """
    tz = _zone(tzid)
    begin = datetime(first.year, first.month, first.day, tzinfo=UTC)
    end = datetime(last.year, last.month, last.day, tzinfo=UTC)

    def offset(instant: datetime) -> timedelta:
        return instant.astimezone(tz).utcoffset() or timedelta(0)

    changes: list[tuple[datetime, timedelta, timedelta]] = []  # (instant, before, after)
    current, day, step = offset(begin), begin, timedelta(days=1)
    while day < end:
        following = offset(day + step)
        if following != current:
            low, high = 0, 24 * 60  # the minute of the change
            while high - low > 1:
                middle = (low + high) // 2
                low, high = (middle, high) if offset(day + timedelta(minutes=middle)) == current else (low, middle)
            changes.append((day + timedelta(minutes=high), current, following))
            current = following
        day += step

    component = Timezone()
    component.add("TZID", tzid)
    if not changes:
        component.add_component(_observance(tz, begin, current, current))
        return component
    rules = [_yearly_rule([c for c in changes if bool(c[0].astimezone(tz).dst()) is dst]) for dst in (False, True)]
    if all(rules):
        for rule, dst in zip(rules, (False, True)):
            change = next(c for c in changes if bool(c[0].astimezone(tz).dst()) is dst)
            component.add_component(_observance(tz, *change, rrule=rule))
        return component
    component.add_component(_observance(tz, begin, changes[0][1], changes[0][1]))
    for change in changes:
        component.add_component(_observance(tz, *change))
    return component


def _observance(tz, instant: datetime, before: timedelta, after: timedelta, rrule: dict | None = None):
    local = instant.astimezone(tz)
    part = TimezoneDaylight() if local.dst() else TimezoneStandard()
    part.add("DTSTART", (instant + before).replace(tzinfo=None))  # wall-clock time before the change
    if rrule:
        part.add("RRULE", rrule)
    part.add("TZOFFSETFROM", before)
    part.add("TZOFFSETTO", after)
    part.add("TZNAME", local.tzname() or str(tz))
    return part


def _yearly_rule(changes: list[tuple[datetime, timedelta, timedelta]]) -> dict | None:
    """The yearly RRULE all these changes follow, or None if they follow none."""
    if not changes:
        return None
    shapes = set()
    for instant, before, after in changes:
        wall = instant + before
        days_in_month = (date(wall.year + wall.month // 12, wall.month % 12 + 1, 1) - timedelta(days=1)).day
        last = wall.day + 7 > days_in_month
        nth = -1 if last else (wall.day - 1) // 7 + 1
        shapes.add((wall.month, nth, wall.weekday(), wall.time(), before, after))
    if len(shapes) != 1:
        # "last Sunday" and "4th Sunday" coincide in some years: try the nth form
        return None
    month, nth, weekday, _, _, _ = shapes.pop()
    return {"FREQ": "YEARLY", "BYMONTH": month, "BYDAY": f"{nth}{_WEEKDAYS[weekday]}"}
