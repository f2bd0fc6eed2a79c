"""Saved patients: what the record-keeping commands do, between the CLI and
the database. Each change is one transaction that also refreshes the
patient's cached schedule items, so ``due`` never sees a half-made change.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import re
from collections.abc import Callable, Collection, Iterable, Iterator, Sized
from datetime import date, datetime, timedelta
from typing import NamedTuple, NoReturn, TextIO

from .dates import parse_iso_date
from .errors import InputError, MsmonitorError
from .labels import check_label, did_you_mean, label_concern
from .model import Plan, PlanOptions, Protocol
from .protocol import load_protocol, protocol_reference
from .schedule import PlanRequest, compute_plan, plan_courses
from .store import CourseRow, OpenItemRow, Patient, RecordRow, Store
from .tracking import (
    DUE,
    MISSED,
    OVERDUE,
    UPCOMING,
    DayRecord,
    Record,
    ScheduledTest,
    Span,
    Tracking,
    match_days,
    nearest_event,
    scheduled_tests,
    tolerances,
    track,
)
from .workers import Job, Outcome, Workers, cores, outcomes

# /2 added tracking_from; /1 backups are still read (tracked from course 1).
BACKUP_SCHEMA = "msmonitor.backup/2"
BACKUP_SCHEMAS = ("msmonitor.backup/1", BACKUP_SCHEMA)
CSV_COLUMNS = ("label", "course1", "course2", "courses", "sex", "protocol", "single_course", "notes", "tracking_from")
FROM_START = "start"  # --tracking-from start: every item counts, from course 1 on


class Protocols:
    """Protocols loaded once per command, by the name a patient stores."""

    def __init__(self) -> None:
        self._cache: dict[str, Protocol] = {}

    def __call__(self, name: str) -> Protocol:
        if name not in self._cache:
            self._cache[name] = load_protocol(name)
        return self._cache[name]


def request_for(patient: Patient) -> PlanRequest:
    courses = {c.number: c for c in patient.courses}
    if 1 not in courses:
        raise MsmonitorError(f"patient {patient.label!r} has no course 1 in the database")
    later = tuple(courses[n].start for n in sorted(courses) if n > 2)
    return PlanRequest(
        course1=courses[1].start,
        course2=courses[2].start if 2 in courses else None,
        later=later,
        single_course=patient.single_course,
        options=PlanOptions(sex=patient.sex, include_unverified=patient.include_unverified, patient=patient.label),
        infusion_days={c.number: c.days for c in patient.courses if c.days},
    )


def plan_of(patient: Patient, protocols: Protocols) -> Plan:
    return compute_plan(protocols(patient.protocol), request_for(patient))


def engine_key(protocol: Protocol) -> str:
    """What a patient's cached open items depend on besides the patient's own
    data: the protocol (its id, version and a hash of its whole content, so
    that an edited file refreshes them even when its version was not raised)
    and msmonitor's version."""
    cached = _ENGINE_KEYS.get(id(protocol))
    if cached is None or cached[0] is not protocol:  # once per loaded protocol, not per patient
        import hashlib

        from . import __version__

        digest = hashlib.sha256(repr(protocol).encode("utf-8")).hexdigest()[:16]
        cached = _ENGINE_KEYS[id(protocol)] = (protocol, f"{protocol.id}:{protocol.version}:{digest}:{__version__}")
    return cached[1]


_ENGINE_KEYS: dict[int, tuple[Protocol, str]] = {}


def _records(rows: Iterable[RecordRow]) -> list[Record]:
    return [Record(r.id, r.test, r.done_on, r.note) for r in rows]


def open_item_rows(plan: Plan, records: list[Record], tracking_from: date | None = None) -> list[OpenItemRow]:
    """The events with a test not yet matched to a record, as the cache
    stores them (tests not tracked never reach the due list)."""
    return open_rows(plan, [(r.test, r.done_on.toordinal(), r.id) for r in records], tracking_from)


_new = tuple.__new__
# id(protocol) -> (protocol, {(event's rules, event's tests): their tolerances,
# every (test, tolerance) pair, and the longest tolerance as a timedelta})
_EVENT_TESTS: dict[int, tuple[Protocol, dict[tuple, tuple]]] = {}


def _event_tests(protocol: Protocol) -> dict[tuple, tuple]:
    cached = _EVENT_TESTS.get(id(protocol))
    if cached is None or cached[0] is not protocol:
        cached = _EVENT_TESTS[id(protocol)] = (protocol, {})
    return cached[1]


def open_rows(plan: Plan, done: list[DayRecord], tracking_from: date | None = None) -> list[OpenItemRow]:
    """``open_item_rows`` with the records as matching sees them: straight
    from matching, without statuses, each event's tolerances looked up once,
    and only the items some record can reach offered to matching (this runs
    for every patient of an import)."""
    protocol, known = plan.protocol, _event_tests(plan.protocol)
    events = []
    for event in plan.events:
        if event.tests:
            key = (event.rules, event.tests)
            tests = known.get(key)
            if tests is None:
                per_test = tolerances(protocol, event)
                tests = known[key] = (per_test, tuple(zip(event.tests, per_test)), timedelta(days=max(per_test)))
            events.append((event, tests))
    matched: Collection[tuple[str, str]] = ()
    if done:
        first, last = min(d[1] for d in done), max(d[1] for d in done)
        spans: dict[str, list[Span]] = {}
        for event, (per_test, _, _) in events:
            start = event.date.toordinal()
            end = event.window_end.toordinal() if event.window_end else start
            for test, tolerance in zip(event.tests, per_test):
                if start - tolerance > last or end + tolerance < first:
                    continue  # no record comes near it
                entry = (start - tolerance, end + tolerance, start, end, (event.id, test))
                entries = spans.get(test)
                if entries is None:
                    spans[test] = [entry]
                else:
                    entries.append(entry)
        matched = match_days(spans, done)
    events_matched = {event_id for event_id, _ in matched}
    rows = []
    for event, (_, every, longest) in events:
        last_day = event.window_end or event.date
        if tracking_from is not None and last_day < tracking_from:
            continue  # over before tracking started, and not recorded: not tracked
        event_id = event.id
        if event_id in events_matched:
            waiting = tuple([(test, tolerance) for test, tolerance in every if (event_id, test) not in matched])
            if not waiting:
                continue
            reach = last_day + timedelta(days=max(tolerance for _, tolerance in waiting))
        else:
            waiting, reach = every, last_day + longest
        rows.append(
            _new(
                OpenItemRow,
                (event_id, event.kind, event.title, event.date, last_day, event.month, event.phase, waiting, reach),
            )
        )
    return rows


