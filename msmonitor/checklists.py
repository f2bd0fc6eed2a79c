"""Printable checklists built from a plan: one document model, three renderers.

Pure: a plan, the dates and the protocol in; a ``Checklist`` out. Four kinds:
a clinic visit (what is due that day), the pre-treatment checklist, one
infusion course, and the symptom self-check card.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import NamedTuple

from .errors import InputError
from .kinds import KIND
from .model import Event, Plan
from .view import NOTICE, course_line, markers

RESULT_BLANK = "Result / date drawn"
DONE_BLANK = "Done on"
# a window (prophylaxis, contraception, a watch) is followed through, not done
# on one day: the nurse notes the day it was followed to
WINDOW_BLANK = "Followed until"
START_BLANK = "Started on"


class Row(NamedTuple):
    text: str
    why: str = ""
    due: str = ""
    blank: str = ""  # the label of a line to fill in; "" for none
    check: bool = True  # a checkbox to tick
    mark: str = ""  # "women only", "unverified", "projected"
    test: str = ""  # the test id of a test's row
    done: str = ""  # the day it was recorded as done (ISO): the box is ticked


class Section(NamedTuple):
    title: str
    rows: tuple[Row, ...]
    note: str = ""
    urgent: bool = False


class Checklist(NamedTuple):
    kind: str  # "visit", "pre-treatment", "course" or "symptoms"
    title: str
    header: tuple[tuple[str, str], ...]  # (label, value); an empty value is a line to write on
    sections: tuple[Section, ...]
    sources: tuple[str, ...]
    notice: str = NOTICE
    warnings: tuple[str, ...] = ()


# ------------------------------------------------------------------ visit


def visit_dates(plan: Plan) -> list[date]:
    return sorted({e.date for e in plan.events if KIND[e.kind].visit})


def _visit_label(plan: Plan, day: date) -> str:
    events = [e for e in plan.events if e.date == day and KIND[e.kind].visit]
    month = next((e.month for e in events if e.month), None)
    if month:
        return f"month {month}"
    return events[0].title.lower() if events else ""


def _tolerance(plan: Plan, events: Iterable[Event]) -> int:
    return max((plan.protocol.rule(i).tolerance_days for e in events for i in e.rules), default=0)


Recorded = Mapping[tuple[str, str], date]  # (event id, test id) -> the day it was recorded as done


def _ticked(rows: list[Row], event: Event, recorded: Recorded | None) -> list[Row]:
    """Rows of tests already recorded for this event: ticked, with their day."""
    if not recorded:
        return rows
    out = []
    for row in rows:
        day = recorded.get((event.id, row.test)) if row.test else None
        out.append(row._replace(done=day.isoformat(), blank="", due=f"recorded {day.isoformat()}") if day else row)
    return out


def visit_checklist(plan: Plan, visit: date, today: date, recorded: Recorded | None = None) -> Checklist:
    """What is due at a visit on ``visit``: that day's items, or those of the
    scheduled visit within the items' tolerance of it. ``recorded``: a saved
    patient's tests recorded as done, shown ticked."""
    if visit < plan.courses[0].first:
        raise InputError(
            f"--visit {visit.isoformat()} is before course 1 ({plan.courses[0].first.isoformat()}): "
            "use --pre-treatment for the checklist before treatment"
        )
    dates = visit_dates(plan)
    scheduled = _match_visit(plan, dates, visit)
    events = [e for e in plan.events if e.date == scheduled and KIND[e.kind].visit]
    rows = [row for e in events for row in _ticked(_rows(plan, e, due_text=""), e, recorded)]
    sections = [Section("Due at this visit", tuple(rows))]

    # The previous monitoring visit (labs or exams): its items are overdue if
    # they were not done. Every visit but the first has it, the closing visit
    # too, whenever the checklist is printed: one printed ahead of the
    # previous visit is read at this visit, after it.
    before = sorted({e.date for e in plan.events if KIND[e.kind].monitoring and e.date < scheduled})
    if before:
        previous = [e for e in plan.events if e.date == before[-1] and KIND[e.kind].visit]
        rows = [
            row
            for e in previous
            for row in _ticked(
                [r._replace(blank="Done on / result", why="") for r in _rows(plan, e, due_text="")], e, recorded
            )
        ]
        if today <= before[-1]:
            note = f"Due {before[-1].isoformat()}, before this visit: check these were done; if not, they are overdue."
        elif recorded is None:
            note = "Check these were done; if not, they are overdue."
        elif all(r.done for r in rows if r.test):
            note = "Recorded as done."
        else:
            note = "Not all recorded as done: check the unticked ones were done; if not, they are overdue."
        sections.append(
            Section(
                f"From the previous visit ({before[-1].isoformat()}, {_visit_label(plan, before[-1])})",
                tuple(rows),
                note=note,
            )
        )
    # The closing visit says what goes on after it (yearly exams, symptoms).
    for end in (e for e in plan.events if e.date == scheduled and e.kind == "end"):
        sections.append(Section(end.title, tuple(Row(note, check=False) for note in end.notes)))
    active = [e for e in plan.events if e.window_end and e.date <= scheduled <= e.window_end]
    if active:
        sections.append(
            Section(
                "In effect on this date",
                tuple(
                    Row(
                        e.title + _course_suffix(e),
                        due=f"until {e.last_date.isoformat()}",
                        check=False,
                        mark=", ".join(markers(e, plan.options.sex)),
                    )
                    for e in active
                ),
            )
        )
    after = [d for d in dates if d > scheduled]
    if after:
        upcoming = [e for e in plan.events if e.date == after[0] and KIND[e.kind].visit]
        held = "; ".join(_summary(e) for e in upcoming)
        sections.append(
            Section(
                "Next visit",
                (Row(f"{after[0].isoformat()} ({_visit_label(plan, after[0])}): {held}", check=False),),
            )
        )
    header = plan_header(plan) + [("Visit", _visit_text(plan, visit, scheduled))]
    return Checklist(
        kind="visit",
        title=f"Visit checklist, {scheduled.isoformat()}",
        header=tuple(header),
        sections=tuple(sections),
        sources=_citations(plan, events),
        warnings=plan.warnings,
    )


