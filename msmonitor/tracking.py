"""What was done against what was scheduled: matching recorded tests to plan
items, and each item's status on a given day. Pure: no database, no clock.

A record keeps the date the test was really done. It is matched to the
nearest scheduled item of the same test whose date is within that item's
tolerance (the protocol's ``tolerance_days``; a window item accepts its whole
window). Each record serves one item and each item takes one record; the
closest pairs are matched first. When the plan moves (a course added or
changed), the same records are simply matched again: they are never rewritten.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from collections.abc import Iterable
from datetime import date, timedelta
from typing import NamedTuple

from .kinds import KIND
from .model import Event, Plan, Protocol

DONE, LATE, MISSED, OVERDUE, DUE, UPCOMING = "done", "late-done", "missed", "overdue", "due", "upcoming"
# Scheduled before the clinic started tracking the patient and never recorded:
# nobody can say whether it was done, so it is neither missed nor due.
NOT_TRACKED = "not-tracked"
STATUSES = (DONE, LATE, MISSED, OVERDUE, DUE, UPCOMING, NOT_TRACKED)


class Record(NamedTuple):
    id: int
    test: str
    done_on: date
    note: str = ""


class ScheduledTest(NamedTuple):
    """One test of one scheduled event: the unit that is done or missed."""

    event_id: str
    test: str
    kind: str
    title: str
    date: date  # scheduled date (a window's first day)
    last_date: dt.date  # the window's last day, or the date
    tolerance: int  # days either side that still count
    month: int | None
    phase: str

    @property
    def earliest(self) -> dt.date:
        return self.date - timedelta(days=self.tolerance)

    @property
    def latest(self) -> dt.date:
        return self.last_date + timedelta(days=self.tolerance)

    def distance(self, day: dt.date) -> int:
        """Days between ``day`` and the item's date (0 inside a window)."""
        if day < self.date:
            return (self.date - day).days
        if day > self.last_date:
            return (day - self.last_date).days
        return 0


class Tracked(NamedTuple):
    scheduled: ScheduledTest
    record: Record | None
    status: str


class Tracking(NamedTuple):
    tests: tuple[Tracked, ...]  # every scheduled test of the plan, in plan order
    unmatched: tuple[Record, ...]  # records near no scheduled item (kept, shown)
    tracking_from: date | None = None  # tests over before it and not recorded are not-tracked


def scheduled_tests(plan: Plan) -> list[ScheduledTest]:
    """Every (event, test) pair of the plan, with its rule's tolerance."""
    items: list[ScheduledTest] = []
    append = items.append
    for event in plan.events:
        if not event.tests:
            continue
        last = event.window_end or event.date
        for test, tolerance in zip(event.tests, tolerances(plan.protocol, event)):
            append(
                ScheduledTest(
                    event.id, test, event.kind, event.title, event.date, last, tolerance, event.month, event.phase
                )
            )
    return items


def tolerances(protocol: Protocol, event: Event) -> tuple[int, ...]:
    """The tolerance in days of each of the event's tests: one lookup per
    event (its merged rules decide), cached per protocol."""
    cache = _tolerances(protocol)
    key = (event.rules, event.tests)
    per_test = cache.get(key)
    if per_test is None:
        rules = [protocol.rule(i) for i in event.rules]
        per_test = cache[key] = tuple(next(r for r in rules if test in r.tests).tolerance_days for test in event.tests)
    return per_test


# id(protocol) -> (protocol, {(event's rules, event's tests): tolerance of each test})
_TOLERANCES: dict[int, tuple[object, dict[tuple, tuple[int, ...]]]] = {}


def _tolerances(protocol) -> dict[tuple, tuple[int, ...]]:
    cached = _TOLERANCES.get(id(protocol))
    if cached is None or cached[0] is not protocol:
        cached = _TOLERANCES[id(protocol)] = (protocol, {})
    return cached[1]


Span = tuple[int, int, int, int, tuple[str, str]]  # earliest, latest, date, last date (ordinals), (event, test)