def _items(row: OpenItemRow) -> list[ScheduledTest]:
    return [
        ScheduledTest(row.event_id, test, row.kind, row.title, row.due, row.last, tolerance, row.month, row.phase)
        for test, tolerance in row.tests
    ]


def _refresh(
    store: Store, patient: Patient, protocols: Protocols, plan: Plan | None = None, records: list[Record] | None = None
) -> None:
    """Recompute the patient's cached open items (inside a transaction);
    ``records``: the patient's records when the caller has them already."""
    plan = plan or plan_of(patient, protocols)
    if records is None:
        records = _records(store.records(patient.id))
    store.write_open_items(patient.id, engine_key(plan.protocol), open_item_rows(plan, records, patient.tracking_from))


def default_tracking_from(course1: date, today: date) -> date | None:
    """A patient added after course 1 is tracked from the day they were added
    (nobody recorded what came before); one added before it, from the start."""
    return today if course1 < today else None


def parse_tracking_from(value: str, what: str = "--tracking-from") -> date | None:
    """A date, or 'start' for tracking from course 1 on."""
    if value.strip().lower() == FROM_START:
        return None
    return parse_iso_date(value, what)


# ------------------------------------------------------------------ patients and courses


def new_patient(
    label: str, request: PlanRequest, protocol: str, notes: str = "", tracking_from: date | None = None
) -> Patient:
    """A patient to save, from the same inputs as ``plan``."""
    starts = [request.course1] + ([request.course2] if request.course2 else []) + list(request.later)
    courses = tuple(CourseRow(n, d) for n, d in enumerate(starts, start=1))
    return Patient(
        0,
        check_label(label),
        request.options.sex,
        protocol_reference(protocol),
        notes,
        request.single_course,
        request.options.include_unverified,
        courses,
        tracking_from,
    )


Progress = Callable[[int, int], None]  # (done, total), called as patients are saved


def add_patients(
    store: Store, patients: Iterable[Patient], now: datetime, protocols: Protocols, progress: Progress | None = None
) -> list[Plan]:
    """Validate every patient (its plan must compute), then save them all in
    one transaction: all or nothing."""
    patients = list(patients)
    plans = [plan_of(p, protocols) for p in patients]
    with store.transaction():
        for number, (patient, plan) in enumerate(zip(patients, plans), start=1):
            taken = store.same_label(patient.label)
            if taken is not None:
                raise InputError(f"patient {taken!r} exists already (labels are matched ignoring case)")
            pid = store.insert_patient(patient, now)
            _refresh(store, patient._replace(id=pid), protocols, plan, records=[])
            if progress:
                progress(number, len(patients))
    return plans


class Removed(NamedTuple):
    label: str
    courses: int
    records: int


def remove_patients(store: Store, labels: Iterable[str]) -> list[Removed]:
    """Remove patients with their courses and records, all in one transaction."""
    removed = []
    with store.transaction():
        seen = set()
        for label in labels:
            patient = store.patient(label)
            if patient.id in seen:
                continue
            seen.add(patient.id)
            removed.append(Removed(patient.label, *store.remove_patient(patient.id)))
    return removed


def rename_patient(store: Store, old: str, new: str) -> tuple[str, str]:
    """Give a patient a new label; returns (old, new) as stored. Courses,
    records and calendar identity follow the patient."""
    check_label(new)
    with store.transaction():
        patient = store.patient(old)
        taken = store.same_label(new, other_than=patient.id)
        if taken is not None:
            raise InputError(f"patient {taken!r} exists already (labels are matched ignoring case)")
        store.update_patient(patient._replace(label=new))
    return patient.label, new


_KEEP = object()  # edit_patient: leave this field as it is


def edit_patient(
    store: Store,
    label: str,
    protocols: Protocols,
    *,
    sex=_KEEP,
    protocol=_KEEP,
    notes=_KEEP,
    single_course=_KEEP,
    include_unverified=_KEEP,
    tracking_from=_KEEP,
) -> tuple[Patient, Plan]:
    """Change what was set about a patient besides courses; the plan is
    recomputed (it must still compute) and the records matched again."""
    with store.transaction():
        patient = store.patient(label)
        changes = {
            name: value
            for name, value in (
                ("sex", sex),
                ("protocol", protocol),
                ("notes", notes),
                ("single_course", single_course),
                ("include_unverified", include_unverified),
                ("tracking_from", tracking_from),
            )
            if value is not _KEEP
        }
        if "protocol" in changes:
            changes["protocol"] = protocol_reference(changes["protocol"])
        if not changes:
            raise InputError(
                "nothing to change: give --sex, --protocol, --notes, --single-course/--no-single-course, "
                "--include-unverified/--no-include-unverified or --tracking-from"
            )
        changed = patient._replace(**changes)
        if changed.single_course and len(changed.courses) > 1:
            raise InputError(
                f"--single-course: patient {patient.label!r} has {len(changed.courses)} courses "
                "(remove the later ones with 'msmonitor course --remove N')"
            )
        plan = plan_of(changed, protocols)
        store.update_patient(changed)
        _refresh(store, changed, protocols, plan)
    return changed, plan