def _match_visit(plan: Plan, dates: list[date], visit: date) -> date:
    if visit in dates:
        return visit
    nearest = sorted(dates, key=lambda d: (abs((d - visit).days), d))
    for candidate in nearest[:2]:
        events = [e for e in plan.events if e.date == candidate and KIND[e.kind].visit]
        if abs((candidate - visit).days) <= _tolerance(plan, events):
            return candidate
    earlier = [d for d in dates if d < visit]
    later = [d for d in dates if d > visit]
    names = [f"{d.isoformat()} ({_visit_label(plan, d)})" for d in (earlier[-1:] + later[:1])]
    raise InputError(f"nothing is due on {visit.isoformat()}; the nearest visits are " + " and ".join(names))


def _visit_text(plan: Plan, visit: date, scheduled: date) -> str:
    held = [e for e in plan.events if e.date == scheduled and KIND[e.kind].visit]
    # a visit that exists only because of a projected course is itself projected
    day = scheduled.isoformat() + (" (projected)" if held and all(e.projected for e in held) else "")
    text = f"{day}, {_visit_label(plan, scheduled)}"
    month = next((e.month for e in plan.events if e.date == scheduled and e.month), None)
    if month:
        # the month count ends at the monitoring end, which a projected course decides
        text = f"{day}, month {month} of {plan.grid_months}{_projected(plan)}"
    if visit != scheduled:
        days = (visit - scheduled).days
        text += (
            f" (seen on {visit.isoformat()}, {abs(days)} day{'s' * (abs(days) != 1)} {'late' if days > 0 else 'early'})"
        )
    return text


# ------------------------------------------------------------------ pre-treatment and courses


