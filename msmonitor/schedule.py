"""The schedule engine: protocol + course dates -> every dated item of the plan.

Pure: no clock, no files, no terminal, and no ``today``: a plan is the same
whatever the day (view.plan_warnings adds the one warning that depends on
it). The engine knows no drug facts; every number (course lengths,
intervals, months of monitoring, offsets) comes from the protocol.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import date
from typing import NamedTuple

from .dates import add_days, add_months, shift
from .errors import InputError
from .kinds import KIND
from .model import Course, Event, Merged, Offset, Plan, PlanOptions, Protocol, Rule


class PlanRequest(NamedTuple):
    """What a user asks for: course start dates and options."""

    course1: date
    course2: date | None = None
    later: tuple[date, ...] = ()  # courses 3, 4, ...
    single_course: bool = False
    options: PlanOptions = PlanOptions()
    # A course's real infusion days, by course number, when they differed
    # from consecutive days.
    infusion_days: Mapping[int, tuple[date, ...]] | None = None


def compute_plan(protocol: Protocol, request: PlanRequest) -> Plan:
    courses, warnings = plan_courses(protocol, request)
    anchor = courses[0].last
    last_dose = courses[-1].last
    ends = add_months(last_dose, protocol.monitoring_months)
    grid = _grid(anchor, ends)
    pairs = _fit_closing(protocol, list(_generate(protocol, request.options, courses, ends, grid)), grid, ends)
    events = _merge(sorted(pairs, key=_order))
    unverified = sorted(_unverified_items(protocol, events))
    if unverified:
        warnings.append("unverified rules included, check them against the label: " + ", ".join(unverified))
    # Rules left off are said to be off, never silently missing: in the
    # plan's header, and in the notes of the first item and the end item (so
    # in every format that lists events, the calendar too).
    left_out: tuple[str, ...] = ()
    if not request.options.include_unverified:
        left_out = tuple(dict.fromkeys(r.when_off for r in protocol.rules if r.when_off))
    if left_out and events:
        last = max(i for i, e in enumerate(events) if e.kind == "end" or i == 0)
        for i in dict.fromkeys((0, last)):
            events[i] = events[i]._replace(notes=events[i].notes + left_out)
    return Plan(
        protocol=protocol,
        options=request.options,
        courses=courses,
        grid_anchor=anchor,
        last_dose=last_dose,
        monitoring_ends=ends,
        grid_months=len(grid) - 1,
        events=tuple(events),
        warnings=tuple(warnings),
        left_out=left_out,
    )


def plan_courses(protocol: Protocol, request: PlanRequest) -> tuple[tuple[Course, ...], list[str]]:
    """Validate course dates; project course 2 when it is not given."""
    rules = protocol.courses
    if request.single_course and (request.course2 or request.later):
        raise InputError("--single-course cannot be combined with --course2 or --course")
    if request.later and not request.course2:
        raise InputError("--course (course 3 and later) needs --course2")

    def days_of(number: int, start: date) -> tuple[date, ...]:
        if request.infusion_days and number in request.infusion_days:
            return tuple(request.infusion_days[number])
        length = rules.first_course_days if number == 1 else rules.later_course_days
        return tuple(add_days(start, i) for i in range(length))

    courses = [Course(1, days_of(1, request.course1))]
    if request.course2:
        courses.append(Course(2, days_of(2, request.course2)))
    elif not request.single_course:
        projected = add_months(request.course1, rules.course2_after_months)
        courses.append(Course(2, days_of(2, projected), projected=True))
    for start in request.later:
        courses.append(Course(len(courses) + 1, days_of(len(courses) + 1, start)))

    warnings: list[str] = []
    for prev, course in zip(courses, courses[1:]):
        _check_order(prev, course)
        if course.projected:
            continue
        if course.number == 2:
            earliest, since = add_months(prev.first, rules.course2_after_months), "course 1 started"
            gap = rules.course2_after_months
        else:
            earliest, since = add_months(prev.last, rules.later_gap_months), f"course {prev.number} ended"
            gap = rules.later_gap_months
        if course.first < earliest:
            warnings.append(
                f"course {course.number} starts on {course.first.isoformat()}, less than {gap} months "
                f"after {since} (earliest per protocol: {earliest.isoformat()}); computed anyway"
            )
    if rules.max_courses and len(courses) > rules.max_courses:
        warnings.append(
            f"protocol {protocol.id!r} allows at most {rules.max_courses} courses; "
            f"{len(courses)} are planned, computed anyway"
        )
    return tuple(courses), warnings


def _check_order(prev: Course, course: Course) -> None:
    for a, b in zip(course.infusion_days, course.infusion_days[1:]):
        if b <= a:
            raise InputError(f"course {course.number}: infusion days must be in order, one a day")
    if course.first < prev.first:
        raise InputError(
            f"course {course.number} ({course.first.isoformat()}) is before course {prev.number} "
            f"({prev.first.isoformat()}): give courses in order"
        )
    if course.first <= prev.last:
        raise InputError(
            f"course {course.number} starts on {course.first.isoformat()}, before course "
            f"{prev.number} has ended ({prev.last.isoformat()})"
        )


def _grid(anchor: date, ends: date) -> list[date]:
    """Grid dates by month k (index 0 is the anchor itself), up to the end.
    Each is computed from the anchor, never from the previous one."""
    dates = [anchor]
    while (following := add_months(anchor, len(dates))) <= ends:
        dates.append(following)
    return dates


class _Static(NamedTuple):
    """What every event of a rule shares, worked out once per protocol."""

    kind: str
    rule: str
    tests: tuple[str, ...]
    notes: tuple[str, ...]
    rules: tuple[str, ...]
    women_only: bool
    unverified: bool
    inferred: bool
    sources: tuple[str, ...]
    visit: str | None
    key: str  # the stem of its events' ids: the visit, or the rule's id


# id(protocol) -> (protocol, statics); the protocol is held so that its id is
# not reused. A command loads one or two protocols.
_STATICS: dict[int, tuple[Protocol, tuple[_Static, ...]]] = {}


def _statics(protocol: Protocol) -> tuple[_Static, ...]:
    cached = _STATICS.get(id(protocol))
    if cached is None or cached[0] is not protocol:
        statics = tuple(
            _Static(
                kind=rule.kind,
                rule=rule.id,
                tests=rule.tests,
                notes=(rule.note,) if rule.note else (),
                rules=(rule.id,),
                women_only=rule.sex == "female",
                unverified=rule.evidence == "unverified",
                inferred=rule.evidence == "inferred",
                sources=rule.sources,
                visit=rule.visit,
                key=rule.visit or rule.id,
            )
            for rule in protocol.rules
        )
        cached = _STATICS[id(protocol)] = (protocol, statics)
    return cached[1]


# Events are made with tuple.__new__ straight from their fields, in Event's
# order: a plan has ~150 of them, and the NamedTuple constructor is a Python
# call more for each.
_new = tuple.__new__


def _event(
    s: _Static,
    id: str,
    when: date,
    title: str,
    phase: str,
    *,
    window_start: date | None = None,
    window_end: date | None = None,
    course: int | None = None,
    day: int | None = None,
    month: int | None = None,
    projected: bool = False,
) -> Event:
    return _new(
        Event,
        (
            id,
            when,
            s.kind,
            s.rule,
            title,
            phase,
            s.tests,
            (),
            s.notes,
            s.rules,
            window_start,
            window_end,
            course,
            day,
            month,
            s.women_only,
            projected,
            s.unverified,
            s.inferred,
            s.sources,
            s.visit,
        ),
    )


_YEARS: list[str] = []  # the phase of grid month k, "year-N", by k


def _year_phases(months: int) -> list[str]:
    while len(_YEARS) < months:
        _YEARS.append(f"year-{(len(_YEARS) - 1) // 12 + 1}")
    return _YEARS


def _generate(
    protocol: Protocol, options: PlanOptions, courses: tuple[Course, ...], ends: date, grid: list[date]
) -> Iterator[tuple[int, Event]]:
    fixed = {
        "course1.first": courses[0].first,
        "course1.last": courses[0].last,
        "last-dose": courses[-1].last,
        "end": ends,
    }
    end_projected = courses[-1].projected
    # Grid dates after the end that the given courses alone would have exist
    # only because of a projected course: they are projected too.
    given_end = add_months(max(c.last for c in courses if not c.projected), protocol.monitoring_months)
    for index, (rule, static) in enumerate(zip(protocol.rules, _statics(protocol))):
        if static.unverified and not options.include_unverified:
            continue
        if static.women_only and options.sex == "male":
            continue
        if rule.when == "grid":
            # most of a plan's events: made here, each in one step
            title, key, years, s = rule.title, static.key, _year_phases(len(grid)), static
            kind, lead, tests, notes, rules, women = s.kind, s.rule, s.tests, s.notes, s.rules, s.women_only
            unverified, inferred, sources, visit = s.unverified, s.inferred, s.sources, s.visit
            for k in range(rule.every_months, len(grid), rule.every_months):
                when = grid[k]
                yield (
                    index,
                    _new(
                        Event,
                        (
                            f"{key}/m{k}",
                            when,
                            kind,
                            lead,
                            title,
                            years[k],
                            tests,
                            (),
                            notes,
                            rules,
                            None,
                            None,
                            None,
                            None,
                            k,
                            women,
                            when > given_end,
                            unverified,
                            inferred,
                            sources,
                            visit,
                        ),
                    ),
                )
        elif rule.when == "once":
            start, until = _dates(rule, fixed)
            on_end = _anchored_on_end(rule)
            phase = "end" if on_end else ("before" if start < courses[0].first else "course-1")
            yield (
                index,
                _event(
                    static,
                    rule.id,
                    start,
                    _title(rule.title, until),
                    phase,
                    window_start=start if until else None,
                    window_end=until,
                    projected=end_projected and on_end,
                ),
            )
        else:
            for course in courses:
                if (rule.courses == "first" and course.number != 1) or (rule.courses == "later" and course.number == 1):
                    continue
                yield from ((index, e) for e in _course_events(rule, static, course))


def _course_events(rule: Rule, static: _Static, course: Course) -> Iterator[Event]:
    phase = f"course-{course.number}"
    if rule.when == "each-infusion-day":
        total = len(course.infusion_days)
        for day, when in enumerate(course.infusion_days, start=1):
            if rule.course_days and day not in rule.course_days:
                continue
            title = rule.title.replace("{day}", str(day)).replace("{days}", str(total))
            yield _event(
                static,
                f"{static.key}/c{course.number}/d{day}",
                when,
                title.replace("{course}", str(course.number)),
                phase,
                course=course.number,
                day=day,
                projected=course.projected,
            )
        return
    points = {"course.first": course.first, "course.last": course.last}
    start, until = _dates(rule, points)
    if course.number == 1 and start < course.first and KIND[rule.kind].pre_treatment:
        phase = "before"
    yield _event(
        static,
        f"{rule.id}/c{course.number}",
        start,
        _title(rule.title, until).replace("{course}", str(course.number)),
        phase,
        window_start=start if until else None,
        window_end=until,
        course=course.number,
        projected=course.projected,
    )


def _title(title: str, until: date | None) -> str:
    """A window's title may name its last day: "at least until {until}"."""
    return title.replace("{until}", until.isoformat()) if until else title