def match(items: Iterable[ScheduledTest], records: Iterable[Record]) -> dict[tuple[str, str], Record]:
    """Pair records with items of the same test, nearest first, one to one."""
    spans: dict[str, list[Span]] = {}
    for item in items:
        start = item.date.toordinal()
        end = start if item.last_date == item.date else item.last_date.toordinal()
        _add_span(spans, item.test, start, end, item.tolerance, (item.event_id, item.test))
    return match_spans(spans, records)


def plan_spans(plan: Plan) -> dict[str, list[Span]]:
    """``match``'s view of a plan's scheduled tests, straight from its events."""
    spans: dict[str, list[Span]] = {}
    for event in plan.events:
        if not event.tests:
            continue
        start = event.date.toordinal()
        end = event.window_end.toordinal() if event.window_end else start
        for test, tolerance in zip(event.tests, tolerances(plan.protocol, event)):
            _add_span(spans, test, start, end, tolerance, (event.id, test))
    return spans


def _add_span(spans: dict[str, list[Span]], test: str, start: int, end: int, tolerance: int, key) -> None:
    entry = (start - tolerance, end + tolerance, start, end, key)
    entries = spans.get(test)
    if entries is None:
        spans[test] = [entry]
    else:
        entries.append(entry)


def match_spans(spans: dict[str, list[Span]], records: Iterable[Record]) -> dict[tuple[str, str], Record]:
    """``match`` on spans, in plan order per test."""
    records = list(records)
    done = [(r.test, r.done_on.toordinal(), r.id) for r in records]
    return {key: records[at] for key, at in match_days(spans, done).items()}


DayRecord = tuple[str, int, int]  # a record as matching sees it: test, day (ordinal), id


def match_days(spans: dict[str, list[Span]], done: list[DayRecord]) -> dict[tuple[str, str], int]:
    """``match`` on spans and records as plain values: (event, test) -> the
    position in ``done`` of the record it takes. Days are ordinal numbers
    here (plain integers): this runs for every patient of an import. Only
    the tests that have records are prepared (sorted) for matching."""
    prepared: dict[str, tuple[list[Span], list[int], int]] = {}
    pairs: list[tuple[int, int, int, int, int, tuple[str, str], int]] = []
    for at, (test, day, rid) in enumerate(done):
        ready = prepared.get(test)
        if ready is None:
            candidates = spans.get(test)
            if not candidates:
                continue
            candidates.sort(key=_first)
            ready = prepared[test] = (
                candidates,
                [e[0] for e in candidates],
                max(e[1] - e[0] for e in candidates),
            )
        candidates, starts, longest = ready
        # items that can hold this day start on or before it, and no earlier
        # than their longest reach before it
        index = bisect_right(starts, day)
        floor = day - longest
        while index > 0:
            index -= 1
            earliest, latest, start, end, key = candidates[index]
            if earliest < floor:
                break
            if day <= latest:
                distance = start - day if day < start else (day - end if day > end else 0)
                # len(pairs) keeps ties in the order they were found
                pairs.append((distance, start, day, rid, len(pairs), key, at))
    pairs.sort()
    taken: set[int] = set()
    matched: dict[tuple[str, str], int] = {}
    for *_, key, at in pairs:
        rid = done[at][2]
        if key in matched or rid in taken:
            continue
        taken.add(rid)
        matched[key] = at
    return matched


def _first(entry: tuple) -> int:
    return entry[0]


def status_of(item: ScheduledTest, record: Record | None, today: date, tracking_from: date | None = None) -> str:
    """done / late-done with a record; without one: not-tracked when it was
    over (its window's last day) before ``tracking_from``, else upcoming before
    its day, due on its day (or inside its window), overdue after it while its
    tolerance lasts, then missed. (A record from before the day still counts:
    the tolerance works both ways for matching.)"""
    if record is not None:
        return DONE if record.done_on <= item.last_date else LATE
    if tracking_from is not None and item.last_date < tracking_from:
        return NOT_TRACKED
    if today <= item.last_date:
        return DUE if today >= item.date else UPCOMING
    # past its last day: overdue while the tolerance lasts (no timedelta: hot)
    return MISSED if today.toordinal() - item.last_date.toordinal() > item.tolerance else OVERDUE