def pre_treatment_checklist(plan: Plan, recorded: Recorded | None = None) -> Checklist:
    first = plan.courses[0]
    events = [
        e
        for e in plan.events
        if e.phase == "before"
        or (e.course == 1 and KIND[e.kind].before_infusion)
        or (e.course == 1 and e.window_end and e.date < first.first)
    ]
    sections = []
    for event in events:
        rows = _ticked(_rows(plan, event, due_text=""), event, recorded)
        if event.window_end and not event.tests:
            rows = [
                Row(
                    f"Start: {event.title}",
                    why=_first(event.notes),
                    due=f"from {event.date.isoformat()}",
                    blank=START_BLANK,
                )
            ]
        # a test's rows say why each test is done; the rule's note (the order
        # of screening, vaccination and treatment) heads its section
        note = _first(event.notes) if event.tests else ""
        sections.append(Section(f"{event.title} ({_due(event)})", tuple(rows), note=note))
    return Checklist(
        kind="pre-treatment",
        title="Before treatment: pre-treatment checklist",
        header=tuple(plan_header(plan) + [("First infusion", first.first.isoformat())]),
        sections=tuple(sections),
        sources=_citations(plan, events),
        warnings=plan.warnings,
    )


def course_checklist(plan: Plan, number: int, recorded: Recorded | None = None) -> Checklist:
    if not 1 <= number <= len(plan.courses):
        raise InputError(f"--course-number {number}: this plan has courses 1 to {len(plan.courses)}")
    course = plan.courses[number - 1]
    events = [e for e in plan.events if e.course == number]
    sections: list[Section] = []
    before = [e for e in events if KIND[e.kind].before_infusion]
    if before:
        sections.append(
            Section(
                f"Before the first infusion of course {number}",
                tuple(r for e in before for r in _ticked(_rows(plan, e, due_text=_due(e)), e, recorded)),
            )
        )
    for event in (e for e in events if KIND[e.kind].infusion_day):
        rows = [Row(f"Infusion given ({event.title.lower()})", why=_first(event.notes), blank="Time started / ended")]
        for merged in event.merged:
            rule, mark = plan.protocol.rule(merged.rule), ", ".join(markers(merged, plan.options.sex))
            if rule.tests:
                rows += [
                    Row(
                        plan.protocol.tests[t].name + f" ({t})",
                        why=rule.note,
                        blank=RESULT_BLANK,
                        mark=mark,
                    )
                    for t in rule.tests
                ]
            else:
                rows.append(Row(rule.title, why=rule.note, blank=DONE_BLANK, mark=mark))
        sections.append(Section(f"Day {event.day}: {event.date.isoformat()}", tuple(rows)))
    windows = [e for e in events if e.window_end]
    if windows:
        sections.append(
            Section(
                "Windows around this course",
                tuple(
                    Row(
                        e.title,
                        why=_first(e.notes),
                        due=_due(e),
                        blank=WINDOW_BLANK if e.date >= course.first else "",
                        mark=", ".join(markers(e, plan.options.sex)),
                    )
                    for e in windows
                ),
            )
        )
    for group in (g for g in plan.protocol.symptoms if g.urgent):
        sections.append(_symptom_section(group, urgent=True))
    sources = _citations(plan, events, symptoms=[g for g in plan.protocol.symptoms if g.urgent])
    return Checklist(
        kind="course",
        title=f"Course {number} checklist" + (" (projected)" if course.projected else ""),
        header=tuple(plan_header(plan) + [("This course", course_line(course, plan))]),
        sections=tuple(sections),
        sources=sources,
        warnings=plan.warnings,
    )


# ------------------------------------------------------------------ symptom card


def symptom_card(plan: Plan) -> Checklist:
    """Signs to report, grouped by what to do (most urgent first), with
    who-to-call blanks and the card's reminders: useful for years after the
    last infusion, not only during monitoring."""
    groups = sorted(plan.protocol.symptoms, key=lambda g: not g.urgent)
    card = plan.protocol.card
    calls = Section(
        "Who to call",
        tuple(
            Row(label, blank="Name and phone", check=False)
            for label in ("MS nurse or team", "Neurologist", "Out of hours", "Emergency number")
        ),
    )
    sections = [calls] + [_symptom_section(g, urgent=g.urgent) for g in groups]
    reminders = (card.reminders if card else ()) + plan.left_out
    if reminders:
        sections.append(Section("Also", tuple(Row(line, check=False) for line in reminders)))
    keep = card.keep if card else "for at least 4 years after the last infusion, and after that"
    return Checklist(
        kind="symptoms",
        title="Symptoms to report after alemtuzumab (Lemtrada)",
        header=tuple(
            [
                ("Patient", plan.options.patient or ""),
                ("Last infusion", plan.last_dose.isoformat() + _projected(plan)),
                ("Monitoring until", plan.monitoring_ends.isoformat() + _projected(plan)),
                ("Keep this card", keep),
                ("Protocol", f"{plan.protocol.id} {plan.protocol.version}"),
            ]
        ),
        sections=tuple(sections),
        sources=_citations(plan, [], symptoms=groups, extra=card.sources if card else ()),
    )


