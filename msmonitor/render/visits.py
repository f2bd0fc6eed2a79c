"""The plan as a phone calendar shows it: one entry per visit day.

A patient keeps this calendar for five years, so it must be calm: everything
due on one date is one entry with one reminder (its description lists each
item), a multi-week window shows as its first and last day rather than on
every day of an agenda view, deadlines read as deadlines ("Due by: ..."), and
titles stay short enough for a lock screen (``TITLE_MAX``). Each entry says
how far its date may move (the protocol's tolerance), and ``weekdays`` moves
visits off Saturdays and Sundays inside that range.

Pure, and without icalendar: render/ics.py turns entries into VEVENTs. An
entry's ``key`` (what it is, never its date) makes its calendar UID.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import NamedTuple

from ..kinds import KIND
from ..model import Event, Plan
from ..view import also, marked, markers

TITLE_MAX = 40  # what a lock screen or an agenda row shows without cutting
WINDOWS = ("edges", "span", "none")

# How an entry reminds: like a visit (the day before), like a deadline (a week
# before), or not at all. render/ics.py maps these to the user's settings.
VISIT, DEADLINE, NONE = "visit", "deadline", "none"


class Entry(NamedTuple):
    """One calendar event before it becomes a VEVENT."""

    key: str  # what the entry is: its UID is made from this
    kind: str  # the leading item's kind (for categories)
    title: str  # at most TITLE_MAX characters
    lines: tuple[str, ...]  # the description, without protocol and notice
    sources: tuple[str, ...]
    start: date
    end: date  # inclusive last day
    projected: bool
    reminder: str  # VISIT, DEADLINE or NONE
    timed: bool  # becomes a timed event with --at (visits only)
    window: bool  # informational: shown as free time


class _Member(NamedTuple):
    """One plan event (or one end of a window) inside a day's entry."""

    event: Event
    role: str  # "visit", "deadline" or "opening"
    order: int  # position in the plan, to keep the protocol's order
    day: date  # the day it shows on (a deadline's last day; a moved visit's weekday)


def calendar_entries(plan: Plan, *, windows: str = "edges", weekdays: bool = False) -> list[Entry]:
    """Every calendar entry of the plan, in date order."""
    if windows not in WINDOWS:
        raise ValueError(f"windows must be one of {WINDOWS}")
    members: list[_Member] = []
    spans: list[Event] = []
    entries: list[Entry] = []
    for order, event in enumerate(plan.events):
        if KIND[event.kind].infusion_day and event.course is not None:
            continue  # in its course's event
        if event.window_end is None:
            role = "deadline" if _is_deadline(event) else "visit"
            members.append(_Member(event, role, order, event.date))
        elif KIND[event.kind].visit:
            # A task done any day in a window (baseline labs): a reminder when
            # it opens and a deadline on its last day.
            if windows == "span":
                entries.append(_span_entry(plan, event, reminder=VISIT))
            else:
                members.append(_Member(event, "opening", order, event.date))
                members.append(_Member(event, "deadline", order, event.window_end))
        elif windows == "span":
            entries.append(_span_entry(plan, event, reminder=NONE))
        elif windows == "edges":
            spans.append(event)

    days = _by_day(members)
    if weekdays:
        days = _by_day(m for day in days.values() for m in _moved(plan, day, days))
    courses = {c.number: c for c in plan.courses}
    inside: dict[int, list[_Member]] = {n: [] for n in courses}
    for day, group in sorted(days.items()):
        course = next((c for c in plan.courses if c.first <= day <= c.last), None)
        if course is not None:
            inside[course.number] += group
        else:
            entries.append(_day_entry(plan, day, group))
    entries += [_course_entry(plan, number, inside[number]) for number in courses]
    entries += _edge_entries(plan, spans)
    return sorted(entries, key=lambda e: (e.start, e.window, e.key))


def _is_deadline(event: Event) -> bool:
    return KIND[event.kind].deadline


def _by_day(members: Iterable[_Member]) -> dict[date, list[_Member]]:
    days: dict[date, list[_Member]] = {}
    for member in members:
        days.setdefault(member.day, []).append(member)
    for group in days.values():
        group.sort(key=lambda m: (m.order, m.role))
    return days


# ------------------------------------------------------------------ dates


def tolerance(plan: Plan, event: Event) -> int:
    """Days either side of its date that an event's tests still count (its
    strictest rule's ``tolerance_days``; 0 when any rule gives none)."""
    return min((plan.protocol.rule(i).tolerance_days for i in event.rules), default=0)


def acceptable_range(plan: Plan, group: list[_Member]) -> tuple[date, date] | None:
    """The days on which every test due on a visit day still counts, or None
    (a day with a deadline, or a test without tolerance)."""
    if any(m.role != "visit" for m in group):
        return None
    visits = [m.event for m in group if m.event.tests]
    if not visits:
        return None
    low = max(e.date - timedelta(days=tolerance(plan, e)) for e in visits)
    high = min(e.date + timedelta(days=tolerance(plan, e)) for e in visits)
    return (low, high) if low < high else None