def change_course(
    store: Store,
    label: str,
    protocols: Protocols,
    *,
    add: date | None = None,
    set_course: tuple[int, date] | None = None,
    remove: int | None = None,
    days: tuple[date, ...] | None = None,
) -> Plan:
    """Add, move or remove a course; the plan is recomputed and the records
    are matched again, never rewritten. ``days`` (the infusion days) go with
    ``add`` or ``set_course``."""
    if days is not None and add is None and set_course is None:
        raise InputError("infusion days go with a course being added or set, not removed")
    with store.transaction():
        patient = store.patient(label)
        courses = {c.number: c for c in patient.courses}
        if add is not None:
            number = max(courses) + 1
            courses[number] = CourseRow(number, add, days)
        elif set_course is not None:
            number, start = set_course
            if number not in courses:
                raise InputError(
                    f"patient {label!r} has no course {number} (courses: {', '.join(map(str, sorted(courses)))})"
                )
            courses[number] = CourseRow(number, start, days)
        elif remove is not None:
            if remove != max(courses) or remove == 1:
                raise InputError(f"only the last course can be removed, and never course 1 (last: {max(courses)})")
            del courses[remove]
        changed = patient._replace(courses=tuple(courses[n] for n in sorted(courses)))
        if days is not None:
            _check_days(changed, number, days)
        if changed.single_course and len(changed.courses) > 1:
            changed = changed._replace(single_course=False)
            store.set_single_course(patient.id, False)
        plan = plan_of(changed, protocols)  # validates the order of courses
        store.write_courses(patient.id, changed.courses)
        _refresh(store, changed, protocols, plan)
    return plan


def _check_days(patient: Patient, number: int, days: tuple[date, ...]) -> None:
    course = next(c for c in patient.courses if c.number == number)
    if days[0] != course.start:
        raise InputError(f"--days: the first infusion day must be the course's start ({course.start.isoformat()})")


# ------------------------------------------------------------------ records


class Done(NamedTuple):
    tests: list[str]  # recorded now
    matched: str  # what the record was matched to, in words
    already: tuple[str, ...] = ()  # recorded that day before: not recorded twice
    label: str = ""  # the patient's label as stored


def test_ids(given: list[str], known: Iterable[str], protocol_id: str) -> list[str]:
    """Test ids as the protocol spells them, matched case-insensitively; a
    near miss names the nearest id."""
    by_fold = {k.casefold(): k for k in known}
    ids = []
    for test in given:
        found = by_fold.get(test.casefold())
        if found is None:
            near = [k for k in by_fold.values() if k.casefold().startswith(test.casefold())]
            hint = f"; did you mean {near[0]!r}?" if len(near) == 1 else did_you_mean(test, list(by_fold.values()))
            raise InputError(
                f"--tests: {test!r} is not a test id of protocol {protocol_id!r}{hint} ({', '.join(by_fold.values())})"
            )
        if found not in ids:
            ids.append(found)
    return ids


def record_done(
    store: Store,
    label: str,
    day: date,
    tests: list[str] | None,
    now: datetime,
    protocols: Protocols,
    note: str = "",
    *,
    today: date | None = None,
) -> Done:
    """Record tests done on ``day`` (not after ``today``, the user's own date;
    default: ``now``'s). A test already recorded that day is not recorded again."""
    today = today or now.date()
    if day > today:
        raise InputError(f"{day.isoformat()} is after today ({today.isoformat()}): record tests once they are done")
    with store.transaction():
        patient = store.patient(label)
        plan = plan_of(patient, protocols)
        if tests:
            tests = test_ids(tests, plan.protocol.tests, plan.protocol.id)
            matched = ""
        else:
            items = scheduled_tests(plan)
            event = nearest_event(items, day)
            if event is None:
                near = sorted({i.date for i in items}, key=lambda d: abs((d - day).days))[:1]
                hint = f" (nearest: {near[0].isoformat()})" if near else ""
                raise InputError(
                    f"no scheduled tests near {day.isoformat()}{hint}: give --tests to record what was done"
                )
            tests = [i.test for i in event]
            first = event[0]
            matched = (
                f"{first.title}" + (f", month {first.month}" if first.month else "") + f", due {first.date.isoformat()}"
            )
        before = {r.test for r in store.records(patient.id) if r.done_on == day}
        new = [t for t in tests if t not in before]
        if new:
            store.add_records(patient.id, [(test, day, note) for test in new], now)
            _refresh(store, patient, protocols, plan)
    return Done(new, matched, tuple(t for t in tests if t in before), patient.label)


def undo_done(store: Store, label: str, day: date, tests: list[str] | None, protocols: Protocols) -> int:
    with store.transaction():
        patient = store.patient(label)
        if tests:
            protocol = protocols(patient.protocol)
            tests = test_ids(tests, protocol.tests, protocol.id)
        removed = store.remove_records(patient.id, day, tests)
        if not removed:
            what = f" of {', '.join(tests)}" if tests else ""
            raise InputError(f"no records{what} on {day.isoformat()} for patient {label!r}")
        _refresh(store, patient, protocols)
    return removed


# ------------------------------------------------------------------ status and due


def status(store: Store, label: str, today: date, protocols: Protocols) -> tuple[Plan, Tracking]:
    patient = store.patient(label)
    plan = plan_of(patient, protocols)
    return plan, track(plan, _records(store.records(patient.id)), today, patient.tracking_from)


class DueRow(NamedTuple):
    label: str
    scheduled: ScheduledTest
    status: str
    days: int  # days late (positive) or until due (negative)


class DueTests(NamedTuple):
    """Tests of one patient's open event that share a state and a last day
    to count: consecutive rows of the due list (``rows`` gives them one by
    one). An event's tests part only when their tolerances differ and it is
    past its last day (one test still overdue, another missed)."""

    label: str
    event: OpenItemRow
    status: str
    days: int  # days late (positive) or until due (negative)
    tests: tuple[tuple[str, int], ...]  # (test id, tolerance in days), in the plan's order

    def whole(self) -> bool:
        """Every open test of the event (it is not one of its parts)."""
        return self.tests is self.event.tests

    def rows(self) -> list[DueRow]:
        e = self.event
        return [
            DueRow(
                self.label,
                ScheduledTest(e.event_id, t, e.kind, e.title, e.due, e.last, tol, e.month, e.phase),
                self.status,
                self.days,
            )
            for t, tol in self.tests
        ]


# What can still be acted on comes first: an overdue test can still be done
# within its tolerance (the one closest to being missed first), then today's,
# then the recently missed (most recent first), then what is coming.
DUE_ORDER = (OVERDUE, DUE, MISSED, UPCOMING)
# The worst state of a patient, for --by-patient.
SEVERITY = (MISSED, OVERDUE, DUE, UPCOMING)