def _dates(rule: Rule, points: Mapping[str, date]) -> tuple[date, date | None]:
    if rule.at:
        return _resolve(rule.at, points), None
    assert rule.start and rule.end  # guaranteed by the protocol parser
    return _resolve(rule.start, points), _resolve(rule.end, points)


def _resolve(offset: Offset, points: Mapping[str, date]) -> date:
    return shift(points[offset.anchor], months=offset.months, days=offset.days)


def _anchored_on_end(rule: Rule) -> bool:
    return any(o is not None and o.anchor == "end" for o in (rule.at, rule.start))


def _order(pair: tuple[int, Event]) -> tuple:
    index, event = pair
    return (event.date, event.course or 0, index)


def _merge(pairs: list[tuple[int, Event]]) -> list[Event]:
    """Rules that share a visit on the same date become one event (courses
    never overlap, so a course's rule can join a grid visit: the CD4 count
    two months after course 1 is drawn with month 2's tests).

    The first rule in protocol order leads (its id, kind and title); the others
    add their tests, titles and notes. Each merged event is made once, from
    its lead and every rule that joins it.
    """
    merged: list[Event] = []
    slot: dict[tuple, int] = {}
    joining: dict[int, list[Event]] = {}
    for _, event in pairs:
        visit = event.visit
        if visit is None:
            merged.append(event)
            continue
        key = (visit, event.date)
        at = slot.get(key)
        if at is None:
            slot[key] = len(merged)
            merged.append(event)
        elif at in joining:
            joining[at].append(event)
        else:
            joining[at] = [event]
    for at, others in joining.items():
        merged[at] = _joined(merged[at], others)
    return merged