def _moved(plan: Plan, group: list[_Member], days: dict[date, list[_Member]]) -> list[_Member]:
    """A weekend visit day, moved to the nearest weekday inside its range
    (the earlier one when two are as near). Deadlines and windows stay."""
    day = group[0].day
    span = acceptable_range(plan, group)
    if day.weekday() < 5 or span is None:
        return group
    before = day - timedelta(days=day.weekday() - 4)  # Friday
    after = day + timedelta(days=7 - day.weekday())  # Monday
    choices = sorted((abs((c - day).days), c) for c in (before, after) if span[0] <= c <= span[1])
    if not choices:
        return group
    target = choices[0][1]
    return [m._replace(day=target) for m in group]


# ------------------------------------------------------------------ entries


def _day_entry(plan: Plan, day: date, group: list[_Member]) -> Entry:
    lead = group[0].event
    visits = [m for m in group if m.role == "visit"]
    deadlines = [m for m in group if m.role == "deadline"]
    openings = [m for m in group if m.role == "opening"]
    parts = [s for m in visits for s in _shorts(plan, m.event)]
    parts += [f"{_shorts(plan, m.event)[0]} window opens" for m in openings]
    month = next((m.event.month for m in visits if m.event.month), None)
    prefix = _prefix(plan, (m.event for m in group))
    due = [s for m in deadlines for s in _shorts(plan, m.event)]
    if parts:
        if due:
            parts += [f"due by: {_lower(due[0])}", *due[1:]]
        title = compose("", parts, f" (month {month})" if month else "", marker=prefix)
    else:
        title = compose("Due by: ", [_lower(s) for s in due], "", marker=prefix)

    lines: list[str] = []
    if month:
        lines.append(f"Month {month} of monitoring.")
    span = acceptable_range(plan, group)
    if span:
        lines.append(f"Any day from {span[0].isoformat()} to {span[1].isoformat()} counts.")
    for scheduled in dict.fromkeys(m.event.date for m in visits if m.event.date != day):
        lines.append(
            f"Scheduled for {scheduled.isoformat()}, a {scheduled.strftime('%A')}: "
            "moved to the nearest weekday in that range."
        )
    for member in group:
        lines += _item_lines(plan, member)
    if any(m.event.projected for m in group):
        lines.append(_projected_note(plan))
    reminder = DEADLINE if deadlines and not (visits or openings) else VISIT
    if not any(KIND[m.event.kind].alarm for m in group):
        reminder = NONE
    return Entry(
        key=lead.id if group[0].role != "deadline" or not lead.window_end else f"{lead.id}/due",
        kind=lead.kind,
        title=title,
        lines=tuple(lines),
        sources=_sources(m.event for m in group),
        start=day,
        end=day,
        projected=any(m.event.projected for m in group),
        reminder=reminder,
        timed=bool(visits) and not deadlines and not openings,
        window=False,
    )


def _item_lines(plan: Plan, member: _Member, dated: bool = False) -> list[str]:
    event = member.event
    head = marked(event.title, event, plan.options.sex)
    if member.role == "deadline":
        head = f"Due by {member.day.isoformat()}: {head}"
        if event.window_end:
            head += f" (any day from {event.date.isoformat()})"
    elif member.role == "opening":
        head = f"From today until {event.window_end.isoformat() if event.window_end else ''}: {head}"
    elif dated:
        head = f"{event.date.isoformat()}: {head}"
    lines = [f"- {head}."]
    if event.tests:
        tests = plan.protocol.tests
        lines.append("  Tests: " + "; ".join(f"{tests[t].name} ({t})" for t in event.tests) + ".")
    if event.merged:
        lines.append("  Also: " + "; ".join(also(event, plan.options.sex)) + ".")
    lines += [f"  {note}" for note in dict.fromkeys(event.notes)]
    return lines


def _course_entry(plan: Plan, number: int, extra: list[_Member]) -> Entry:
    course = plan.courses[number - 1]
    days = [e for e in plan.events if KIND[e.kind].infusion_day and e.course == number]
    lines = [f"Infusion days: {', '.join(d.isoformat() for d in course.infusion_days)}."]
    for e in days:
        merged = "; ".join(also(e, plan.options.sex))
        lines.append(f"Day {e.day} ({e.date.isoformat()}): {e.title}" + (f"; {merged}" if merged else "") + ".")
    for member in extra:
        lines += _item_lines(plan, member, dated=True)
    events = days + [m.event for m in extra]
    lines[len(days) + 1 : len(days) + 1] = dict.fromkeys(n for e in days for n in e.notes)
    if course.projected:
        lines.append(_projected_note(plan))
    marker = "Projected: " if course.projected else ""
    title = compose("", [f"Lemtrada course {number} ({len(course.infusion_days)} days)"], "", marker=marker)
    return Entry(
        key=f"course/c{number}",
        kind="infusion",
        title=title,
        lines=tuple(lines),
        sources=_sources(events),
        start=course.first,
        end=course.last,
        projected=course.projected,
        reminder=VISIT,
        timed=False,
        window=False,
    )