class DueFilter(NamedTuple):
    statuses: frozenset[str] = frozenset(DUE_ORDER)
    patient: str | None = None  # a label as typed: matched like every label
    kinds: frozenset[str] | None = None  # None: every kind


def due(
    store: Store,
    today: date,
    within_days: int,
    protocols: Protocols,
    warn=lambda message: None,
    only: DueFilter = DueFilter(),
) -> list[DueRow]:
    """Every patient's items overdue, due now, missed in the last 30 days, or
    due within ``within_days``, in ``DUE_ORDER``: ``due_tests`` one row per test."""
    return [row for tests in due_tests(store, today, within_days, protocols, warn, only) for row in tests.rows()]


def due_tests(
    store: Store,
    today: date,
    within_days: int,
    protocols: Protocols,
    warn=lambda message: None,
    only: DueFilter = DueFilter(),
) -> list[DueTests]:
    """The due list (see ``due``) with the tests of one event that share a
    state and a last day to count together: the renderers work per event,
    and a large clinic lists hundreds of thousands of tests."""
    label = store.patient(only.patient).label if only.patient is not None else None
    refresh_stale(store, protocols, warn)
    # listed: counts on some day from 30 days ago (recently missed) to the
    # end of the period (due by then). Days as ordinal numbers, the sort key
    # as one number (state, then the day that orders that state): this runs
    # for every open event of a large clinic.
    now = today.toordinal()
    recent, horizon = now - 30, now + within_days
    keep = only.statuses
    rank = {s: n * _RANK for n, s in enumerate(DUE_ORDER)}
    listed: list[tuple[int, str, str, DueTests]] = []
    add = listed.append
    new = tuple.__new__  # a DueTests without its Python-level __new__: one per open event
    for row_label, row in store.open_items(today - timedelta(days=30), today + timedelta(days=within_days)):
        if label is not None and row_label != label:
            continue
        if only.kinds is not None and row.kind not in only.kinds:
            continue
        start, last = row.due.toordinal(), row.last.toordinal()
        if now <= last:  # every test alike: due on its day or in its window, else upcoming
            state = DUE if now >= start else UPCOMING
            if (state == UPCOMING and start > horizon) or state not in keep:
                continue
            add(
                (
                    rank[state] + start,
                    row_label,
                    row.event_id,
                    new(DueTests, (row_label, row, state, now - start, row.tests)),
                )
            )
            continue
        # past its last day: each test overdue while its tolerance lasts, then missed
        for tolerance, tests in _by_tolerance(row.tests):
            reach = last + tolerance
            if now - last > tolerance:
                if reach < recent or MISSED not in keep:
                    continue
                key = rank[MISSED] - reach  # the most recently missed first
                state = MISSED
            else:
                if OVERDUE not in keep:
                    continue
                key = rank[OVERDUE] + reach  # the nearest to being missed first
                state = OVERDUE
            add((key, row_label, row.event_id, new(DueTests, (row_label, row, state, now - start, tests))))
    # (key, label, event id) is unique: the tests are never compared
    listed.sort()
    return [entry[3] for entry in listed]


# ordinal days are below 4 million (year 9999); a state's rank is worth more than any day
_RANK = 10**8


def _by_tolerance(tests: tuple[tuple[str, int], ...]) -> list[tuple[int, tuple[tuple[str, int], ...]]]:
    """The tests grouped by tolerance, each group in the plan's order (usually one group)."""
    groups = _TOLERANCE_GROUPS.get(tests)
    if groups is None:
        by: dict[int, list[tuple[str, int]]] = {}
        for test in tests:
            by.setdefault(test[1], []).append(test)
        groups = [(tolerance, tuple(group)) for tolerance, group in by.items()]
        if len(groups) == 1:  # the tuple itself: DueTests.whole() tells an event's parts by it
            groups = [(groups[0][0], tests)]
        _TOLERANCE_GROUPS[tests] = groups
    return groups


# the store hands out one tuple per distinct list of tests: a few dozen
_TOLERANCE_GROUPS: dict[tuple[tuple[str, int], ...], list[tuple[int, tuple[tuple[str, int], ...]]]] = {}


class PatientDue(NamedTuple):
    """One patient's line in ``due --by-patient``: the worst state and since when."""

    label: str
    status: str
    since: date  # the earliest date among the items in that state
    what: list[str]  # event titles in that state, in order
    tests: list[str]
    items: int  # every listed item of the patient
    details: tuple[str, ...] = ()  # "title: test, test" for each event title, in order


def by_patient(listed: list[DueTests]) -> list[PatientDue]:
    grouped: dict[str, list[DueTests]] = {}
    for entry in listed:
        members = grouped.get(entry.label)
        if members is None:
            grouped[entry.label] = [entry]
        else:
            members.append(entry)
    severity = {s: n for n, s in enumerate(SEVERITY)}
    rank = {s: n * _RANK for n, s in enumerate(DUE_ORDER)}
    lines = []
    for label, members in grouped.items():
        if len(members) == 1:
            chosen = members
            worst = members[0].status
        else:
            worst = min((m.status for m in members), key=severity.__getitem__)
            chosen = [m for m in members if m.status == worst]
        per_title: dict[str, dict[str, None]] = {}
        tests: dict[str, None] = {}
        for m in chosen:
            names = per_title.setdefault(m.event.title, {})
            for test, _ in m.tests:
                names[test] = None
                tests[test] = None
        details = tuple(f"{title}: {', '.join(names)}" for title, names in per_title.items())
        since = min(m.event.due for m in chosen)
        items = sum(len(m.tests) for m in members)
        day = since.toordinal()
        key = rank[worst] + (-day if worst == MISSED else day)
        lines.append((key, label, PatientDue(label, worst, since, list(per_title), list(tests), items, details)))
    lines.sort(key=_first_two)
    return [line[2] for line in lines]


def _first_two(line: tuple) -> tuple:
    return line[0], line[1]


