"""What every renderer shares: where an event stands relative to today,
phase names, markers and the safety notice. Pure functions of the plan."""

from __future__ import annotations

from datetime import date, timedelta

from .model import Event, Merged, Plan, TestInfo

NOTICE = (
    "Not medical advice. msmonitor lists the monitoring that its protocol's sources describe; "
    "it does not interpret results. Check every date with your care team and the current "
    "prescribing information."
)

PAST, CURRENT, UPCOMING = "past", "current", "upcoming"


def timing_of(event: Event, today: date) -> str:
    """past: over before today; current: today is its date or inside its window."""
    if event.last_date < today:
        return PAST
    if event.date <= today:
        return CURRENT
    return UPCOMING


def plan_warnings(plan: Plan, today: date) -> list[str]:
    """The plan's warnings, and the one that depends on the day it is read:
    a plan whose monitoring has ended lies entirely in the past."""
    warnings = list(plan.warnings)
    if today > plan.monitoring_ends:
        warnings.append(
            f"monitoring ended on {plan.monitoring_ends.isoformat()}: every item of this plan is in the past"
        )
    return warnings


def next_event(plan: Plan, today: date) -> Event | None:
    """The first item on or after today: the one to prepare for."""
    return next((e for e in plan.events if e.date >= today), None)


def phase_label(phase: str, plan: Plan) -> str:
    if phase == "before":
        return "Before treatment"
    if phase == "end":
        return "End of monitoring"
    name, number = phase.rsplit("-", 1)
    if name == "course":
        course = plan.courses[int(number) - 1]
        return f"Course {number}" + (" (projected)" if course.projected else "")
    return f"Monitoring year {number}"


def markers(facts: Event | Merged, sex: str | None) -> list[str]:
    """The short labels a reader must see next to an event or a merged rule.

    The one place that turns the engine's facts into markers, for every
    renderer: "women only" only when the plan's sex is not given (with
    ``--sex female`` every item is for her; with ``male`` there are none).
    A merged rule shares its event's date, so the event alone says "projected".
    """
    marks = []
    if isinstance(facts, Event) and facts.projected:
        marks.append("projected")
    if facts.women_only and sex is None:
        marks.append("women only")
    if facts.unverified:
        marks.append("unverified")
    return marks


def marked(title: str, facts: Event | Merged, sex: str | None) -> str:
    """``title [marker, ...]``: a title with its markers, as plain text."""
    marks = markers(facts, sex)
    return f"{title} [{', '.join(marks)}]" if marks else title


def also(event: Event, sex: str | None) -> list[str]:
    """The merged rules' titles, each with its own markers."""
    return [marked(m.title, m, sex) for m in event.merged]


def has_women_only(plan: Plan) -> bool:
    """Whether any item of the plan, merged or leading, is marked "women only"."""
    sex = plan.options.sex
    return any(
        "women only" in markers(e, sex) or any("women only" in markers(m, sex) for m in e.merged) for e in plan.events
    )


def limited(plan: Plan, start: date | None, before: date | None) -> Plan:
    """The plan with only the items that reach ``start`` or later and begin
    before ``before`` ("what is next": from today, for a few months)."""
    events = tuple(
        e for e in plan.events if (start is None or e.last_date >= start) and (before is None or e.date < before)
    )
    return plan._replace(events=events)


def first_monthly_draw(plan: Plan) -> date | None:
    """The date of the first draw on the monthly grid (month 1), if any
    (from the grid, not the events: a view may leave month 1 out)."""
    from .dates import add_months

    return add_months(plan.grid_anchor, 1) if plan.grid_months >= 1 else None


def course_line(course, plan: Plan) -> str:
    days = len(course.infusion_days)
    text = f"Course {course.number}: {course.first.isoformat()} to {course.last.isoformat()} ({days} days)"
    if course.projected:
        months = plan.protocol.courses.course2_after_months
        text += f", projected: course 1 + {months} months"
    return text


Shown = tuple[date | None, date | None]  # the days a view was limited to: from, before


def header_lines(plan: Plan, today: date, shown: Shown | None = None) -> list[str]:
    p = plan.protocol
    lines = [f"Protocol: {p.id} {p.version}, {p.title}"]
    if plan.options.patient:
        lines.append(f"Patient: {plan.options.patient}")
    lines += [course_line(c, plan) for c in plan.courses]
    projected = " (projected)" if plan.courses[-1].projected else ""
    lines.append(f"Last dose: {plan.last_dose.isoformat()}{projected}")
    first = first_monthly_draw(plan)
    draw = f"first monthly draw {first.isoformat()}, " if first else ""
    lines.append(
        f"Monitoring: {draw}monthly from {plan.grid_anchor.isoformat()} (course 1's last day) "
        f"until {plan.monitoring_ends.isoformat()}{projected}, {p.monitoring_months} months after the last dose"
    )
    lines.append(f"Today: {today.isoformat()}")
    if shown:
        start, before = shown
        what = f"from {start.isoformat()}" if start else "from the start"
        last = f" to {(before - timedelta(days=1)).isoformat()}" if before else " on"
        lines.append(f"Shown: items {what}{last}")
    if p.notice:
        lines.append(f"Protocol note: {p.notice}")
    lines += [f"Not scheduled: {text}" for text in plan.left_out]
    if has_women_only(plan):
        lines.append("Sex not given: items for women are shown and marked 'women only'.")
    return lines


def window_text(event: Event) -> str:
    if event.window_end:
        return f"{event.date.isoformat()} to {event.window_end.isoformat()}"
    return event.date.isoformat()


def test_short(test: TestInfo) -> str:
    """A test in a word or two ("blood count"), for tables."""
    return test.short or test.name


def test_names(plan: Plan) -> list[tuple[str, str]]:
    """(id, name) of every test the plan uses, in first-use order."""
    seen: dict[str, str] = {}
    for event in plan.events:
        for tid in event.tests:
            seen.setdefault(tid, plan.protocol.tests[tid].name)
    return list(seen.items())


def phases(plan: Plan) -> list[tuple[str, list[Event]]]:
    """Consecutive runs of events by phase, in date order."""
    runs: list[tuple[str, list[Event]]] = []
    for event in plan.events:
        if runs and runs[-1][0] == event.phase:
            runs[-1][1].append(event)
        else:
            runs.append((event.phase, [event]))
    return runs


def sources_used(plan: Plan) -> list[str]:
    """Ids of every source behind this plan's courses, window and events."""
    p = plan.protocol
    used = {s for e in plan.events for s in e.sources} | set(p.courses.sources) | set(p.monitoring_sources)
    return sorted(used, key=lambda sid: list(p.sources).index(sid))
