"""The plan as an iCalendar file (RFC 5545) that phone calendars import cleanly.

The only module that imports icalendar; what the events are (one per visit
day, window edges, deadlines, titles) is decided in render/visits.py. Rules
followed here, from shared/reference/calendar-clients.md:

- all-day events (``VALUE=DATE``, exclusive DTEND) unless a time is given; no
  RRULE, no VTODO, no attendees; ``METHOD:PUBLISH``;
- UIDs are a hash of a random per-plan salt and what the event *is* (its key:
  item, course, month), never its date or position, so a re-export updates
  events in place; the salt lives in the file (and, for saved patients, in
  the database), so a UID reveals nothing about the patient;
- SEQUENCE and LAST-MODIFIED rise only for events whose content changed since
  the previous export, and events that vanished become ``STATUS:CANCELLED``;
- a DISPLAY alarm with a negative trigger (09:00 the day before by default);
- every text value escaped (icalendar leaves NAME and X- values as given);
- discreet mode: titles, alarms and categories say nothing medical; strict
  mode also names neither the tool nor MS anywhere in the file's properties.

Pure: the timestamp, the salt and the previous export's bytes are passed in.
"""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, date, datetime, time, timedelta
from typing import NamedTuple

from icalendar import Alarm, Calendar, Event, Timezone, TimezoneDaylight, TimezoneStandard, vText

from .. import __version__
from ..errors import InputError
from ..kinds import KIND
from ..model import Plan
from ..view import NOTICE
from .visits import DEADLINE, NONE, Entry, calendar_entries

PRODID = f"-//msmonitor//msmonitor {__version__}//EN"
STRICT_PRODID = "-//calendar export//EN"  # --discreet=strict: no tool, no MS
UID_DOMAIN = "msmonitor"
UID_SCHEME = "msmonitor.event/2"
# Where the salt and each event's content hash live; strict mode uses names
# that say nothing about the tool.
PLAN_PROPERTY = {False: "X-MSMONITOR-PLAN", True: "X-PLAN-ID"}
HASH_PROPERTY = {False: "X-MSMONITOR-HASH", True: "X-EVENT-HASH"}
SALT = re.compile(r"[0-9a-f]{32}")
DEFAULT_REMINDER = timedelta(days=1)
DEFAULT_DEADLINE_REMINDER = timedelta(weeks=1)
ALARM_CLOCK = time(9, 0)  # all-day reminders ring at 09:00, never at midnight
VISIT_LENGTH = timedelta(hours=1)  # timed events (--at)
# Every description ends with this; the full notice is the calendar's description.
SHORT_NOTICE = "Not medical advice: confirm every date with your care team."


class IcsOptions(NamedTuple):
    salt: str  # random per plan (32 hex digits), made by the CLI or read back
    discreet: str = "off"  # "off", "on" (neutral titles) or "strict" (no details either)
    remind: timedelta | None = DEFAULT_REMINDER  # before visits; None: no alarms at all
    remind_deadline: timedelta | None = DEFAULT_DEADLINE_REMINDER  # before "due by" dates
    windows: str = "edges"  # "edges", "span" or "none" (see render/visits.py)
    weekdays: bool = False  # visits on a weekend move to a weekday inside their tolerance
    at: time | None = None  # timed visits at this local time...
    tz: str | None = None  # ...in this IANA zone
    name: str = "MS monitoring"


class IcsExport(NamedTuple):
    data: bytes
    events: int  # events of the plan in the file
    changed: int  # of those, new or changed since the previous export
    cancelled: int  # tombstones for events the plan no longer has


class Previous(NamedTuple):
    """What a previous export said: its salt (None for a file from before
    salts, whose events are all replaced) and each event by UID."""

    salt: str | None
    events: dict[str, Event]