def track(plan: Plan, records: Iterable[Record], today: date, tracking_from: date | None = None) -> Tracking:
    """Every scheduled test with its record and status; tests over before
    ``tracking_from`` without a record are not-tracked (a record still counts)."""
    records = list(records)
    items = scheduled_tests(plan)
    matched = match(items, records)
    used = {r.id for r in matched.values()}
    tracked = []
    for item in items:
        record = matched.get((item.event_id, item.test))
        tracked.append(Tracked(item, record, status_of(item, record, today, tracking_from)))
    unmatched = tuple(sorted((r for r in records if r.id not in used), key=lambda r: (r.done_on, r.test)))
    return Tracking(tuple(tracked), unmatched, tracking_from)


# ------------------------------------------------------------------ summaries


class Panel(NamedTuple):
    """A lab visit (one event with several tests) and how complete it is."""

    event_id: str
    date: date
    month: int | None
    phase: str
    state: str  # "done" (every test), "partial", "missed" (a test missed), "open" (not yet due or due now)


def panels(tracking: Tracking) -> list[Panel]:
    """Lab panels the clinic tracks: not-tracked tests are left out, and a
    panel with nothing else is not a panel here."""
    grouped: dict[str, list[Tracked]] = {}
    for t in tracking.tests:
        if KIND[t.scheduled.kind].lab_panel and t.status != NOT_TRACKED:
            grouped.setdefault(t.scheduled.event_id, []).append(t)
    result = []
    for event_id, members in grouped.items():
        statuses = {t.status for t in members}
        if statuses <= {DONE, LATE}:
            state = "done"
        elif MISSED in statuses:
            state = "missed"
        elif statuses & {DONE, LATE}:
            state = "partial"
        else:
            state = "open"
        first = members[0].scheduled
        result.append(Panel(event_id, first.date, first.month, first.phase, state))
    return result


def summary(tracking: Tracking, today: date) -> dict:
    """Counts for people: tests by status, lab panels, adherence per year."""
    counts = {s: 0 for s in STATUSES}
    for t in tracking.tests:
        counts[t.status] += 1
    lab_panels = panels(tracking)
    due_so_far = [p for p in lab_panels if p.date <= today]
    years: dict[str, dict[str, int]] = {}
    for p in due_so_far:
        if p.phase.startswith("year-"):
            year = years.setdefault(p.phase, {"panels": 0, "done": 0, "missed": 0})
            year["panels"] += 1
            year["done"] += p.state == "done"
            year["missed"] += p.state == "missed"
    return {
        "tests": counts,
        "panels": {
            "scheduled": len(lab_panels),
            "due_so_far": len(due_so_far),
            "done": sum(p.state == "done" for p in lab_panels),
            "partial": sum(p.state == "partial" for p in lab_panels),
            "missed": sum(p.state == "missed" for p in lab_panels),
        },
        "adherence": {
            phase: {**v, "percent": round(100 * v["done"] / v["panels"]) if v["panels"] else None}
            for phase, v in sorted(years.items(), key=lambda kv: int(kv[0].split("-")[1]))
        },
        "unmatched_records": len(tracking.unmatched),
    }


def next_visit(tracking: Tracking) -> tuple[date, list[Tracked]] | None:
    """The earliest date with something still to do (overdue, due or upcoming)."""
    open_items = [t for t in tracking.tests if t.status in (OVERDUE, DUE, UPCOMING)]
    if not open_items:
        return None
    first = min(t.scheduled.date for t in open_items)
    return first, [t for t in open_items if t.scheduled.date == first]


def nearest_event(items: Iterable[ScheduledTest], day: date) -> list[ScheduledTest] | None:
    """The scheduled event whose date is nearest ``day`` within its tolerance:
    the panel a blood draw on ``day`` belongs to."""
    candidates = [i for i in items if i.earliest <= day <= i.latest]
    if not candidates:
        return None
    best = min(candidates, key=lambda i: (i.distance(day), i.date))
    return [i for i in items if i.event_id == best.event_id]
