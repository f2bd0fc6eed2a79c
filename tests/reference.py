"""The straightforward versions of msmonitor's hot paths: the oracles the fast
code is proven equal to (tests/test_fast_paths.py).

Written for clarity, not speed: relativedelta for months, keyword-built events,
a scan of the rules for each test, dates and timedeltas in matching.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import date, timedelta
from unittest import mock

from dateutil.relativedelta import relativedelta

from msmonitor import schedule
from msmonitor.errors import InputError
from msmonitor.kinds import KIND
from msmonitor.model import Course, Event, Merged, Offset, Plan, PlanOptions, Protocol, Rule
from msmonitor.tracking import Record, ScheduledTest


def add_months(anchor: date, months: int) -> date:
    try:
        return anchor + relativedelta(months=months)
    except (OverflowError, ValueError):
        raise InputError("out of range") from None


def _shift(anchor: date, *, months: int = 0, days: int = 0) -> date:
    return add_months(anchor, months) + timedelta(days=days)


def _resolve(offset: Offset, points: Mapping[str, date]) -> date:
    return _shift(points[offset.anchor], months=offset.months, days=offset.days)


def _dates(rule: Rule, points: Mapping[str, date]) -> tuple[date, date | None]:
    if rule.at:
        return _resolve(rule.at, points), None
    assert rule.start and rule.end
    return _resolve(rule.start, points), _resolve(rule.end, points)


def _generate(
    protocol: Protocol, options: PlanOptions, courses: tuple[Course, ...], ends: date, grid: list[date]
) -> Iterator[tuple[int, Event]]:
    fixed = {
        "course1.first": courses[0].first,
        "course1.last": courses[0].last,
        "last-dose": courses[-1].last,
        "end": ends,
    }
    given = [c for c in courses if not c.projected]
    given_end = add_months(given[-1].last, protocol.monitoring_months)
    for index, rule in enumerate(protocol.rules):
        if rule.evidence == "unverified" and not options.include_unverified:
            continue
        if rule.sex == "female" and options.sex == "male":
            continue
        base = dict(
            kind=rule.kind,
            rule=rule.id,
            tests=rule.tests,
            rules=(rule.id,),
            women_only=rule.sex == "female",
            unverified=rule.evidence == "unverified",
            inferred=rule.evidence == "inferred",
            sources=rule.sources,
            notes=(rule.note,) if rule.note else (),
            visit=rule.visit,
        )
        on_end = any(o is not None and o.anchor == "end" for o in (rule.at, rule.start))
        if rule.when == "grid":
            for k in range(rule.every_months, len(grid), rule.every_months):
                event = Event(
                    id=f"{rule.visit or rule.id}/m{k}",
                    date=grid[k],
                    title=rule.title,
                    phase=f"year-{(k - 1) // 12 + 1}",
                    month=k,
                    projected=grid[k] > given_end,
                    **base,
                )
                yield index, event
        elif rule.when == "once":
            start, until = _dates(rule, fixed)
            phase = "end" if on_end else ("before" if start < courses[0].first else "course-1")
            event = Event(
                id=rule.id,
                date=start,
                window_end=until,
                window_start=start if until else None,
                title=rule.title.replace("{until}", until.isoformat()) if until else rule.title,
                phase=phase,
                projected=courses[-1].projected and on_end,
                **base,
            )
            yield index, event
        else:
            for course in courses:
                if (rule.courses == "first" and course.number != 1) or (rule.courses == "later" and course.number == 1):
                    continue
                yield from ((index, e) for e in _course_events(rule, course, base))


def _course_events(rule: Rule, course: Course, base: dict) -> Iterator[Event]:
    phase = f"course-{course.number}"
    if rule.when == "each-infusion-day":
        total = len(course.infusion_days)
        for day, when in enumerate(course.infusion_days, start=1):
            if rule.course_days and day not in rule.course_days:
                continue
            title = rule.title.replace("{day}", str(day)).replace("{days}", str(total))
            yield Event(
                id=f"{rule.visit or rule.id}/c{course.number}/d{day}",
                date=when,
                title=title.replace("{course}", str(course.number)),
                phase=phase,
                course=course.number,
                day=day,
                projected=course.projected,
                **base,
            )
        return
    start, until = _dates(rule, {"course.first": course.first, "course.last": course.last})
    if course.number == 1 and start < course.first and KIND[rule.kind].pre_treatment:
        phase = "before"
    yield Event(
        id=f"{rule.id}/c{course.number}",
        date=start,
        window_start=start if until else None,
        window_end=until,
        title=(rule.title.replace("{until}", until.isoformat()) if until else rule.title).replace(
            "{course}", str(course.number)
        ),
        phase=phase,
        course=course.number,
        projected=course.projected,
        **base,
    )


# the merging and fitting of the closing panel as they were first written,
# each merged rule folded into its lead one at a time


def _merge(pairs: list[tuple[int, Event]]) -> list[Event]:
    """Rules that share a visit on the same date become one event (courses
    never overlap, so a course's rule can join a grid visit: the CD4 count
    two months after course 1 is drawn with month 2's tests).

    The first rule in protocol order leads (its id, kind and title); the others
    add their tests, titles and notes.
    """
    merged: list[Event] = []
    slot: dict[tuple, int] = {}
    for _, event in pairs:
        key = (event.visit, event.date)
        if event.visit is None or key not in slot:
            if event.visit is not None:
                slot[key] = len(merged)
            merged.append(event)
            continue
        lead = merged[slot[key]]
        merged[slot[key]] = lead._replace(
            tests=lead.tests + tuple(t for t in event.tests if t not in lead.tests),
            rules=lead.rules + event.rules,
            merged=lead.merged + (Merged(event.rule, event.title, event.women_only, event.unverified),),
            notes=lead.notes + event.notes,
            sources=lead.sources + tuple(s for s in event.sources if s not in lead.sources),
            projected=lead.projected or event.projected,
        )
    return merged


def _fit_closing(
    protocol: Protocol, pairs: list[tuple[int, Event]], grid: list[date], ends: date
) -> list[tuple[int, Event]]:
    """Fit the closing panel (a once rule on the end date sharing a visit with
    the grid) to the last grid draw, so that no test is scheduled twice within
    its tolerance and no draw gap grows beyond the grid's own.

    - The last grid draw within the (smallest) tolerance before the end merges
      into the closing panel: its events move to the end date, which lies
      within that draw's own tolerance, so it is one visit. The gap into that
      visit may then exceed the grid's (31 days monthly, 92 days 3-monthly) by
      at most the tolerance; moving the draw earlier instead would keep the
      gaps but ask for a second full panel about two weeks before the end.
    - A test the closing panel lists that is already due within its own
      tolerance before the end (TSH, with 30 days) is not repeated there.
    """
    at_end = [
        k
        for k, (index, event) in enumerate(pairs)
        if event.visit
        and event.tests
        and event.month is None
        and event.date == ends
        and any(o is not None and o.anchor == "end" for o in (protocol.rules[index].at, protocol.rules[index].start))
    ]
    if not at_end:
        return pairs
    closing = at_end[0]
    visit = pairs[closing][1].visit
    last = len(grid) - 1
    if last >= 1 and grid[last] < ends:
        month = [k for k, (_, event) in enumerate(pairs) if event.month == last]
        draws = [protocol.rules[pairs[k][0]] for k in month if pairs[k][1].visit == visit and pairs[k][1].tests]
        tolerance = min((r.tolerance_days for r in draws), default=-1)
        if (ends - grid[last]).days <= tolerance:
            for k in month:
                pairs[k] = (pairs[k][0], pairs[k][1]._replace(date=ends))
    index, panel = pairs[closing]
    before: dict[str, tuple[date, int]] = {}
    for rule_index, event in pairs:
        if event.month is None or event.date >= ends:
            continue
        rule = protocol.rules[rule_index]
        for test in set(event.tests) & set(panel.tests):
            if test not in before or event.date > before[test][0]:
                before[test] = (event.date, rule.tolerance_days)
    repeated = [t for t in panel.tests if t in before and (ends - before[t][0]).days <= before[t][1]]
    if repeated:
        notes = tuple(
            f"{protocol.tests[t].name} ({t}) is not repeated here: it is due on {before[t][0].isoformat()}, "
            f"within its {before[t][1]}-day tolerance of this date."
            for t in repeated
        )
        pairs[closing] = (
            index,
            panel._replace(tests=tuple(t for t in panel.tests if t not in repeated), notes=panel.notes + notes),
        )
    return pairs


@contextmanager
def straightforward_engine():
    """compute_plan with relativedelta months, the plain event generator,
    merging and closing panel (courses and sorting are shared with the engine)."""
    with (
        mock.patch.object(schedule, "add_months", add_months),
        mock.patch.object(schedule, "_generate", _generate),
        mock.patch.object(schedule, "_merge", _merge),
        mock.patch.object(schedule, "_fit_closing", _fit_closing),
    ):
        yield


def reference_plan(protocol: Protocol, request: schedule.PlanRequest) -> Plan:
    with straightforward_engine():
        return schedule.compute_plan(protocol, request)


def scheduled_tests(plan: Plan) -> list[ScheduledTest]:
    items = []
    for event in plan.events:
        for test in event.tests:
            merged = [next(r for r in plan.protocol.rules if r.id == i) for i in event.rules]
            rule = next(r for r in merged if test in r.tests)
            items.append(
                ScheduledTest(
                    event_id=event.id,
                    test=test,
                    kind=event.kind,
                    title=event.title,
                    date=event.date,
                    last_date=event.last_date,
                    tolerance=rule.tolerance_days,
                    month=event.month,
                    phase=event.phase,
                )
            )
    return items


def match(items: Iterable[ScheduledTest], records: Iterable[Record]) -> dict[tuple[str, str], Record]:
    """Every (item, record) pair of the same test within the item's reach,
    nearest first (then the item's date, the record's day, its id), taken
    greedily one to one."""
    items, pairs = list(items), []
    for record in records:
        for item in items:
            if item.test == record.test and item.earliest <= record.done_on <= item.latest:
                pairs.append((item.distance(record.done_on), item.date, record.done_on, record.id, item, record))
    pairs.sort(key=lambda p: p[:4])
    matched: dict[tuple[str, str], Record] = {}
    used: set[int] = set()
    for *_, item, record in pairs:
        key = (item.event_id, item.test)
        if key not in matched and record.id not in used:
            matched[key] = record
            used.add(record.id)
    return matched


def open_item_rows(plan: Plan, records: list[Record], tracking_from: date | None = None) -> list:
    """Each event's tests that no record matched, over the plain scheduled
    items and the plain matching (events over before ``tracking_from``
    left out)."""
    from msmonitor.store import OpenItemRow

    items = scheduled_tests(plan)
    matched = match(items, records)
    rows = []
    for event in plan.events:
        if not event.tests or (tracking_from is not None and event.last_date < tracking_from):
            continue
        waiting = tuple(
            (i.test, i.tolerance) for i in items if i.event_id == event.id and (event.id, i.test) not in matched
        )
        if waiting:
            reach = event.last_date + timedelta(days=max(tolerance for _, tolerance in waiting))
            rows.append(
                OpenItemRow(
                    event.id,
                    event.kind,
                    event.title,
                    event.date,
                    event.last_date,
                    event.month,
                    event.phase,
                    waiting,
                    reach,
                )
            )
    return rows


# ------------------------------------------------------------------ the due list


def due(store, today: date, within_days: int, protocols, only=None) -> list:
    """patients.due as it was first written: every test of every open item
    of the period, its status by tracking.status_of, one sort by a key per row."""
    from msmonitor.patients import DUE_ORDER, DueFilter, DueRow, _items, refresh_stale
    from msmonitor.tracking import MISSED, OVERDUE, UPCOMING, status_of

    only = only or DueFilter()
    label = store.patient(only.patient).label if only.patient is not None else None
    refresh_stale(store, protocols, lambda message: None)
    now = today.toordinal()
    recent, horizon = now - 30, now + within_days
    result = []
    for row_label, row in _open_items(store, today - timedelta(days=30), today + timedelta(days=within_days)):
        if label is not None and row_label != label:
            continue
        if only.kinds is not None and row.kind not in only.kinds:
            continue
        start, last = row.due.toordinal(), row.last.toordinal()
        for item in _items(row):
            state = status_of(item, None, today)
            if state == MISSED and last + item.tolerance < recent:
                continue
            if state == UPCOMING and start > horizon:
                continue
            if state not in only.statuses:
                continue
            result.append(DueRow(row_label, item, state, now - start))
    rank = {s: n for n, s in enumerate(DUE_ORDER)}

    def order(r) -> tuple:
        s = r.scheduled
        if r.status == OVERDUE or r.status == MISSED:
            latest = s.last_date.toordinal() + s.tolerance
            when = latest if r.status == OVERDUE else -latest
        else:
            when = s.date.toordinal()
        return (rank[r.status], when, r.label, s.event_id)

    result.sort(key=order)  # stable: tests keep the plan's order within an event
    return result


def _open_items(store, since: date, until: date) -> list:
    """store.open_items as first written: no lower bound on the due date."""
    import json

    from msmonitor.store import OpenItemRow

    rows = store._read(
        "SELECT p.label, i.event_id, i.kind, i.title, i.due, i.last, i.month, i.phase, i.tests, i.reach"
        " FROM open_items i JOIN patients p ON p.id = i.patient_id WHERE i.due <= ? AND i.reach >= ?",
        (until.isoformat(), since.isoformat()),
    )
    day = date.fromisoformat
    return [
        (label, OpenItemRow(e, k, t, day(d), day(la), m, ph, tuple(tuple(x) for x in json.loads(ts)), day(r)))
        for label, e, k, t, d, la, m, ph, ts, r in rows
    ]


def by_patient(rows: list) -> list:
    """patients.by_patient as it was first written, over one row per test."""
    from msmonitor.patients import DUE_ORDER, SEVERITY, PatientDue
    from msmonitor.tracking import MISSED

    grouped: dict[str, list] = {}
    for row in rows:
        grouped.setdefault(row.label, []).append(row)
    severity = {s: n for n, s in enumerate(SEVERITY)}
    result = []
    for label, members in grouped.items():
        worst = min((m.status for m in members), key=severity.__getitem__)
        chosen = [m for m in members if m.status == worst]
        titles = list(dict.fromkeys(m.scheduled.title for m in chosen))
        tests = list(dict.fromkeys(m.scheduled.test for m in chosen))
        per_title: dict[str, list[str]] = {}
        for m in chosen:
            per_title.setdefault(m.scheduled.title, [])
            if m.scheduled.test not in per_title[m.scheduled.title]:
                per_title[m.scheduled.title].append(m.scheduled.test)
        details = tuple(f"{title}: {', '.join(ids)}" for title, ids in per_title.items())
        since = min(m.scheduled.date for m in chosen)
        result.append(PatientDue(label, worst, since, titles, tests, len(members), details))
    rank = {s: n for n, s in enumerate(DUE_ORDER)}
    when = {MISSED: lambda p: -p.since.toordinal()}
    result.sort(key=lambda p: (rank[p.status], when.get(p.status, lambda p: p.since.toordinal())(p), p.label))
    return result


def render_due_text(view, *, by_patient: bool = False, width: int = 80, color: bool = False) -> str:
    """render.due.render_due_text as it was first written: one row per test
    grouped by patient, event and state, every cell wrapped by render.text.wrap,
    the whole view through screen_safe."""
    from msmonitor.render.due import SGR, _patient_what, since_days, when
    from msmonitor.render.text import BOLD, clean, screen_safe, style, wrap

    rows = view.rows
    lines = [style(view.title(), BOLD, color)]
    lines += wrap(view.question(), width)
    if not rows:
        return screen_safe("\n".join(lines + ["Nothing is due.", ""]), color)
    label_w = min(20, max(len("Patient"), *(len(clean(r.label)) for r in rows)))
    if by_patient:
        lines.append(f"{'Patient':{label_w}}  {'Worst':8}  {'Since':10}  {'When':10}  What")
    else:
        lines.append(f"{'Patient':{label_w}}  {'Status':8}  {'Date':10}  {'When':10}  What")
    lines.append("-" * width)
    grouped: dict[tuple, list] = {}
    for row in rows:
        grouped.setdefault((row.label, row.scheduled.event_id, row.status), []).append(row)
    if by_patient:
        entries = [
            (p.label, p.status, p.since, when(p.status, since_days(view.today, p.since)), _patient_what(p))
            for p in view.patients
        ]
    else:
        entries = [
            (
                label,
                state,
                m[0].scheduled.date,
                when(state, m[0].days),
                f"{m[0].scheduled.title}: " + ", ".join(r.scheduled.test for r in m),
            )
            for (label, _, state), m in grouped.items()
        ]
    for label, state, day, ago, what in entries:
        left = f"{clean(label)[:label_w]:{label_w}}  {state:8}  {day.isoformat():10}  {ago:10}  "
        wrapped = wrap(what, max(20, width - len(left)))
        lines.append(style(left + wrapped[0], SGR[state], color))
        lines += [style(" " * len(left) + more, SGR[state], color) for more in wrapped[1:]]
    patients = len({r.label for r in rows})
    events = len(grouped)
    lines += ["", f"{patients} patient{'s' * (patients != 1)}, {events} visit item{'s' * (events != 1)}.", ""]
    return screen_safe("\n".join(lines), color)