_TESTS, _MERGED, _NOTES, _RULES, _PROJECTED, _SOURCES = (
    Event._fields.index(name) for name in ("tests", "merged", "notes", "rules", "projected", "sources")
)


# What merging adds to a lead, by everything it is made from: plans repeat
# the same few dozen merges (each month's labs with the thyroid test...).
_JOINS: dict[tuple, tuple] = {}


def _joined(lead: Event, others: list[Event]) -> Event:
    """``lead`` with ``others`` merged in, in order: their tests and sources
    not listed yet, their rules, titles and notes, any projection."""
    key = (
        lead.tests,
        lead.sources,
        lead.rules,
        lead.notes,
        lead.merged,
        *[(e.tests, e.sources, e.rules, e.notes, e.rule, e.title, e.women_only, e.unverified) for e in others],
    )
    joined = _JOINS.get(key)
    if joined is None:
        tests, sources = list(lead.tests), list(lead.sources)
        rules, notes, merged = list(lead.rules), list(lead.notes), list(lead.merged)
        for event in others:
            tests += [t for t in event.tests if t not in tests]
            sources += [s for s in event.sources if s not in sources]
            rules += event.rules
            notes += event.notes
            merged.append(Merged(event.rule, event.title, event.women_only, event.unverified))
        if len(_JOINS) > 4096:  # titles with dates in them make new keys: bounded
            _JOINS.clear()
        joined = _JOINS[key] = (tuple(tests), tuple(sources), tuple(rules), tuple(notes), tuple(merged))
    fields = list(lead)
    fields[_TESTS], fields[_SOURCES], fields[_RULES], fields[_NOTES], fields[_MERGED] = joined
    fields[_PROJECTED] = lead.projected or any(e.projected for e in others)
    return _new(Event, fields)


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
    rules = protocol.rules
    closing = next(
        (
            k
            for k, (index, event) in enumerate(pairs)
            if event.date == ends
            and event.month is None
            and event.visit
            and event.tests
            and _anchored_on_end(rules[index])
        ),
        None,
    )
    if closing is None:
        return pairs
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
    closing_tests = set(panel.tests)
    for rule_index, event in pairs:
        if event.month is None or event.date >= ends:
            continue
        for test in event.tests:
            if test in closing_tests:
                seen = before.get(test)
                if seen is None or event.date > seen[0]:
                    before[test] = (event.date, rules[rule_index].tolerance_days)
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


def _unverified_items(protocol: Protocol, events: list[Event]) -> set[str]:
    flagged = {r.id for r in protocol.rules if r.evidence == "unverified"}
    return {item for e in events for item in e.rules if item in flagged}
