"""What every renderer shares: where an event stands relative to today,
phase names, markers and the safety notice. Pure functions of the plan."""

from __future__ import annotations

from datetime import date

from .model import Event, Plan

NOTICE = (
    "Not medical advice. msmonitor lists the monitoring that its protocol's sources describe; "
    "it does not interpret results. Check every date with your care team and the current "
    "prescribing information."
)

PAST, CURRENT, UPCOMING = "past", "current", "upcoming"


def status_of(event: Event, today: date) -> str:
    """past: over before today; current: today is its date or inside its window."""
    if event.last_date < today:
        return PAST
    if event.date <= today:
        return CURRENT
    return UPCOMING


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


def markers(event: Event, plan: Plan) -> list[str]:
    """Short labels a reader must see next to an item."""
    marks = []
    if event.projected:
        marks.append("projected")
    if event.women_only and plan.options.sex is None:
        marks.append("women only")
    if event.unverified:
        marks.append("unverified")
    return marks


def course_line(course, plan: Plan) -> str:
    days = len(course.infusion_days)
    text = f"Course {course.number}: {course.first.isoformat()} to {course.last.isoformat()} ({days} days)"
    if course.projected:
        months = plan.protocol.courses.course2_after_months
        text += f", projected: course 1 + {months} months"
    return text


def header_lines(plan: Plan, today: date) -> list[str]:
    p = plan.protocol
    lines = [f"Protocol: {p.id} {p.version}, {p.title}"]
    if plan.options.patient:
        lines.append(f"Patient: {plan.options.patient}")
    lines += [course_line(c, plan) for c in plan.courses]
    projected = " (projected)" if plan.courses[-1].projected else ""
    lines.append(f"Last dose: {plan.last_dose.isoformat()}{projected}")
    lines.append(
        f"Monitoring: monthly from {plan.grid_anchor.isoformat()} (course 1's last day) "
        f"until {plan.monitoring_ends.isoformat()}{projected}, {p.monitoring_months} months after the last dose"
    )
    lines.append(f"Today: {today.isoformat()}")
    if p.notice:
        lines.append(f"Protocol note: {p.notice}")
    if plan.options.sex is None and any(e.women_only for e in plan.events):
        lines.append("Sex not given: items for women are shown and marked 'women only'.")
    return lines


def window_text(event: Event) -> str:
    if event.window_end:
        return f"{event.date.isoformat()} to {event.window_end.isoformat()}"
    return event.date.isoformat()


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