def _span_entry(plan: Plan, event: Event, reminder: str) -> Entry:
    assert event.window_end is not None
    lines = [f"From {event.date.isoformat()} to {event.window_end.isoformat()}."]
    lines += _item_lines(plan, _Member(event, "visit", 0, event.date))[1:]
    if event.projected:
        lines.append(_projected_note(plan))
    return Entry(
        key=event.id,
        kind=event.kind,
        title=compose("", _shorts(plan, event), "", marker=_prefix(plan, [event])),
        lines=tuple(lines),
        sources=event.sources,
        start=event.date,
        end=event.window_end,
        projected=event.projected,
        reminder=reminder,
        timed=False,
        window=not KIND[event.kind].visit,
    )


def _edge_entries(plan: Plan, spans: list[Event]) -> list[Entry]:
    """Each window as its first and its last day; windows that start (or end)
    on the same day share one entry. No reminder: they are information."""
    edges: dict[tuple[date, str], list[Event]] = {}
    for event in spans:
        assert event.window_end is not None
        edges.setdefault((event.date, "start"), []).append(event)
        if event.window_end != event.date:
            edges.setdefault((event.window_end, "end"), []).append(event)
    entries = []
    for (day, edge), events in edges.items():
        lead = events[0]
        word = "Start: " if edge == "start" else "Last day: "
        # projected shows as TENTATIVE: "Projected: Start: ..." reads badly
        title = compose(word, [_lower(s) for e in events for s in _shorts(plan, e)], "")
        lines = []
        for e in events:
            named = marked(e.title, e, plan.options.sex)
            assert e.window_end is not None
            if edge == "start":
                lines.append(f"- {named}: from today until {e.window_end.isoformat()}.")
            else:
                lines.append(f"- {named}: the last day (since {e.date.isoformat()}).")
            lines += [f"  {note}" for note in dict.fromkeys(e.notes)]
        if any(e.projected for e in events):
            lines.append(_projected_note(plan))
        entries.append(
            Entry(
                key=f"{lead.id}/{edge}",
                kind=lead.kind,
                title=title,
                lines=tuple(lines),
                sources=_sources(events),
                start=day,
                end=day,
                projected=any(e.projected for e in events),
                reminder=NONE,
                timed=False,
                window=True,
            )
        )
    return entries


# ------------------------------------------------------------------ words


def compose(prefix: str, parts: list[str], suffix: str, limit: int = TITLE_MAX, marker: str = "") -> str:
    """A title of at most ``limit`` characters, the essential first: all parts
    and the suffix if they fit, else all parts, else the first parts and
    "+N more"; the marker ("Projected: ") goes first when it fits (the
    event's status or description says it too); else the first part is cut
    at a word."""
    parts = [parts[0]] + [_lower(p) for p in parts[1:]] if parts else []
    shapes = [", ".join(parts) + suffix, ", ".join(parts)]
    shapes += [f"{', '.join(parts[:n])} +{len(parts) - n} more" for n in range(len(parts) - 1, 0, -1)]
    for head in (marker + prefix, prefix) if marker else (prefix,):
        for shape in shapes:
            if len(head + shape) <= limit:
                return head + shape
    return _cut(prefix + shapes[-1], limit)


def _cut(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    head = text[: limit - 1]
    if " " in head[limit // 2 :]:
        head = head[: head.rindex(" ")]
    return head.rstrip(" ,;:") + "…"


def _shorts(plan: Plan, event: Event) -> list[str]:
    """The short names of every rule merged into an event, leader first."""
    rule = plan.protocol.rule
    names = [rule(event.rule).short or event.title] + [rule(m.rule).short or m.title for m in event.merged]
    return list(dict.fromkeys(names))


# Names that keep their capital inside a title ("Start: Listeria precautions").
_PROPER = ("Listeria", "Lemtrada")


def _lower(text: str) -> str:
    """Lower-case a part's first letter unless it starts an abbreviation (HPV)
    or a proper name (Listeria)."""
    if text.startswith(_PROPER):
        return text
    if len(text) > 1 and text[0].isupper() and text[1].islower():
        return text[0].lower() + text[1:]
    return text


def _prefix(plan: Plan, events: Iterable[Event]) -> str:
    marks = {m for event in events for m in markers(event, plan.options.sex) if m in ("projected", "unverified")}
    words = [w for w in ("projected", "unverified") if w in marks]
    return (", ".join(words).capitalize() + ": ") if words else ""


def _projected_note(plan: Plan) -> str:
    months = plan.protocol.courses.course2_after_months
    return (
        f"Projected: course 2 is assumed at course 1 + {months} months. "
        "Re-export when the date is set; this event then moves in place."
    )


def _sources(events: Iterable[Event]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(s for e in events for s in e.sources))
