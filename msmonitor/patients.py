"""Saved patients: what the record-keeping commands do, between the CLI and
the database. Each change is one transaction that also refreshes the
patient's cached schedule items, so ``due`` never sees a half-made change.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import NamedTuple

from .dates import parse_iso_date
from .errors import InputError, MsmonitorError
from .model import Plan, PlanOptions, Protocol
from .protocol import load_protocol
from .schedule import PlanRequest, compute_plan, plan_courses
from .store import CourseRow, OpenItemRow, Patient, RecordRow, Store
from .tracking import (
    DUE,
    MISSED,
    OVERDUE,
    UPCOMING,
    Record,
    ScheduledTest,
    Tracking,
    nearest_event,
    scheduled_tests,
    status_of,
    track,
)

BACKUP_SCHEMA = "msmonitor.backup/1"
CSV_COLUMNS = ("label", "course1", "course2", "courses", "sex", "protocol", "single_course", "notes")
_LABEL = re.compile(r"[^\x00-\x1f\x7f]{1,64}")


class Protocols:
    """Protocols loaded once per command, by the name a patient stores."""

    def __init__(self) -> None:
        self._cache: dict[str, Protocol] = {}

    def __call__(self, name: str) -> Protocol:
        if name not in self._cache:
            self._cache[name] = load_protocol(name)
        return self._cache[name]


def check_label(label: str) -> str:
    if not _LABEL.fullmatch(label) or label != label.strip():
        raise InputError(f"patient label {label!r}: use 1 to 64 printable characters, no leading or trailing spaces")
    return label


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


def plan_of(patient: Patient, protocols: Protocols, today: date) -> Plan:
    return compute_plan(protocols(patient.protocol), request_for(patient), today)


def engine_key(protocol: Protocol) -> str:
    """What a patient's cached open items depend on besides the patient's own data."""
    from . import __version__

    return f"{protocol.id}:{protocol.version}:{__version__}"


def _records(rows: Iterable[RecordRow]) -> list[Record]:
    return [Record(r.id, r.test, r.done_on, r.note) for r in rows]


def open_item_rows(tracking: Tracking) -> list[OpenItemRow]:
    """The events with a test not yet matched to a record, as the cache stores them."""
    events: dict[str, list[ScheduledTest]] = {}
    for t in tracking.tests:
        if t.record is None:
            events.setdefault(t.scheduled.event_id, []).append(t.scheduled)
    return [
        OpenItemRow(
            event_id,
            items[0].kind,
            items[0].title,
            items[0].date,
            items[0].last_date,
            items[0].month,
            items[0].phase,
            tuple((i.test, i.tolerance) for i in items),
            max(i.latest for i in items),
        )
        for event_id, items in events.items()
    ]


def _items(row: OpenItemRow) -> list[ScheduledTest]:
    return [
        ScheduledTest(row.event_id, test, row.kind, row.title, row.due, row.last, tolerance, row.month, row.phase)
        for test, tolerance in row.tests
    ]


def _refresh(store: Store, patient: Patient, protocols: Protocols, plan: Plan | None = None) -> Tracking:
    """Recompute the patient's cached open items (inside a transaction)."""
    plan = plan or plan_of(patient, protocols, patient.courses[0].start)
    tracking = track(plan, _records(store.records(patient.id)), plan.courses[0].first)
    store.write_open_items(patient.id, engine_key(plan.protocol), open_item_rows(tracking))
    return tracking


# ------------------------------------------------------------------ patients and courses


def new_patient(label: str, request: PlanRequest, protocol: str, notes: str = "") -> Patient:
    """A patient to save, from the same inputs as ``plan``."""
    starts = [request.course1] + ([request.course2] if request.course2 else []) + list(request.later)
    courses = tuple(CourseRow(n, d) for n, d in enumerate(starts, start=1))
    return Patient(
        0,
        check_label(label),
        request.options.sex,
        protocol,
        notes,
        request.single_course,
        request.options.include_unverified,
        courses,
    )


def add_patients(store: Store, patients: Iterable[Patient], now: datetime, protocols: Protocols) -> list[Plan]:
    """Validate every patient (its plan must compute), then save them all in
    one transaction: all or nothing."""
    patients = list(patients)
    plans = [plan_of(p, protocols, now.date()) for p in patients]
    with store.transaction():
        for patient, plan in zip(patients, plans):
            pid = store.insert_patient(patient, now)
            _refresh(store, patient._replace(id=pid), protocols, plan)
    return plans