def refresh_stale(store: Store, protocols: Protocols, warn) -> None:
    """Recompute cached items of patients whose protocol changed (or after a
    migration). A patient whose protocol cannot be loaded keeps the items
    last computed, and a warning says so: dropping them from a due list
    would hide their tests."""
    in_use = store.plan_keys()
    keys = {}
    for name in sorted({protocol for protocol, _ in in_use}):
        try:
            keys[name] = engine_key(protocols(name))
        except MsmonitorError as exc:
            warn(f"patients with protocol {name!r} are listed as last computed, not recomputed: {exc}")
    if all(keys.get(protocol, key) == key for protocol, key in in_use):
        return  # the usual case, known without a second pass over the patients
    stale = set(store.stale_patients(keys))
    if not stale:
        return
    with store.transaction():
        for patient in store.patients():
            if patient.id in stale:
                _refresh(store, patient, protocols)


# ------------------------------------------------------------------ import and export


def export_backup(store: Store, now: datetime) -> dict:
    from . import __version__

    salts = store.calendar_salts()
    return {
        "schema": BACKUP_SCHEMA,
        "generator": f"msmonitor {__version__}",
        "exported_at": now.isoformat(timespec="seconds"),
        "patients": [_backup_entry(p, store.records(p.id), salts.get(p.id)) for p in store.patients()],
    }


def _backup_entry(patient: Patient, records: list[RecordRow], salt: str | None = None) -> dict:
    """Everything the user entered about one patient, and the salt of its
    calendar's UIDs (so a restored patient's next export updates the events
    already in the phone rather than adding new ones); derived items are not
    included."""
    return {
        "label": patient.label,
        "sex": patient.sex,
        "protocol": patient.protocol,
        "notes": patient.notes,
        "single_course": patient.single_course,
        "include_unverified": patient.include_unverified,
        "tracking_from": patient.tracking_from.isoformat() if patient.tracking_from else None,
        "courses": [
            {
                "number": c.number,
                "start": c.start.isoformat(),
                "infusion_days": [d.isoformat() for d in c.days] if c.days else None,
            }
            for c in patient.courses
        ],
        "records": [{"test": r.test, "done_on": r.done_on.isoformat(), "note": r.note} for r in records],
        "calendar_salt": salt,
    }


ERROR_LIMIT = 20  # bad rows reported at most, so a wrong file does not flood the screen
REFUSE, SKIP, UPDATE = "refuse", "skip", "update"  # what import does with labels that exist


class RowErrors(InputError):
    """Every bad row of a file (up to ``ERROR_LIMIT``), one per line."""

    def __init__(self, name: str, problems: list[str]) -> None:
        shown = problems[:ERROR_LIMIT]
        more = len(problems) - len(shown)
        lines = [f"{name}: {p}" for p in shown]
        if more:
            lines.append(f"{name}: ... and {more} more bad row{'s' * (more != 1)}")
        lines.append(f"{name}: {len(problems)} bad row{'s' * (len(problems) != 1)}; nothing was imported")
        super().__init__("\n".join(lines))


class Incoming(NamedTuple):
    """A patient read from an import file, with what else the file says."""

    patient: Patient
    where: str  # "line 5", "patients[3]"
    tracking_given: bool = True  # False: the default rule was applied (keep a stored start on --update)
    records: tuple[tuple[str, date, str], ...] = ()  # (test, done_on, note) from a backup
    calendar_salt: str | None = None  # from a backup: its calendar's UIDs stay the same


class Imported(NamedTuple):
    added: list[str]
    updated: list[str]
    skipped: list[str]


def import_patients(
    store: Store,
    incoming: Iterable[Incoming],
    now: datetime,
    protocols: Protocols,
    existing: str = REFUSE,
    progress: Progress | None = None,
    total: int = 0,
) -> Imported:
    """Save the patients of an import, all or nothing. A label that exists
    already (case ignored) is refused, skipped, or updated: courses, sex,
    protocol, notes and options replaced, records kept (a backup's records
    are added when not there yet).

    ``incoming`` is consumed as it comes: each new patient is checked,
    computed (plan, open items) and written to a scratch database
    (``store.staging()``), so memory stays bounded whatever the file's size;
    the database's write lock is held only for the final copy.
    """
    stored = {label.casefold(): label for label in store.labels()}
    if isinstance(incoming, Sized):
        total = len(incoming)
    result = Imported([], [], [])
    clashes: list[str] = []
    updates: list[tuple[Incoming, Plan]] = []  # existing patients, changed in the final transaction
    salts: set[str | None] = set()  # given to the patients added so far

    def settle(entry: Incoming, outcome: Outcome) -> None:
        """One patient's plan computed: saved to the scratch file, or noted as
        existing; called in the file's order."""
        patient = entry.patient
        error, plan_key, rows, longest = outcome
        if error is not None:
            raise InputError(f"{entry.where} ({patient.label}): {error}")
        label = stored.get(patient.label.casefold())
        if label is not None:
            clashes.append(patient.label)
            if existing == SKIP:
                result.skipped.append(label)
            elif existing == UPDATE:
                updates.append((entry, plan_of(patient, protocols)))
                result.updated.append(label)
            return
        salt = entry.calendar_salt if entry.calendar_salt not in salts else None  # one salt, one patient
        salts.add(salt)
        staging.add(patient, list(entry.records), plan_key, rows or [], longest, salt)
        result.added.append(patient.label)

    staging = store.staging()
    workers: Workers | None = None
    spare = cores() - 1  # cores beside this process's
    try:
        count = staged = 0
        tags: list[Incoming] = []
        jobs: list[Job] = []
        patients = iter(incoming)
        while True:
            try:
                entry = next(patients, None)
            except MsmonitorError:
                for earlier, outcome in workers.drain() if workers else ():
                    settle(earlier, outcome)  # an earlier patient's error is the one to report
                raise
            if entry is None:
                break
            count += 1
            if progress:
                progress(count - 1, max(total, count))
            patient = entry.patient
            # a new patient's number in the staging, given in the file's order as settle stages them
            number = staged + 1 if patient.label.casefold() not in stored else 0
            staged += bool(number)
            # record ids only order ties in matching: the file's order, as the database numbers them
            done = [(test, day.toordinal(), n) for n, (test, day, _) in enumerate(entry.records)] if number else []
            if workers is None and count > IN_PROCESS and spare:
                try:
                    workers = Workers(min(spare + 1, 4))
                except OSError:  # no processes to be had (limits, no /dev/shm): all of it here
                    spare = 0
            if workers is None:
                settle(entry, outcomes([(patient, done, number)], protocols)[0])
                continue
            tags.append(entry)
            jobs.append((patient, done, number))
            if len(jobs) == CHUNK:
                for earlier, outcome in workers.submit(tags, jobs):
                    settle(earlier, outcome)
                tags, jobs = [], []
        if workers:
            for earlier, outcome in itertools.chain(workers.submit(tags, jobs), workers.drain()):
                settle(earlier, outcome)
        if clashes and existing == REFUSE:
            names = ", ".join(repr(label) for label in clashes[:5]) + (", ..." if len(clashes) > 5 else "")
            raise InputError(
                f"{len(clashes)} of {count} patients exist already ({names}): give --skip-existing to keep "
                "them as they are, or --update to replace their courses, sex, protocol and notes (records are kept)"
            )

        def first() -> None:
            # under the lock: a label saved meanwhile by another process stops everything
            now_stored = {label.casefold() for label in store.labels()}
            taken = [label for label in result.added if label.casefold() in now_stored]
            if taken:
                raise InputError(f"patient {taken[0]!r} exists already")
            for entry, plan in updates:
                _update(store, entry, plan, now, protocols)

        staging.commit(now, first)
    finally:
        if workers:
            workers.close()
        staging.discard()
    if progress:
        progress(count, count)
    return result