def _symptom_section(group, *, urgent: bool) -> Section:
    rows = tuple(Row(sign, check=False) for sign in group.signs)
    if group.note:
        rows += (Row(group.note, check=False),)
    return Section(group.title, rows, note=group.action, urgent=urgent)


# ------------------------------------------------------------------ shared pieces


def plan_header(plan: Plan) -> list[tuple[str, str]]:
    """The lines every printed page starts with; an empty value is a line to write on."""
    p = plan.protocol
    header = [("Patient", plan.options.patient or "")]
    header += [(f"Course {c.number}", course_line(c, plan).split(": ", 1)[1]) for c in plan.courses]
    projected = _projected(plan)
    header += [
        ("Last dose", plan.last_dose.isoformat() + projected),
        ("Monitoring ends", plan.monitoring_ends.isoformat() + projected),
        ("Protocol", f"{p.id} {p.version}: {p.title}"),
    ]
    header += [("Not scheduled", text) for text in plan.left_out]
    return header


def _projected(plan: Plan) -> str:
    """The mark after a date that a projected course decides (last dose, end)."""
    return " (projected)" if plan.courses[-1].projected else ""


def _rows(plan: Plan, event: Event, due_text: str) -> list[Row]:
    sex = plan.options.sex
    mark = ", ".join(markers(event, sex))
    if event.tests:
        # each test is marked by the rule that brought it: the lead or a merged one
        test_marks = {t: mark for t in plan.protocol.rule(event.rule).tests}
        for merged in event.merged:
            for t in plan.protocol.rule(merged.rule).tests:
                test_marks.setdefault(t, _merged_marks(event, merged, sex))
        rows = [
            Row(
                f"{plan.protocol.tests[t].name} ({t})",
                why=plan.protocol.tests[t].why,
                due=due_text,
                blank=RESULT_BLANK,
                mark=test_marks.get(t, mark),
                test=t,
            )
            for t in event.tests
        ]
    else:
        rows = [Row(event.title, why=_first(event.notes), due=due_text, blank=DONE_BLANK, mark=mark)]
    for merged in event.merged:
        rule = plan.protocol.rule(merged.rule)
        if not rule.tests:
            mark = _merged_marks(event, merged, sex)
            rows.append(Row(rule.title, why=rule.note, due=due_text, blank=DONE_BLANK, mark=mark))
    return rows


def _merged_marks(event: Event, merged, sex: str | None) -> str:
    """A merged rule's own row on paper: its markers, and "projected" when its
    event is (a merged rule shares the event's date, so markers() leaves it
    to the event, which has no row of its own here)."""
    return ", ".join((["projected"] if event.projected else []) + markers(merged, sex))


def _due(event: Event) -> str:
    if event.window_end:
        return f"{event.date.isoformat()} to {event.window_end.isoformat()}"
    if KIND[event.kind].deadline:
        return f"by {event.date.isoformat()}"
    return event.date.isoformat()


def _summary(event: Event) -> str:
    return event.title + (f" ({', '.join(event.tests)})" if event.tests else "")


def _course_suffix(event: Event) -> str:
    return f" (course {event.course})" if event.course else ""


def _first(values) -> str:
    return values[0] if values else ""


def _citations(plan: Plan, events: Iterable[Event], symptoms=(), extra=()) -> tuple[str, ...]:
    p = plan.protocol
    ids: dict[str, None] = {}
    for event in events:
        for sid in event.sources:
            ids.setdefault(sid, None)
    for group in symptoms:
        for sid in group.sources:
            ids.setdefault(sid, None)
    for sid in extra:
        ids.setdefault(sid, None)
    return tuple(f"{sid}: {p.sources[sid].document} ({p.sources[sid].where})" for sid in ids)