def change_course(
    store: Store,
    label: str,
    protocols: Protocols,
    today: date,
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
        plan = plan_of(changed, protocols, today)  # validates the order of courses
        store.write_courses(patient.id, changed.courses)
        _refresh(store, changed, protocols, plan)
    return plan


def _check_days(patient: Patient, number: int, days: tuple[date, ...]) -> None:
    course = next(c for c in patient.courses if c.number == number)
    if days[0] != course.start:
        raise InputError(f"--days: the first infusion day must be the course's start ({course.start.isoformat()})")


# ------------------------------------------------------------------ records


class Done(NamedTuple):
    tests: list[str]
    matched: str  # what the record was matched to, in words


def record_done(
    store: Store, label: str, day: date, tests: list[str] | None, now: datetime, protocols: Protocols, note: str = ""
) -> Done:
    with store.transaction():
        patient = store.patient(label)
        plan = plan_of(patient, protocols, now.date())
        known = plan.protocol.tests
        if tests:
            for test in tests:
                if test not in known:
                    raise InputError(
                        f"--tests: {test!r} is not a test id of protocol {plan.protocol.id!r} ({', '.join(known)})"
                    )
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
        store.add_records(patient.id, [(test, day, note) for test in tests], now)
        _refresh(store, patient, protocols, plan)
    return Done(tests, matched)


def undo_done(store: Store, label: str, day: date, tests: list[str] | None, protocols: Protocols) -> int:
    with store.transaction():
        patient = store.patient(label)
        removed = store.remove_records(patient.id, day, tests)
        if not removed:
            what = f" of {', '.join(tests)}" if tests else ""
            raise InputError(f"no records{what} on {day.isoformat()} for patient {label!r}")
        _refresh(store, patient, protocols)
    return removed


# ------------------------------------------------------------------ status and due


def status(store: Store, label: str, today: date, protocols: Protocols) -> tuple[Plan, Tracking]:
    patient = store.patient(label)
    plan = plan_of(patient, protocols, today)
    return plan, track(plan, _records(store.records(patient.id)), today)


class DueRow(NamedTuple):
    label: str
    scheduled: ScheduledTest
    status: str
    days: int  # days late (positive) or until due (negative)


def due(store: Store, today: date, within_days: int, protocols: Protocols, warn=lambda message: None) -> list[DueRow]:
    """Every patient's items overdue, due now, missed in the last 30 days, or
    due within ``within_days``, most urgent first."""
    refresh_stale(store, protocols, warn)
    # listed: counts on some day from 30 days ago (recently missed) to the
    # end of the period (due by then)
    result = []
    for label, row in store.open_items(today - timedelta(days=30), today + timedelta(days=within_days)):
        for item in _items(row):
            state = status_of(item, None, today)
            if state == MISSED and item.latest < today - timedelta(days=30):
                continue
            if state == UPCOMING and item.date > today + timedelta(days=within_days):
                continue
            days = (today - item.date).days if state != UPCOMING else -(item.date - today).days
            result.append(DueRow(label, item, state, days))
    urgency = {MISSED: 0, OVERDUE: 1, DUE: 2, UPCOMING: 3}
    # stable sort: tests keep the plan's order within an event
    result.sort(key=lambda r: (urgency[r.status], r.scheduled.date, r.label, r.scheduled.event_id))
    return result


def refresh_stale(store: Store, protocols: Protocols, warn) -> None:
    """Recompute cached items of patients whose protocol changed (or after a
    migration); a patient whose protocol cannot be loaded is skipped with a
    warning."""
    keys = {}
    for name in store.protocols_in_use():
        try:
            keys[name] = engine_key(protocols(name))
        except MsmonitorError as exc:
            warn(f"patients with protocol {name!r} are left out: {exc}")
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

    return {
        "schema": BACKUP_SCHEMA,
        "generator": f"msmonitor {__version__}",
        "exported_at": now.isoformat(timespec="seconds"),
        "patients": [_backup_entry(p, store.records(p.id)) for p in store.patients()],
    }


def _backup_entry(patient: Patient, records: list[RecordRow]) -> dict:
    """Everything the user entered about one patient; derived items are not included."""
    return {
        "label": patient.label,
        "sex": patient.sex,
        "protocol": patient.protocol,
        "notes": patient.notes,
        "single_course": patient.single_course,
        "include_unverified": patient.include_unverified,
        "courses": [
            {
                "number": c.number,
                "start": c.start.isoformat(),
                "infusion_days": [d.isoformat() for d in c.days] if c.days else None,
            }
            for c in patient.courses
        ],
        "records": [{"test": r.test, "done_on": r.done_on.isoformat(), "note": r.note} for r in records],
    }


def import_backup(store: Store, data: object, name: str, now: datetime, protocols: Protocols) -> int:
    """Restore an ``export``: every patient with its courses and records, or nothing."""
    if not isinstance(data, dict) or data.get("schema") != BACKUP_SCHEMA:
        raise InputError(f"{name}: not a msmonitor backup (expected schema {BACKUP_SCHEMA!r})")
    entries = data.get("patients")
    if not isinstance(entries, list):
        raise InputError(f"{name}: 'patients' must be a list")
    restored = []
    for index, entry in enumerate(entries):
        where = f"{name}: patients[{index}]"
        try:
            courses = tuple(
                CourseRow(
                    c["number"],
                    date.fromisoformat(c["start"]),
                    tuple(date.fromisoformat(d) for d in c["infusion_days"]) if c.get("infusion_days") else None,
                )
                for c in entry["courses"]
            )
            patient = Patient(
                0,
                check_label(entry["label"]),
                entry.get("sex"),
                entry["protocol"],
                entry.get("notes", ""),
                bool(entry.get("single_course")),
                bool(entry.get("include_unverified")),
                courses,
            )
            records = [
                (r["test"], date.fromisoformat(r["done_on"]), r.get("note", "")) for r in entry.get("records", [])
            ]
        except (KeyError, TypeError, ValueError) as exc:
            raise InputError(f"{where}: not a valid patient entry ({exc})") from None
        if patient.sex not in (None, "female", "male"):
            raise InputError(f"{where}: sex must be female, male or null")
        try:
            plan = plan_of(patient, protocols, now.date())
        except MsmonitorError as exc:
            raise InputError(f"{where} ({patient.label}): {exc}") from None
        restored.append((patient, records, plan))
    with store.transaction():
        for patient, records, plan in restored:
            pid = store.insert_patient(patient, now)
            store.add_records(pid, records, now)
            _refresh(store, patient._replace(id=pid), protocols, plan)
    return len(restored)


def parse_patients_csv(text: str, name: str, protocols: Protocols) -> list[Patient]:
    """Validate a clinic's CSV row by row; the first bad row stops everything,
    named by its line number."""
    reader = csv.DictReader(io.StringIO(text))
    if reader.fieldnames is None:
        raise InputError(f"{name}: empty file")
    missing = [c for c in ("label", "course1") if c not in reader.fieldnames]
    unknown = [c for c in reader.fieldnames if c not in CSV_COLUMNS]
    if missing or unknown:
        problem = f"missing column {missing[0]!r}" if missing else f"unknown column {unknown[0]!r}"
        raise InputError(f"{name}: line 1: {problem} (columns: {', '.join(CSV_COLUMNS)})")
    patients, seen = [], set()
    for row in reader:
        line = reader.line_num
        try:
            patient = _csv_patient(row, protocols)
        except MsmonitorError as exc:
            raise InputError(f"{name}: line {line}: {exc}") from None
        if patient.label in seen:
            raise InputError(f"{name}: line {line}: patient {patient.label!r} appears twice")
        seen.add(patient.label)
        patients.append(patient)
    return patients


def _csv_patient(row: dict, protocols: Protocols) -> Patient:
    def cell(key: str) -> str:
        return (row.get(key) or "").strip()

    if None in row:
        raise InputError("more cells than columns")
    sex = cell("sex").lower() or None
    if sex not in (None, "female", "male"):
        raise InputError(f"sex {cell('sex')!r} is not female or male")
    single = cell("single_course").lower()
    if single not in ("", "yes", "no", "true", "false", "1", "0"):
        raise InputError(f"single_course {single!r} is not yes or no")
    later = tuple(parse_iso_date(d, "courses") for d in cell("courses").replace(",", ";").split(";") if d.strip())
    request = PlanRequest(
        course1=parse_iso_date(cell("course1"), "course1"),
        course2=parse_iso_date(cell("course2"), "course2") if cell("course2") else None,
        later=later,
        single_course=single in ("yes", "true", "1"),
        options=PlanOptions(sex=sex),
    )
    protocol = cell("protocol") or "us"
    plan_courses(protocols(protocol), request)  # order and overlap of the courses
    return new_patient(check_label(cell("label")), request, protocol, cell("notes"))