# An import computes its first patients itself, and hands the rest to worker
# processes (msmonitor.workers) in chunks: a small import never starts them.
IN_PROCESS = 1000
CHUNK = 100


def _update(store: Store, entry: Incoming, plan: Plan, now: datetime, protocols: Protocols) -> None:
    before = store.patient(entry.patient.label)
    patient = entry.patient._replace(
        id=before.id,
        label=before.label,
        tracking_from=entry.patient.tracking_from if entry.tracking_given else before.tracking_from,
    )
    store.update_patient(patient)
    store.write_courses(patient.id, patient.courses)
    if entry.records:
        have = {(r.test, r.done_on) for r in store.records(patient.id)}
        store.add_records(patient.id, [r for r in entry.records if r[:2] not in have], now)
    if entry.calendar_salt and not store.has_calendar_salt(entry.calendar_salt):
        store.set_calendar_salt(patient.id, entry.calendar_salt)  # a salt kept already stays
    _refresh(store, patient, protocols, plan)


def import_text(
    store: Store,
    handle: TextIO,
    name: str,
    now: datetime,
    protocols: Protocols,
    existing: str = REFUSE,
    *,
    today: date | None = None,
    allow_names: bool = False,
    progress: Progress | None = None,
    total: int = 0,
) -> Imported:
    """Import a clinic's CSV or restore a backup from an open text file,
    read piece by piece (a backup through ``jsonstream``): all of it, or
    nothing. ``total``: how many patients the file holds, for ``progress``
    (0: not known)."""
    from .jsonstream import members

    try:
        lead = ""
        while (char := handle.read(1)) and char.isspace():
            lead += char
        if char == "{":
            incoming = iter_backup(members(handle, name, "patients", lead + char), name)
        else:
            lines = itertools.chain([lead + char + handle.readline()], handle)
            incoming = iter_patients_csv(lines, name, protocols, today, allow_names=allow_names)
        return import_patients(store, incoming, now, protocols, existing, progress, total)
    except UnicodeDecodeError:
        raise InputError(f"{name}: not UTF-8 text") from None


def read_backup(data: object, name: str, protocols: Protocols) -> list[Incoming]:
    """The patients of an ``export`` already decoded, every one checked (its plan must compute)."""
    if not isinstance(data, dict):
        raise InputError(f"{name}: not a msmonitor backup (expected schema {BACKUP_SCHEMA!r})")
    restored = list(iter_backup(((key, None, value) for key, value in data.items()), name))
    for entry in restored:
        try:
            plan_of(entry.patient, protocols)
        except MsmonitorError as exc:
            raise InputError(f"{entry.where} ({entry.patient.label}): {exc}") from None
    return restored


def iter_backup(members: Iterable[tuple[str, int | None, object]], name: str) -> Iterator[Incoming]:
    """The patients of a backup from its top-level members, as ``jsonstream.members``
    gives them (an array's elements one by one) or from a decoded dict. The
    schema is checked when it comes and again at the end: it may follow the
    patients (an import saves nothing before the end)."""
    schema = patients = False
    for key, index, value in members:
        if key == "schema":
            if value not in BACKUP_SCHEMAS:
                break
            schema = True
        elif key == "patients":
            patients = True
            if index is not None:
                yield _backup_patient(value, f"{name}: patients[{index}]")
            elif not isinstance(value, list):
                raise InputError(f"{name}: 'patients' must be a list")
            else:
                for n, entry in enumerate(value):
                    yield _backup_patient(entry, f"{name}: patients[{n}]")
    if not schema:
        raise InputError(f"{name}: not a msmonitor backup (expected schema {BACKUP_SCHEMA!r})")
    if not patients:
        raise InputError(f"{name}: 'patients' must be a list")