def _digest(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


def event_uid(salt: str, key: str, strict: bool = False) -> str:
    """Hashed with the plan's random salt: the UID says neither who the plan
    is for nor what the event is, yet stays the same on every re-export."""
    digest = _digest(UID_SCHEME, salt, key)[:32]
    return digest if strict else f"{digest}@{UID_DOMAIN}"


def legacy_plan_tag(identity: str) -> str:
    """X-MSMONITOR-PLAN of exports before salts (``msmonitor.event/1``)."""
    return _digest("msmonitor.plan", identity)[:24]


def read_previous(
    data: bytes, name: str, course1: date, *, salt: str | None = None, legacy_identity: str | None = None
) -> Previous:
    """Parse an earlier msmonitor export of the same plan: one whose course 1
    starts on ``course1`` and, when ``salt`` is known (a saved patient), that
    has this salt."""
    try:
        calendar = Calendar.from_ical(data)
    except Exception:  # icalendar raises ValueError and worse on damaged input
        raise InputError(f"{name}: not an iCalendar file") from None
    if not isinstance(calendar, Calendar):
        raise InputError(f"{name}: not an iCalendar file")
    ours = UID_DOMAIN in str(calendar.get("PRODID", ""))
    found = str(calendar.get(PLAN_PROPERTY[False], calendar.get(PLAN_PROPERTY[True], "")))
    another = f"{name}: exported for another plan (another patient or course 1); use another file name"
    events = _previous_events(calendar, name)
    if not SALT.fullmatch(found):
        if ours and legacy_identity is not None and found == legacy_plan_tag(legacy_identity):
            return Previous(None, events)  # from before salts: every event is replaced once
        if ours and found:
            raise InputError(another)
        raise InputError(f"{name}: not written by msmonitor; give a msmonitor export or another file name")
    if salt is not None and found != salt:
        raise InputError(another)
    first = [events.get(event_uid(found, "course/c1", strict)) for strict in (False, True)]
    starts = [e.decoded("DTSTART") for e in first if e is not None]
    if course1 not in starts:
        raise InputError(another)
    return Previous(found, events)


def _previous_events(calendar: Calendar, name: str) -> dict[str, Event]:
    """The previous file's events, each checked for what re-exporting reads."""
    events: dict[str, Event] = {}
    for number, event in enumerate(calendar.walk("VEVENT"), start=1):
        where = f"{name}: event {number}"
        if "UID" not in event or "DTSTART" not in event:
            raise InputError(f"{where}: no UID or DTSTART; give an unedited msmonitor export")
        try:
            sequence = int(str(event.get("SEQUENCE", 0)))
            for prop in ("DTSTART", "DTEND", "LAST-MODIFIED"):
                if prop in event and not isinstance(event.decoded(prop), date):
                    raise ValueError(prop)
        except (ValueError, TypeError, OverflowError):
            raise InputError(f"{where}: a damaged date or SEQUENCE; give an unedited msmonitor export") from None
        if not 0 <= sequence < 2**31:
            raise InputError(f"{where}: SEQUENCE out of range; give an unedited msmonitor export")
        events[str(event["UID"])] = event  # type: ignore[assignment]  # walk("VEVENT") yields Events
    return events


def render_ics(plan: Plan, *, stamp: datetime, options: IcsOptions, previous: Previous | None = None) -> IcsExport:
    if not SALT.fullmatch(options.salt):
        raise ValueError("the salt must be 32 lower-case hex digits")
    stamp = stamp.astimezone(UTC).replace(microsecond=0)
    strict = options.discreet == "strict"
    tz = _zone(options.tz) if options.at else None
    calendar = Calendar()
    name = "Appointments" if options.discreet != "off" else options.name
    for key, value in (
        ("PRODID", STRICT_PRODID if strict else PRODID),
        ("VERSION", "2.0"),
        ("CALSCALE", "GREGORIAN"),
        ("METHOD", "PUBLISH"),
        ("NAME", name),
        ("X-WR-CALNAME", name),
        ("X-WR-CALDESC", NOTICE if options.discreet == "off" else "Appointments."),
        (PLAN_PROPERTY[strict], options.salt),
    ):
        calendar.add(key, vText(value))
    calendar.add("REFRESH-INTERVAL", timedelta(days=1), parameters={"VALUE": "DURATION"})
    calendar.add("X-PUBLISHED-TTL", vText("P1D"))

    seen: set[str] = set()
    changed = cancelled = 0
    for entry in calendar_entries(plan, windows=options.windows, weekdays=options.weekdays):
        uid = event_uid(options.salt, entry.key, strict)
        assert uid not in seen, entry.key  # keys are what an event is: unique by construction
        seen.add(uid)
        vevent, is_changed = _vevent(plan, entry, uid, stamp, options, tz, previous)
        changed += is_changed
        calendar.add_component(vevent)
    if previous:
        for uid, old in previous.events.items():
            if uid not in seen:
                cancelled += str(old.get("STATUS", "")) != "CANCELLED"
                calendar.add_component(_tombstone(old, stamp, strict))
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


def _description(plan: Plan, entry: Entry) -> str:
    p = plan.protocol
    cited = "; ".join(p.sources[s].document for s in entry.sources)
    return "\n".join([*entry.lines, f"Protocol: {p.id} {p.version}. Sources: {cited}.", SHORT_NOTICE])


def _vevent(
    plan: Plan, entry: Entry, uid: str, stamp: datetime, options: IcsOptions, tz, previous: Previous | None
) -> tuple[Event, bool]:
    """The VEVENT, and whether it is new or changed since the previous export."""
    discreet = options.discreet != "off"
    strict = options.discreet == "strict"
    kind = KIND[entry.kind]
    summary = kind.discreet_title if discreet else entry.title
    description = None if strict else _description(plan, entry)
    at = options.at if tz is not None and entry.timed else None
    timed = at is not None
    start: date  # datetimes when timed
    end: date
    if at is not None:
        start = datetime.combine(entry.start, at, tzinfo=tz)
        end = start + VISIT_LENGTH
    else:
        start, end = entry.start, entry.end + timedelta(days=1)  # all-day DTEND is exclusive
    categories = ["Appointment"] if discreet else ["MS monitoring", kind.category]
    transparent = entry.window or not (timed or kind.infusion_day)
    status = "TENTATIVE" if entry.projected else "CONFIRMED"
    before = None
    if options.remind is not None and entry.reminder != NONE:
        before = options.remind_deadline if entry.reminder == DEADLINE else options.remind
    trigger = _trigger(before, timed) if before is not None else None
    fingerprint = _digest(
        summary,
        description or "",
        start.isoformat(),
        end.isoformat(),
        str(transparent),
        status,
        ",".join(categories),
        str(trigger),
        options.tz or "",
    )[:32]

    sequence, modified, changed = 0, stamp, True
    old = previous.events.get(uid) if previous else None
    if old is not None:
        old_sequence = int(str(old.get("SEQUENCE", 0)))
        old_hash = str(old.get(HASH_PROPERTY[strict], ""))
        if old_hash == fingerprint and str(old.get("STATUS", "")) != "CANCELLED":
            sequence, changed = old_sequence, False
            modified = old.decoded("LAST-MODIFIED") if "LAST-MODIFIED" in old else stamp
        else:
            sequence = old_sequence + 1

    vevent = Event()
    vevent.add("UID", vText(uid))
    vevent.add("DTSTAMP", stamp)
    vevent.add("SEQUENCE", sequence)
    vevent.add("LAST-MODIFIED", modified)
    vevent.add("DTSTART", start)
    vevent.add("DTEND", end)
    vevent.add("SUMMARY", vText(summary))
    if description:
        vevent.add("DESCRIPTION", vText(description))
    vevent.add("CATEGORIES", categories)
    vevent.add("CLASS", "PRIVATE")
    vevent.add("STATUS", status)
    vevent.add("TRANSP", "TRANSPARENT" if transparent else "OPAQUE")
    vevent.add(HASH_PROPERTY[strict], vText(fingerprint))
    if trigger is not None:
        alarm = Alarm()
        alarm.add("ACTION", "DISPLAY")
        alarm.add("DESCRIPTION", vText(summary))
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


def _tombstone(old: Event, stamp: datetime, strict: bool) -> Event:
    """An event the plan no longer has: same UID, cancelled, so re-importing
    removes or strikes it instead of leaving a stale date."""
    if str(old.get("STATUS", "")) == "CANCELLED":
        return old
    event = Event()
    event.add("UID", vText(str(old["UID"])))
    event.add("DTSTAMP", stamp)
    event.add("SEQUENCE", int(str(old.get("SEQUENCE", 0))) + 1)
    event.add("LAST-MODIFIED", stamp)
    event.add("DTSTART", old.decoded("DTSTART"))
    if "DTEND" in old:
        event.add("DTEND", old.decoded("DTEND"))
    summary = "Cancelled" if strict else f"Cancelled: {old.get('SUMMARY', '')}"
    event.add("SUMMARY", vText(summary))
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
    one hour off in summer (found with ics-check). A zone whose rules change
    within the range gets one observance per kind of change, each listing its
    onsets (DTSTART, then RDATEs): every checker in ics-check reads that alike.
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
    # The rules changed within the range (New York in 2007): no RRULE fits
    # every year, so each kind of change (standard or daylight, offsets, name)
    # is one observance whose onsets are its DTSTART and an RDATE per later
    # change. One observance per change, or one per run of years with its own
    # RRULE, makes the Ruby icalendar gem fail: it compares every STANDARD's
    # (and DAYLIGHT's) previous onset, which is nil for one starting later.
    kinds: dict[tuple, list[tuple[datetime, timedelta, timedelta]]] = {}
    for change in changes:
        local = change[0].astimezone(tz)
        kinds.setdefault((bool(local.dst()), change[1], change[2], local.tzname()), []).append(change)
    for onsets in kinds.values():
        part = _observance(tz, *onsets[0])
        for instant, before, _ in onsets[1:]:
            part.add("RDATE", (instant + before).replace(tzinfo=None))  # wall-clock time before the change
        component.add_component(part)
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
        # the zone's rules changed within the plan's years (another month, day
        # or offset): no one RRULE fits, so the caller writes each change out
        return None
    month, nth, weekday, _, _, _ = shapes.pop()
    return {"FREQ": "YEARLY", "BYMONTH": month, "BYDAY": f"{nth}{_WEEKDAYS[weekday]}"}