class _Entry:
    """Typed reading of one backup entry: every wrong type is one line naming
    the patient and the field."""

    def __init__(self, data: object, where: str, path: str = "") -> None:
        self.where, self.path = where, path
        if not isinstance(data, dict):
            self.fail(f"must be an object, not {_json_type(data)}")
        self.data: dict = data

    def fail(self, problem: str, key: str | None = None) -> NoReturn:
        field = ".".join(p for p in (self.path, key) if p)
        raise InputError(f"{self.where}: {field + ': ' if field else ''}{problem}")

    def get(self, key: str, kinds: tuple[type, ...], required: bool, default: object = None) -> object:
        if key not in self.data:
            if required:
                self.fail("missing", key)
            return default
        value = self.data[key]
        if value is None and type(None) in kinds:
            return None
        if not isinstance(value, tuple(k for k in kinds if k is not type(None))) or (
            isinstance(value, bool) and bool not in kinds
        ):
            names = {str: "text", bool: "true or false", int: "a whole number", list: "a list", type(None): "null"}
            wanted = " or ".join(names[k] for k in kinds)
            self.fail(f"must be {wanted}, not {_json_type(value)} {json.dumps(value)[:40]}", key)
        return value

    def text(self, key: str, required: bool = True, default: str = "") -> str:
        value: str = self.get(key, (str,), required, default)  # type: ignore[assignment]
        if not _unicode(value):
            bad = next(c for c in value if "\ud800" <= c <= "\udfff")
            self.fail(f"not valid Unicode text (a lone surrogate {bad!a})", key)
        return value

    def flag(self, key: str) -> bool:
        return self.get(key, (bool,), False, False)  # type: ignore[return-value]

    def day(self, key: str) -> date:
        return self.as_day(self.get(key, (str,), True), key)

    def as_day(self, value: object, key: str) -> date:
        if not isinstance(value, str):
            self.fail(f"must be a date as text, not {_json_type(value)}", key)
        try:
            return parse_iso_date(value, ".".join(p for p in (self.path, key) if p))
        except InputError as exc:
            raise InputError(f"{self.where}: {exc}") from None

    def entries(self, key: str, required: bool = True) -> list[_Entry]:
        items = self.get(key, (list,), required, [])
        assert isinstance(items, list)  # get() checked it
        prefix = ".".join(p for p in (self.path, key) if p)
        return [_Entry(item, self.where, f"{prefix}[{i}]") for i, item in enumerate(items)]


def _json_type(value: object) -> str:
    return {bool: "true/false", int: "a number", float: "a number", str: "text", list: "a list", dict: "an object"}.get(
        type(value), "null"
    )


def _backup_patient(data: object, where: str) -> Incoming:
    """One backup entry, checked: the quick reading when it is well formed
    (every patient of a good file), else the field-by-field one, which names
    the first problem."""
    return _quick_patient(data, where) or _checked_patient(data, where)


_SALT = re.compile(r"[0-9a-f]{32}")
# A backup's dates by their text: a patient's records share a few dozen days,
# and a whole file holds at most the ~110,000 days msmonitor handles.
_DAYS: dict[str, date] = {}


def _quick_day(text: str) -> date | None:
    """``parse_iso_date``, remembered; None for text it refuses."""
    day = _DAYS.get(text)
    if day is None:
        try:
            day = parse_iso_date(text)
        except InputError:
            return None
        if len(_DAYS) < 1 << 18:  # bounded: text with spaces around a date is not canonical
            _DAYS[text] = day
    return day


def _unicode(text: str) -> bool:
    """Whether UTF-8 can hold this text: not if a lone surrogate is in it
    (JSON's "\\ud800", or bytes of another encoding read as text)."""
    if text.isascii():
        return True
    try:
        text.encode()
    except UnicodeEncodeError:
        return False
    return True


def _quick_patient(data: object, where: str) -> Incoming | None:
    """``_checked_patient`` for a well-formed entry, in one pass of plain dict
    access (an import reads ~150 records per patient); None at the first thing
    that is not exactly as an export writes it, and the checked reading then
    says what is wrong. A property test proves the two equal."""
    if type(data) is not dict:
        return None
    get = data.get
    label, sex, protocol, notes = get("label"), get("sex"), get("protocol"), get("notes", "")
    single, unverified = get("single_course", False), get("include_unverified", False)
    courses, records = get("courses"), get("records", [])
    tracking, salt = get("tracking_from"), get("calendar_salt")
    if (
        type(label) is not str
        or type(protocol) is not str
        or type(notes) is not str
        or (sex is not None and sex != "female" and sex != "male")
        or type(single) is not bool
        or type(unverified) is not bool
        or type(courses) is not list
        or type(records) is not list
        or (tracking is not None and type(tracking) is not str)
        or (salt is not None and (type(salt) is not str or not _SALT.fullmatch(salt)))
        or not (_unicode(label) and _unicode(protocol) and _unicode(notes))
    ):
        return None
    try:
        check_label(label)
    except InputError:
        return None
    rows = []
    for course in courses:
        if type(course) is not dict:
            return None
        number, start, given = course.get("number"), course.get("start"), course.get("infusion_days")
        if type(number) is not int or number < 1 or type(start) is not str:
            return None
        first = _quick_day(start)
        if first is None:
            return None
        infusion = None
        if given is not None:
            if type(given) is not list:
                return None
            days = []
            for text in given:
                day = _quick_day(text) if type(text) is str else None
                if day is None:
                    return None
                days.append(day)
            infusion = tuple(days) or None
        rows.append(CourseRow(number, first, infusion))
    known = _DAYS
    done: list[tuple[str, date, str]] = []
    append = done.append
    for record in records:
        if type(record) is not dict:
            return None
        test, text, note = record.get("test"), record.get("done_on"), record.get("note", "")
        if type(test) is not str or type(text) is not str or type(note) is not str:
            return None
        if not (test.isascii() and note.isascii()) and not (_unicode(test) and _unicode(note)):
            return None
        day = known.get(text) or _quick_day(text)
        if day is None:
            return None
        append((test, day, note))
    since = None
    if tracking is not None:
        since = _quick_day(tracking)
        if since is None:
            return None
    patient = Patient(
        0,
        label,
        sex,
        protocol_reference(protocol),
        notes,
        single,
        unverified,
        tuple(rows),
        since,
    )
    return Incoming(patient, where, "tracking_from" in data, tuple(done), salt)


def _checked_patient(data: object, where: str) -> Incoming:
    entry = _Entry(data, where)
    label = entry.text("label")
    entry.where = f"{where} ({label})"
    try:
        check_label(label)
    except InputError as exc:
        entry.fail(str(exc))
    sex = entry.get("sex", (str, type(None)), False)
    if sex not in (None, "female", "male"):
        entry.fail("must be female, male or null", "sex")
    courses = []
    for c in entry.entries("courses"):
        number = c.get("number", (int,), True)
        if number < 1:  # type: ignore[operator]
            c.fail("must be 1 or more", "number")
        days: list = c.get("infusion_days", (list, type(None)), False) or []  # type: ignore[assignment]
        infusion = tuple(c.as_day(d, f"infusion_days[{i}]") for i, d in enumerate(days)) or None
        courses.append(CourseRow(number, c.day("start"), infusion))  # type: ignore[arg-type]
    records = tuple(
        (r.text("test"), r.day("done_on"), r.text("note", required=False)) for r in entry.entries("records", False)
    )
    patient = Patient(
        0,
        label,
        sex,
        protocol_reference(entry.text("protocol")),
        entry.text("notes", required=False),
        entry.flag("single_course"),
        entry.flag("include_unverified"),
        tuple(courses),
        None if entry.get("tracking_from", (str, type(None)), False) is None else entry.day("tracking_from"),
    )
    salt = entry.get("calendar_salt", (str, type(None)), False)
    if salt is not None and not re.fullmatch(r"[0-9a-f]{32}", str(salt)):
        entry.fail("must be 32 lower-case hex digits or null", "calendar_salt")
    return Incoming(patient, where, "tracking_from" in entry.data, records, salt if isinstance(salt, str) else None)


def import_backup(
    store: Store, data: object, name: str, now: datetime, protocols: Protocols, existing: str = REFUSE
) -> int:
    """Restore an ``export``: every patient with its courses and records, or nothing."""
    result = import_patients(store, read_backup(data, name, protocols), now, protocols, existing)
    return len(result.added) + len(result.updated)


_SEX = {"female": "female", "f": "female", "male": "male", "m": "male"}
_YES = {"yes": True, "y": True, "true": True, "1": True, "no": False, "n": False, "false": False, "0": False, "": False}


def csv_dialect(text: str) -> str:
    """',' or ';' (spreadsheets in much of Europe write ';'), from the header line."""
    header = text.split("\n", 1)[0]
    return ";" if header.count(";") > header.count(",") else ","


def _column(name: str) -> str:
    return re.sub(r"[\s-]+", "_", name.strip().lower())


def parse_patients_csv(
    text: str, name: str, protocols: Protocols, today: date | None = None, *, allow_names: bool = False
) -> list[Incoming]:
    """Validate a clinic's CSV (',' or ';' separated, headers and values in any
    case) row by row; every bad row is reported, by line number, and then
    nothing is imported. ``today``: for the default tracking start (none given:
    tracked from course 1)."""
    return list(iter_patients_csv(io.StringIO(text), name, protocols, today, allow_names=allow_names))


def iter_patients_csv(
    lines: Iterable[str], name: str, protocols: Protocols, today: date | None = None, *, allow_names: bool = False
) -> Iterator[Incoming]:
    """``parse_patients_csv`` as rows come: good rows are yielded, and the
    bad ones reported together at the end (``RowErrors``)."""
    lines = iter(lines)
    first = next(lines, "")
    reader = csv.reader(itertools.chain([first], lines), delimiter=csv_dialect(first))
    rows = _csv_rows(reader, name)
    header = next(rows, None)
    if header is None:
        raise InputError(f"{name}: empty file")
    columns = [_column(c) for c in header]
    missing = [c for c in ("label", "course1") if c not in columns]
    unknown = [h for h, c in zip(header, columns) if c not in CSV_COLUMNS]
    if missing or unknown:
        problem = f"missing column {missing[0]!r}" if missing else f"unknown column {unknown[0]!r}"
        raise InputError(f"{name}: line 1: {problem} (columns: {', '.join(CSV_COLUMNS)})")
    problems: list[str] = []
    seen: dict[str, int] = {}
    for cells in rows:
        line = reader.line_num
        if not any(c.strip() for c in cells):
            continue  # a blank line, as spreadsheets leave at the end
        try:
            if len(cells) > len(columns):
                raise InputError("more cells than columns")
            entry = _csv_patient(dict(zip(columns, cells)), protocols, today, allow_names)
        except MsmonitorError as exc:
            problems.append(f"line {line}: {exc}")
            continue
        folded = entry.patient.label.casefold()
        if folded in seen:
            problems.append(f"line {line}: patient {entry.patient.label!r} appears twice (also line {seen[folded]})")
            continue
        seen[folded] = line
        if not problems:  # after a bad row, only checking goes on
            yield entry._replace(where=f"{name}: line {line}")
    if problems:
        raise RowErrors(name, problems)


def _csv_rows(reader: Iterator[list[str]], name: str) -> Iterator[list[str]]:
    """The reader's rows; a row the csv module cannot read (a cell over its
    size limit, a stray quote) is one line naming the file and the line."""
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            line = getattr(reader, "line_num", 0)
            raise InputError(f"{name}: line {line}: not readable as CSV ({exc})") from None
        yield cells


def _csv_patient(row: dict, protocols: Protocols, today: date | None, allow_names: bool) -> Incoming:
    def cell(key: str) -> str:
        return (row.get(key) or "").strip()

    label = check_label(cell("label"))
    concern = label_concern(label)
    if concern and not allow_names:
        raise InputError(
            f"label {label!r} {concern}: use a clinic code or initials (--allow-names if it really is a code)"
        )
    sex = _SEX.get(cell("sex").lower(), "?") if cell("sex") else None
    if sex == "?":
        raise InputError(f"sex {cell('sex')!r} is not female or male (F or M)")
    single = _YES.get(cell("single_course").lower())
    if single is None:
        raise InputError(f"single_course {cell('single_course')!r} is not yes or no")
    later = tuple(parse_iso_date(d, "courses") for d in cell("courses").replace(",", ";").split(";") if d.strip())
    request = PlanRequest(
        course1=parse_iso_date(cell("course1"), "course1"),
        course2=parse_iso_date(cell("course2"), "course2") if cell("course2") else None,
        later=later,
        single_course=single,
        options=PlanOptions(sex=sex),
    )
    protocol = cell("protocol") or "us"
    if protocol.lower() in ("us", "eu"):
        protocol = protocol.lower()
    plan_courses(protocols(protocol), request)  # order and overlap of the courses
    given = bool(cell("tracking_from"))
    if given:
        tracking_from = parse_tracking_from(cell("tracking_from"), "tracking_from")
    else:
        tracking_from = default_tracking_from(request.course1, today) if today else None
    return Incoming(new_patient(label, request, protocol, cell("notes"), tracking_from), "", given)
